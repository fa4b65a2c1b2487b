/**
 * Workers started from REPL input report their uncaught errors like the
 * rest: one `Uncaught Error: w (in worker ...)` line. Left alone, Deno prints
 * its raw coloured report from the worker's thread (even on piped stderr) and
 * the REPL only gets an `error` event without the error. So `Worker` is
 * wrapped: the worker starts with `_worker_bootstrap.ts`, which catches what
 * the worker's code does not and sends it here, where it is an `error` event
 * on the Worker (its listeners may handle it) and, if none does, reported.
 *
 * @module
 */
import { UNCAUGHT_KEY } from "./_worker_bootstrap.ts";

const BOOTSTRAP = new URL("./_worker_bootstrap.ts", import.meta.url);

interface Uncaught {
  message: string;
  filename: string;
  lineno: number;
  colno: number;
}

/**
 * Replace the global `Worker` with one whose uncaught errors go to `report`.
 *
 * @param report Gets the error event nobody handled.
 * @param base What relative worker URLs are resolved against.
 * @returns A function that puts the original `Worker` back.
 */
export function reportWorkerErrors(report: (event: ErrorEvent) => void, base: URL): () => void {
  const Original = globalThis.Worker;
  if (typeof Original !== "function") return () => {};
  class ReplWorker extends Original {
    constructor(specifier: string | URL, options?: WorkerOptions) {
      const target = new URL(String(specifier), base).href;
      const url = new URL(BOOTSTRAP);
      url.searchParams.set("target", target);
      super(url, options);
      this.addEventListener("message", (event) => {
        const data = (event as MessageEvent).data;
        if (data === null || typeof data !== "object" || !(UNCAUGHT_KEY in data)) return;
        event.stopImmediatePropagation();
        const uncaught = data[UNCAUGHT_KEY] as Uncaught;
        const error = new ErrorEvent("error", { ...uncaught, cancelable: true });
        this.dispatchEvent(error);
        if (!error.defaultPrevented) report(error);
      });
    }
  }
  globalThis.Worker = ReplWorker;
  return () => {
    globalThis.Worker = Original;
  };
}
