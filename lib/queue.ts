/**
 * `Queue`: asyncio's queue, which never loses or duplicates an item when a
 * waiting `get()` or `put()` is cancelled.
 *
 * @module
 */
import { InvalidStateError, QueueEmpty, QueueFull, QueueShutDown } from "./errors.ts";
import { describe } from "./_validate.ts";
import { FifoStore, type QueueStore } from "./_queue_store.ts";
import { enqueue, takePendingCancel, type Waiter, WaiterList } from "./_waiter_list.ts";
import { currentTask } from "./task.ts";
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
  readonly #maxsize: number;
  #store: QueueStore<T> = new FifoStore<T>();
  #labels = labelsFor("Queue");
  #getters = new WaiterList();
  #putters = new WaiterList();
  #joiners = new WaiterList();
  /** Slots taken by items between the queue and a waiter that has not resumed yet. */
  #held = 0;
  #unfinished = 0;
  /** 0 open, 1 shut down, 2 shut down immediately. */
  #shutdown = 0;
  /** A getter's `value` is the (still wrapped) entry it was handed. */
  #getterOwner = {
    delivered: (getter: Waiter): void => {
      this.#held--;
      getter.value = this.#store.unwrap(getter.value);
      this.#wakePutters();
    },
    giveBack: (getter: Waiter): void => {
      this.#held--;
      if (this.#shutdown === 2) this.#finishOne(); // dropped like the other queued items
      else if (!this.#handToGetter(getter.value)) this.#store.restore(getter.value);
    },
  };
  /** A putter's `value` is its item; it is granted a slot. */
  #putterOwner = {
    delivered: (putter: Waiter): void => {
      this.#held--;
      const item = putter.value as T;
      putter.value = undefined;
      if (this.#shutdown !== 0) throw new QueueShutDown(); // rejects the put
      else this.#insert(this.#store.wrap(item));
    },
    giveBack: (): void => {
      this.#held--;
      if (this.#shutdown === 0) this.#wakePutters();
    },
  };

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
    this.#maxsize = maxsize > 0 ? maxsize : 0;
  }

  /** The capacity; `0` means unbounded. */
  get maxsize(): number {
    return this.#maxsize;
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
    return this.#store.size;
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
    return this.#store.size === 0;
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
    return this.#maxsize > 0 && this.#store.size + this.#held >= this.#maxsize;
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
    if (this.#shutdown !== 0) return Promise.reject(new QueueShutDown());
    const task = currentTask();
    if (this.#putters.size > 0 || this.full()) {
      return enqueue(this.#putters, this.#labels.put, this.#putterOwner, item, task);
    }
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    this.#insert(this.#store.wrap(item));
    return Promise.resolve();
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
    if (this.#shutdown !== 0) throw new QueueShutDown();
    if (this.#putters.size > 0 || this.full()) throw new QueueFull();
    this.#insert(this.#store.wrap(item));
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
    const task = currentTask();
    if (this.#store.size > 0) {
      const cancelled = takePendingCancel(task);
      if (cancelled !== null) return Promise.reject(cancelled);
      return Promise.resolve(this.#take());
    }
    if (this.#shutdown !== 0) return Promise.reject(new QueueShutDown());
    return enqueue(this.#getters, this.#labels.get, this.#getterOwner, undefined, task);
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
    if (this.#store.size === 0) {
      throw this.#shutdown !== 0 ? new QueueShutDown() : new QueueEmpty();
    }
    return this.#take();
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
    if (this.#unfinished === 0) {
      throw new InvalidStateError("Queue.taskDone(): called more times than items were put");
    }
    this.#finishOne();
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
    const task = currentTask();
    if (this.#unfinished > 0) {
      return enqueue(this.#joiners, this.#labels.join, null, undefined, task);
    }
    const cancelled = takePendingCancel(task);
    return cancelled === null ? Promise.resolve() : Promise.reject(cancelled);
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
    if (immediate) {
      this.#shutdown = 2;
      // taskDone() may have run ahead of get(): never below 0.
      this.#unfinished = Math.max(0, this.#unfinished - this.#store.size);
      this.#store.clear();
      if (this.#unfinished === 0) this.#wakeJoiners();
    } else if (this.#shutdown === 0) {
      this.#shutdown = 1;
    }
    this.#getters.failAll(() => new QueueShutDown());
    this.#putters.failAll(() => new QueueShutDown());
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
    const iterator: AsyncIterableIterator<T> = {
      next: () =>
        this.get().then(
          (value): IteratorResult<T> => ({ value, done: false }),
          (error): IteratorResult<T> => {
            if (error instanceof QueueShutDown) return { value: undefined, done: true };
            throw error;
          },
        ),
      return: (value?: unknown) =>
        Promise.resolve({ value, done: true } as IteratorReturnResult<unknown>),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
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
    return {
      size: this.#store.size,
      maxsize: this.#maxsize,
      getters: this.#getters.size,
      putters: this.#putters.size,
      unfinished: this.#unfinished,
      shutDown: this.#shutdown !== 0,
    };
  }

  #take(): T {
    const entry = this.#store.take();
    this.#wakePutters();
    return this.#store.unwrap(entry);
  }

  /** A new item: to the first getter, or into the store. */
  #insert(entry: unknown): void {
    // A PriorityQueue's order may throw in add(): then nothing changed.
    if (!this.#handToGetter(entry)) this.#store.add(entry);
    this.#unfinished++;
  }

  /** Grant `entry` to the first getter; `false` if none waits. */
  #handToGetter(entry: unknown): boolean {
    const getter = this.#getters.shift();
    if (getter === null) return false;
    this.#held++;
    getter.grant(entry);
    return true;
  }

  #wakePutters(): void {
    while (this.#putters.size > 0 && !this.full()) {
      const putter = this.#putters.shift() as Waiter;
      this.#held++;
      putter.grant(putter.value);
    }
  }

  #wakeJoiners(): void {
    for (let joiner = this.#joiners.shift(); joiner !== null; joiner = this.#joiners.shift()) {
      joiner.grant(undefined);
    }
  }

  #finishOne(): void {
    if (this.#unfinished > 0) this.#unfinished--;
    if (this.#unfinished === 0) this.#wakeJoiners();
  }

  static {
    inspectable(this, "Queue", (queue) => {
      const stats = queue.stats();
      return {
        size: stats.maxsize > 0 ? `${stats.size}/${stats.maxsize}` : stats.size,
        items: new Items(queue.#store.peek(MAX_ITEMS), stats.size),
        getters: stats.getters,
        putters: stats.putters,
        unfinished: stats.unfinished,
        shutDown: stats.shutDown || undefined,
      };
    });
    queueInternals = {
      setStore(queue, store, name) {
        queue.#store = store;
        queue.#labels = labelsFor(name);
      },
    };
  }
}

function labelsFor(name: string): { get: string; put: string; join: string } {
  return { get: `${name}.get`, put: `${name}.put`, join: `${name}.join` };
}
