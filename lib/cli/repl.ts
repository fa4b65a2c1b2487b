/**
 * `corun repl`: the interactive REPL (implemented in `lib/repl/`).
 *
 * @module
 */
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
export async function repl(): Promise<number> {
  // Loaded only here: the REPL's pty code needs --allow-ffi, which `corun run` must not.
  const { startRepl } = await import("../repl/main.ts");
  return await startRepl();
}
