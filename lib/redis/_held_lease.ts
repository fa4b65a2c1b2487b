/** The `Lease` a `RedisQueue` hands out. */
import { InvalidStateError } from "../errors.ts";
import type { Lease } from "./lease.ts";

/** What a lease asks its queue to do. */
export interface LeaseOwner {
  /** Mark the item done for good. */
  done(lease: HeldLease<unknown>): Promise<void>;
  /** Start the lease over; `false` if it had run out and the item moved on. */
  extend(lease: HeldLease<unknown>): Promise<boolean>;
  /** Hand the item back to the queue, for any consumer. */
  release(lease: HeldLease<unknown>): Promise<void>;
  /** Hand back the item of a task that died with it, this delivery counted. */
  abandon(lease: HeldLease<unknown>): Promise<void>;
}

/** A lease; its owner does the Redis side. */
export class HeldLease<T> implements Lease<T> {
  #state: "held" | "done" | "released" = "held";

  /**
   * A lease on the item `id` held for `owner`.
   *
   * @param owner The queue that does the Redis side.
   * @param id The item's id in the stream.
   * @param value The item.
   * @param deliveries How many times it has been delivered, this time included.
   */
  constructor(
    readonly owner: LeaseOwner,
    readonly id: string,
    readonly value: T,
    readonly deliveries: number,
  ) {}

  get state(): "held" | "done" | "released" {
    return this.#state;
  }

  done(): Promise<void> {
    this.#settle("done");
    return this.owner.done(this);
  }

  extend(): Promise<boolean> {
    if (this.#state !== "held") {
      return Promise.reject(new InvalidStateError(`Lease.extend(): the lease is ${this.#state}`));
    }
    return this.owner.extend(this);
  }

  release(): Promise<void> {
    this.#settle("released");
    return this.owner.release(this);
  }

  /** The task holding it died: back to the queue, this delivery counted. */
  abandon(): Promise<void> {
    this.#settle("released");
    return this.owner.abandon(this);
  }

  #settle(state: "done" | "released"): void {
    if (this.#state !== "held") {
      const method = state === "done" ? "done" : "release";
      throw new InvalidStateError(`Lease.${method}(): the lease is ${this.#state}`);
    }
    this.#state = state;
  }
}
