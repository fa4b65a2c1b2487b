/**
 * The cost of `run()` cleaning up what `main` left behind: 10,000 tasks, each
 * awaiting the one created before it, still unfinished when `main` returns.
 * Cancelling and awaiting them must cost O(N).
 *
 *     deno bench -A bench/cleanup_bench.ts
 */
import { createTask, run, sleep, type Task } from "../mod.ts";

/** `run()` whose main leaves `n` chained tasks behind. */
export async function chainedLeftovers(n: number): Promise<void> {
  await run(async () => {
    let prev: Task<unknown> = createTask(() => sleep(Infinity));
    for (let i = 1; i < n; i++) {
      const awaited = prev;
      prev = createTask(async () => await awaited);
    }
    await sleep(0);
  });
}

Deno.bench({
  name: "run() cleans up 10,000 chained leftovers",
  group: "cleanup",
  baseline: true,
  async fn() {
    await chainedLeftovers(10_000);
  },
});

Deno.bench({
  name: "run() cleans up 1,000 chained leftovers",
  group: "cleanup",
  async fn() {
    await chainedLeftovers(1_000);
  },
});
