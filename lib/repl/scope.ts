/**
 * What is in scope in the REPL: every `mod.ts` export and `corun`, the
 * namespace itself, plus `_` (the last value) and `_error` (the last error).
 *
 * They are set on `globalThis`, so that input can shadow any of them with
 * `let`, `const` or `class` - except the exports whose name is already a
 * global (`Event`): overwriting the platform's own global could break code
 * that relies on it, so those are declared as REPL bindings instead, which
 * shadow the global for REPL input only.
 *
 * @module
 */
import * as corun from "../../mod.ts";
import type { Evaluator } from "./evaluator.ts";

const SCOPE = Symbol.for("corun.repl.scope");

/**
 * Bring the corun exports into scope.
 *
 * @param evaluator Declares the names that shadow platform globals.
 * @returns The names now in scope, sorted, `corun` first.
 */
export async function installScope(evaluator: Evaluator): Promise<string[]> {
  const global = globalThis as Record<string | symbol, unknown>;
  const shadowed: string[] = [];
  for (const [name, value] of Object.entries(corun)) {
    if (name in globalThis) shadowed.push(name);
    else global[name] = value;
  }
  global.corun = corun;
  if (shadowed.length > 0) {
    global[SCOPE] = corun;
    const names = shadowed.join(", ");
    await evaluator.evaluate(`let { ${names} } = globalThis[Symbol.for("corun.repl.scope")];`);
  }
  return ["corun", ...Object.keys(corun).sort()];
}

/**
 * Remember the last value, as `_`.
 *
 * @param value The value of the last input.
 */
export function setLastValue(value: unknown): void {
  (globalThis as Record<string, unknown>)._ = value;
}

/**
 * Remember the last error, as `_error`.
 *
 * @param error What the last failing input threw.
 */
export function setLastError(error: unknown): void {
  (globalThis as Record<string, unknown>)._error = error;
}
