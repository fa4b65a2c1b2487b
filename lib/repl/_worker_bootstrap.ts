/**
 * The first module of a Worker started from REPL input (see
 * `_worker_errors.ts`): it catches what the worker's code does not, so that
 * Deno does not print its raw error report, and hands it to the REPL's
 * thread, then imports the worker's own module (`?target=` in this URL).
 *
 * @module
 */

/** The key of the message that carries an uncaught error of the worker. */
export const UNCAUGHT_KEY = "corun.repl.workerUncaught";

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  postMessage(message: unknown): void;
  close(): void;
};

function send(error: unknown, inPromise: boolean, where?: ErrorEvent): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Where it was thrown: the event says so, else the first frame of its stack.
  const found = (error instanceof Error ? error.stack ?? "" : "")
    .match(/^\s+at (?:[^(]*\((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/m);
  const frame = found === null ? undefined : found[1] === undefined ? found.slice(3) : found;
  scope.postMessage({
    [UNCAUGHT_KEY]: {
      message: `Uncaught ${inPromise ? "(in promise) " : ""}${text}`,
      filename: where?.filename ?? frame?.[1] ?? "",
      lineno: where?.lineno ?? Number(frame?.[2] ?? 0),
      colno: where?.colno ?? Number(frame?.[3] ?? 0),
    },
  });
  // Deno ends a worker whose error nobody handled; so does this one.
  scope.close();
}

const target = new URL(import.meta.url).searchParams.get("target");
if (scope.WorkerGlobalScope !== undefined && target !== null) {
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    send(event.error ?? event.message, false, event);
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    send(event.reason, true);
  });
  import(target).catch((error) => send(error, false));
}
