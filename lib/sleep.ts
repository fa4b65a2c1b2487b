/**
 * `sleep`: wait a number of milliseconds.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import { describe, labelMs } from "./_validate.ts";
import {
  addDeadline,
  type Blocker,
  cancelNextTurn,
  currentTask,
  type DeadlineEntry,
  removeDeadline,
  type Task,
  taskInternals,
  type TurnWaiter,
  waitNextTurn,
} from "./runtime/mod.ts";

/**
 * Resolve with `value` after `ms` milliseconds, never earlier on the
 * `performance.now()` clock (it may be late, never early). `sleep(0)` lets every other
 * ready task run before resuming; `sleep(Infinity)` waits until cancelled.
 * Cancelling the task clears the timer and rejects with its
 * `CancelledError`.
 *
 * @param ms How long: a number of milliseconds (negative counts as 0) or
 *   `Infinity`.
 * @param value What to resolve with.
 * @returns A promise for `value`.
 * @throws {RangeError} If `ms` is `NaN`, `undefined` or not a number.
 *
 * @example Waiting, then going on
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep } from "@corun/corun";
 *
 * const started = performance.now();
 * const value = await sleep(20, "rested");
 * assert.equal(value, "rested");
 * assert.ok(performance.now() - started >= 20); // never early
 * ```
 */
export function sleep<T = void>(ms: number, value?: T): Promise<T> {
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    return Promise.reject(
      new RangeError(`ms must be a number of milliseconds or Infinity, got ${describe(ms)}`),
    );
  }
  return new Promise<T>((resolve, reject) => {
    const sleeper = new Sleeper(currentTask(), ms < 0 ? 0 : ms, value as T, resolve, reject);
    sleeper.arm();
  });
}

class Sleeper<T> implements Blocker, TurnWaiter, DeadlineEntry {
  cancelled = false;
  /** Managed by the deadline heap (lib/runtime/deadlines.ts). */
  dueAt = 0;
  /** Managed by the deadline heap. */
  heapIndex = -1;
  /** Managed by the deadline heap. */
  heapSeq = 0;
  /** Its index in the blocked task's `BlockerSet`, when it is one of several. */
  blockSlot: number = -1;

  constructor(
    readonly task: Task<unknown> | undefined,
    readonly ms: number,
    readonly value: T,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get label(): string {
    return `sleep(${labelMs(this.ms)})`;
  }

  arm(): void {
    const ms = this.ms;
    if (ms === 0) waitNextTurn(this);
    else if (ms !== Infinity) addDeadline(this, performance.now() + ms);
    if (this.task !== undefined) taskInternals.block(this.task, this);
  }

  /** The time is up. */
  deadlinePassed(): void {
    this.wake();
  }

  wake(): void {
    this.#release();
    this.resolve(this.value);
  }

  cancel(error: CancelledError): void {
    removeDeadline(this);
    if (this.ms === 0) cancelNextTurn(this);
    this.#release();
    this.reject(error);
  }

  #release(): void {
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
  }
}
