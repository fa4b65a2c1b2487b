/**
 * `await` does not make blocking code concurrent: one blocking call stalls
 * every task. A ticker task should tick every 50 ms; first a task blocks the
 * loop for 400 ms (debug mode reports it), then the same work runs through
 * toThread and the ticker keeps ticking.
 *
 *   deno run -A examples/blocking.ts
 */
import { createTask, run, sleep, toThread } from "../mod.ts";

/** Blocking work, like Python's time.sleep(): nothing else runs meanwhile. */
function blockingWork(ms: number): number {
  const end = Date.now() + ms;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
}

/** Run `work` in a task named `label` while a ticker ticks; print the timings. */
async function beside(label: string, work: () => unknown): Promise<void> {
  const gaps: number[] = [];
  const ticker = createTask(async () => {
    let last = performance.now();
    for (;;) {
      await sleep(50);
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
  }, { name: "ticker" });
  await sleep(120);
  const started = performance.now();
  await createTask(work, { name: label });
  const took = performance.now() - started;
  await sleep(120);
  ticker.cancel();
  console.log(
    `${label}: the work took ${took.toFixed(0)} ms; the ticker ticked ${gaps.length} times, ` +
      `its longest gap was ${Math.max(...gaps).toFixed(0)} ms`,
  );
}

// Starting a worker thread blocks the loop too (~40-120 ms on Deno), so
// start the pool's first worker before measuring.
await toThread(() => null);

await run(async () => {
  await beside("blocking", () => blockingWork(400));
  await beside("toThread", () => toThread(blockingWork, 400));
}, { debug: true });
