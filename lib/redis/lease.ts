/**
 * `Lease`: one item a `RedisQueue` consumer holds until it says it is done.
 *
 * @module
 */

/**
 * An item taken from a {@linkcode RedisQueue} with `getLease()`, held by this
 * consumer until `done()`. If the consumer neither finishes nor extends it
 * within the queue's `leaseMs` (its process died, or it is too slow), the
 * item goes to another consumer.
 *
 * @example Finishing items out of order
 * ```ts ignore
 * import { RedisQueue } from "@corun/corun/redis";
 *
 * await using queue = new RedisQueue<string>("jobs");
 * await queue.put("a");
 * await queue.put("b");
 * const a = await queue.getLease();
 * const b = await queue.getLease();
 * await b.done();
 * if (!(await a.extend())) throw new Error("lost the lease");
 * await a.release(); // back to the queue, for any consumer
 * const again = await queue.getLease();
 * if (again.value !== "a" || again.deliveries !== 1) throw new Error();
 * await again.done();
 * ```
 */
export interface Lease<T> {
  /** The item. */
  readonly value: T;
  /** Its id in the queue's stream. */
  readonly id: string;
  /** How many times it has been delivered, this time included. */
  readonly deliveries: number;
  /** `held` until `done()` or `release()`. */
  readonly state: "held" | "done" | "released";
  /**
   * Say the item is done: it leaves the queue for good and counts towards
   * `join()`. Throws `InvalidStateError` (synchronously) if the lease was
   * already done or released.
   */
  done(): Promise<void>;
  /**
   * Start the lease over, for work that takes longer than `leaseMs`;
   * resolves `false` if it had already run out and the item went to
   * another consumer.
   */
  extend(): Promise<boolean>;
  /**
   * Hand the item back unfinished: the next `get()` of any consumer takes
   * it, and this delivery does not count towards `maxDeliveries`. Throws
   * `InvalidStateError` (synchronously) if already done or released.
   */
  release(): Promise<void>;
}
