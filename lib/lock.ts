/**
 * `Lock`: asyncio's mutual-exclusion lock, first come first served and
 * cancellation-safe.
 *
 * @module
 */
import { InvalidStateError } from "./errors.ts";
import {
  currentTask,
  enqueue,
  takePendingCancel,
  type Task,
  type Waiter,
  type WaiterHome,
  WaiterList,
} from "./runtime/mod.ts";
import { inspectable, taskRef } from "./_inspect.ts";

/**
 * Library-internal (Condition): acquire under another `waitingOn` label,
 * keeping an earlier acquisition's handle valid; read the current handle.
 */
export let lockInternals: {
  acquire(lock: Lock, label: string, handle: Disposable | null): Promise<Disposable>;
  handle(lock: Lock): Disposable | null;
};

/** What {@linkcode Lock.stats} reports. */
export interface LockStats {
  /** Whether the lock is held. */
  locked: boolean;
  /** The task holding it, if it was acquired inside a task. */
  holder: Task<unknown> | undefined;
  /** How many calls wait in `acquire()`. */
  waiters: number;
}

/**
 * A mutual-exclusion lock, like `asyncio.Lock`. `acquire()` resolves with a
 * `Disposable`, so `using _ = await lock.acquire()` releases at the end of
 * the block, also when it throws. Waiters are served first come, first
 * served.
 *
 * Cancellation: a task cancelled while waiting in `acquire()` rejects with
 * its `CancelledError` and never holds the lock; if the lock was handed to
 * it in the same instant, it passes straight on to the next waiter.
 *
 * @example One at a time
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, gather, Lock, sleep } from "@corun/corun";
 *
 * const lock = new Lock();
 * const order: string[] = [];
 * async function worker(name: string): Promise<void> {
 *   using _ = await lock.acquire();
 *   order.push(`${name} in`);
 *   await sleep(5);
 *   order.push(`${name} out`);
 * }
 * await gather(createTask(() => worker("a")), createTask(() => worker("b")));
 * assert.deepEqual(order, ["a in", "a out", "b in", "b out"]);
 * assert.equal(lock.locked(), false);
 * ```
 */
export class Lock {
  /** The holding acquisition's handle; `null` while the lock is free. */
  #handle: Disposable | null = null;
  #holder: Task<unknown> | undefined = undefined;
  #waiters = new WaiterList("Lock.acquire", {
    delivered: (): void => {},
    giveBack: (): void => this.#passOn(),
  });
  /** Where acquisitions under another label (Condition's) wait: in the same list. */
  #relabelled: WaiterHome | null = null;

  /**
   * Wait until the lock is free, then take it.
   *
   * @returns A promise for a `Disposable` whose disposal releases the lock
   *   (only if this acquisition still holds it, so an earlier `release()` is
   *   not repeated).
   * @throws {CancelledError} If the task is cancelled while waiting; the lock
   *   is then not held by it.
   *
   * @example Releasing at block end
   * ```ts
   * import assert from "node:assert/strict";
   * import { Lock } from "@corun/corun";
   *
   * const lock = new Lock();
   * {
   *   using _ = await lock.acquire();
   *   assert.equal(lock.locked(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  acquire(): Promise<Disposable> {
    return this.#acquire("Lock.acquire");
  }

  /**
   * Release the lock; the longest waiter, if any, gets it.
   *
   * @throws {InvalidStateError} If the lock is not locked.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { InvalidStateError, Lock } from "@corun/corun";
   *
   * const lock = new Lock();
   * await lock.acquire();
   * lock.release();
   * assert.throws(() => lock.release(), InvalidStateError);
   * ```
   */
  release(): void {
    if (this.#handle === null) {
      throw new InvalidStateError("Lock.release(): the lock is not locked");
    }
    this.#passOn();
  }

  /**
   * Whether the lock is held.
   *
   * @returns `true` while some acquisition holds it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Lock } from "@corun/corun";
   *
   * assert.equal(new Lock().locked(), false);
   * ```
   */
  locked(): boolean {
    return this.#handle !== null;
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Whether it is locked, by which task, and how many wait.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Lock } from "@corun/corun";
   *
   * const lock = new Lock();
   * await lock.acquire();
   * assert.equal(lock.stats().locked, true);
   * assert.equal(lock.stats().waiters, 0);
   * ```
   */
  stats(): LockStats {
    return { locked: this.#handle !== null, holder: this.#holder, waiters: this.#waiters.size };
  }

  #acquire(label: string, handle: Disposable | null = null): Promise<Disposable> {
    const task = currentTask();
    if (this.#handle !== null) return enqueue(this.#home(label), handle, task);
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    return Promise.resolve(this.#take(task, handle));
  }

  #home(label: string): WaiterHome {
    const list = this.#waiters;
    if (label === list.label) return list;
    if (this.#relabelled?.label !== label) {
      this.#relabelled = { list, label, owner: list.owner };
    }
    return this.#relabelled;
  }

  /** The lock goes to the next waiter, or becomes free. */
  #passOn(): void {
    const next: Waiter | null = this.#waiters.shift();
    if (next === null) {
      this.#handle = null;
      this.#holder = undefined;
    } else {
      next.grant(this.#take(next.task, next.value as Disposable | null));
    }
  }

  #take(task: Task<unknown> | undefined, reused: Disposable | null): Disposable {
    const handle: Disposable = reused ?? {
      [Symbol.dispose]: () => {
        if (this.#handle === handle) this.release();
      },
    };
    this.#handle = handle;
    this.#holder = task;
    return handle;
  }

  static {
    lockInternals = {
      acquire: (lock, label, handle) => lock.#acquire(label, handle),
      handle: (lock) => lock.#handle,
    };
  }
}

inspectable(Lock, "Lock", (lock) => {
  const stats = lock.stats();
  return { locked: stats.locked, holder: taskRef(stats.holder), waiters: stats.waiters };
});
