/**
 * `corun run <script>`: run a script that imports corun, optionally with the
 * live monitor, debug mode, and a timeline or trace file once it ends.
 *
 * The script is imported into this process, after the monitor has started, so
 * it shares corun's task registry with the CLI. That holds when the script
 * imports corun the same way the CLI was loaded: `@corun/corun` (resolved by
 * this repository's deno.json, or from JSR when the CLI itself came from JSR)
 * or a relative path to this repository's `mod.ts`.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { allTasks, corunCopies, describe, finishedCounts } from "../runtime/mod.ts";
import { getHistoryLimit, onTaskEvent, setHistoryLimit } from "../monitor/events.ts";
import { snapshot } from "../monitor/snapshot.ts";
import { formatTimeline } from "../monitor/format_timeline.ts";
import { toChromeTrace } from "../monitor/chrome_trace.ts";
import { type MonitorServer, serveMonitor } from "../monitor/server.ts";
import type { CommandSpec, OptionSpec } from "./framework.ts";
import { CommandError, UsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";
import { endMonitorOnExit } from "./_monitor_end.ts";

/** How many finished tasks `--timeline` and `--trace` can show. */
const TRACE_HISTORY = 100_000;

/** `--timeline`, of `corun run` and `corun examples`. */
export const TIMELINE_OPTION: OptionSpec = {
  flags: "--timeline",
  description: "print a timeline of every task when it ends",
};

/** The command line of `corun run`. */
export const runSpec: CommandSpec = {
  name: "run",
  summary: "run a script that uses corun",
  arguments: [{ syntax: "<script>", description: "the script to run (a path)" }],
  passThrough: true,
  options: [
    { flags: "--debug", description: "debug mode (as CORUN_DEBUG=1)" },
    {
      flags: "--monitor [port]",
      description: "serve the live dashboard while it runs (port 0 or none: any free port)",
      valuePattern: /^\d+$/,
      bareValue: "0",
    },
    TIMELINE_OPTION,
    { flags: "--trace <file>", description: "write a Trace Event file (open it in Perfetto)" },
  ],
  epilog: "corun's options go before the script; what follows the script is its Deno.args.\n" +
    "Examples:\n  corun run --timeline examples/concurrent_tasks.ts\n" +
    "  corun run --monitor=8123 --trace trace.json main.ts input.txt --verbose",
};

/** Options of {@linkcode runScript}. */
export interface RunScriptOptions {
  /** Turn debug mode on. */
  debug?: boolean;
  /** Serve the monitor: `true` or a port (as typed). */
  monitor?: boolean | string;
  /** Print the timeline at the end. */
  timeline?: boolean;
  /** Write a Trace Event file at the end. */
  trace?: string;
}

/** The rest of the command line: the script's own arguments. */
export type ScriptArgs = readonly string[];

/**
 * Run `script` and wait until it and every task it started have finished.
 *
 * Every option is checked before the script starts. With the monitor, open
 * dashboards get the final state also when the process is stopped by
 * SIGINT/SIGTERM (exit code 130/143) or dies of an uncaught error (1). The script sees
 * `scriptArgs` as `Deno.args`. If its tasks ran in another copy of corun
 * (another import path), a one-line hint says why nothing was seen.
 *
 * @param script A path, relative to the working directory.
 * @param options The command line options.
 * @param io Where the timeline and messages go.
 * @param scriptArgs The script's `Deno.args`.
 * @returns 0, or 1 if the script threw (or could not be loaded).
 * @throws {UsageError} If the script does not exist, the port is invalid or
 *   the trace file cannot be written where asked.
 * @throws {CommandError} If the trace file cannot be written at the end.
 */
