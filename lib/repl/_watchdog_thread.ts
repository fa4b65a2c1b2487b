/**
 * The watchdog thread of the evaluation process (see `_watchdog.ts`). It
 * imports next to nothing, so that it is up at once.
 *
 * @module
 */
import { marker } from "./_channel.ts";

/** After how long without a heartbeat the watchdog names the holder. */
export const BLOCKED_AFTER_MS = 300;
/** Where the holder's task id is in the shared memory. */
export const HOLDER = 0;
/** Where the heartbeat is. */
export const BEAT = 1;

/** The thread's side: watch the heartbeat. */
function watch({ shared, nonce }: { shared: Int32Array; nonce: string }): void {
  let beat = Atomics.load(shared, BEAT);
  let since = performance.now();
  let told = false;
  setInterval(() => {
    const now = Atomics.load(shared, BEAT);
    if (now !== beat) {
      beat = now;
      since = performance.now();
      told = false;
    } else if (!told && performance.now() - since >= BLOCKED_AFTER_MS) {
      told = true;
      const text = marker(nonce, "holder", Atomics.load(shared, HOLDER));
      try {
        Deno.stdout.writeSync(new TextEncoder().encode(text));
      } catch {
        // The terminal is gone: so is the front.
      }
    }
  }, 50);
}

const thread = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  onmessage: ((event: MessageEvent) => void) | null;
};
if (thread.WorkerGlobalScope !== undefined) {
  thread.onmessage = (event) => {
    thread.onmessage = null;
    watch(event.data);
  };
}
