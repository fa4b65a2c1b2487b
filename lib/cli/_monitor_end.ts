/**
 * The monitor's `end` event when the script does not finish normally: on
 * SIGINT/SIGTERM and on an uncaught error or unhandled rejection, the open
 * dashboards get the final state (within a bounded wait) before the process
 * exits with the usual code. `Deno.exit()` cannot be delayed (it is
 * synchronous and nothing is written after it); the dashboard notices the
 * lost connection instead.
 */
import type { MonitorServer } from "../monitor/server.ts";
import { describe } from "../runtime/mod.ts";
import type { CliIo } from "./io.ts";

/** Longest wait for the `end` event to go out before exiting (milliseconds). */
export const END_WAIT_MS = 300;

const SIGNALS: [Deno.Signal, number][] = [["SIGINT", 130], ["SIGTERM", 143]];

/**
 * Until the returned function is called, end `server` before the process
 * dies of a signal or an uncaught error.
 *
 * @param server The running monitor.
 * @param io Where an uncaught error is printed.
 * @returns Removes the listeners.
 */
export function endMonitorOnExit(server: MonitorServer, io: CliIo): () => void {
  let exiting = false;
  const exit = (reason: string, code: number) => {
    if (exiting) return;
    exiting = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => timer = setTimeout(resolve, END_WAIT_MS));
    // close() sends the end event, then waits for the streams to finish.
    Promise.race([server.close({ reason }), waited]).catch(() => {}).finally(() => {
      clearTimeout(timer);
      Deno.exit(code);
    });
  };
  const handlers = SIGNALS.map(([signal, code]) => {
    const handler = () => exit(`process stopped by ${signal}`, code);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  const uncaught = (error: unknown, inPromise: boolean) => {
    if (exiting) return;
    io.err(
      `error: Uncaught ${inPromise ? "(in promise) " : ""}${describe(error, { stack: true })}\n`,
    );
    exit(`process failed (uncaught ${describe(error)})`, 1);
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    uncaught(event.error, false);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    uncaught(event.reason, true);
  };
  globalThis.addEventListener("error", onError);
  globalThis.addEventListener("unhandledrejection", onRejection);
  return () => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    globalThis.removeEventListener("error", onError);
    globalThis.removeEventListener("unhandledrejection", onRejection);
  };
}
