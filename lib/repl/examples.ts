/**
 * The examples shipped beside corun: their names and one-line summaries, for
 * both `corun examples` and the REPL's `.examples`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { fit } from "../monitor/_format.ts";

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
 * @throws {Error} If the folder cannot be read (its message says why, for the user).
 */
export function readExamples(dir: URL = EXAMPLES_DIR): Example[] {
  if (dir.protocol !== "file:") {
    throw new Error("the examples are not installed with this copy of corun");
  }
  const path = fileURLToPath(dir);
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(path)];
  } catch {
    throw new Error(`cannot read the examples folder ${path}`);
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
