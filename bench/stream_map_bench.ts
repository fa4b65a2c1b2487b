/**
 * The streaming map against the whole-array map and a hand-written pool,
 * 100,000 items, 16 at a time, each call yielding once.
 *
 *     deno bench -A bench/stream_map_bench.ts
 *
 * The hand-written pool (16 workers pulling from a shared index, plain
 * promises) is the floor: no tasks, no cancellation, no back-pressure.
 */
import { mapLimit, mapLimitStream } from "../mod.ts";

const N = 100_000;
const LIMIT = 16;
const items = Array.from({ length: N }, (_, i) => i);

async function double(n: number): Promise<number> {
  await null;
  return n * 2;
}

async function* asyncItems(): AsyncGenerator<number> {
  for (let i = 0; i < N; i++) yield i;
}

const group = "map 100,000 items, 16 at a time";

Deno.bench({
  name: "hand-written pool of 16 promises",
  group,
  baseline: true,
  async fn() {
    const results = new Array<number>(N);
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        results[i] = await double(items[i]);
      }
    };
    await Promise.all(Array.from({ length: LIMIT }, worker));
  },
});

Deno.bench({
  name: "mapLimit (array in, array out)",
  group,
  async fn() {
    await mapLimit(items, LIMIT, double);
  },
});

Deno.bench({
  name: "mapLimitStream, completion order",
  group,
  async fn() {
    let sum = 0;
    for await (const value of mapLimitStream(items, LIMIT, double)) sum += value;
    if (sum !== N * (N - 1)) throw new Error(`sum ${sum}`);
  },
});

Deno.bench({
  name: "mapLimitStream, input order",
  group,
  async fn() {
    for await (const _ of mapLimitStream(items, LIMIT, double, { ordered: true })) { /* consume */ }
  },
});

Deno.bench({
  name: "mapLimitStream over an async generator",
  group,
  async fn() {
    for await (const _ of mapLimitStream(asyncItems(), LIMIT, double)) { /* consume */ }
  },
});
