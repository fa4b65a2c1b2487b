/**
 * `corun examples [name]`: list the examples, or run one.
 *
 * @module
 */
import { type Example, exampleLines, EXAMPLES_DIR, readExamples } from "../repl/examples.ts";
import type { CommandSpec } from "./framework.ts";
import { CommandError, UsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";
import { runScript, type RunScriptOptions, TIMELINE_OPTION } from "./run.ts";

/** The command line of `corun examples`. */
export const examplesSpec: CommandSpec = {
  name: "examples",
  summary: "list the examples, or run one",
  arguments: [{ syntax: "[name]", description: "the example to run (e.g. concurrent_tasks)" }],
  options: [TIMELINE_OPTION],
};

/**
 * The examples in `dir`, by name.
 *
 * @param dir The folder.
 * @returns The examples, sorted by name.
 * @throws {CommandError} If the folder cannot be read.
 */
export function listExamples(dir: URL = EXAMPLES_DIR): Example[] {
  try {
    return readExamples(dir);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

/**
 * List the examples (no `name`) or run one.
 *
 * @param name The example, with or without `.ts`.
 * @param options Passed on to `corun run`.
 * @param io Where the list goes.
 * @param dir The examples folder.
 * @returns The exit code.
 * @throws {UsageError} If there is no example by that name.
 */
export async function examples(
  name: string | undefined,
  options: RunScriptOptions,
  io: CliIo,
  dir: URL = EXAMPLES_DIR,
): Promise<number> {
  const all = listExamples(dir);
  if (name === undefined) {
    for (const line of exampleLines(all, io.columns())) io.out(`${line}\n`);
    return 0;
  }
  const wanted = name.replace(/\.ts$/, "");
  const example = all.find((e) => e.name === wanted);
  if (example === undefined) {
    throw new UsageError(`unknown example '${name}' (corun examples lists them)`);
  }
  return await runScript(example.path, options, io);
}
