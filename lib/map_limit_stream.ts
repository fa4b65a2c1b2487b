/**
 * `mapLimitStream`: a bounded concurrent map that yields results as they come.
 *
 * @module
 */
import { Deque } from "./_deque.ts";
import { checkOptions, taskNameFor } from "./_task_like.ts";
import { checkFunction, describe } from "./_validate.ts";
import { Wakeup } from "./_wakeup.ts";
import { checkProgressOptions, ProgressBar, type ProgressOptions } from "./progress.ts";
import { currentTask, type Task, taskInternals, type TaskObserver } from "./runtime/mod.ts";
import { CancelledError } from "./errors.ts";

/** What `mapLimit` and `mapLimitStream` call for each item; it runs as a task of its own. */
export type MapLimitFn<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;
/** Options for {@linkcode mapLimitStream}. */
export interface MapLimitStreamOptions {
  /**
   * Yield results in input order instead of completion order.
   * @default {false}
   */
  ordered?: boolean;
  /**
   * Yield a failed call's error (a thrown non-`Error` as it is) in its
   * place and go on, instead of stopping at the first failure.
   * @default {false}
   */
  returnExceptions?: boolean;
  /**
   * The most finished results kept while the loop body is busy; no new call
   * starts while the buffer is full. An integer >= 1 or `Infinity`.
   * @default {limit}
   */
  bufferSize?: number;
  /**
   * Show a progress bar: its label, or its options (`total` defaults to the
   * length of an array input).
   * @default {undefined}
   */
  progress?: string | ProgressOptions;
}

/**
 * Call `fn(item, index, signal)` for every item of a sync or async
 * iterable, never more than `limit` at once, and yield the results while
 * the calls run: in completion order, or in input order with `ordered`.
 * Like Deno std's `pooledMap`, done the corun way: each call is a task, a
 * child of the consuming task, named `<fn's name>[<index>]` (or
 * `mapLimitStream(<consumer>)[<index>]` for an anonymous `fn`); the
 * consumer shows `mapLimitStream(<limit>)` in the monitor while it waits.
 *
 * The input is read lazily with back-pressure: an item is taken only when
 * fewer than `limit` calls run and fewer than `bufferSize` results wait to
 * be consumed. An async input (a `Queue`, the lines of a file, pages of an
 * API) is read by a task named `mapLimitStream.source`.
 *
 * The first failure (a call's own `CancelledError` counts, as does an error
 * of the input) cancels the calls still running and is thrown by the
 * iterator once they have finished; results not consumed yet are dropped.
 * With `returnExceptions` the error is yielded in place and the map goes on.
 * Leaving the `for await` early (`break`, an error in the loop body) or
 * cancelling the consuming task cancels the calls in flight, waits for them
 * and closes the input (its `return()`). An async input blocked in a
 * promise corun cannot interrupt is waited for.
 *
 * @param items The inputs: any iterable or async iterable.
 * @param limit The most calls running at once: an integer >= 1, or `Infinity`.
 * @param fn Called with the item, its index and its task's `AbortSignal`.
 * @param options `ordered`, `returnExceptions`, `bufferSize`, `progress`.
 * @returns An async iterator of the results.
 * @throws {RangeError} If `limit` or `bufferSize` is not an integer >= 1 or `Infinity`.
 * @throws {TypeError} If `items` is not iterable, `fn` not a function, or the options malformed.
 *
 * @example Fastest first, three at a time
 * ```ts
 * import { mapLimitStream, sleep } from "@corun/corun";
 *
 * const seen: number[] = [];
 * for await (const ms of mapLimitStream([30, 10, 20], 3, (ms) => sleep(ms, ms))) seen.push(ms);
 * if (seen.join() !== "10,20,30") throw new Error(seen.join());
 * ```
 *
 * @example In input order, from an async source, leaving early
 * ```ts
 * import { mapLimitStream, sleep } from "@corun/corun";
 *
 * async function* numbers() {
 *   for (let n = 1; ; n++) yield n;
 * }
 * const squares: number[] = [];
 * for await (const sq of mapLimitStream(numbers(), 4, async (n) => {
 *   await sleep(5 - (n % 5));
 *   return n * n;
 * }, { ordered: true })) {
 *   squares.push(sq);
 *   if (squares.length === 5) break; // cancels the calls in flight
 * }
 * if (squares.join() !== "1,4,9,16,25") throw new Error(squares.join());
 * ```
 */
