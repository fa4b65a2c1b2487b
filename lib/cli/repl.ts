/**
 * `corun repl`: the interactive REPL (implemented in `lib/repl/`).
 *
 * @module
 */
import { startRepl } from "../repl/main.ts";
import type { CommandSpec } from "./framework.ts";

/** The command line of `corun repl`. */
export const replSpec: CommandSpec = {
  name: "repl",
  summary: "start the interactive REPL (every corun export in scope, live task monitor)",
};

/**
 * Start the REPL on the process's terminal.
 *
 * @returns The exit code it ends with.
 */
export function repl(): Promise<number> {
  return startRepl();
}
