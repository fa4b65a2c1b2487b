/**
 * A ring-buffer double-ended queue: O(1) push and pop at both ends, no
 * `Array.shift` (which is O(n) on large arrays). Used by `Queue` (FIFO) and
 * `LifoQueue`. Popped slots are cleared so items can be garbage-collected,
 * and the buffer shrinks again after a burst.
 */

const MIN_CAPACITY = 8;

/** A double-ended queue over a power-of-two ring buffer. */
export class Deque<T> {
  #buffer: (T | undefined)[] = new Array(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #head = 0;
  #size = 0;

  /** How many items it holds. */
  get size(): number {
    return this.#size;
  }

  /** Add `item` after the last one. */
  pushBack(item: T): void {
    if (this.#size === this.#buffer.length) this.#resize(this.#buffer.length * 2);
    this.#buffer[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  /** Add `item` before the first one. */
  pushFront(item: T): void {
    if (this.#size === this.#buffer.length) this.#resize(this.#buffer.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#buffer[this.#head] = item;
    this.#size++;
  }

  /** Remove and return the first item (`undefined` when empty). */
  popFront(): T | undefined {
    if (this.#size === 0) return undefined;
    const head = this.#head;
    const item = this.#buffer[head];
    this.#buffer[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#size--;
    this.#maybeShrink();
    return item;
  }

  /** Remove and return the last item (`undefined` when empty). */
  popBack(): T | undefined {
    if (this.#size === 0) return undefined;
    const index = (this.#head + this.#size - 1) & this.#mask;
    const item = this.#buffer[index];
    this.#buffer[index] = undefined;
    this.#size--;
    this.#maybeShrink();
    return item;
  }

  /** Drop every item. */
  clear(): void {
    this.#buffer = new Array(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
    this.#head = 0;
    this.#size = 0;
  }

  /** The item `index` places from the front (`undefined` past the end). */
  at(index: number): T | undefined {
    return index >= 0 && index < this.#size
      ? this.#buffer[(this.#head + index) & this.#mask]
      : undefined;
  }

  /** The items, front first (a copy). */
  toArray(): T[] {
    const out = new Array<T>(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = this.#buffer[(this.#head + i) & this.#mask] as T;
    return out;
  }

  /** The capacity of the ring (for tests). */
  get capacity(): number {
    return this.#buffer.length;
  }

  #maybeShrink(): void {
    const capacity = this.#buffer.length;
    if (capacity > 64 && this.#size <= capacity >>> 2) this.#resize(capacity >>> 1);
  }

  #resize(capacity: number): void {
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#size; i++) next[i] = this.#buffer[(this.#head + i) & this.#mask];
    this.#buffer = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