export function mapLimitStream<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: MapLimitFn<T, R>,
  options?: MapLimitStreamOptions & { returnExceptions?: false },
): AsyncIterableIterator<Awaited<R>>;
/**
 * The settled form (`returnExceptions: true`, like std's
 * `pooledMapSettled`, or a flag known only at run time): a failed call's
 * error is yielded in its place and the map goes on.
 *
 * @param items The inputs: any iterable or async iterable.
 * @param limit The most calls running at once: an integer >= 1, or `Infinity`.
 * @param fn Called with the item, its index and its task's `AbortSignal`.
 * @param options `returnExceptions`, `ordered`, `bufferSize`, `progress`.
 * @returns An async iterator of results and errors.
 * @throws {RangeError} If `limit` or `bufferSize` is not an integer >= 1 or `Infinity`.
 * @throws {TypeError} If `items` is not iterable, `fn` not a function, or the options malformed.
 *
 * @example Going on past a failure
 * ```ts
 * import { mapLimitStream } from "@corun/corun";
 *
 * const seen: string[] = [];
 * const stream = mapLimitStream([1, 2, 3], 2, (n) => {
 *   if (n === 2) throw new Error("two failed");
 *   return String(n);
 * }, { ordered: true, returnExceptions: true });
 * for await (const r of stream) seen.push(r instanceof Error ? r.message : r);
 * if (seen.join() !== "1,two failed,3") throw new Error(seen.join());
 * ```
 */
export function mapLimitStream<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: MapLimitFn<T, R>,
  options: MapLimitStreamOptions,
): AsyncIterableIterator<Awaited<R> | Error>;
export function mapLimitStream<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: MapLimitFn<T, R>,
  options: MapLimitStreamOptions = {},
): AsyncIterableIterator<Awaited<R> | Error> {
  checkLimit(limit, "limit");
  checkFunction(fn, "fn");
  const source = items as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
  const isAsync = source !== null && source !== undefined &&
    typeof source[Symbol.asyncIterator] === "function";
  if (!isAsync && (source === null || typeof source?.[Symbol.iterator] !== "function")) {
    throw new TypeError(`items must be iterable or async iterable, got ${describe(items)}`);
  }
  const opts = checkOptions<MapLimitStreamOptions>(options, "options");
  const bufferSize = opts.bufferSize ?? limit;
  checkLimit(bufferSize, "options.bufferSize");
  for (const flag of ["ordered", "returnExceptions"] as const) {
    if (opts[flag] !== undefined && typeof opts[flag] !== "boolean") {
      throw new TypeError(`options.${flag} must be a boolean, got ${describe(opts[flag])}`);
    }
  }
  const progress = opts.progress === undefined ? null : checkProgressOptions(
    opts.progress,
    "options.progress",
    Array.isArray(items) ? items.length : undefined,
  );
  const mapper = new StreamMapper<T, R>(items, isAsync, limit, bufferSize, fn, opts, progress);
  return mapper.results();
}

/** A `RangeError` unless `value` is an integer >= 1 or `Infinity`. */
export function checkLimit(value: unknown, argument: string): void {
  if (
    value !== Infinity && (typeof value !== "number" || !Number.isInteger(value) || value < 1)
  ) {
    throw new RangeError(`${argument} must be an integer >= 1 or Infinity, got ${describe(value)}`);
  }
}

type Outcome<R> = { ok: true; value: Awaited<R> } | { ok: false; error: unknown };

class StreamMapper<T, R> implements TaskObserver {
  readonly #running = new Map<Task<Awaited<R>>, number>();
  /** Finished calls not yet yielded: in completion order, or by index. */
  readonly #finished = new Deque<Outcome<R>>();
  readonly #byIndex = new Map<number, Outcome<R>>();
  #nextYield = 0;
  #nextIndex = 0;
  #exhausted = false;
  #stopping = false;
  #failure: { error: unknown } | null = null;
  #consumer: Task<unknown> | undefined;
  #syncIterator: Iterator<T> | null = null;
  #feeder: Task<void> | null = null;
  /** The feeder has taken an item out of the source and not started it yet. */
  #pulling = false;
  readonly #wakeup: Wakeup;
  readonly #room: Wakeup;
  /** Made when the iteration starts, so that a stream never read leaves no bar behind. */
  bar: ProgressBar | null = null;
  /** The calls' name before `[index]`, fixed in the consumer's context. */
  #callName = "mapLimitStream";

  constructor(
    readonly items: Iterable<T> | AsyncIterable<T>,
    readonly isAsync: boolean,
    readonly limit: number,
    readonly bufferSize: number,
    readonly fn: MapLimitFn<T, R>,
    readonly options: Partial<MapLimitStreamOptions>,
    readonly progress: ProgressOptions | null,
  ) {
    this.#wakeup = new Wakeup(`mapLimitStream(${limit})`);
    this.#room = new Wakeup(`mapLimitStream(${limit}) buffer full`);
  }

