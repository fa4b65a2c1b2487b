/**
 * The cost of the task runtime over raw promises.
 *
 *     deno task bench        (or: deno bench -A bench/core_bench.ts)
 *
 * Each group has a raw-promise baseline, so `deno bench` prints how many
 * times slower corun is. Every task body yields once with a microtask, the
 * same way in both versions.
 */
import { createTask, gather, waitFor } from "../mod.ts";

const N = 100_000;

async function yieldOnce(): Promise<number> {
  await null;
  return 1;
}

Deno.bench({
  name: "raw: 100,000 async functions + Promise.all",
  group: "spawn and gather 100,000 tasks",
  baseline: true,
  async fn() {
    const promises = new Array<Promise<number>>(N);
    for (let i = 0; i < N; i++) promises[i] = yieldOnce();
    await Promise.all(promises);
  },
});

Deno.bench({
  name: "corun: 100,000 createTask + gather",
  group: "spawn and gather 100,000 tasks",
  async fn() {
    const tasks = new Array(N);
    for (let i = 0; i < N; i++) tasks[i] = createTask(yieldOnce);
    await gather(tasks);
  },
});

Deno.bench({
  name: "corun: gather of 100,000 task functions",
  group: "spawn and gather 100,000 tasks",
  async fn() {
    const fns = new Array(N);
    for (let i = 0; i < N; i++) fns[i] = yieldOnce;
    await gather(fns);
  },
});

/** A minimal raw timeout: race the work against a timer, clear the timer. */
function rawTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

Deno.bench({
  name: "raw: 100,000 sequential Promise.race timeouts",
  group: "100,000 waitFor calls on fast work",
  baseline: true,
  async fn() {
    for (let i = 0; i < N; i++) await rawTimeout(yieldOnce(), 1000);
  },
});

Deno.bench({
  name: "corun: 100,000 sequential waitFor(fn, 1000)",
  group: "100,000 waitFor calls on fast work",
  async fn() {
    for (let i = 0; i < N; i++) await waitFor(yieldOnce, 1000);
  },
});

Deno.bench({
  name: "corun: 100,000 sequential waitFor(promise, 1000)",
  group: "100,000 waitFor calls on fast work",
  async fn() {
    for (let i = 0; i < N; i++) await waitFor(yieldOnce(), 1000);
  },
});
