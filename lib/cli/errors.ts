/**
 * The two ways a CLI command fails on purpose. `cli.ts` prints either as one
 * `error: ...` line on stderr, never with a stack: a `UsageError` (the
 * command line was wrong) exits with code 2, a `CommandError` (the command
 * could not do its job, e.g. the monitor URL does not answer) with code 1.
 * Anything else escaping a command is a bug and is printed with its stack.
 *
 * @module
 */

/** The command line was wrong: exit code 2. */
export class UsageError extends Error {
  /** Always `"UsageError"`. */
  override name = "UsageError";
  /** The process exit code for this error. */
  readonly exitCode = 2;
}

/** The command could not do its job: exit code 1. */
export class CommandError extends Error {
  /** Always `"CommandError"`. */
  override name = "CommandError";
  /** The process exit code for this error. */
  readonly exitCode = 1;
}

/** One line, whatever the message contains. */
export function errorLine(error: UsageError | CommandError): string {
  return `error: ${error.message.replace(/\s*\n\s*/g, " ").trim()}`;
}
