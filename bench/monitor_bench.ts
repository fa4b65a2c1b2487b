/**
 * What attaching the monitor costs: spawning and awaiting 100,000 tasks with
 * no task event subscriber, with a no-op one, and with a dashboard attached
 * (`serveMonitor` with an open `/api/events` stream: its subscriber records
 * each changed task, and it sends the changes every 100 ms). Only the
 * spawning is timed, not starting or closing the server. Goal: at most 15 %
 * slower with a subscriber.
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
import { onTaskEvent, serveMonitor } from "../monitor.ts";

const COUNT = 100_000;

async function spawnAll(): Promise<void> {
  const tasks: Task<number>[] = new Array(COUNT);
  for (let i = 0; i < COUNT; i++) tasks[i] = createTask(() => i);
  for (let i = 0; i < COUNT; i++) await tasks[i];
}

/** Attaches a subscriber; resolves with the function that detaches it. */
type Attach = () => Promise<() => Promise<void>>;

const VARIANTS: Record<string, Attach> = {
  "no subscriber": () => Promise.resolve(() => Promise.resolve()),
  "a no-op subscriber": () => {
    const stop = onTaskEvent(() => {});
    return Promise.resolve(() => Promise.resolve(stop()));
  },
  "an open dashboard": async () => {
    const server = await serveMonitor();
    const response = await fetch(new URL(`api/events?token=${server.token}`, server.url));
    if (!response.ok) throw new Error(`/api/events answered ${response.status}`);
    const drained = response.body!.pipeTo(new WritableStream());
    return async () => {
      await server.close();
      await drained;
    };
  },
};

for (const [name, attach] of Object.entries(VARIANTS)) {
  Deno.bench(
    `spawn 100,000 tasks, ${name}`,
    { group: "monitor", baseline: name === "no subscriber" },
    async (b) => {
      const detach = await attach();
      b.start();
      await spawnAll();
      b.end();
      await detach();
    },
  );
}

if (import.meta.main) {
  const ROUNDS = 15;
  const times: Record<string, number[]> = {};
  const timed = async (attach: Attach): Promise<number> => {
    const detach = await attach();
    const started = performance.now();
    await spawnAll();
    const elapsed = performance.now() - started;
    await detach();
    return elapsed;
  };
  for (const attach of Object.values(VARIANTS)) await timed(attach); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, attach] of Object.entries(VARIANTS)) {
      (times[name] ??= []).push(await timed(attach));
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
