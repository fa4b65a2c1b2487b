/**
 * `retry`: call a function again after failures, with exponential backoff.
 *
 * @module
 */
import { checkFunction, describe, readOptions, toDurationMs } from "./_validate.ts";
import {
  type Blocker,
  CancelScope,
  currentTask,
  isCancelledError,
  isThenable,
  setDeadline,
  shieldable,
  type Task,
  taskInternals,
} from "./runtime/mod.ts";

/** Options for {@linkcode retry}. */
export interface RetryOptions {
  /**
   * How many calls in all, the first one included (an integer >= 1).
   * @default {3}
   */
  attempts?: number;
  /**
   * The delay before the second call, in milliseconds.
   * @default {100}
   */
  minDelayMs?: number;
  /**
   * No delay is longer than this (milliseconds).
   * @default {10_000}
   */
  maxDelayMs?: number;
  /**
   * Each delay is the previous one times this (a finite number >= 1).
   * @default {2}
   */
  factor?: number;
  /**
   * Wait a random time between half the delay and the delay, so that many
   * clients failing together do not retry together.
   * @default {true}
   */
  jitter?: boolean;
  /**
   * Called with the error and the number of the call that failed (from 1);
   * return `false` to give up at once with that error.
   * @default {() => true}
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
}

/** What `retry` calls: it gets the current task's signal and the call number (from 1). */
export type RetryFn<T> = (signal: AbortSignal, attempt: number) => T | PromiseLike<T>;

const NEVER_ABORTED = new AbortController().signal;

/**
 * Call `fn` until it succeeds, at most `attempts` times, sleeping between
 * calls: `minDelayMs`, then times `factor` each time, at most `maxDelayMs`,
 * with jitter. Runs in the current task; the monitor shows it waiting on
 * `retry(2/3)` during the second call and `retry(2/3) backoff(200)` while it
 * sleeps before it. A `CancelledError` is never retried.
 *
 * `fn` runs in the current task, as if the loop were written by hand: a
 * cancellation (of the task, or of a `timeout()` around `retry`) stops the
 * sleep at once (no timer is left) or reaches the call under way (its
 * signal aborts, its library awaits are interrupted), and `retry` rejects
 * with how that call then ended, without starting another. A `timeout()`
 * inside `fn` is the call's own business: its `TimeoutError` is retried
 * like any error.
 *
 * @param fn Called with the task's `AbortSignal` and the call number (from 1).
 * @param options `attempts`, `minDelayMs`, `maxDelayMs`, `factor`, `jitter`, `shouldRetry`.
 * @returns What the first successful call returned.
 * @throws {unknown} The last call's error once attempts run out, or the
 *   error `shouldRetry` refused to retry.
 * @throws {CancelledError} If the task was cancelled.
 * @throws {RangeError} If an option is out of range (`minDelayMs` above
 *   `maxDelayMs`, a `factor` below 1 or not finite, ...).
 * @throws {TypeError} If `fn` or `shouldRetry` is not a function.
 *
 * @example A flaky call succeeding on the third attempt
 * ```ts
 * import assert from "node:assert/strict";
 * import { retry } from "@corun/corun";
 *
 * let calls = 0;
 * const value = await retry(() => {
 *   if (++calls < 3) throw new Error("flaky");
 *   return "ok";
 * }, { minDelayMs: 5 });
 * assert.equal(value, "ok");
 * assert.equal(calls, 3);
 * ```
 */
export function retry<T>(fn: RetryFn<T>, options: RetryOptions = {}): Promise<T> {
  const task = currentTask();
  // The calls run in a scope of their own, which `shield(retry(...))` shields.
  const scope = task === undefined ? null : new CancelScope(task);
  const calls = retryIn(fn, options, task, scope);
  return scope === null ? calls : shieldable(calls, scope);
}

async function retryIn<T>(
  fn: RetryFn<T>,
  options: RetryOptions,
  task: Task<unknown> | undefined,
  scope: CancelScope | null,
): Promise<T> {
  try {
    return await attemptAll(fn, options, task, scope);
  } finally {
    scope?.exit();
  }
}

async function attemptAll<T>(
  fn: RetryFn<T>,
  options: RetryOptions,
  task: Task<unknown> | undefined,
  scope: CancelScope | null,
): Promise<T> {
  checkFunction(fn, "fn");
  const opts = readOptions<RetryOptions>(options, "options", [
    "attempts",
    "minDelayMs",
    "maxDelayMs",
    "factor",
    "jitter",
    "shouldRetry",
  ]);
  const { attempts = 3, factor = 2, jitter = true, shouldRetry } = opts;
  if (typeof attempts !== "number" || !Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`options.attempts must be an integer >= 1, got ${describe(attempts)}`);
  }
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`options.factor must be a finite number >= 1, got ${describe(factor)}`);
  }
  if (shouldRetry !== undefined) checkFunction(shouldRetry, "options.shouldRetry");
  const minDelay = toDurationMs(opts.minDelayMs ?? 100, "options.minDelayMs");
  const maxDelay = toDurationMs(opts.maxDelayMs ?? 10_000, "options.maxDelayMs");
  if (minDelay > maxDelay) {
    throw new RangeError(
      `options.minDelayMs must not exceed options.maxDelayMs (${maxDelay}), got ${minDelay}`,
    );
  }
  // The scope's signal aborts with the task's and with a `timeout()` around retry.
  const signal = scope?.signal ?? NEVER_ABORTED;
  const abortedBefore = signal.aborted;
  for (let attempt = 1;; attempt++) {
    // Never start a call for a task cancelled meanwhile (unless shielded).
    const pending = task === undefined || scope?.shielded ? null : taskInternals.takePending(task);
    if (pending !== null) throw pending;
    try {
      const result = fn(signal, attempt);
      return isThenable(result)
        ? await awaitCall(task, result, `retry(${attempt}/${attempts})`)
        : result;
    } catch (error) {
      if (isCancelledError(error) || attempt >= attempts) throw error;
      if (signal.aborted && !abortedBefore) throw error;
      if (shouldRetry !== undefined && !shouldRetry(error, attempt)) throw error;
      // `|| 0`: 0 * factor ** 1100 is NaN.
      let delay = Math.min(maxDelay, minDelay * factor ** (attempt - 1)) || 0;
      if (jitter) delay *= 0.5 + Math.random() / 2;
      await backoff(task, Math.round(delay), `retry(${attempt + 1}/${attempts})`);
    }
  }
}

