/**
 * `Barrier`: wait until `parties` tasks have arrived, like `asyncio.Barrier`.
 *
 * @module
 */
import { BrokenBarrierError } from "./errors.ts";
import { describe } from "./_validate.ts";
import { currentTask, enqueue, takePendingCancel, WaiterList } from "./runtime/mod.ts";
import { inspectable } from "./_inspect.ts";

/** What {@linkcode Barrier.stats} reports. */
export interface BarrierStats {
  /** How many tasks must arrive to pass. */
  parties: number;
  /** How many wait now. */
  waiting: number;
  /** Whether the barrier is broken. */
  broken: boolean;
}

/**
 * A barrier, like `asyncio.Barrier`: each `wait()` waits until `parties`
 * calls have arrived, then all of them pass at once with their arrival index
 * (0 for the first, `parties - 1` for the last) and the barrier starts over.
 * `abort()` breaks it (waiters and later calls throw `BrokenBarrierError`);
 * `reset()` fails the current waiters and makes it usable again.
 *
 * Cancellation: a task cancelled in `wait()` leaves the barrier (it no
 * longer counts as arrived) and rejects with its `CancelledError`; the
 * barrier is not broken, the others keep waiting.
 *
 * @example Three workers start together
 * ```ts
 * import assert from "node:assert/strict";
 * import { Barrier, createTask, gather } from "@corun/corun";
 *
 * const barrier = new Barrier(3);
 * const indices = await gather(...[1, 2, 3].map(() => createTask(() => barrier.wait())));
 * assert.deepEqual(indices, [0, 1, 2]);
 * assert.equal(barrier.nWaiting, 0);
 * ```
 */
export class Barrier {
  readonly #parties: number;
  #waiters = new WaiterList("Barrier.wait", null);
  #broken = false;

  /**
   * Create a barrier.
   *
   * @param parties How many tasks must arrive: an integer >= 1.
   * @throws {RangeError} If `parties` is not an integer >= 1.
   */
  constructor(parties: number) {
    if (typeof parties !== "number" || !Number.isInteger(parties) || parties < 1) {
      throw new RangeError(`parties must be an integer >= 1, got ${describe(parties)}`);
    }
    this.#parties = parties;
  }

  /** How many tasks must arrive to pass. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks wait now. */
  get nWaiting(): number {
    return this.#waiters.size;
  }

  /** Whether the barrier was aborted (and not reset since). */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Arrive and wait until `parties` tasks have arrived.
   *
   * @returns A promise for this call's arrival index, from 0.
   * @throws {BrokenBarrierError} If the barrier is broken, or is aborted or
   *   reset while waiting.
   * @throws {CancelledError} If the task is cancelled while waiting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Barrier } from "@corun/corun";
   *
   * assert.equal(await new Barrier(1).wait(), 0);
   * ```
   */
  wait(): Promise<number> {
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    const task = currentTask();
    if (this.#waiters.size + 1 < this.#parties) {
      return enqueue(this.#waiters, undefined, task);
    }
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    let index = 0;
    for (let waiter = this.#waiters.shift(); waiter !== null; waiter = this.#waiters.shift()) {
      waiter.grant(index++);
    }
    return Promise.resolve(index);
  }

  /**
   * Fail the waiting tasks with `BrokenBarrierError` and make the barrier
   * usable again (not broken, nobody waiting).
   *
   * @returns A promise that resolves once done (at once).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Barrier } from "@corun/corun";
   *
   * const barrier = new Barrier(2);
   * await barrier.abort();
   * await barrier.reset();
   * assert.equal(barrier.broken, false);
   * ```
   */
  reset(): Promise<void> {
    this.#waiters.failAll(() => new BrokenBarrierError("the barrier was reset"));
    this.#broken = false;
    return Promise.resolve();
  }

  /**
   * Break the barrier: waiting and later `wait()` calls throw
   * `BrokenBarrierError` until `reset()`.
   *
   * @returns A promise that resolves once done (at once).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Barrier, BrokenBarrierError } from "@corun/corun";
   *
   * const barrier = new Barrier(2);
   * await barrier.abort();
   * await assert.rejects(barrier.wait(), BrokenBarrierError);
   * ```
   */
  abort(): Promise<void> {
    this.#broken = true;
    this.#waiters.failAll(() => new BrokenBarrierError("the barrier was aborted"));
    return Promise.resolve();
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Parties, how many wait, and whether it is broken.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Barrier } from "@corun/corun";
   *
   * assert.deepEqual(new Barrier(2).stats(), { parties: 2, waiting: 0, broken: false });
   * ```
   */
  stats(): BarrierStats {
    return { parties: this.#parties, waiting: this.#waiters.size, broken: this.#broken };
  }
}

inspectable(Barrier, "Barrier", (barrier) => {
  const stats = barrier.stats();
  return { waiting: `${stats.waiting}/${stats.parties}`, broken: stats.broken };
});
