/**
 * `throttle`: call a function at most once per time frame.
 *
 * @module
 */
import { callReporting } from "./_callback.ts";
import { checkOptions } from "./_task_like.ts";
import { checkFunction, describe } from "./_validate.ts";
import { setDeadline } from "./runtime/mod.ts";

/** Options for {@linkcode throttle}. */
export interface ThrottleOptions {
  /**
   * Run the most recent dropped call once the time frame ends with no
   * further calls (a trailing call); otherwise it is dropped.
   * @default {false}
   */
  ensureLastCall?: boolean;
}

/** A throttled function: see {@linkcode throttle}. */
export interface ThrottledFunction<T extends Array<unknown>> {
  (...args: T): void;
  /** Forget the throttling state and the dropped call (and its timer). */
  clear(): void;
  /** Run the last dropped call now (if any), then clear. */
  flush(): void;
  /** Whether a call now would be dropped. */
  readonly throttling: boolean;
  /** When `fn` last ran (`performance.now()` time), `-Infinity` before. */
  readonly lastExecution: number;
}

/**
 * Wrap `fn` so that it runs at most once per `timeframeMs`, as std's
 * `throttle`: a call outside a time frame runs at once and starts one;
 * calls inside it are dropped, except that the last one is kept for
 * `flush()` (or run when the frame ends, with `ensureLastCall`). An error
 * `fn` throws, or a promise it returns that rejects, is printed on stderr
 * (`Exception in throttle(name): ...`), never thrown from a timer. With
 * `ensureLastCall`, a kept call holds a timer until it runs or `clear()`.
 *
 * @param fn The function to call.
 * @param timeframeMs The time frame (ms; negative counts as 0).
 * @param options `ensureLastCall`.
 * @returns The throttled function, with `clear()`, `flush()`,
 *   `throttling` and `lastExecution`.
 * @throws {TypeError} If `fn` is not a function or `options` is malformed.
 * @throws {RangeError} If `timeframeMs` is `NaN`, infinite or not a number.
 *
 * @example Once per frame
 * ```ts
 * import { throttle } from "@corun/corun";
 *
 * const calls: string[] = [];
 * const onScroll = throttle((at: string) => void calls.push(at), 1000);
 * onScroll("top");
 * onScroll("middle");
 * onScroll("bottom");
 * if (calls.join() !== "top" || !onScroll.throttling) throw new Error(calls.join());
 * onScroll.flush(); // runs the last dropped call
 * if (calls.join() !== "top,bottom") throw new Error(calls.join());
 * ```
 */
export function throttle<T extends Array<unknown>>(
  fn: (this: ThrottledFunction<T>, ...args: T) => void | PromiseLike<void>,
  timeframeMs: number,
  options: ThrottleOptions = {},
): ThrottledFunction<T> {
  checkFunction(fn, "fn");
  if (typeof timeframeMs !== "number" || !Number.isFinite(timeframeMs)) {
    throw new RangeError(
      `timeframeMs must be a finite number of milliseconds, got ${describe(timeframeMs)}`,
    );
  }
  const ms = Math.max(0, timeframeMs);
  const ensureLastCall = checkOptions<ThrottleOptions>(options, "options").ensureLastCall ?? false;
  if (typeof ensureLastCall !== "boolean") {
    throw new TypeError(
      `options.ensureLastCall must be a boolean, got ${describe(ensureLastCall)}`,
    );
  }
  const what = `throttle(${fn.name || "anonymous"})`;
  let lastExecution = -Infinity;
  let kept: T | null = null;
  let clearTimer: (() => void) | null = null;
  const execute = (args: T): void => {
    lastExecution = performance.now();
    callReporting(what, fn, throttled, args);
  };
  const clear = (): void => {
    clearTimer?.();
    clearTimer = null;
    kept = null;
    lastExecution = -Infinity;
  };
  const throttled = ((...args: T): void => {
    if (performance.now() - lastExecution >= ms) {
      clearTimer?.();
      clearTimer = null;
      kept = null;
      execute(args);
      return;
    }
    kept = args;
    if (ensureLastCall) {
      clearTimer?.();
      clearTimer = setDeadline(lastExecution + ms, () => {
        clearTimer = null;
        const args = kept;
        kept = null;
        if (args !== null) execute(args);
      });
    }
  }) as ThrottledFunction<T>;
  throttled.clear = clear;
  throttled.flush = (): void => {
    const args = kept;
    clear();
    if (args !== null) execute(args);
  };
  Object.defineProperties(throttled, {
    throttling: { get: () => performance.now() - lastExecution < ms },
    lastExecution: { get: () => lastExecution },
  });
  return throttled;
}
