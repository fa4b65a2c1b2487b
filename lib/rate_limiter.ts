/**
 * `RateLimiter`: at most N acquisitions per period, first come first served.
 *
 * @module
 */
import { inspectable } from "./_inspect.ts";
import { describe } from "./_validate.ts";
import {
  currentTask,
  enqueue,
  setDeadline,
  takePendingCancel,
  type Waiter,
  WaiterList,
} from "./runtime/mod.ts";

/** What {@linkcode RateLimiter.stats} reports. */
export interface RateLimiterStats {
  /** The most acquisitions in any period. */
  maxRate: number;
  /** The period, in milliseconds. */
  periodMs: number;
  /** Acquisitions possible now without waiting. */
  available: number;
  /** How many calls wait in `acquire()`. */
  waiters: number;
}

const noRelease: Disposable = Object.freeze({ [Symbol.dispose](): void {} });

/**
 * A rate limiter, like aiolimiter's `AsyncLimiter`: `acquire()` resolves
 * at once while fewer than `maxRate` acquisitions happened in the last
 * `periodMs` milliseconds, else waits until one of them is that old. The
 * window slides, so no period of `periodMs` ever holds more than `maxRate`
 * acquisitions (aiolimiter's leaky bucket allows up to twice that across a
 * period boundary). Waiters are served first come, first served; a task
 * waiting here shows `rate limit 10/1s` in the monitor.
 *
 * `acquire()` resolves with a `Disposable` (which releases nothing: time
 * does), so `using _ = await limiter.acquire()` reads like the other
 * primitives.
 *
 * Cancellation: a task cancelled while waiting rejects with its
 * `CancelledError` and uses no slot; a slot handed to it in the same
 * instant passes on to the next waiter.
 *
 * @example Two per 50 ms
 * ```ts
 * import { RateLimiter } from "@corun/corun";
 *
 * const limiter = new RateLimiter(2, 50);
 * const started = performance.now();
 * for (let i = 0; i < 3; i++) {
 *   using _ = await limiter.acquire();
 * }
 * if (performance.now() - started < 49) throw new Error("the third call waited");
 * ```
 */
export class RateLimiter {
  readonly #maxRate: number;
  readonly #periodMs: number;
  /** When the acquisitions of the last period happened, oldest first from `#head`. */
  #times: number[] = [];
  /** Entries of `#times` before this index have expired (dropped in bulk, not one by one). */
  #head = 0;
  readonly #waiters: WaiterList;
  #clearTimer: (() => void) | null = null;
  /** When each granted waiter, not resumed yet, got its slot. */
  #grantedAt = new Map<Waiter, number>();
  #owner = {
    delivered: (waiter: Waiter): void => void this.#grantedAt.delete(waiter),
    giveBack: (waiter: Waiter): void => {
      const at = this.#times.lastIndexOf(this.#grantedAt.get(waiter) as number);
      this.#grantedAt.delete(waiter);
      if (at >= this.#head) this.#times.splice(at, 1);
      this.#serve();
    },
  };
  readonly #rearm = (): void => this.#arm();

  /**
   * Create a rate limiter.
   *
   * @param maxRate The most acquisitions per period: an integer >= 1.
   * @param periodMs The period in milliseconds: a finite number > 0.
   * @throws {RangeError} If `maxRate` or `periodMs` is out of range.
   */
  constructor(maxRate: number, periodMs: number = 1000) {
    if (typeof maxRate !== "number" || !Number.isInteger(maxRate) || maxRate < 1) {
      throw new RangeError(`maxRate must be an integer >= 1, got ${describe(maxRate)}`);
    }
    if (typeof periodMs !== "number" || !Number.isFinite(periodMs) || periodMs <= 0) {
      throw new RangeError(
        `periodMs must be a finite number of milliseconds > 0, got ${describe(periodMs)}`,
      );
    }
    this.#maxRate = maxRate;
    this.#periodMs = periodMs;
    const period = periodMs % 1000 === 0 ? `${periodMs / 1000}s` : `${periodMs}ms`;
    this.#waiters = new WaiterList(`rate limit ${maxRate}/${period}`, this.#owner);
  }

  /**
   * Use one slot, waiting first come, first served while none is free.
   *
   * @returns A promise for a `Disposable` (for `using`; disposing it does nothing).
   * @throws {CancelledError} If the task is cancelled while waiting; it then
   *   used no slot.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "@corun/corun";
   *
   * const limiter = new RateLimiter(5);
   * using _ = await limiter.acquire();
   * if (limiter.stats().available !== 4) throw new Error();
   * ```
   */
  acquire(): Promise<Disposable> {
    const task = currentTask();
    if (this.#waiters.size > 0 || !this.hasCapacity()) {
      const waiting = enqueue<Disposable>(this.#waiters, 0, task);
      this.#arm();
      // A waiter cancelled while in the list leaves it silently: the timer
      // must not outlive the last waiter.
      waiting.then(undefined, this.#rearm);
      return waiting;
    }
    const cancelled = takePendingCancel(task);
    if (cancelled !== null) return Promise.reject(cancelled);
    this.#times.push(performance.now());
    return Promise.resolve(noRelease);
  }

  /**
   * Whether `acquire()` would not wait now.
   *
   * @returns `true` if a slot is free and nobody waits.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "@corun/corun";
   *
   * const limiter = new RateLimiter(1, 60_000);
   * await limiter.acquire();
   * if (limiter.hasCapacity()) throw new Error("used up for a minute");
   * ```
   */
  hasCapacity(): boolean {
    return this.#waiters.size === 0 && this.#free(performance.now()) > 0;
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns The rate, free slots and how many wait.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "@corun/corun";
   *
   * const stats = new RateLimiter(10, 1000).stats();
   * if (stats.available !== 10 || stats.waiters !== 0) throw new Error();
   * ```
   */
  stats(): RateLimiterStats {
    return {
      maxRate: this.#maxRate,
      periodMs: this.#periodMs,
      available: this.#free(performance.now()),
      waiters: this.#waiters.size,
    };
  }

  /** Free slots at `now`, forgetting acquisitions older than a period. */
  #free(now: number): number {
    const times = this.#times;
    let head = this.#head;
    while (head < times.length && times[head] + this.#periodMs <= now) head++;
    if (head > 1024 && head * 2 > times.length) {
      this.#times = times.slice(head);
      head = 0;
    }
    this.#head = head;
    return this.#maxRate - (this.#times.length - head);
  }

  /** Hand free slots to waiters, in order; arm the timer for the rest. */
  #serve(): void {
    const now = performance.now();
    let free = this.#free(now);
    while (free > 0 && this.#waiters.size > 0) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#times.push(now);
      this.#grantedAt.set(waiter, now);
      waiter.grant(noRelease);
      free--;
    }
    this.#arm();
  }

  /** Keep a timer for the oldest slot while somebody waits, and only then. */
  #arm(): void {
    if (this.#waiters.size === 0) {
      this.#clearTimer?.();
      this.#clearTimer = null;
      return;
    }
    if (this.#clearTimer !== null) return;
    if (this.#times.length === this.#head) return this.#serve();
    this.#clearTimer = setDeadline(this.#times[this.#head] + this.#periodMs, () => {
      this.#clearTimer = null;
      this.#serve();
    });
  }
}

inspectable(RateLimiter, "RateLimiter", (limiter) => {
  const { maxRate, periodMs, available, waiters } = limiter.stats();
  return { rate: `${maxRate}/${periodMs}ms`, available, waiters };
});
