/**
 * Off-loop work: the round trip of a trivial toThread call (warm pool), and
 * the throughput of 1,000 small jobs on a WorkerPool.
 *
 *   deno bench -A bench/offloop_bench.ts
 */
import { toThread, WorkerPool } from "../mod.ts";

const pool = new WorkerPool();
// Start the workers before measuring: a worker's start is a one-off cost.
await Promise.all(Array.from({ length: pool.size * 2 }, () => pool.run(() => 0)));
await toThread(() => 0);

Deno.bench("toThread round trip of a trivial call (warm)", async () => {
  await toThread((n: number) => n + 1, 1);
});

Deno.bench(`1,000 small jobs on a WorkerPool of ${pool.size}`, async () => {
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < 1_000; i++) jobs.push(pool.run((n: number) => n * 2, i));
  await Promise.all(jobs);
});

Deno.bench("baseline: 1,000 of the same calls on the loop", async () => {
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < 1_000; i++) jobs.push(Promise.resolve(i * 2));
  await Promise.all(jobs);
});
