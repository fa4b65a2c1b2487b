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
    .helpCommand(false);
  for (const spec of program.commands) {
    const command = configure(root.command(spec.name))
      .description(spec.summary)
      .helpOption("-h, --help", "show help for this command");
    for (const argument of spec.arguments ?? []) {
      command.argument(argument.syntax, argument.description);
    }
    for (const option of spec.options ?? []) command.option(option.flags, option.description);
    if (spec.epilog !== undefined) command.addHelpText("after", `\n${spec.epilog}`);
    command.action((...values: unknown[]) => {
      const count = spec.arguments?.length ?? 0;
      chosen = {
        kind: "command",
        name: spec.name,
        args: values.slice(0, count) as (string | undefined)[],
        options: values[count] as Record<string, string | boolean | undefined>,
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

/** Move a token an optional-value option would wrongly swallow before that option. */
function keepPositionals(program: ProgramSpec, argv: readonly string[]): string[] {
  const spec = program.commands.find((command) => command.name === argv[0]);
  const guarded = (spec?.options ?? []).filter((option) => option.valuePattern !== undefined);
  const args = [...argv];
  if (guarded.length === 0) return args;
  for (let i = 1; i < args.length - 1; i++) {
    if (args[i] === "--") break;
    const option = guarded.find((o) => o.flags.split(/[ ,]+/).includes(args[i]));
    const next = args[i + 1];
    if (option === undefined || next.startsWith("-") || option.valuePattern!.test(next)) continue;
    args[i + 1] = args[i];
    args[i] = next;
    i++;
  }
  return args;
}
