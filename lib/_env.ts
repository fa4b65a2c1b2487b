/**
 * Reading the environment without depending on Deno or Node, and without
 * asking: on Deno a variable is read only where env access is already
 * granted (reading it otherwise would make every `deno run` of a script stop
 * at a permission prompt).
 *
 * @module
 */

interface Runtimes {
  Deno?: {
    permissions?: { querySync?(query: { name: "env"; variable: string }): { state: string } };
    env?: { get(name: string): string | undefined };
  };
  process?: { env?: Record<string, string | undefined> };
}

/**
 * The variable `name`, or `undefined` when it is unset or cannot be read
 * without a permission prompt.
 *
 * @param name The variable.
 * @returns Its value, if it can be read.
 *
 * @example Reading an unset variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { envIfGranted } from "./_env.ts";
 *
 * assert.equal(envIfGranted("CORUN_SURELY_UNSET_VARIABLE"), undefined);
 * ```
 */
export function envIfGranted(name: string): string | undefined {
  const { Deno: deno, process } = globalThis as Runtimes;
  try {
    if (deno === undefined) return process?.env?.[name];
    const access = deno.permissions?.querySync?.({ name: "env", variable: name });
    return access?.state === "granted" ? deno.env?.get(name) : undefined;
  } catch {
    return undefined;
  }
}
