/**
 * No user code ends the session: an unhandled rejection or an error thrown
 * by a callback (`setTimeout(() => { throw ... })`) would make Deno print
 * `error: Uncaught` and exit. The REPL catches both global events, cancels
 * their default (the exit) and reports the error instead, as `deno repl`
 * does.
 *
 * A user's own `error` or `unhandledrejection` listener that throws would
 * take the process down from inside the event's dispatch (in piped mode a V8
 * fatal error), so the global listeners user code adds (`addEventListener`,
 * `onerror =`, `onunhandledrejection =`) are wrapped: what they throw is
 * reported the same way. An error a Worker did not handle arrives with no
 * `error` object, only its message, which is reported instead.
 *
 * @module
 */

import { reportWorkerErrors } from "./_worker_errors.ts";

/** Which global event reported the error. */
export type UncaughtKind = "rejection" | "error";

const TYPES = ["error", "unhandledrejection"] as const;

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
    safely(() => report(errorOf(event), "error"));
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  const unwrap = wrapUserListeners((error) => safely(() => report(error, "error")));
  const unwrapWorker = reportWorkerErrors(
    (event) => safely(() => report(errorOf(event), "error")),
    new URL(`file://${Deno.cwd()}/`),
  );
  return () => {
    unwrapWorker();
    unwrap();
    globalThis.removeEventListener("unhandledrejection", onRejection);
    globalThis.removeEventListener("error", onError);
  };
}

/** What an error event carries: its error, or (from a Worker) its message. */
function errorOf(event: ErrorEvent): unknown {
  if (event.error !== null && event.error !== undefined) return event.error;
  if (typeof event.message !== "string" || event.message === "") return event.error;
  // "Uncaught (in promise) Error: w" from a worker: the prefix is ours to print.
  const message = event.message.replace(/^Uncaught (\(in promise\) )?/, "");
  const where = event.filename
    ? ` (in worker ${event.filename}:${event.lineno}:${event.colno})`
    : "";
  return new WorkerError(`${message}${where}`);
}

/** An error reported by a Worker: its text is already `Name: message`. */
class WorkerError extends Error {
  override name = "WorkerError";
  constructor(text: string) {
    super(text);
    // Printed as the worker's own `Error: w ...`, with no stack of this process.
    this.stack = text;
  }
  override toString(): string {
    return this.message;
  }
}

type Listener = EventListenerOrEventListenerObject;

/**
 * Make the global `error`/`unhandledrejection` listeners user code adds
 * report what they throw instead of throwing it into the dispatch.
 */
function wrapUserListeners(report: (error: unknown) => void): () => void {
  const target = globalThis as unknown as Record<string, unknown>;
  const add = globalThis.addEventListener;
  const remove = globalThis.removeEventListener;
  const wrappers = new Map<string, WeakMap<object, EventListener>>(
    TYPES.map((type) => [type, new WeakMap()]),
  );
  const guarded = (listener: Listener): EventListener =>
    function (this: unknown, event: Event) {
      try {
        if (typeof listener === "function") return listener.call(this, event);
        return listener.handleEvent(event);
      } catch (error) {
        report(error);
      }
    };
  const wrapperOf = (type: string, listener: Listener | null): Listener | null => {
    const map = wrappers.get(type);
    if (
      map === undefined || listener === null ||
      typeof listener !== "object" && typeof listener !== "function"
    ) {
      return listener;
    }
    let wrapper = map.get(listener);
    if (wrapper === undefined) map.set(listener, wrapper = guarded(listener));
    return wrapper;
  };
  target.addEventListener = function (type: string, listener: Listener | null, options?: unknown) {
    return add.call(
      globalThis,
      type,
      wrapperOf(type, listener) as Listener,
      options as AddEventListenerOptions,
    );
  };
  target.removeEventListener = function (
    type: string,
    listener: Listener | null,
    options?: unknown,
  ) {
    return remove.call(
      globalThis,
      type,
      wrapperOf(type, listener) as Listener,
      options as EventListenerOptions,
    );
  };
  const handlers: Record<string, PropertyDescriptor | undefined> = {};
  for (const type of TYPES) {
    const name = `on${type}`;
    handlers[name] = Object.getOwnPropertyDescriptor(globalThis, name);
    let handler: unknown = null;
    let wrapped: EventListener | null = null;
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => handler,
      set: (value: unknown) => {
        if (wrapped !== null) remove.call(globalThis, type, wrapped);
        handler = typeof value === "function" ? value : null;
        wrapped = handler === null ? null : guarded(handler as EventListener);
        if (wrapped !== null) add.call(globalThis, type, wrapped);
      },
    });
  }
  return () => {
    target.addEventListener = add;
    target.removeEventListener = remove;
    for (const [name, descriptor] of Object.entries(handlers)) {
      if (descriptor === undefined) delete target[name];
      else Object.defineProperty(globalThis, name, descriptor);
    }
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
