/**
 * Calling a user's callback from a timer: an error it throws, or a promise
 * it returns that rejects, is printed on stderr (as asyncio's loop does for
 * callbacks) instead of escaping as an uncaught error or an unhandled
 * rejection.
 */
import { describe } from "./runtime/mod.ts";

/** Call `fn` with `args`; report what it throws or rejects with under `what`. */
export function callReporting<A extends unknown[]>(
  what: string,
  fn: (...args: A) => unknown,
  thisArg: unknown,
  args: A,
): void {
  const report = (error: unknown): void => {
    console.error(`Exception in ${what}: ${describe(error)}`);
  };
  try {
    const result = fn.apply(thisArg, args) as { then?: unknown } | undefined;
    if (result !== null && typeof result?.then === "function") {
      (result as PromiseLike<unknown>).then(undefined, report);
    }
  } catch (error) {
    report(error);
  }
}
