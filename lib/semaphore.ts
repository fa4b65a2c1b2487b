/**
 * `Semaphore` and `BoundedSemaphore`: a counter of permits, first come first
 * served and cancellation-safe.
 *
 * @module
 */
import { InvalidStateError } from "./errors.ts";
import { describe } from "./_validate.ts";
import { currentTask, enqueue, takePendingCancel, WaiterList } from "./runtime/mod.ts";
import { inspectable } from "./_inspect.ts";

/** What {@linkcode Semaphore.stats} reports. */
export interface SemaphoreStats {
  /** Free permits. */
  value: number;
  /** How many calls wait in `acquire()`. */
  waiters: number;
}

/**
 * A semaphore, like `asyncio.Semaphore`: `value` permits; `acquire()` takes
 * one (waiting while there is none), `release()` gives one back.
 * `acquire()` resolves with a `Disposable`, so `using _ = await
 * sem.acquire()` releases at the end of the block. Waiters are served first
 * come, first served.
 *
 * Cancellation: a task cancelled while waiting in `acquire()` rejects with
 * its `CancelledError` and takes no permit; a permit handed to it in the
 * same instant passes on to the next waiter (or back to the semaphore).
 *
 * @example At most two at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, gather, Semaphore, sleep } from "@corun/corun";
 *
 * const sem = new Semaphore(2);
 * let inside = 0;
 * let most = 0;
 * async function job(): Promise<void> {
 *   using _ = await sem.acquire();
 *   most = Math.max(most, ++inside);
 *   await sleep(5);
 *   inside--;
 * }
 * await gather(...[1, 2, 3, 4, 5].map(() => createTask(job)));
 * assert.equal(most, 2);
 * assert.equal(sem.value, 2);
 * ```
 */
export class Semaphore {
  #value: number;
  #waiters = new WaiterList("Semaphore.acquire", {
    delivered: (): void => {},
    giveBack: (): void => this.#passOn(),
  });

  /**
   * Create a semaphore.
   *
   * @param value The number of permits.
   * @throws {RangeError} If `value` is not an integer >= 0.
   */
  constructor(value: number = 1) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new RangeError(`value must be an integer >= 0, got ${describe(value)}`);
    }
    this.#value = value;
  }

  /** The number of free permits. */
  get value(): number {
    return this.#value;
  }

  /**
   * Take a permit, waiting first come, first served while there is none.
   *
   * @returns A promise for a `Disposable` that releases the permit once.
   * @throws {CancelledError} If the task is cancelled while waiting; it then
   *   holds no permit.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@corun/corun";
   *
   * const sem = new Semaphore(1);
   * {
   *   using _ = await sem.acquire();
   *   assert.equal(sem.locked(), true);
   * }
   * assert.equal(sem.value, 1);
   * ```
   */
  acquire(): Promise<Disposable> {
    const task = currentTask();
    if (this.#value === 0) {
      return enqueue(this.#waiters, undefined, task);
    }
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    this.#value--;
    return Promise.resolve(new Permit(this));
  }

  /**
   * Give a permit back: the longest waiter gets it, else `value` grows.
   *
   * @throws {InvalidStateError} Only for a `BoundedSemaphore` released above
   *   its initial value.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@corun/corun";
   *
   * const sem = new Semaphore(0);
   * sem.release();
   * assert.equal(sem.value, 1);
   * ```
   */
  release(): void {
    this.#passOn();
  }

  /**
   * Whether no permit is free (`acquire()` would wait).
   *
   * @returns `true` when `value` is 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@corun/corun";
   *
   * assert.equal(new Semaphore(0).locked(), true);
   * ```
   */
  locked(): boolean {
    return this.#value === 0;
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Free permits and how many wait.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@corun/corun";
   *
   * assert.deepEqual(new Semaphore(3).stats(), { value: 3, waiters: 0 });
   * ```
   */
  stats(): SemaphoreStats {
    return { value: this.#value, waiters: this.#waiters.size };
  }

  #passOn(): void {
    const next = this.#waiters.shift();
    if (next === null) this.#value++;
    else next.grant(new Permit(this));
  }
}

/** What `acquire()` resolves with: disposing it releases once. */
class Permit implements Disposable {
  #semaphore: Semaphore | null;

  constructor(semaphore: Semaphore) {
    this.#semaphore = semaphore;
  }

  [Symbol.dispose](): void {
    const semaphore = this.#semaphore;
    if (semaphore === null) return;
    this.#semaphore = null;
    semaphore.release();
  }
}

/**
 * A semaphore that refuses to be released more often than acquired, like
 * `asyncio.BoundedSemaphore`: `release()` above the initial value throws.
 * Cancellation behaves as for {@linkcode Semaphore}.
 *
 * @example Catching a double release
 * ```ts
 * import assert from "node:assert/strict";
 * import { BoundedSemaphore, InvalidStateError } from "@corun/corun";
 *
 * const sem = new BoundedSemaphore(1);
 * await sem.acquire();
 * sem.release();
 * assert.throws(() => sem.release(), InvalidStateError);
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #initial: number;

  /**
   * Create a bounded semaphore.
   *
   * @param value The number of permits, also the most `value` can reach.
   * @throws {RangeError} If `value` is not an integer >= 0.
   */
  constructor(value: number = 1) {
    super(value);
    this.#initial = value;
  }

  /**
   * Give a permit back.
   *
   * @throws {InvalidStateError} If every permit is already free.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BoundedSemaphore } from "@corun/corun";
   *
   * const sem = new BoundedSemaphore(2);
   * using _ = await sem.acquire();
   * assert.equal(sem.value, 1);
   * ```
   */
  override release(): void {
    if (this.value >= this.#initial) {
      throw new InvalidStateError(
        `BoundedSemaphore.release(): released more often than acquired (initial value ${this.#initial})`,
      );
    }
    super.release();
  }
}

inspectable(Semaphore, "Semaphore", (semaphore) => ({ ...semaphore.stats() }));
