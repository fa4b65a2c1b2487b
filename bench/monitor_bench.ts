/**
 * What attaching the monitor costs: spawning and awaiting 100,000 tasks with
 * no task event subscriber, with a no-op one, and with the one
 * `serveMonitor` installs while a dashboard is open (it pushes the task on a
 * list; it dedupes when it flushes, every 100 ms). Goal: at most 15 % slower with a subscriber.
 *
 *     deno bench -A bench/monitor_bench.ts
 *
 * On a noisy machine `deno bench` order effects (GC of the previous
 * variant's 100,000 tasks) swamp the difference; for a steadier number run
 * it as a script, which interleaves the variants and compares medians:
 *
 *     deno run -A bench/monitor_bench.ts
 */
import { createTask, type Task } from "../mod.ts";
import { onTaskEvent } from "../monitor.ts";

const COUNT = 100_000;

async function spawnAll(): Promise<void> {
  const tasks: Task<number>[] = new Array(COUNT);
  for (let i = 0; i < COUNT; i++) tasks[i] = createTask(() => i);
  for (let i = 0; i < COUNT; i++) await tasks[i];
}

const VARIANTS: Record<string, () => Promise<void>> = {
  "no subscriber": spawnAll,
  "a no-op subscriber": async () => {
    const stop = onTaskEvent(() => {});
    try {
      await spawnAll();
    } finally {
      stop();
    }
  },
  "the dashboard's subscriber": async () => {
    // What serveMonitor's event stream does per event: remember the task.
    const changed: Task<unknown>[] = [];
    const stop = onTaskEvent(({ task }) => void changed.push(task));
    try {
      await spawnAll();
    } finally {
      stop();
    }
  },
};

for (const [name, fn] of Object.entries(VARIANTS)) {
  Deno.bench(`spawn 100,000 tasks, ${name}`, { group: "monitor", baseline: fn === spawnAll }, fn);
}

if (import.meta.main) {
  const ROUNDS = 15;
  const times: Record<string, number[]> = {};
  for (const fn of Object.values(VARIANTS)) await fn(); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(VARIANTS)) {
      const started = performance.now();
      await fn();
      (times[name] ??= []).push(performance.now() - started);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(times["no subscriber"]);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    const overhead = ((m / base - 1) * 100).toFixed(1);
    console.log(`${name.padEnd(28)} median ${m.toFixed(1)} ms  (${overhead} % vs no subscriber)`);
  }
}
