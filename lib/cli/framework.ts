/**
 * The one place that knows the CLI framework (commander). Commands are
 * described as plain data (`ProgramSpec`); `parseCommandLine` turns `argv`
 * into the chosen command with its arguments and options, or into the text of
 * `--help`/`--version`. Nothing here prints or exits: help text is returned
 * and mistakes are thrown as `UsageError`. Moving to another framework
 * (e.g. `@cliffy/command`) means rewriting this file only.
 *
 * @module
 */
import { Command, CommanderError } from "npm:commander@15.1.0";
import { UsageError } from "./errors.ts";

/** A positional argument, e.g. `<script>` (required) or `[name]` (optional). */
export interface ArgumentSpec {
  /** `<name>` or `[name]`. */
  syntax: string;
  /** One line of help. */
  description: string;
}

/** An option, e.g. `--trace <file>`, `--monitor [port]` or `--debug`. */
export interface OptionSpec {
  /** Flags and value syntax, e.g. `-a, --all` or `--trace <file>`. */
  flags: string;
  /** One line of help. */
  description: string;
  /**
   * For an option with an optional value (`--monitor [port]`): what a value
   * looks like. A bare option followed by a token that does not match (e.g.
   * `--monitor main.ts`) leaves that token alone, so it stays a positional
   * argument.
   */
  valuePattern?: RegExp;
  /** With `valuePattern`: the value a bare option stands for (e.g. `0`). */
  bareValue?: string;
}

/** A subcommand. */
export interface CommandSpec {
  /** Its name, e.g. `run`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments, in order. */
  arguments?: ArgumentSpec[];
  /** Options. */
  options?: OptionSpec[];
  /** Extra help text shown after the options. */
  epilog?: string;
  /**
   * Everything after the last positional argument (options included) is
   * collected, untouched, as `rest`: `corun run main.ts a --flag` passes
   * `a --flag` on to the script, as `deno run` does.
   */
  passThrough?: boolean;
}

/** The whole program. */
export interface ProgramSpec {
  /** The executable's name. */
  name: string;
  /** What `--version` prints. */
  version: string;
  /** One line about the program. */
  summary: string;
  /** Its subcommands. */
  commands: CommandSpec[];
}

/** What the command line asked for. */
export type ParsedCommandLine =
  | { kind: "text"; text: string }
  | {
    kind: "command";
    name: string;
    args: (string | undefined)[];
    options: Record<string, string | boolean | undefined>;
    /** With `passThrough`: the arguments after the positional ones. */
    rest: string[];
  };

/** Options for {@linkcode parseCommandLine}. */
export interface ParseOptions {
  /**
   * The width help text wraps at.
   * @default {80}
   */
  helpWidth?: number;
}

const QUIET_EXITS = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/**
 * Parse `argv` (without the executable) against `program`.
 *
 * @param program The commands and their options.
 * @param argv The arguments, e.g. `["run", "main.ts", "--timeline"]`.
 * @param options `helpWidth`.
 * @returns The chosen command, or the text `--help`/`--version` asked for.
 * @throws {UsageError} For a missing or unknown command, an unknown option,
 *   a missing or surplus argument.
 */
export function parseCommandLine(
  program: ProgramSpec,
  argv: readonly string[],
  options: ParseOptions = {},
): ParsedCommandLine {
  if (argv.length === 0) {
    throw new UsageError(`missing command (see ${program.name} --help)`);
  }
  let output = "";
  let chosen: ParsedCommandLine | null = null;
  const root = new Command(program.name);
  const configure = (command: Command): Command =>
    command
      .exitOverride()
      .configureOutput({
        writeOut: (text) => void (output += text),
        writeErr: () => {},
        getOutHelpWidth: () => options.helpWidth ?? 80,
        getErrHelpWidth: () => options.helpWidth ?? 80,
        getOutHasColors: () => false,
        getErrHasColors: () => false,
      })
      .showSuggestionAfterError(true);
  configure(root)
    .description(program.summary)
    .version(program.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .enablePositionalOptions();
  for (const spec of program.commands) {
    const command = configure(root.command(spec.name))
      .description(spec.summary)
      .helpOption("-h, --help", "show help for this command");
    for (const argument of spec.arguments ?? []) {
      command.argument(argument.syntax, argument.description);
    }
    for (const option of spec.options ?? []) command.option(option.flags, option.description);
    if (spec.passThrough) command.argument("[rest...]").passThroughOptions();
    if (spec.epilog !== undefined) command.addHelpText("after", `\n${spec.epilog}`);
    command.action((...values: unknown[]) => {
      const count = spec.arguments?.length ?? 0;
      const extra = spec.passThrough ? 1 : 0;
      chosen = {
        kind: "command",
        name: spec.name,
        args: values.slice(0, count) as (string | undefined)[],
        options: values[count + extra] as Record<string, string | boolean | undefined>,
        rest: spec.passThrough ? [...(values[count] as string[])] : [],
      };
    });
  }
  try {
    root.parse(keepPositionals(program, argv), { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (QUIET_EXITS.has(error.code) && error.exitCode === 0) return { kind: "text", text: output };
    throw new UsageError(error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " "));
  }
  if (chosen === null) throw new UsageError(`missing command (see ${program.name} --help)`);
  return chosen;
}

/**
 * Keep an optional-value option from swallowing a token that is not its
 * value: `--monitor main.ts` becomes `--monitor=<bareValue> main.ts` (or,
 * without a `bareValue`, the token moves before the option). For a
 * pass-through command, nothing after its first positional is touched.
 */
function keepPositionals(program: ProgramSpec, argv: readonly string[]): string[] {
  const spec = program.commands.find((command) => command.name === argv[0]);
  const options = spec?.options ?? [];
  const flagsOf = (option: OptionSpec) => option.flags.split(/[ ,]+/);
  const args = [...argv];
  for (let i = 1; i < args.length; i++) {
    const token = args[i];
    if (token === "--") break;
    if (!token.startsWith("-")) {
      if (spec?.passThrough) break;
      continue;
    }
    const option = options.find((o) => flagsOf(o).includes(token));
    if (option === undefined) continue;
    if (option.flags.includes("<")) {
      i++; // Its value, whatever it looks like.
      continue;
    }
    const next = args[i + 1];
    if (option.valuePattern === undefined || next === undefined) continue;
    if (next.startsWith("-") || option.valuePattern.test(next)) continue;
    if (option.bareValue !== undefined) {
      args[i] = `${token}=${option.bareValue}`;
      continue;
    }
    args[i + 1] = token;
    args[i] = next;
    i++;
  }
  return args;
}
