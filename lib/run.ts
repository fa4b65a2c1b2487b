/**
 * `run`: the entry point, asyncio's `asyncio.run`, callable anywhere.
 *
 * @module
 */
import { checkFunction, checkOptionalString, describe } from "./_validate.ts";
import { awaitTask, type TaskFn, taskInternals } from "./runtime/mod.ts";
import { watchBlockedLoop } from "./debug.ts";
import { envIfGranted } from "./_env.ts";

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

/**
 * `CORUN_DEBUG=1` in the environment, where it can be read without asking
 * (see {@linkcode envIfGranted}).
 */
function debugFromEnvironment(): boolean | undefined {
  const value = envIfGranted("CORUN_DEBUG");
  return value === undefined ? undefined : value === "1" || value === "true";
}
