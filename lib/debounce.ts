/**
 * `debounce`: call a function once calls have stopped for a while.
 *
 * @module
 */
import { callReporting } from "./_callback.ts";
import { checkFunction, describe } from "./_validate.ts";
import { setDeadline } from "./runtime/mod.ts";

/** A debounced function: see {@linkcode debounce}. */
export interface DebouncedFunction<T extends Array<unknown>> {
  (...args: T): void;
  /** Forget the pending call (and its timer). */
  clear(): void;
  /** Make the pending call now, if there is one. */
  flush(): void;
  /** Whether a call is pending. */
  readonly pending: boolean;
}

/**
 * Wrap `fn` so that it runs `waitMs` after the last of a burst of calls,
 * with that last call's arguments, as std's `debounce`. An error `fn`
 * throws, or a promise it returns that rejects, is printed on stderr
 * (`Exception in debounce(name): ...`) instead of escaping from a timer.
 * A pending call holds a timer: `clear()` it when done, so nothing is left
 * behind.
 *
 * @param fn The function to call.
 * @param waitMs How long calls must stop (ms; negative counts as 0).
 * @returns The debounced function, with `clear()`, `flush()` and `pending`.
 * @throws {TypeError} If `fn` is not a function.
 * @throws {RangeError} If `waitMs` is `NaN`, infinite or not a number.
 *
 * @example Only the last call of a burst
 * ```ts
 * import { debounce, sleep } from "@corun/corun";
 *
 * const saved: string[] = [];
 * const save = debounce((text: string) => void saved.push(text), 20);
 * save("h");
 * save("he");
 * save("hello");
 * await sleep(40);
 * if (saved.join() !== "hello") throw new Error(saved.join());
 * ```
 */
export function debounce<T extends Array<unknown>>(
  fn: (this: DebouncedFunction<T>, ...args: T) => void | PromiseLike<void>,
  waitMs: number,
): DebouncedFunction<T> {
  checkFunction(fn, "fn");
  if (typeof waitMs !== "number" || !Number.isFinite(waitMs)) {
    throw new RangeError(`waitMs must be a finite number of milliseconds, got ${describe(waitMs)}`);
  }
  const ms = Math.max(0, waitMs);
  let clearTimer: (() => void) | null = null;
  let args: T | null = null;
  const what = `debounce(${fn.name || "anonymous"})`;
  const run = (): void => {
    const callArgs = args as T;
    args = null;
    clearTimer?.();
    clearTimer = null;
    callReporting(what, fn, debounced, callArgs);
  };
  const debounced = ((...callArgs: T): void => {
    args = callArgs;
    clearTimer?.();
    clearTimer = setDeadline(performance.now() + ms, run);
  }) as DebouncedFunction<T>;
  debounced.clear = (): void => {
    clearTimer?.();
    clearTimer = null;
    args = null;
  };
  debounced.flush = (): void => {
    if (args !== null) run();
  };
  Object.defineProperty(debounced, "pending", { get: () => args !== null });
  return debounced;
}