export async function runScript(
  script: string,
  options: RunScriptOptions,
  io: CliIo,
  scriptArgs: ScriptArgs = [],
): Promise<number> {
  const url = scriptUrl(script);
  const port = monitorPort(options.monitor);
  if (options.trace !== undefined) checkTraceFile(options.trace);
  setScriptArgs(scriptArgs);
  const seenBefore = finishedCounts().finished;
  const othersBefore = otherCopiesFinished();
  if (options.debug) Deno.env.set("CORUN_DEBUG", "1");
  if (options.timeline || options.trace !== undefined) {
    setHistoryLimit(Math.max(getHistoryLimit(), TRACE_HISTORY));
  }
  let server: MonitorServer | undefined;
  if (port !== undefined) {
    server = await serveMonitor({ port }).catch((error) => {
      throw new CommandError(`cannot serve the monitor on port ${port}: ${error.message}`);
    });
    io.err(`corun: monitor at ${server.dashboardUrl}\n`);
  }
  const stopEnding = server === undefined ? () => {} : endMonitorOnExit(server, io);
  let code = 0;
  try {
    try {
      await import(url);
      await allTasksEnded();
    } catch (error) {
      code = 1;
      io.err(`${scriptError(error)}\n`);
    }
  } finally {
    stopEnding();
    await server?.close({ reason: "process ended" });
  }
  const elsewhere = otherCopiesFinished() - othersBefore;
  if (elsewhere > 0 && finishedCounts().finished === seenBefore) {
    io.err(
      `corun: ${elsewhere} task(s) ran in another copy of corun, which the monitor cannot see: ` +
        "import corun as the CLI was loaded (the same @corun/corun or mod.ts path)\n",
    );
  }
  const infos = snapshot();
  if (options.timeline) {
    io.out(`${formatTimeline(infos, { width: io.columns(), color: io.color })}\n`);
  }
  if (options.trace !== undefined) {
    try {
      await Deno.writeTextFile(options.trace, toChromeTrace(infos));
    } catch (error) {
      throw new CommandError(`cannot write ${options.trace}: ${(error as Error).message}`);
    }
    io.err(`corun: trace written to ${options.trace} (open it at https://ui.perfetto.dev)\n`);
  }
  return code;
}

/** The file URL of an existing script. */
export function scriptUrl(script: string): string {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(script);
  } catch {
    throw new UsageError(`script not found: ${script}`);
  }
  if (!info.isFile) throw new UsageError(`not a file: ${script}`);
  return pathToFileURL(Deno.realPathSync(script)).href;
}

/**
 * A usage error unless a trace file can be written at `path`: the directory
 * exists, write permission is granted there, and the file opens for writing.
 * The file is not truncated, and is removed again if it did not exist.
 */
function checkTraceFile(path: string): void {
  if (path === "") throw new UsageError("--trace needs a file name, got ''");
  const dir = dirname(resolve(path));
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dir);
  } catch {
    throw new UsageError(`--trace ${path}: directory ${dir} does not exist`);
  }
  if (!info.isDirectory) throw new UsageError(`--trace ${path}: ${dir} is not a directory`);
  let existed = true;
  try {
    if (Deno.statSync(path).isDirectory) throw new UsageError(`--trace ${path}: is a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    existed = false;
  }
  if (Deno.permissions.querySync({ name: "write", path: resolve(path) }).state !== "granted") {
    throw new UsageError(`--trace ${path}: no permission to write there (--allow-write)`);
  }
  try {
    Deno.openSync(path, existed ? { write: true } : { write: true, createNew: true }).close();
  } catch (error) {
    throw new UsageError(`--trace ${path}: cannot be written: ${(error as Error).message}`);
  }
  if (!existed) Deno.removeSync(path);
}

/** Make `Deno.args` the script's arguments. */
function setScriptArgs(args: ScriptArgs): void {
  Object.defineProperty(Deno, "args", {
    value: Object.freeze([...args]),
    configurable: true,
    enumerable: true,
  });
}

/** How many tasks have finished in the other copies of corun. */
function otherCopiesFinished(): number {
  const mine = finishedCounts();
  let total = 0;
  for (const copy of corunCopies()) if (copy !== mine) total += copy.finished;
  return total;
}

const CLI_DIR = new URL("./", import.meta.url).href;
const CLI_ENTRY = new URL("../../cli.ts", import.meta.url).href;

/**
 * A script's error without the CLI's own frames; a script that does not
 * parse shows Deno's syntax error, with its file and line.
 */
export function scriptError(error: unknown): string {
  // describe() never throws, whatever the script threw (a revoked Proxy, a throwing getter...).
  const stack = describe(error, { stack: true });
  const lines = stack.split("\n").filter((line) =>
    !(/^\s+at /.test(line) && (line.includes(CLI_DIR) || line.includes(CLI_ENTRY)))
  );
  const text = lines.join("\n");
  // Deno reports a module that does not parse as a TypeError wrapping the SyntaxError.
  return error instanceof TypeError && /^TypeError: SyntaxError: /.test(stack)
    ? `error: ${text.replace(/^TypeError: /, "")}`
    : text;
}

function monitorPort(value: boolean | string | undefined): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(`--monitor port must be an integer from 0 to 65535, got '${value}'`);
  }
  return port;
}

/** Resolves once no task is left unfinished (now, or after the last ends). */
function allTasksEnded(): Promise<void> {
  let live = allTasks().size;
  if (live === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = onTaskEvent(({ type }) => {
      if (type === "created") live++;
      else if (type === "ended" && --live <= 0) {
        // The count is a hint; the registry has the last word.
        live = allTasks().size;
        if (live === 0) {
          stop();
          resolve();
        }
      }
    });
  });
}
