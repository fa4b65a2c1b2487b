/**
 * `PriorityQueue`: a queue that hands out the smallest item first.
 *
 * @module
 */
import { describe } from "./_validate.ts";
import { type Compare, defaultCompare, Heap, type HeapEntry } from "./_heap.ts";
import type { QueueStore } from "./_queue_store.ts";
import { Queue, queueInternals } from "./queue.ts";

/**
 * A priority queue, like `asyncio.PriorityQueue`: `get()` takes the smallest
 * item. By default numbers and strings sort ascending and arrays element by
 * element like Python tuples (a shorter prefix first), so `[priority, job]`
 * pairs work; unlike Python, payloads that have no order (objects, ...)
 * never raise: equal priorities come out in insertion order. Pass `compare`
 * for anything else. `put` and `get` are O(log n).
 *
 * Everything else (waiting, `taskDone`/`join`, `shutdown`, `for await`) is
 * as for {@linkcode Queue}, cancellation safety included: an item handed to
 * a getter cancelled in the same instant goes back to its place.
 *
 * @example Urgent first, ties in arrival order
 * ```ts
 * import assert from "node:assert/strict";
 * import { PriorityQueue } from "@corun/corun";
 *
 * const jobs = new PriorityQueue<[number, { name: string }]>();
 * jobs.putNowait([2, { name: "tidy" }]);
 * jobs.putNowait([1, { name: "fire" }]);
 * jobs.putNowait([2, { name: "lunch" }]);
 * const order = [1, 2, 3].map(() => jobs.getNowait()[1].name);
 * assert.deepEqual(order, ["fire", "tidy", "lunch"]);
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * Create a priority queue.
   *
   * @param maxsize The capacity; `0` or less means unbounded.
   * @param compare Orders two items: negative if `a` comes first. Default:
   *   Python's order for numbers, strings and arrays.
   * @throws {RangeError} If `maxsize` is `NaN` or not an integer.
   * @throws {TypeError} If `compare` is given and is not a function. (With
   *   the default order, `put` throws `TypeError` for a number against a
   *   string, as Python does; the item is then not put.)
   */
  constructor(maxsize: number = 0, compare?: (a: T, b: T) => number) {
    super(maxsize);
    if (compare !== undefined && typeof compare !== "function") {
      throw new TypeError(`compare must be a function, got ${describe(compare)}`);
    }
    const order = (compare ?? defaultCompare) as Compare<T>;
    queueInternals.setStore(this, new HeapStore<T>(order), "PriorityQueue");
  }
}

class HeapStore<T> implements QueueStore<T> {
  readonly #heap: Heap<T>;

  constructor(compare: Compare<T>) {
    this.#heap = new Heap(compare);
  }
  get size(): number {
    return this.#heap.size;
  }
  wrap(item: T): unknown {
    return this.#heap.wrap(item);
  }
  unwrap(entry: unknown): T {
    return (entry as HeapEntry<T>).value;
  }
  add(entry: unknown): void {
    this.#heap.push(entry as HeapEntry<T>);
  }
  take(): unknown {
    return this.#heap.pop();
  }
  restore(entry: unknown): void {
    this.#heap.push(entry as HeapEntry<T>);
  }
  clear(): void {
    this.#heap.clear();
  }
  peek(limit: number): T[] {
    return this.#heap.peek(limit);
  }
}
