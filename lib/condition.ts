/**
 * `Condition`: wait until notified, holding a lock around the check, like
 * `asyncio.Condition`.
 *
 * @module
 */
import { CancelledError, InvalidStateError } from "./errors.ts";
import { checkFunction, describe } from "./_validate.ts";
import { enqueue, WaiterList } from "./runtime/mod.ts";
import { Lock, lockInternals } from "./lock.ts";
import { inspectable } from "./_inspect.ts";

/** What {@linkcode Condition.stats} reports. */
export interface ConditionStats {
  /** Whether the underlying lock is held. */
  locked: boolean;
  /** How many calls wait in `wait()` for a notification. */
  waiters: number;
}

/**
 * A condition variable, like `asyncio.Condition`: hold the lock, check your
 * predicate, `wait()` (which releases the lock while waiting and takes it
 * back before returning); the task that changes the state calls `notify()`
 * or `notifyAll()` while holding the lock. Waiters are notified first come,
 * first served.
 *
 * Cancellation: a task cancelled in `wait()` takes the lock back before the
 * `CancelledError` reaches it (as asyncio does), so a `using` block around it
 * stays correct; a notification it received in the same instant is passed
 * on to another waiter.
 *
 * @example A consumer waiting for stock
 * ```ts
 * import assert from "node:assert/strict";
 * import { Condition, createTask } from "@corun/corun";
 *
 * const cond = new Condition();
 * const stock: string[] = [];
 * const consumer = createTask(async () => {
 *   using _ = await cond.acquire();
 *   await cond.waitFor(() => stock.length > 0);
 *   return stock.shift();
 * });
 * {
 *   using _ = await cond.acquire();
 *   stock.push("apple");
 *   cond.notify();
 * }
 * assert.equal(await consumer, "apple");
 * assert.equal(cond.locked(), false);
 * ```
 */
export class Condition {
  readonly #lock: Lock;
  #waiters = new WaiterList("Condition.wait", {
    delivered: (): void => {},
    giveBack: (): void => this.#notify(1),
  });

  /**
   * Create a condition variable.
   *
   * @param lock The lock to use; a new `Lock` by default.
   * @throws {TypeError} If `lock` is given and is not a corun `Lock`.
   */
  constructor(lock?: Lock) {
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(`lock must be a Lock, got ${describe(lock)}`);
    }
    this.#lock = lock ?? new Lock();
  }

  /**
   * Acquire the underlying lock (see `Lock.acquire`).
   *
   * @returns A promise for a `Disposable` that releases the lock.
   * @throws {CancelledError} If the task is cancelled while waiting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * const cond = new Condition();
   * using _ = await cond.acquire();
   * assert.equal(cond.locked(), true);
   * ```
   */
  acquire(): Promise<Disposable> {
    return this.#lock.acquire();
  }

  /**
   * Release the underlying lock.
   *
   * @throws {InvalidStateError} If it is not locked.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * const cond = new Condition();
   * await cond.acquire();
   * cond.release();
   * assert.equal(cond.locked(), false);
   * ```
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Whether the underlying lock is held.
   *
   * @returns `true` while locked.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * assert.equal(new Condition().locked(), false);
   * ```
   */
  locked(): boolean {
    return this.#lock.locked();
  }

  /**
   * Release the lock, wait for a notification, take the lock back.
   *
   * @returns A promise for `true`, once notified and holding the lock again.
   * @throws {InvalidStateError} If the lock is not held.
   * @throws {CancelledError} If the task is cancelled; the lock is held
   *   again when it is thrown.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition, createTask, sleep } from "@corun/corun";
   *
   * const cond = new Condition();
   * const waiter = createTask(async () => {
   *   using _ = await cond.acquire();
   *   return await cond.wait();
   * });
   * await sleep(1); // the waiter reaches wait()
   * {
   *   using _ = await cond.acquire();
   *   cond.notifyAll();
   * }
   * assert.equal(await waiter, true);
   * ```
   */
  async wait(): Promise<true> {
    if (!this.#lock.locked()) {
      throw new InvalidStateError("Condition.wait(): acquire the lock first");
    }
    const lock = this.#lock;
    const handle = lockInternals.handle(lock);
    lock.release();
    let failure: unknown = undefined;
    let notified = false;
    try {
      await enqueue<void>(this.#waiters, undefined);
      notified = true;
    } catch (error) {
      failure = error;
    }
    // Take the lock back before returning or throwing, even when cancelled.
    for (;;) {
      try {
        await lockInternals.acquire(lock, "Condition.wait", handle);
        break;
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        failure = error;
      }
    }
    if (failure !== undefined) {
      // The notification this call consumed must not be lost.
      if (notified) this.#notify(1);
      throw failure;
    }
    return true;
  }

  /**
   * Wait until `predicate()` is truthy, checking it first and after every
   * notification (the lock must be held, as for `wait`).
   *
   * @param predicate Called with the lock held.
   * @returns A promise for the predicate's truthy value.
   * @throws {InvalidStateError} If it has to wait and the lock is not held.
   * @throws {CancelledError} If the task is cancelled (the lock is held again).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * const cond = new Condition();
   * using _ = await cond.acquire();
   * assert.equal(await cond.waitFor(() => "already"), "already");
   * ```
   */
  async waitFor<R>(predicate: () => R): Promise<R> {
    checkFunction(predicate, "predicate");
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wake up to `n` waiters (the longest-waiting first). Needs the lock.
   *
   * @param n How many to wake: an integer >= 0, or `Infinity`.
   * @throws {InvalidStateError} If the lock is not held.
   * @throws {RangeError} If `n` is negative or not an integer.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * const cond = new Condition();
   * using _ = await cond.acquire();
   * cond.notify(2); // nobody waits: nothing happens
   * assert.equal(cond.stats().waiters, 0);
   * ```
   */
  notify(n: number = 1): void {
    if (typeof n !== "number" || !(Number.isInteger(n) || n === Infinity) || n < 0) {
      throw new RangeError(`n must be an integer >= 0 or Infinity, got ${describe(n)}`);
    }
    this.#checkLocked("notify");
    this.#notify(n);
  }

  /**
   * Wake every waiter. Needs the lock.
   *
   * @throws {InvalidStateError} If the lock is not held.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition, InvalidStateError } from "@corun/corun";
   *
   * assert.throws(() => new Condition().notifyAll(), InvalidStateError);
   * ```
   */
  notifyAll(): void {
    this.#checkLocked("notifyAll");
    this.#notify(Infinity);
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Whether the lock is held and how many wait for a notification.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Condition } from "@corun/corun";
   *
   * assert.deepEqual(new Condition().stats(), { locked: false, waiters: 0 });
   * ```
   */
  stats(): ConditionStats {
    return { locked: this.#lock.locked(), waiters: this.#waiters.size };
  }

  #checkLocked(method: string): void {
    if (!this.#lock.locked()) {
      throw new InvalidStateError(`Condition.${method}(): acquire the lock first`);
    }
  }

  #notify(n: number): void {
    for (let i = 0; i < n; i++) {
      const waiter = this.#waiters.shift();
      if (waiter === null) return;
      waiter.grant(undefined);
    }
  }
}

inspectable(Condition, "Condition", (condition) => ({ ...condition.stats() }));
