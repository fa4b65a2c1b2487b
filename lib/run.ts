/**
 * `run`: the entry point, asyncio's `asyncio.run`, callable anywhere.
 *
 * @module
 */
import { checkFunction, checkOptionalString, describe } from "./_validate.ts";
import { awaitTask, type TaskFn, taskInternals } from "./runtime/mod.ts";
import { watchBlockedLoop } from "./debug.ts";

/** Options for {@linkcode run}. */
export interface RunOptions {
  /**
   * Debug mode: warn about a blocked event loop and list the tasks left
   * unfinished when `main` returns, with where they were created.
   * @default {false, or true when the environment has CORUN_DEBUG=1}
   */
  debug?: boolean;
  /**
   * In debug mode, a loop step at least this long (milliseconds) is reported.
   * @default {100}
   */
  slowStepMs?: number;
  /**
   * The name of the root task.
   * @default {"main"}
   */
  name?: string;
}

/**
 * Run `main` as a root task. When `main` settles, every task created inside
 * this run that is still unfinished is cancelled and awaited; then `run`
 * resolves or rejects with `main`'s outcome. Errors of tasks that failed and
 * were never retrieved are printed on stderr ("Task exception was never
 * retrieved").
 *
 * `run` may be called anywhere, inside another run too: a nested run is a
 * child scope, and cancelling the task that awaits it cancels its `main`.
 *
 * @param main The root task function, called with the root task's signal.
 * @param options `debug`, `slowStepMs` and `name`.
 * @returns `main`'s value, once everything it left behind has finished.
 * @throws {TypeError} If `main` is not a function.
 * @throws {RangeError} If `slowStepMs` is not a non-negative number.
 *
 * @example Nothing is left running
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, run, sleep } from "@corun/corun";
 *
 * const { background } = await run(async () => {
 *   const background = createTask(() => sleep(60_000));
 *   await sleep(10);
 *   return { background }; // (returning the task itself would await it)
 * });
 * assert.ok(background.cancelled());
 * ```
 */
export function run<T>(main: TaskFn<T>, options: RunOptions = {}): Promise<T> {
  try {
    checkFunction(main, "main");
    checkOptionalString(options.name, "options.name");
    const { slowStepMs } = options;
    if (
      slowStepMs !== undefined &&
      (typeof slowStepMs !== "number" || Number.isNaN(slowStepMs) || slowStepMs < 0)
    ) {
      throw new RangeError(
        `options.slowStepMs must be a non-negative number of milliseconds, got ${
          describe(slowStepMs)
        }`,
      );
    }
  } catch (error) {
    return Promise.reject(error);
  }
  const debug = options.debug ?? debugFromEnvironment();
  const root = taskInternals.spawn(main, { name: options.name ?? "main" }, { debug });
  if (debug) watchBlockedLoop(root, options.slowStepMs ?? 100);
  return awaitTask(root);
}

/** The environment as Deno and Node expose it, without depending on either. */
interface Runtimes {
  Deno?: {
    permissions?: { querySync?(query: { name: "env"; variable: string }): { state: string } };
    env?: { get(name: string): string | undefined };
  };
  process?: { env?: Record<string, string | undefined> };
}

/**
 * `CORUN_DEBUG=1` in the environment, where it can be read without asking:
 * on Deno only if env access is already granted (reading it otherwise would
 * make every `deno run` of a script stop at a permission prompt).
 */
function debugFromEnvironment(): boolean | undefined {
  const { Deno: deno, process } = globalThis as Runtimes;
  let value: string | undefined;
  try {
    if (deno !== undefined) {
      const access = deno.permissions?.querySync?.({ name: "env", variable: "CORUN_DEBUG" });
      if (access?.state !== "granted") return undefined;
      value = deno.env?.get("CORUN_DEBUG");
    } else {
      value = process?.env?.CORUN_DEBUG;
    }
  } catch {
    return undefined;
  }
  return value === undefined ? undefined : value === "1" || value === "true";
}
