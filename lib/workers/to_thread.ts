/**
 * `toThread`: run a function in a worker thread, asyncio's `to_thread`.
 *
 * @module
 */
import { checkFunction } from "../_validate.ts";
import { JOB_KIND } from "./_job.ts";
import { WorkerPool, type WorkerPoolOptions } from "./worker_pool.ts";

let defaultPool: WorkerPool | undefined;

/**
 * Run a self-contained function in a pooled worker thread and await its
 * result, so CPU-bound or blocking code does not stall the event loop (and
 * every other task with it). Like asyncio's `to_thread`, but on a real
 * thread of its own: the function is sent **by source**, so it may use only
 * its arguments and globals; arguments and result are structured-cloned.
 *
 * The default pool has one worker per core, started on demand; idle workers
 * never keep the process alive. Cancelling the awaiting task terminates the
 * worker running the function, the pool replaces it, and the await rejects
 * at once with the task's `CancelledError`. On Node and Bun that stops even
 * a busy loop; on Deno 2.9 `terminate()` cannot interrupt running code, so
 * the abandoned function runs to its end on its own thread (it can no
 * longer keep the process alive) and that thread counts against the pool's
 * size until then, so cancellations never pile up busy threads. Work that
 * must stop on cancel, or may run out of memory (in a thread that ends the
 * whole program on Deno), belongs in a `WorkerPool({ mode: "process" })`.
 *
 * @param fn A function that uses only its arguments and globals.
 * @param args Its arguments (structured-cloned: no functions, no class
 *   instances beyond what structured cloning keeps).
 * @returns A promise for `fn`'s (structured-cloned) result.
 * @throws {ReferenceError} If `fn` uses a variable from its enclosing scope:
 *   the message says which one and to pass it as an argument.
 * @throws {TypeError} If `fn` is not a function or is native/bound, or an
 *   argument or the result cannot be structured-cloned.
 * @throws {unknown} What `fn` threw, with the same name, message and stack.
 *
 * @example CPU work without freezing other tasks
 * ```ts
 * import assert from "node:assert/strict";
 * import { toThread } from "@corun/corun";
 *
 * const fib = (n: number): number => n < 2 ? n : fib(n - 1) + fib(n - 2);
 * // fib refers to itself through the enclosing scope, so send a
 * // self-contained version instead:
 * const result = await toThread((n: number) => {
 *   const f = (k: number): number => k < 2 ? k : f(k - 1) + f(k - 2);
 *   return f(n);
 * }, 25);
 * assert.equal(result, fib(25));
 * ```
 *
 * @example The error for a captured variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { toThread } from "@corun/corun";
 *
 * const factor = 3;
 * await assert.rejects(toThread((n: number) => n * factor, 2), {
 *   message: /'factor' is not defined there/,
 * });
 * ```
 */
export function toThread<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: A
): Promise<Awaited<R>> {
  try {
    checkFunction(fn, "fn");
  } catch (error) {
    return Promise.reject(error);
  }
  defaultPool ??= new WorkerPool({ [JOB_KIND]: "toThread" } as WorkerPoolOptions);
  return defaultPool.run(fn, ...args);
}

/**
 * Library-internal (tests): close the default pool behind `toThread` and
 * forget it; the next `toThread` starts a new one.
 */
export function closeDefaultPool(): Promise<void> {
  const pool = defaultPool;
  defaultPool = undefined;
  return pool === undefined ? Promise.resolve() : pool.close();
}
