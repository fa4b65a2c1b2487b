/**
 * The helper tasks of a stream (`merge`'s pumps, `tee`'s reader): started
 * as children of the consuming task, cancelled together, waited for.
 */
import { CancelledError } from "./errors.ts";
import type { Wakeup } from "./_wakeup.ts";
import { type Task, taskInternals, type TaskObserver } from "./runtime/mod.ts";

/** A set of helper tasks; `wakeup` is notified whenever one ends. */
export class ChildTasks implements TaskObserver {
  /** The helper tasks that have not ended yet. */
  readonly live = new Set<Task<unknown>>();
  #stopping = false;

  /**
   * A set whose helpers report to `wakeup` and `onFailed`.
   *
   * @param wakeup Notified whenever a helper ends.
   * @param onFailed Told the error of a helper that failed.
   */
  constructor(
    readonly wakeup: Wakeup,
    readonly onFailed: (error: unknown) => void,
  ) {}

  /** Whether `cancelAll` was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Start `body` as a child of `owner` (or of no task). */
  spawn(owner: Task<unknown> | undefined, body: () => Promise<void>, name: string): Task<void> {
    const task = taskInternals.spawnChild(owner, body, { name }, this) as Task<void>;
    this.live.add(task);
    taskInternals.observe(task, this);
    return task;
  }

  taskSettled(settled: object): void {
    const task = settled as Task<unknown>;
    this.live.delete(task);
    const state = taskInternals.state(task);
    // A helper cancelled by us ends quietly; one that failed (or was
    // cancelled by its source) fails the stream.
    if (state === "failed" || (state === "cancelled" && !this.#stopping)) {
      this.onFailed(taskInternals.outcome(task).error);
    }
    this.wakeup.notify();
  }

  /** Cancel every live helper, each once; start no more. */
  cancelAll(message: string): void {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const task of [...this.live]) taskInternals.cancelWith(task, "parent", message);
  }

  /** Wait until every helper has ended; a second cancel of the waiter cannot cut this short. */
  async waitAll(): Promise<void> {
    let interrupted: unknown = null;
    while (this.live.size > 0) {
      try {
        await this.wakeup.wait();
      } catch (error) {
        interrupted ??= error;
      }
    }
    if (interrupted !== null) throw interrupted;
  }
}

/** An async iterator over a sync or async iterable. */
export function asyncIteratorOf<T>(iterable: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  const source = iterable as AsyncIterable<T>;
  if (typeof source[Symbol.asyncIterator] === "function") return source[Symbol.asyncIterator]();
  const sync = (iterable as Iterable<T>)[Symbol.iterator]();
  return {
    async next() {
      const result = sync.next();
      return result.done ? result : { done: false, value: await result.value };
    },
    return(value?: unknown) {
      sync.return?.();
      return Promise.resolve({ done: true, value });
    },
  } as AsyncIterator<T>;
}

/** Whether `value` is a sync or async iterable. */
export function isAnyIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  const v = value as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
  return v !== null && v !== undefined && typeof v !== "string" &&
    (typeof v[Symbol.asyncIterator] === "function" || typeof v[Symbol.iterator] === "function");
}

/**
 * A helper task's hold on a source iterator: `next()` remembers whether the
 * source is over (it ended, or threw on its own), and `close()` calls its
 * `return()` unless it is. A `next()` interrupted by the helpers' own
 * cancellation does not count as the source throwing: it is left mid-read
 * and must be closed, generator or not.
 */
export class SourceReader<T> {
  #over = false;

  /**
   * A reader of `iterator` for a helper of `helpers`.
   *
   * @param iterator The source.
   * @param helpers The helper set whose `cancelAll` interrupts the reads.
   */
  constructor(readonly iterator: AsyncIterator<T>, readonly helpers: ChildTasks) {}

  /** The source's next result. */
  async next(): Promise<IteratorResult<T>> {
    try {
      const result = await this.iterator.next();
      if (result.done) this.#over = true;
      return result;
    } catch (error) {
      if (!(this.helpers.stopping && error instanceof CancelledError)) this.#over = true;
      throw error;
    }
  }

  /** Call the source's `return()`, once, unless it is over. */
  async close(): Promise<void> {
    if (this.#over) return;
    this.#over = true;
    await this.iterator.return?.();
  }
}
