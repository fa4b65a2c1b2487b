/**
 * `Queue`: asyncio's queue, which never loses or duplicates an item when a
 * waiting `get()` or `put()` is cancelled.
 *
 * @module
 */
import { untilShutDown } from "./_shut_down_iterator.ts";
import { describe } from "./_validate.ts";
import type { QueueStore } from "./_queue_store.ts";
import { QueueCore } from "./_queue_core.ts";
import { inspectable, Items, MAX_ITEMS } from "./_inspect.ts";

/** What {@linkcode Queue.stats} reports. */
export interface QueueStats {
  /** Items in the queue. */
  size: number;
  /** The capacity (`0`: unbounded). */
  maxsize: number;
  /** Calls waiting in `get()`. */
  getters: number;
  /** Calls waiting in `put()`. */
  putters: number;
  /** Items put and not yet marked done with `taskDone()`. */
  unfinished: number;
  /** Whether `shutdown()` was called. */
  shutDown: boolean;
}

/** Library-internal: lets `LifoQueue` and `PriorityQueue` swap the store. */
export let queueInternals: {
  setStore<T>(queue: Queue<T>, store: QueueStore<T>, name: string): void;
};

/**
 * A first-in, first-out queue, like `asyncio.Queue`: `put` waits while the
 * queue is full (`maxsize > 0`), `get` waits while it is empty, both first
 * come, first served. `taskDone()` and `join()` track finished work,
 * `shutdown()` ends it (asyncio 3.13), and `for await (const item of queue)`
 * reads until the queue is shut down and drained.
 *
 * Cancellation: a `get()` cancelled while waiting never consumes an item and
 * a cancelled `put()` never inserts one, whatever the timing: an item handed
 * to a getter in the same instant it is cancelled goes to the next getter
 * (or back to the front of the queue). Each wait shows in the monitor as
 * `Queue.get`, `Queue.put` or `Queue.join`.
 *
 * @example Producer and consumer
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, Queue } from "@corun/corun";
 *
 * const queue = new Queue<number>(2);
 * const consumer = createTask(async () => {
 *   const seen: number[] = [];
 *   for await (const item of queue) {
 *     seen.push(item);
 *     queue.taskDone();
 *   }
 *   return seen;
 * });
 * for (const item of [1, 2, 3, 4]) await queue.put(item);
 * await queue.join();
 * queue.shutdown();
 * assert.deepEqual(await consumer, [1, 2, 3, 4]);
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #core: QueueCore<T>;

  /**
   * Create a queue.
   *
   * @param maxsize The capacity; `0` or less means unbounded.
   * @throws {RangeError} If `maxsize` is `NaN` or not an integer.
   */
  constructor(maxsize: number = 0) {
    if (typeof maxsize !== "number" || !Number.isInteger(maxsize)) {
      throw new RangeError(
        `maxsize must be an integer (<= 0: unbounded), got ${describe(maxsize)}`,
      );
    }
    this.#core = new QueueCore<T>(maxsize > 0 ? maxsize : 0);
  }

  /** The capacity; `0` means unbounded. */
  get maxsize(): number {
    return this.#core.maxsize;
  }

  /**
   * The number of items in the queue.
   *
   * @returns How many items `getNowait()` could take now.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<string>();
   * queue.putNowait("a");
   * assert.equal(queue.qsize(), 1);
   * assert.equal(queue.empty(), false);
   * ```
   */
  qsize(): number {
    return this.#core.store.size;
  }

  /**
   * Whether the queue is empty.
   *
   * @returns `true` if `get()` would wait.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * assert.equal(new Queue().empty(), true);
   * ```
   */
  empty(): boolean {
    return this.#core.store.size === 0;
  }

  /**
   * Whether the queue is full (never for an unbounded one). A slot whose item
   * is on its way to a waiter that has not resumed yet still counts.
   *
   * @returns `true` if `put()` would wait.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<number>(1);
   * queue.putNowait(1);
   * assert.equal(queue.full(), true);
   * ```
   */
  full(): boolean {
    return this.#core.full();
  }

  /**
   * Put an item, waiting (first come, first served) while the queue is full.
   *
   * @param item The item.
   * @returns A promise that resolves once the item is in the queue.
   * @throws {QueueShutDown} If the queue is or gets shut down first.
   * @throws {CancelledError} If the task is cancelled while waiting; the
   *   item is then not in the queue.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<string>(1);
   * await queue.put("a");
   * assert.equal(queue.full(), true);
   * ```
   */
  put(item: T): Promise<void> {
    return this.#core.put(item);
  }

  /**
   * Put an item without waiting.
   *
   * @param item The item.
   * @throws {QueueFull} If the queue is full.
   * @throws {QueueShutDown} If the queue is shut down.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue, QueueFull } from "@corun/corun";
   *
   * const queue = new Queue<number>(1);
   * queue.putNowait(1);
   * assert.throws(() => queue.putNowait(2), QueueFull);
   * ```
   */
  putNowait(item: T): void {
    this.#core.putNowait(item);
  }

  /**
   * Take the next item, waiting (first come, first served) while the queue
   * is empty.
   *
   * @returns A promise for the item.
   * @throws {QueueShutDown} If the queue is shut down and empty (at once
   *   after `shutdown(true)`).
   * @throws {CancelledError} If the task is cancelled while waiting; no item
   *   is consumed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<string>();
   * setTimeout(() => queue.putNowait("late"), 5);
   * assert.equal(await queue.get(), "late");
   * ```
   */
  get(): Promise<T> {
    return this.#core.get();
  }

  /**
   * Take the next item without waiting.
   *
   * @returns The item.
   * @throws {QueueEmpty} If the queue is empty.
   * @throws {QueueShutDown} If the queue is shut down and empty.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue, QueueEmpty } from "@corun/corun";
   *
   * assert.throws(() => new Queue().getNowait(), QueueEmpty);
   * ```
   */
  getNowait(): T {
    return this.#core.getNowait();
  }

  /**
   * Mark one item taken earlier as processed; `join()` returns once every
   * item put has been marked.
   *
   * @throws {InvalidStateError} If called more times than items were put.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { InvalidStateError, Queue } from "@corun/corun";
   *
   * const queue = new Queue<number>();
   * assert.throws(() => queue.taskDone(), InvalidStateError);
   * ```
   */
  taskDone(): void {
    this.#core.taskDone();
  }

  /**
   * Wait until every item put has been marked with `taskDone()`.
   *
   * @returns A promise that resolves when nothing is unfinished.
   * @throws {CancelledError} If the task is cancelled while waiting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * setTimeout(() => (queue.getNowait(), queue.taskDone()), 5);
   * await queue.join();
   * assert.equal(queue.stats().unfinished, 0);
   * ```
   */
  join(): Promise<void> {
    return this.#core.join();
  }

  /**
   * Shut the queue down (asyncio 3.13): later `put`s throw `QueueShutDown`,
   * `get` throws it once the queue is empty, and every blocked getter and
   * putter wakes with it. `immediate` also drops the queued items, counting
   * them as done, so `join()` returns once the items already taken are done.
   *
   * @param immediate Drop the queued items too.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue, QueueShutDown } from "@corun/corun";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.shutdown();
   * assert.equal(await queue.get(), 1);
   * await assert.rejects(queue.get(), QueueShutDown);
   * ```
   */
  shutdown(immediate: boolean = false): void {
    this.#core.shutdown(immediate);
  }

  /**
   * `for await (const item of queue)`: `get()` until the queue is shut down
   * and drained. Call `taskDone()` yourself if you use `join()`.
   *
   * @returns An async iterator over the items.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<string>();
   * queue.putNowait("a");
   * queue.putNowait("b");
   * queue.shutdown();
   * const seen: string[] = [];
   * for await (const item of queue) seen.push(item);
   * assert.deepEqual(seen, ["a", "b"]);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return untilShutDown(() => this.get());
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Size, capacity, waiting getters and putters, unfinished items.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Queue } from "@corun/corun";
   *
   * const queue = new Queue<number>(5);
   * queue.putNowait(1);
   * assert.equal(queue.stats().size, 1);
   * assert.equal(queue.stats().unfinished, 1);
   * ```
   */
  stats(): QueueStats {
    const core = this.#core;
    return {
      size: core.store.size,
      maxsize: core.maxsize,
      getters: core.getters.size,
      putters: core.putters.size,
      unfinished: core.unfinished,
      shutDown: core.shutdownState !== 0,
    };
  }

  static {
    inspectable(this, "Queue", (queue) => {
      const stats = queue.stats();
      return {
        size: stats.maxsize > 0 ? `${stats.size}/${stats.maxsize}` : stats.size,
        items: new Items(queue.#core.store.peek(MAX_ITEMS), stats.size),
        getters: stats.getters,
        putters: stats.putters,
        unfinished: stats.unfinished,
        shutDown: stats.shutDown || undefined,
      };
    });
    queueInternals = {
      setStore: (queue, store, name) => queue.#core.setStore(store, name),
    };
  }
}
