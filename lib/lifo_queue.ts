/**
 * `LifoQueue`: asyncio's last-in, first-out queue.
 *
 * @module
 */
import { LifoStore } from "./_queue_store.ts";
import { Queue, queueInternals } from "./queue.ts";

/**
 * A last-in, first-out queue, like `asyncio.LifoQueue`: `get()` takes the
 * most recently put item. Everything else, cancellation safety included, is
 * as for {@linkcode Queue}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LifoQueue } from "@corun/corun";
 *
 * const stack = new LifoQueue<number>();
 * for (const n of [1, 2, 3]) stack.putNowait(n);
 * assert.equal(stack.getNowait(), 3);
 * assert.equal(stack.getNowait(), 2);
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * Create a LIFO queue.
   *
   * @param maxsize The capacity; `0` or less means unbounded.
   * @throws {RangeError} If `maxsize` is `NaN` or not an integer.
   */
  constructor(maxsize: number = 0) {
    super(maxsize);
    queueInternals.setStore(this, new LifoStore<T>(), "LifoQueue");
  }
}
