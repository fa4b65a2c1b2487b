/**
 * The mechanism behind `Queue`, `LifoQueue` and `PriorityQueue`: the store,
 * the three waiter lists and the book-keeping that keeps an item from being
 * lost or duplicated when a waiting `get()` or `put()` is cancelled. `Queue`
 * is its documented face.
 *
 * @module
 */
import { InvalidStateError, QueueEmpty, QueueFull, QueueShutDown } from "./errors.ts";
import { FifoStore, type QueueStore } from "./_queue_store.ts";
import { currentTask, enqueue, takePendingCancel, type Waiter, WaiterList } from "./runtime/mod.ts";

/** Library-internal: a queue's state and operations (see `Queue` for what each does). */
export class QueueCore<T> {
  /** The items (FIFO unless a subclass swaps the store). */
  store: QueueStore<T> = new FifoStore<T>();
  /** Slots taken by items between the queue and a waiter that has not resumed yet. */
  #held = 0;
  /** Items put and not yet marked done. */
  unfinished = 0;
  /** 0 open, 1 shut down, 2 shut down immediately. */
  shutdownState = 0;
  /** Waiting `get()` calls; a getter's `value` is the (still wrapped) entry it was handed. */
  readonly getters: WaiterList = new WaiterList("Queue.get", {
    delivered: (getter: Waiter): void => {
      this.#held--;
      getter.value = this.store.unwrap(getter.value);
      this.#wakePutters();
    },
    giveBack: (getter: Waiter): void => {
      this.#held--;
      if (this.shutdownState === 2) this.#finishOne(); // dropped like the other queued items
      else if (!this.#handToGetter(getter.value)) this.store.restore(getter.value);
    },
  });
  /** Waiting `put()` calls; a putter's `value` is its item; it is granted a slot. */
  readonly putters: WaiterList = new WaiterList("Queue.put", {
    delivered: (putter: Waiter): void => {
      this.#held--;
      const item = putter.value as T;
      putter.value = undefined;
      if (this.shutdownState !== 0) throw new QueueShutDown(); // rejects the put
      else this.#insert(this.store.wrap(item));
    },
    giveBack: (): void => {
      this.#held--;
      if (this.shutdownState === 0) this.#wakePutters();
    },
  });
  /** Waiting `join()` calls. */
  readonly joiners: WaiterList = new WaiterList("Queue.join", null);

  /**
   * The state of a new queue.
   *
   * @param maxsize The capacity, already checked; `0` means unbounded.
   */
  constructor(readonly maxsize: number) {}

  /** Use `store` instead of the FIFO one, and `name` in wait labels. */
  setStore(store: QueueStore<T>, name: string): void {
    this.store = store;
    this.getters.label = `${name}.get`;
    this.putters.label = `${name}.put`;
    this.joiners.label = `${name}.join`;
  }

  /** Whether `put()` would wait. */
  full(): boolean {
    return this.maxsize > 0 && this.store.size + this.#held >= this.maxsize;
  }

  /** `Queue.put`. */
  put(item: T): Promise<void> {
    if (this.shutdownState !== 0) return Promise.reject(new QueueShutDown());
    const task = currentTask();
    if (this.putters.size > 0 || this.full()) {
      return enqueue(this.putters, item, task);
    }
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    this.#insert(this.store.wrap(item));
    return Promise.resolve();
  }

  /** `Queue.putNowait`. */
  putNowait(item: T): void {
    if (this.shutdownState !== 0) throw new QueueShutDown();
    if (this.putters.size > 0 || this.full()) throw new QueueFull();
    this.#insert(this.store.wrap(item));
  }

  /** `Queue.get`. */
  get(): Promise<T> {
    const task = currentTask();
    if (this.store.size > 0) {
      const cancelled = takePendingCancel(task);
      if (cancelled !== null) return Promise.reject(cancelled);
      return Promise.resolve(this.#take());
    }
    if (this.shutdownState !== 0) return Promise.reject(new QueueShutDown());
    return enqueue(this.getters, undefined, task);
  }

  /** `Queue.getNowait`. */
  getNowait(): T {
    if (this.store.size === 0) {
      throw this.shutdownState !== 0 ? new QueueShutDown() : new QueueEmpty();
    }
    return this.#take();
  }

  /** `Queue.taskDone`. */
  taskDone(): void {
    if (this.unfinished === 0) {
      throw new InvalidStateError("Queue.taskDone(): called more times than items were put");
    }
    this.#finishOne();
  }

  /** `Queue.join`. */
  join(): Promise<void> {
    const task = currentTask();
    if (this.unfinished > 0) {
      return enqueue(this.joiners, undefined, task);
    }
    const cancelled = takePendingCancel(task);
    return cancelled === null ? Promise.resolve() : Promise.reject(cancelled);
  }

  /** `Queue.shutdown`. */
  shutdown(immediate: boolean): void {
    if (immediate) {
      this.shutdownState = 2;
      // taskDone() may have run ahead of get(): never below 0.
      this.unfinished = Math.max(0, this.unfinished - this.store.size);
      this.store.clear();
      if (this.unfinished === 0) this.#wakeJoiners();
    } else if (this.shutdownState === 0) {
      this.shutdownState = 1;
    }
    this.getters.failAll(() => new QueueShutDown());
    this.putters.failAll(() => new QueueShutDown());
  }

  #take(): T {
    const entry = this.store.take();
    this.#wakePutters();
    return this.store.unwrap(entry);
  }

  /** A new item: to the first getter, or into the store. */
  #insert(entry: unknown): void {
    // A PriorityQueue's order may throw in add(): then nothing changed.
    if (!this.#handToGetter(entry)) this.store.add(entry);
    this.unfinished++;
  }

  /** Grant `entry` to the first getter; `false` if none waits. */
  #handToGetter(entry: unknown): boolean {
    const getter = this.getters.shift();
    if (getter === null) return false;
    this.#held++;
    getter.grant(entry);
    return true;
  }

  #wakePutters(): void {
    while (this.putters.size > 0 && !this.full()) {
      const putter = this.putters.shift() as Waiter;
      this.#held++;
      putter.grant(putter.value);
    }
  }

  #wakeJoiners(): void {
    for (let joiner = this.joiners.shift(); joiner !== null; joiner = this.joiners.shift()) {
      joiner.grant(undefined);
    }
  }

  #finishOne(): void {
    if (this.unfinished > 0) this.unfinished--;
    if (this.unfinished === 0) this.#wakeJoiners();
  }
}