  get #buffered(): number {
    return this.options.ordered ? this.#byIndex.size : this.#finished.size;
  }

  #hasRoom(): boolean {
    return !this.#stopping && !this.#exhausted &&
      this.#running.size + (this.#pulling ? 1 : 0) < this.limit &&
      this.#buffered < this.bufferSize;
  }

  async *results(): AsyncGenerator<Awaited<R>> {
    this.#consumer = currentTask();
    this.#callName = taskNameFor(this.fn, "mapLimitStream");
    if (this.progress !== null) this.bar = new ProgressBar(this.progress);
    try {
      this.#fill();
      while (true) {
        const outcome = this.#take();
        if (outcome === null) {
          if (this.#failure !== null) throw this.#failure.error;
          if (this.#exhausted && this.#running.size === 0 && !this.#pulling) return;
          await this.#wakeup.wait();
          continue;
        }
        this.#fill();
        if (outcome.ok) yield outcome.value;
        else yield outcome.error as Awaited<R>;
      }
    } finally {
      await this.#shutdown();
    }
  }

  #take(): Outcome<R> | null {
    if (this.#failure !== null) return null;
    if (!this.options.ordered) return this.#finished.popFront() ?? null;
    const outcome = this.#byIndex.get(this.#nextYield);
    if (outcome === undefined) return null;
    this.#byIndex.delete(this.#nextYield++);
    return outcome;
  }

  /** Start calls while there is room: from a sync source here, else through the feeder. */
  #fill(): void {
    if (this.isAsync) {
      if (this.#feeder === null) this.#startFeeder();
      else if (this.#hasRoom()) this.#room.notify();
      return;
    }
    this.#syncIterator ??= (this.items as Iterable<T>)[Symbol.iterator]();
    while (this.#hasRoom()) {
      let next: IteratorResult<T>;
      try {
        next = this.#syncIterator.next();
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (next.done) this.#exhausted = true;
      else this.#start(next.value);
    }
  }

  #startFeeder(): void {
    const iterator = (this.items as AsyncIterable<T>)[Symbol.asyncIterator]();
    this.#feeder = this.#spawn(async () => {
      try {
        while (true) {
          while (!this.#hasRoom()) {
            if (this.#stopping) return;
            await this.#room.wait();
          }
          this.#pulling = true;
          const next = await iterator.next();
          this.#pulling = false;
          if (next.done) {
            this.#exhausted = true;
            return;
          }
          this.#start(next.value);
        }
      } finally {
        this.#pulling = false;
        if (!this.#exhausted) await iterator.return?.();
      }
    }, "mapLimitStream.source");
    taskInternals.observe(this.#feeder, this);
  }

  #spawn<V>(body: (signal: AbortSignal) => V | PromiseLike<V>, name: string): Task<V> {
    // Children of the consumer, even when started from a call's end.
    return taskInternals.spawnChild(this.#consumer, body, { name }, this) as Task<V>;
  }

  #start(item: T): void {
    const index = this.#nextIndex++;
    const child = this.#spawn(
      (signal) => this.fn(item, index, signal),
      `${this.#callName}[${index}]`,
    ) as Task<Awaited<R>>;
    this.#running.set(child, index);
    this.bar?.start();
    taskInternals.observe(child, this);
  }

  taskSettled(settled: object): void {
    if (settled === this.#feeder) {
      if (taskInternals.state(this.#feeder) === "failed") {
        this.#fail(taskInternals.outcome(this.#feeder).error);
      }
      this.#wakeup.notify();
      return;
    }
    const child = settled as Task<Awaited<R>>;
    const index = this.#running.get(child) as number;
    this.#running.delete(child);
    const { state, value, error } = this.#stopping
      ? { state: "stopped", value: undefined, error: undefined }
      : taskInternals.outcome(child);
    if (state === "stopped") {
      this.#wakeup.notify();
      return;
    }
    const ok = state === "done";
    this.bar?.finish(ok);
    let outcome: Outcome<R>;
    if (ok) outcome = { ok: true, value: value as Awaited<R> };
    else {
      const thrown = state === "cancelled" ? error ?? new CancelledError() : error;
      if (!this.options.returnExceptions) return this.#fail(thrown);
      outcome = { ok: false, error: thrown };
    }
    if (this.options.ordered) this.#byIndex.set(index, outcome);
    else this.#finished.pushBack(outcome);
    this.#wakeup.notify();
    this.#fill();
  }

  #fail(error: unknown): void {
    if (this.#stopping) return;
    this.#failure = { error };
    this.#stop("mapLimitStream: a call failed");
    this.#wakeup.notify();
  }

  /** Start nothing more; cancel the calls and the feeder, each once. */
  #stop(message: string): void {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const child of [...this.#running.keys()]) {
      taskInternals.cancelWith(child, "parent", message);
    }
    const feeder = this.#feeder;
    if (feeder !== null && !feeder.done()) taskInternals.cancelWith(feeder, "parent", message);
    this.#room.notify();
  }

  /** Cancel what still runs, wait for it, close the source. A second cancel cannot cut it short. */
  async #shutdown(): Promise<void> {
    this.#stop("mapLimitStream() loop left early");
    let interrupted: unknown = null;
    while (this.#running.size > 0 || (this.#feeder !== null && !this.#feeder.done())) {
      try {
        await this.#wakeup.wait();
      } catch (error) {
        interrupted ??= error;
      }
    }
    this.bar?.close();
    if (this.#syncIterator !== null && !this.#exhausted) this.#syncIterator.return?.();
    if (interrupted !== null) throw interrupted;
  }
}
