/** How a queue keeps its items: FIFO and LIFO stores on a ring buffer. */
import { Deque } from "./_deque.ts";

/** Library-internal: how a queue keeps its items; entries may wrap them. */
export interface QueueStore<T> {
  /** How many entries it holds. */
  readonly size: number;
  /** The entry to store for a new `item`. */
  wrap(item: T): unknown;
  /** The item an entry stands for. */
  unwrap(entry: unknown): T;
  /** Store an entry. */
  add(entry: unknown): void;
  /** Remove and return the next entry, in this store's order. */
  take(): unknown;
  /** Put back an entry taken last (its old place, as far as possible). */
  restore(entry: unknown): void;
  /** Drop every entry. */
  clear(): void;
  /** The first `limit` items in the order `take` would give them (for printing). */
  peek(limit: number): T[];
}

/** First in, first out. */
export class FifoStore<T> implements QueueStore<T> {
  /** The items, front first (`LifoStore` takes from the back). */
  readonly deque: Deque<T> = new Deque<T>();
  get size(): number {
    return this.deque.size;
  }
  wrap = identity as (item: T) => unknown;
  unwrap = identity as (entry: unknown) => T;
  add(entry: unknown): void {
    this.deque.pushBack(entry as T);
  }
  take(): unknown {
    return this.deque.popFront();
  }
  restore(entry: unknown): void {
    this.deque.pushFront(entry as T);
  }
  clear(): void {
    this.deque.clear();
  }
  peek(limit: number): T[] {
    const count = Math.min(limit, this.deque.size);
    return Array.from({ length: count }, (_, i) => this.at(i));
  }
  /** The `i`-th item in take order. */
  protected at(i: number): T {
    return this.deque.at(i) as T;
  }
}

/** Last in, first out. */
export class LifoStore<T> extends FifoStore<T> {
  /** Remove and return the newest entry. */
  override take(): unknown {
    return this.deque.popBack();
  }
  /** Put back an entry taken last: on top again. */
  override restore(entry: unknown): void {
    this.deque.pushBack(entry as T);
  }
  /** The `i`-th item in take order: counted from the back. */
  protected override at(i: number): T {
    return this.deque.at(this.deque.size - 1 - i) as T;
  }
}

function identity<V>(value: V): V {
  return value;
}
