/**
 * `sleep`: wait a number of milliseconds.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import { describe } from "./_validate.ts";
import type { Blocker } from "./runtime/blocker.ts";
import { cancelNextTurn, type TurnWaiter, waitNextTurn } from "./runtime/scheduler.ts";
import { currentTask, type Task, taskInternals } from "./task.ts";

/** Longest delay one `setTimeout` can take; longer sleeps re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolve with `value` after `ms` milliseconds. `sleep(0)` lets every other
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
 * import { sleep } from "@corun/corun";
 *
 * const started = performance.now();
 * const value = await sleep(20, "rested");
 * console.log(value, performance.now() - started >= 19); // rested true
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
    sleeper.arm(sleeper.ms);
  });
}

function fire<T>(sleeper: Sleeper<T>): void {
  sleeper.fired();
}

class Sleeper<T> implements Blocker, TurnWaiter {
  cancelled = false;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #due = 0;

  constructor(
    readonly task: Task<unknown> | undefined,
    readonly ms: number,
    readonly value: T,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get label(): string {
    return `sleep(${this.ms})`;
  }

  arm(ms: number): void {
    if (ms === 0) {
      waitNextTurn(this);
    } else if (ms !== Infinity) {
      this.#due = performance.now() + ms;
      this.#timer = setTimeout(fire, Math.min(ms, MAX_TIMER_MS), this);
    }
    if (this.task !== undefined) taskInternals.block(this.task, this);
  }

  /** The timer fired: wake up, or re-arm if the sleep is longer than a timer can wait. */
  fired(): void {
    const left = this.#due - performance.now();
    if (left > 1) {
      this.#timer = setTimeout(fire, Math.min(left, MAX_TIMER_MS), this);
      return;
    }
    this.wake();
  }

  wake(): void {
    this.#timer = undefined;
    this.#release();
    this.resolve(this.value);
  }

  cancel(error: CancelledError): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.ms === 0) cancelNextTurn(this);
    this.#release();
    this.reject(error);
  }

  #release(): void {
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
  }
}
