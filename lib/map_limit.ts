/**
 * `mapLimit`: map items through an async function, at most `limit` at once.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import { checkFunction, describe, unreadable } from "./_validate.ts";
import {
  type Blocker,
  currentTask,
  detachable,
  preferCancel,
  type Task,
  taskInternals,
  type TaskObserver,
} from "./runtime/mod.ts";
import { checkLimit, type MapLimitFn, mapLimitStream } from "./map_limit_stream.ts";

export type { MapLimitFn };
import { checkOptions, taskNameFor } from "./_task_like.ts";
import type { ProgressOptions } from "./progress.ts";

/** Options for {@linkcode mapLimit}. */
export interface MapLimitOptions {
  /**
   * Show a progress bar on stderr (when it is a terminal): its label, or
   * its options (`total` defaults to the number of items of an array).
   * @default {undefined}
   */
  progress?: string | ProgressOptions;
}

/**
 * Call `fn(item, index, signal)` for every item, never more than `limit` at
 * once, each call in a task of its own (named `<fn's name>[<index>]`, or
 * `mapLimit(<caller>)[<index>]` for an anonymous `fn`, so the monitor shows
 * them; the awaiting task shows `mapLimit(<limit>)`). Resolves
 * with the results in input order. The first failure (a `CancelledError` of
 * a call counts) cancels the calls still running, starts no more, and
 * rejects with that error once they have finished.
 *
 * Cancelling the awaiting task cancels every running call, waits for them
 * to finish and rejects with the task's `CancelledError`, also when a call
 * had already failed (that failure is then reported as never retrieved).
 *
 * An async iterable input (or a `progress` option) goes through
 * {@linkcode mapLimitStream}: the input is then read as calls finish (an
 * anonymous `fn`'s calls are then named `mapLimitStream(<caller>)[<index>]`).
 *
 * @param items The inputs: any iterable (read at once) or async iterable.
 * @param limit The most calls running at once: an integer >= 1, or `Infinity`.
 * @param fn Called with the item, its index and its task's `AbortSignal`.
 * @param options `progress`.
 * @returns The results, in the order of `items`.
 * @throws {unknown} The first error a call threw.
 * @throws {CancelledError} If the awaiting task was cancelled.
 * @throws {RangeError} If `limit` is not an integer >= 1 or `Infinity`.
 * @throws {TypeError} If `fn` is not a function, `items` is not iterable
 *   or `options` is malformed.
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
 *
 * @example Over an async iterable
 * ```ts
 * import { mapLimit } from "@corun/corun";
 *
 * async function* pages() {
 *   yield "a";
 *   yield "b";
 * }
 * const upper = await mapLimit(pages(), 2, (page) => page.toUpperCase());
 * if (upper.join() !== "A,B") throw new Error(upper.join());
 * ```
 */
export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: MapLimitFn<T, R>,
  options: MapLimitOptions = {},
): Promise<Awaited<R>[]> {
  let inputs: T[];
  try {
    const { progress } = checkOptions<MapLimitOptions>(options, "options", ["progress"]);
    if (isAsyncIterable(items) || progress !== undefined) {
      return collect(
        mapLimitStream(items, limit, fn, { ordered: true, bufferSize: Infinity, progress }),
      );
    }
    checkLimit(limit, "limit");
    checkFunction(fn, "fn");
    inputs = arrayOf(items);
  } catch (error) {
    return Promise.reject(error);
  }
  if (inputs.length === 0) return Promise.resolve([]);
  const awaiter = currentTask();
  let mapper!: Mapper<T, R>;
  const promise = new Promise<Awaited<R>[]>((resolve, reject) => {
    mapper = new Mapper(inputs, limit, fn, awaiter, resolve, reject);
    mapper.fill();
    mapper.block();
  });
  return detachable(promise, awaiter, mapper);
}

async function collect<R>(stream: AsyncIterable<R>): Promise<R[]> {
  const results: R[] = [];
  for await (const result of stream) results.push(result);
  return results;
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
    this.prefix = taskNameFor(fn, "mapLimit");
  }

  /** What the calls are named after: `<fn name>[<index>]`. */
  readonly prefix: string;

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
    // Children belong to the awaiting task, even when started from a
    // sibling's end (whose context is still the sibling's).
    while (!this.stopping && this.next < this.items.length && this.running.size < this.limit) {
      const index = this.next++;
      const item = this.items[index];
      const child = taskInternals.spawnChild(
        this.task,
        (signal) => this.fn(item, index, signal),
        { name: `${this.prefix}[${index}]` },
        this,
      ) as Task<Awaited<R>>;
      this.running.set(child, index);
      taskInternals.observe(child, this);
    }
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
      this.#stop(`${child.name} failed in mapLimit`);
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

/** Whether `items` is async iterable, read without trusting it. */
function isAsyncIterable(items: unknown): boolean {
  try {
    const source = items as { [Symbol.asyncIterator]?: unknown } | null | undefined;
    return typeof source?.[Symbol.asyncIterator] === "function";
  } catch (error) {
    throw unreadable("items", items, error);
  }
}

/** The items of a sync iterable, or a `TypeError` naming `items`. */
function arrayOf<T>(items: unknown): T[] {
  let iterable: boolean;
  try {
    iterable = items !== null && items !== undefined &&
      typeof (items as Iterable<T>)[Symbol.iterator] === "function";
  } catch (error) {
    throw unreadable("items", items, error);
  }
  // What the iterator itself throws is the caller's error, passed on as it is.
  if (iterable) return Array.from(items as Iterable<T>);
  throw new TypeError(`items must be iterable, got ${describe(items)}`);
}
