/**
 * Tab completion: REPL commands, names in scope (globals, and the
 * `let`/`const`/`class` names of earlier inputs, which V8 keeps off
 * `globalThis`), keywords, and properties after a dot (the object is
 * evaluated with side effects forbidden, so completing never runs code that
 * changes anything).
 *
 * @module
 */
import type { Evaluator } from "./evaluator.ts";
import type { Completion } from "./line_editor.ts";
import { KEYWORDS, LITERAL_WORDS } from "./_keywords.ts";

/**
 * Completions for the text before `cursor`.
 *
 * @param evaluator Evaluates the object before a dot.
 * @param commands The REPL's dot commands (`.help`, ...).
 * @param line The whole line.
 * @param cursor Where the cursor is (string index).
 * @returns Where the completed word starts and the sorted candidates.
 */
export async function complete(
  evaluator: Evaluator,
  commands: readonly string[],
  line: string,
  cursor: number,
): Promise<Completion> {
  const before = line.slice(0, cursor);
  if (/^\s*\.[a-z]*$/.test(before)) {
    const typed = before.trimStart();
    return { from: cursor - typed.length, candidates: commands.filter((c) => c.startsWith(typed)) };
  }
  const match = before.match(/((?:[\w$]+\??\.)*)([\w$]*)$/);
  if (match === null) return { from: cursor, candidates: [] };
  const [, chain, prefix] = match;
  const from = cursor - prefix.length;
  // A dot right after a number, a string or a bracket: not something we complete.
  if (chain === "" && /[\w$)\]'"`]\s*\.$/.test(before.slice(0, from))) {
    return { from, candidates: [] };
  }
  let names: string[];
  if (chain !== "") {
    const expression = chain.replace(/\??\.$/, "");
    if (/^\d/.test(expression)) return { from, candidates: [] };
    names = await evaluator.propertyNames(expression);
  } else {
    names = [
      ...Object.getOwnPropertyNames(globalThis),
      ...await evaluator.lexicalNames(),
      ...KEYWORDS,
      ...LITERAL_WORDS,
    ];
  }
  const candidates = [...new Set(names)]
    .filter((name) => name.startsWith(prefix) && /^[\w$]+$/.test(name))
    .filter((name) => prefix.startsWith("_") || !name.startsWith("__"))
    .sort();
  return { from, candidates };
}
