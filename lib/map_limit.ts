/**
 * `mapLimit`: map items through an async function, at most `limit` at once.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import { checkFunction, describe } from "./_validate.ts";
import type { Blocker, TaskObserver } from "./runtime/blocker.ts";
import { taskContext } from "./runtime/context.ts";
import { currentTask, preferCancel, type Task, taskInternals } from "./task.ts";

/** What `mapLimit` calls for each item; it runs as a task of its own. */
export type MapLimitFn<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

/**
 * Call `fn(item, index, signal)` for every item, never more than `limit` at
 * once, each call in a task of its own (named `mapLimit[<index>]`, so the
 * monitor shows them; the awaiting task shows `mapLimit(<limit>)`). Resolves
 * with the results in input order. The first failure (a `CancelledError` of
 * a call counts) cancels the calls still running, starts no more, and
 * rejects with that error once they have finished.
 *
 * Cancelling the awaiting task cancels every running call, waits for them
 * to finish and rejects with the task's `CancelledError`, also when a call
 * had already failed (that failure is then reported as never retrieved).
 *
 * @param items The inputs (any iterable; read at once).
 * @param limit The most calls running at once: an integer >= 1, or `Infinity`.
 * @param fn Called with the item, its index and its task's `AbortSignal`.
 * @returns The results, in the order of `items`.
 * @throws {unknown} The first error a call threw.
 * @throws {CancelledError} If the awaiting task was cancelled.
 * @throws {RangeError} If `limit` is not an integer >= 1 or `Infinity`.
 * @throws {TypeError} If `fn` is not a function or `items` is not iterable.
 *
 * @example Three at a time, results in order
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapLimit, sleep } from "@corun/corun";
 *
 * let running = 0;
 * let most = 0;
 * const doubled = await mapLimit([1, 2, 3, 4, 5, 6], 3, async (n) => {
 *   most = Math.max(most, ++running);
 *   await sleep(10 - n);
 *   running--;
 *   return n * 2;
 * });
 * assert.deepEqual(doubled, [2, 4, 6, 8, 10, 12]);
 * assert.equal(most, 3);
 * ```
 */
export function mapLimit<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: MapLimitFn<T, R>,
): Promise<Awaited<R>[]> {
  let inputs: T[];
  try {
    if (
      limit !== Infinity && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1)
    ) {
      throw new RangeError(`limit must be an integer >= 1 or Infinity, got ${describe(limit)}`);
    }
    checkFunction(fn, "fn");
    if (items === null || items === undefined || typeof items[Symbol.iterator] !== "function") {
      throw new TypeError(`items must be iterable, got ${describe(items)}`);
    }
    inputs = Array.from(items);
  } catch (error) {
    return Promise.reject(error);
  }
  if (inputs.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const mapper = new Mapper(inputs, limit, fn, currentTask(), resolve, reject);
    mapper.fill();
    mapper.block();
  });
}

/**
 * One `mapLimit` call: the blocker of the awaiting task and the observer of
 * its calls. After the first failure or a cancel it is stopping: it starts
 * no more calls and settles once the running ones have finished.
 */
class Mapper<T, R> implements Blocker, TaskObserver {
  readonly results: Awaited<R>[] = [];
  /** The running calls and their indexes. */
  readonly running = new Map<Task<Awaited<R>>, number>();
  next = 0;
  /** The first call that failed or was cancelled on its own. */
  failed: Task<Awaited<R>> | null = null;
  /** The awaiting task's cancellation: it wins over a failure. */
  cancelError: CancelledError | null = null;

  constructor(
    readonly items: T[],
    readonly limit: number,
    readonly fn: MapLimitFn<T, R>,
    readonly task: Task<unknown> | undefined,
    readonly resolve: (results: Awaited<R>[]) => void,
    readonly reject: (error: unknown) => void,
  ) {
    this.results.length = items.length;
  }

  get label(): string {
    return `mapLimit(${this.limit})`;
  }

  get stopping(): boolean {
    return this.failed !== null || this.cancelError !== null;
  }

  block(): void {
    if (this.task !== undefined && this.running.size > 0) taskInternals.block(this.task, this);
  }

  /** Start calls up to the limit, as children of the awaiting task. */
  fill(): void {
    const start = (): void => {
      while (!this.stopping && this.next < this.items.length && this.running.size < this.limit) {
        const index = this.next++;
        const item = this.items[index];
        const child = taskInternals.spawn(
          (signal) => this.fn(item, index, signal),
          { name: `mapLimit[${index}]` },
        ) as Task<Awaited<R>>;
        this.running.set(child, index);
        taskInternals.observe(child, this);
      }
    };
    // Children belong to the awaiting task, even when started from a
    // sibling's end (whose context is still the sibling's).
    if (this.task !== undefined) taskContext.run(this.task, start);
    else taskContext.exit(start);
  }

  cancel(error: CancelledError): void {
    const stopping = this.stopping;
    this.cancelError = preferCancel(this.cancelError, error);
    if (!stopping) this.#stop(error.message);
  }

  taskSettled(settled: object): void {
    const child = settled as Task<Awaited<R>>;
    const index = this.running.get(child) as number;
    this.running.delete(child);
    if (taskInternals.state(child) === "done") {
      this.results[index] = taskInternals.outcome(child).value as Awaited<R>;
    } else if (!this.stopping) {
      this.failed = child;
      this.#stop(`mapLimit[${index}] failed`);
    }
    if (!this.stopping) this.fill();
    if (this.running.size > 0) return;
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
    // Failures not rejected with stay unretrieved: the run reports them.
    if (this.cancelError !== null) this.reject(this.cancelError);
    else if (this.failed !== null) this.reject(taskInternals.outcome(this.failed).error);
    else this.resolve(this.results);
  }

  /** Cancel the running calls, each once (a second cancel would interrupt its cleanup). */
  #stop(message: string): void {
    for (const child of [...this.running.keys()]) {
      taskInternals.cancelWith(child, "parent", message);
    }
  }
}
