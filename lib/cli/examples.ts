/**
 * `corun examples [name]`: list the examples, or run one.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { fit } from "../monitor/_format.ts";
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

/** One example: its name and the first line of its doc comment. */
export interface Example {
  /** The file name without `.ts`. */
  name: string;
  /** What it shows, in one line. */
  summary: string;
  /** Its path. */
  path: string;
}

/** The examples folder shipped beside the CLI. */
export const EXAMPLES_DIR: URL = new URL("../../examples/", import.meta.url);

/**
 * The examples in `dir`, by name.
 *
 * @param dir The folder.
 * @returns The examples, sorted by name.
 * @throws {CommandError} If the folder cannot be read.
 */
export function listExamples(dir: URL = EXAMPLES_DIR): Example[] {
  if (dir.protocol !== "file:") {
    throw new CommandError("the examples are not installed with this copy of corun");
  }
  const path = fileURLToPath(dir);
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(path)];
  } catch {
    throw new CommandError(`cannot read the examples folder ${path}`);
  }
  return entries
    .filter((entry) => entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_"))
    .map((entry) => {
      const file = `${path.replace(/\/$/, "")}/${entry.name}`;
      return {
        name: entry.name.slice(0, -3),
        summary: summaryOf(Deno.readTextFileSync(file)),
        path: file,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * One line per example, `name  summary`, names aligned, each cut to
 * `columns` (shared by `corun examples` and the REPL's `.examples`).
 *
 * @param all The examples, as `listExamples` gives them.
 * @param columns The terminal width to fit.
 * @param indent Put before each line.
 * @returns The lines, without line ends.
 */
export function exampleLines(all: Example[], columns: number, indent = ""): string[] {
  const width = Math.max(0, ...all.map((example) => example.name.length));
  return all.map((example) =>
    fit(`${indent}${example.name.padEnd(width)}  ${example.summary}`.trimEnd(), columns)
  );
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

/** The first line of the leading doc comment (or `//` comment). */
export function summaryOf(source: string): string {
  const text = source.replace(/^#!.*\n/, "").trimStart();
  const block = /^\/\*\*?([\s\S]*?)\*\//.exec(text);
  const lines = block !== null
    ? block[1].split("\n").map((line) => line.replace(/^\s*\*\s?/, "").trim())
    : text.split("\n").filter((line) => line.startsWith("//")).map((line) => line.slice(2).trim());
  const start = lines.findIndex((line) => line !== "" && !line.startsWith("@"));
  if (start === -1) return "";
  const end = lines.findIndex((line, i) => i > start && (line === "" || line.startsWith("@")));
  const paragraph = lines.slice(start, end === -1 ? undefined : end).join(" ");
  const sentence = /^.*?[.!?](?=\s|$)/.exec(paragraph);
  return sentence === null ? paragraph : sentence[0];
}