/**
 * Await the call under way as a passive wait: the work runs in this task,
 * so a cancellation goes to the work's own library awaits (or stays pending
 * for its next one), and retry sees how the work ended, as a loop written by
 * hand would.
 */
function awaitCall<T>(
  task: Task<unknown> | undefined,
  result: PromiseLike<T>,
  label: string,
): Promise<T> {
  if (task === undefined) return Promise.resolve(result);
  return new Promise<T>((resolve, reject) => {
    const blocker: Blocker = { label, passive: true, cancel() {} };
    Promise.resolve(result).then((value) => {
      taskInternals.unblock(task, blocker);
      resolve(value);
    }, (error) => {
      taskInternals.unblock(task, blocker);
      reject(error);
    });
    taskInternals.block(task, blocker);
  });
}

/**
 * A cancellable sleep on the library's deadline heap, labelled for the
 * monitor; `Infinity` waits until cancelled.
 */
function backoff(task: Task<unknown> | undefined, ms: number, label: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const blocker: Blocker = {
      get label() {
        return `${label} backoff(${ms})`;
      },
      cancel(error) {
        clear?.();
        taskInternals.unblock(task as Task<unknown>, blocker);
        reject(error);
      },
    };
    const clear = ms === Infinity ? undefined : setDeadline(performance.now() + ms, () => {
      if (task !== undefined) taskInternals.unblock(task, blocker);
      resolve();
    });
    if (task !== undefined) taskInternals.block(task, blocker);
  });
}
