/**
 * The evaluation process's watchdog: a Worker thread that keeps running when
 * user code blocks the main thread's event loop, and then says which task
 * holds the loop. The main thread writes the id of the task that runs now
 * (0 for none) and a heartbeat into shared memory; when the heartbeat stops
 * (`_watchdog_thread.ts`), the watchdog writes a `holder` marker with that id to
 * the process's terminal, which the front reads in band. Its main-thread side
 * is {@linkcode startWatchdog}.
 *
 * @module
 */
import { addTaskListener, type Task } from "../runtime/mod.ts";
import { BEAT, HOLDER } from "./_watchdog_thread.ts";

/** `Worker` before the REPL wraps it for user code (`_worker_errors.ts`). */
const NativeWorker = globalThis.Worker;

/** The watchdog, seen from the main thread. */
export interface Watchdog {
  /** Say the loop is free (called on every snapshot tick). */
  beat(): void;
  /** Stop the watchdog and the task listener. */
  stop(): void;
}

/**
 * Start the watchdog thread and track which task holds the loop.
 *
 * @param nonce The session's marker secret.
 * @param ignore Tasks never named (the session's root).
 * @returns Its handle.
 */
export function startWatchdog(nonce: string, ignore: (task: Task<unknown>) => boolean): Watchdog {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new NativeWorker(new URL("./_watchdog_thread.ts", import.meta.url), {
    type: "module",
    name: "corun-repl-watchdog",
  });
  worker.postMessage({ shared, nonce });
  const unsubscribe = addTaskListener(({ type, task }) => {
    if (ignore(task)) return;
    if (type === "started" || type === "running") Atomics.store(shared, HOLDER, task.id);
    else if ((type === "waiting" || type === "ended") && Atomics.load(shared, HOLDER) === task.id) {
      Atomics.store(shared, HOLDER, 0);
    }
  });
  return {
    beat: () => Atomics.add(shared, BEAT, 1),
    stop: () => {
      unsubscribe();
      worker.terminate();
    },
  };
}
