/**
 * Which task holds each item a `RedisQueue` instance has received, so that
 * `taskDone()` finishes the caller's own item, and an item whose task dies
 * goes back to the queue instead of staying with the instance.
 */
import type { Task } from "../runtime/mod.ts";
import type { HeldLease } from "./_held_lease.ts";

/** Received from Redis, not yet handed to the task that asked for it. */
const IN_DELIVERY = Symbol("in delivery");
type Holder = Task<unknown> | undefined | typeof IN_DELIVERY;

/** The items one instance holds, oldest first, each with its task. */
export class Holders<T> {
  readonly #leases = new Map<HeldLease<T>, Holder>();
  readonly #watched = new Set<Task<unknown>>();

  /**
   * An empty set of held items.
   *
   * @param abandon Called with each item whose task failed or was
   *   cancelled while holding it.
   */
  constructor(readonly abandon: (lease: HeldLease<T>) => void) {}

  /** How many items are held. */
  get size(): number {
    return this.#leases.size;
  }

  /** A lease just received: nobody's until `deliver()`, but held. */
  receive(lease: HeldLease<T>): void {
    this.#leases.set(lease, IN_DELIVERY);
  }

  /**
   * `lease` reached `task` (`undefined`: code outside any task). If the
   * task has already ended, the lease is settled as its other items were.
   */
  deliver(lease: HeldLease<T>, task: Task<unknown> | undefined): void {
    if (!this.#leases.has(lease)) return; // closed, or handed back meanwhile
    this.#leases.set(lease, task);
    if (task === undefined || this.#watched.has(task)) return;
    this.#watched.add(task);
    task.addDoneCallback(this.#ended);
  }

  /** Forget a lease that is done or handed back. */
  forget(lease: HeldLease<T>): void {
    this.#leases.delete(lease);
  }

  /** Forget every lease, returning them oldest first. */
  takeAll(): HeldLease<T>[] {
    const all = [...this.#leases.keys()];
    this.#leases.clear();
    return all;
  }

  /**
   * The item `taskDone()` called in `task` finishes: the oldest that task
   * holds, else the oldest its nearest ancestor holds, ..., else the
   * oldest received outside any task; `undefined` if there is none (an
   * item another task holds is never a candidate).
   */
  forTaskDone(task: Task<unknown> | undefined): HeldLease<T> | undefined {
    for (let holder = task;; holder = holder.parent) {
      for (const [lease, owner] of this.#leases) {
        if (owner === holder) return lease;
      }
      if (holder === undefined) return undefined;
    }
  }

  /**
   * A task holding items ended: if it returned, its items pass to its
   * nearest live ancestor (or to code outside any task), as the value it
   * returned may carry them there; if it failed or was cancelled, they are
   * abandoned: nobody can finish them now.
   */
  readonly #ended = (task: Task<unknown>): void => {
    this.#watched.delete(task);
    const mine = [...this.#leases].filter(([, owner]) => owner === task).map(([lease]) => lease);
    if (mine.length === 0) return;
    if (task.cancelled() || task.exception() !== undefined) {
      for (const lease of mine) {
        this.#leases.delete(lease);
        this.abandon(lease);
      }
      return;
    }
    let heir = task.parent;
    while (heir !== undefined && heir.done()) heir = heir.parent;
    for (const lease of mine) this.deliver(lease, heir);
  };
}
