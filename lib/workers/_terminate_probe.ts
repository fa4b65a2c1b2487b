/**
 * Whether `Worker.terminate()` interrupts running JavaScript in this
 * runtime, measured once per process. Measured: it does on Node and Bun, and
 * does not on Deno 2.9.6, where a terminated thread runs its current code to
 * the end (so a cancelled busy job keeps its core).
 *
 * The probe thread blocks in `Atomics.wait` (no CPU); after `terminate()`
 * has resolved, `Atomics.notify` reports how many waiters it woke: 1 means
 * the thread was still alive. No timer decides the answer, so a loaded
 * machine cannot make it wrong; the short retries only cover a thread that
 * had not yet reached its wait.
 */
import { Worker } from "node:worker_threads";

const PROBE_SOURCE = `
const { workerData: slots } = require("node:worker_threads");
Atomics.store(slots, 0, 1);
Atomics.notify(slots, 0);
Atomics.wait(slots, 1, 0);
`;

let measured: Promise<boolean> | undefined;

/** Resolves `true` if `terminate()` stops running code (measured once). */
export function terminateStopsCode(): Promise<boolean> {
  measured ??= probe().catch(() => true);
  return measured;
}

async function probe(): Promise<boolean> {
  const slots = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(PROBE_SOURCE, { eval: true, workerData: slots });
  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", () => resolve());
    const started = Atomics.waitAsync(slots, 0, 0);
    if (started.async) started.value.then(() => resolve());
    else resolve();
  });
  await worker.terminate();
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (Atomics.notify(slots, 1) > 0) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  } finally {
    // A thread that had not reached its wait yet must not block there.
    Atomics.store(slots, 1, 1);
    Atomics.notify(slots, 1);
  }
}
