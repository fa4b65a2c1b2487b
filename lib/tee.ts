/**
 * `tee`: split one async iterable into several, with a bounded buffer.
 *
 * @module
 */
import { asyncIteratorOf, ChildTasks, isAnyIterable, SourceReader } from "./_child_tasks.ts";
import { Deque } from "./_deque.ts";
import { checkOptions } from "./_task_like.ts";
import { describe } from "./_validate.ts";
import { Wakeup } from "./_wakeup.ts";
import { checkLimit } from "./map_limit_stream.ts";
import { currentTask, type Task } from "./runtime/mod.ts";

/** Options for {@linkcode tee}. */
export interface TeeOptions {
  /**
   * The most values a branch may fall behind the fastest one; the source is
   * not read further until the slowest branch catches up. An integer >= 1
   * or `Infinity` (std's unbounded `tee`).
   * @default {16}
   */
  bufferSize?: number;
}

/**
 * Split `iterable` into `n` async iterators that each yield every value,
 * like std's `tee`, with back-pressure: the source is read by one task
 * (`tee.source`, a child of the first branch's consumer) only while every
 * open branch has fewer than `bufferSize` values waiting. An error of the
 * source is thrown by each branch after the values before it.
 *
 * A branch left early (`break`, `return()`) stops counting; once every
 * branch is closed, the reader is cancelled and the source closed
 * (`return()`, also when the reader was waiting in the source's `next()`),
 * and the last branch's `return()` waits for that.
 *
 * Read the branches side by side (in tasks of their own, `gather`, or
 * alternately): a branch read more than `bufferSize` values ahead of an
 * open one waits until that one is read. Reading one branch to its end and
 * only then the next, in the same task, therefore hangs as soon as the
 * source has more than `bufferSize` values (use `bufferSize: Infinity`
 * for that, or close the branches you do not read). Such a wait shows in
 * the monitor as `tee[<i>]: branch <j> not read, <bufferSize> values
 * buffered`.
 *
 * @param iterable The source: an async or sync iterable.
 * @param n How many branches: an integer >= 1.
 * @param options `bufferSize`.
 * @returns `n` async iterators.
 * @throws {TypeError} If `iterable` is not iterable or `options` malformed.
 * @throws {RangeError} If `n` or `bufferSize` is out of range.
 *
 * @example Two consumers of one source
 * ```ts
 * import { gather, tee } from "@corun/corun";
 *
 * async function* numbers() {
 *   yield* [1, 2, 3];
 * }
 * async function sum(values: AsyncIterable<number>): Promise<number> {
 *   let total = 0;
 *   for await (const v of values) total += v;
 *   return total;
 * }
 * const [a, b] = tee(numbers(), 2);
 * const [x, y] = await gather(() => sum(a), () => sum(b));
 * if (x !== 6 || y !== 6) throw new Error(`${x} ${y}`);
 * ```
 */
export function tee<T>(
  iterable: Iterable<T> | AsyncIterable<T>,
  n: number = 2,
  options: TeeOptions = {},
): AsyncIterableIterator<Awaited<T>>[] {
  if (!isAnyIterable(iterable)) {
    throw new TypeError(
      `iterable must be an iterable or async iterable, got ${describe(iterable)}`,
    );
  }
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`n must be an integer >= 1, got ${describe(n)}`);
  }
  const bufferSize = checkOptions<TeeOptions>(options, "options").bufferSize ?? 16;
  checkLimit(bufferSize, "options.bufferSize");
  const splitter = new Splitter<Awaited<T>>(iterable as AsyncIterable<Awaited<T>>, n, bufferSize);
  return Array.from({ length: n }, (_, i) => splitter.branch(i));
}

class Splitter<T> {
  readonly #buffers: Deque<T>[];
  readonly #open: boolean[];
  readonly #waiting: Wakeup[];
  readonly #readerWake = new Wakeup("tee: branches full");
  readonly #ended = new Wakeup("tee: closing");
  readonly #readers: ChildTasks;
  #reader: Task<void> | null = null;
  #wanted = false;
  #done = false;
  #failure: { error: unknown } | null = null;

  constructor(
    readonly source: AsyncIterable<T> | Iterable<T>,
    n: number,
    readonly bufferSize: number,
  ) {
    this.#buffers = Array.from({ length: n }, () => new Deque<T>());
    this.#open = Array.from({ length: n }, () => true);
    this.#waiting = Array.from({ length: n }, (_, i) => new Wakeup(`tee[${i}]`));
    this.#readers = new ChildTasks(this.#ended, (error) => {
      this.#failure ??= { error };
      this.#finish();
    });
  }

  /** Close branch `index`; the last one to close stops the reader and waits for it. */
  async #close(index: number): Promise<void> {
    if (!this.#open[index]) return;
    this.#open[index] = false;
    this.#buffers[index].clear();
    this.#readerWake.notify();
    if (this.#open.every((open) => !open)) {
      this.#readers.cancelAll("tee(): every branch closed");
      await this.#readers.waitAll();
    }
  }

  branch(index: number): AsyncIterableIterator<T> {
    const generator = this.#branch(index);
    const close = () => this.#close(index);
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => generator.next(),
      return: async (value?: unknown) => {
        await generator.return(undefined);
        await close();
        return { done: true, value: value as T };
      },
      throw: (error?: unknown) => generator.throw(error),
    } as AsyncIterableIterator<T>;
  }

  async *#branch(index: number): AsyncGenerator<T> {
    const buffer = this.#buffers[index];
    try {
      while (true) {
        if (buffer.size > 0) {
          const value = buffer.popFront() as T;
          this.#readerWake.notify();
          yield value;
          continue;
        }
        if (this.#done) {
          if (this.#failure !== null) throw this.#failure.error;
          return;
        }
        this.#wanted = true;
        this.#startReader();
        this.#readerWake.notify();
        const waiting = this.#waiting[index];
        const full = this.#fullBranch();
        waiting.label = full < 0
          ? `tee[${index}]`
          : `tee[${index}]: branch ${full} not read, ${this.bufferSize} values buffered`;
        await waiting.wait();
      }
    } finally {
      // Also when the consumer is cancelled while waiting here (for await
      // does not call return() then).
      await this.#close(index);
    }
  }

  #hasRoom(): boolean {
    return this.#fullBranch() < 0;
  }

  /** An open branch whose buffer is full (the reader waits for it), or -1. */
  #fullBranch(): number {
    for (let i = 0; i < this.#buffers.length; i++) {
      if (this.#open[i] && this.#buffers[i].size >= this.bufferSize) return i;
    }
    return -1;
  }

  #startReader(): void {
    if (this.#reader !== null) return;
    this.#reader = this.#readers.spawn(currentTask(), async () => {
      const source = new SourceReader(asyncIteratorOf(this.source), this.#readers);
      try {
        while (true) {
          while (!(this.#wanted && this.#hasRoom())) {
            if (this.#open.every((open) => !open)) return;
            await this.#readerWake.wait();
          }
          this.#wanted = false;
          const result = await source.next();
          if (result.done) {
            this.#finish();
            return;
          }
          for (let i = 0; i < this.#buffers.length; i++) {
            if (this.#open[i]) this.#buffers[i].pushBack(result.value);
          }
          for (const wakeup of this.#waiting) if (wakeup.waiting) wakeup.notify();
        }
      } finally {
        await source.close();
      }
    }, "tee.source");
  }

  #finish(): void {
    this.#done = true;
    for (const wakeup of this.#waiting) if (wakeup.waiting) wakeup.notify();
  }
}
