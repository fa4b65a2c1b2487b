/**
 * No user code ends the session: an unhandled rejection or an error thrown
 * by a callback (`setTimeout(() => { throw ... })`) would make Deno print
 * `error: Uncaught` and exit. The REPL catches both global events, cancels
 * their default (the exit) and reports the error instead, as `deno repl`
 * does.
 *
 * @module
 */

/** Which global event reported the error. */
export type UncaughtKind = "rejection" | "error";

/**
 * Keep the process alive through unhandled rejections and uncaught errors.
 *
 * @param report Called once for each, with what was thrown.
 * @returns A function that removes the handlers.
 *
 * @example A rejection nobody handles is reported, not fatal
 * ```ts
 * import { surviveUncaught } from "./survival.ts";
 *
 * const seen: unknown[] = [];
 * const stop = surviveUncaught((error) => seen.push(error));
 * Promise.reject(new Error("nobody awaits me"));
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * stop();
 * if (seen.length !== 1) throw new Error();
 * ```
 */
export function surviveUncaught(report: (error: unknown, kind: UncaughtKind) => void): () => void {
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    safely(() => report(event.reason, "rejection"));
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    safely(() => report(event.error, "error"));
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  return () => {
    globalThis.removeEventListener("unhandledrejection", onRejection);
    globalThis.removeEventListener("error", onError);
  };
}

/** A reporter that throws must not turn into another uncaught error. */
function safely(body: () => void): void {
  try {
    body();
  } catch {
    // Nothing sensible is left to report with.
  }
}
