/**
 * The `corun` program: its commands, and the dispatch from a command line to
 * the command that runs it. Prints only through the `io` it is given and
 * never exits; `cli.ts` does both.
 *
 * @module
 */
import config from "../../deno.json" with { type: "json" };
import { parseCommandLine, type ParsedCommandLine, type ProgramSpec } from "./framework.ts";
import type { CliIo } from "./io.ts";
import { denoTerminal } from "../term/deno_terminal.ts";
import type { Terminal } from "../term/terminal.ts";
import { runScript, runSpec } from "./run.ts";
import { ps, psSpec } from "./ps.ts";
import { top, topSpec } from "./top.ts";
import { examples, examplesSpec } from "./examples.ts";
import { repl, replSpec } from "./repl.ts";

/** corun's version, from deno.json. */
export const VERSION: string = config.version;

/** Every command of `corun`. */
export const PROGRAM: ProgramSpec = {
  name: "corun",
  version: `corun ${VERSION}`,
  summary: "asyncio's concurrency model for Deno: run scripts and see every task",
  commands: [runSpec, psSpec, topSpec, examplesSpec, replSpec],
};

/** How a command ended. */
export interface CliOutcome {
  /** The process exit code. */
  code: number;
  /**
   * Let the process end by itself (timers the script left behind still run)
   * rather than exiting at once.
   */
  drain: boolean;
}

/** What the commands need from the outside world. */
export interface CliContext {
  /** Line-oriented output. */
  io: CliIo;
  /** The terminal for `corun top`. */
  terminal?: () => Terminal;
  /** The REPL, for `corun repl`. */
  repl?: () => Promise<number>;
}

/**
 * Parse `argv` and run the command it names.
 *
 * @param argv The arguments after the executable.
 * @param context Where output goes.
 * @returns The exit code, and whether to let the process drain.
 * @throws {UsageError} For a wrong command line.
 * @throws {CommandError} If the command cannot do its job.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<CliOutcome> {
  const { io } = context;
  const parsed: ParsedCommandLine = parseCommandLine(PROGRAM, argv, { helpWidth: io.columns() });
  if (parsed.kind === "text") {
    io.out(parsed.text);
    return { code: 0, drain: false };
  }
  const { name, args, options, rest } = parsed;
  switch (name) {
    case "run": {
      const code = await runScript(args[0] as string, options, io, rest);
      return { code, drain: code === 0 };
    }
    case "ps":
      return { code: await ps(args[0] as string, options, io), drain: false };
    case "top": {
      const terminal = (context.terminal ?? denoTerminal)();
      return { code: await top(args[0] as string, terminal, io), drain: false };
    }
    case "examples": {
      const code = await examples(args[0], options, io);
      return { code, drain: code === 0 && args[0] !== undefined };
    }
    case "repl":
      return { code: await (context.repl ?? repl)(), drain: false };
    default:
      throw new Error(`corun: no handler for command ${name}`);
  }
}
