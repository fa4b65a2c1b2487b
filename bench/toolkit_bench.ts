/**
 * The toolkit helpers against what one would write by hand:
 *
 *     deno bench -A bench/toolkit_bench.ts
 *
 * - `merge` of 4 async generators (25,000 values each) against a
 *   hand-written merge (`Promise.race` over the sources' pending `next()`).
 * - `RateLimiter`: 100,000 `acquire()` calls under a rate that never makes
 *   them wait (the bookkeeping alone; with a 1 s window, and with a 5 ms one
 *   where old entries expire all along), and 3,000 acquisitions at 1,000 per
 *   10 ms (two waits for the window), against a hand-written sliding-window
 *   log. The streaming map (`mapLimitStream`) is in bench/stream_map_bench.ts.
 */
import { merge, RateLimiter, run } from "../mod.ts";
import { mergeByHand, SlidingWindow } from "./compare/_hand_written.ts";

const SOURCES = 4;
const PER_SOURCE = 25_000;

async function* source(offset: number): AsyncGenerator<number> {
  for (let i = 0; i < PER_SOURCE; i++) yield offset + i;
}

const expected = SOURCES * PER_SOURCE;

Deno.bench({
  name: "hand-written merge (Promise.race)",
  group: "merge 4 async generators, 100,000 values",
  baseline: true,
  async fn() {
    let n = 0;
    await mergeByHand(Array.from({ length: SOURCES }, (_, s) => source(s * PER_SOURCE)), () => n++);
    if (n !== expected) throw new Error(`${n} values`);
  },
});

Deno.bench({
  name: "merge()",
  group: "merge 4 async generators, 100,000 values",
  async fn() {
    let n = 0;
    await run(async () => {
      const sources = Array.from({ length: SOURCES }, (_, s) => source(s * PER_SOURCE));
      for await (const _ of merge(...sources)) n++;
    });
    if (n !== expected) throw new Error(`${n} values`);
  },
});

const CALLS = 100_000;

Deno.bench({
  name: "hand-written sliding-window limiter",
  group: "100,000 acquires that never wait",
  baseline: true,
  async fn() {
    const limiter = new SlidingWindow(1_000_000, 1000);
    for (let i = 0; i < CALLS; i++) await limiter.acquire();
  },
});

Deno.bench({
  name: "RateLimiter.acquire()",
  group: "100,000 acquires that never wait",
  async fn() {
    const limiter = new RateLimiter(1_000_000, 1000);
    await run(async () => {
      for (let i = 0; i < CALLS; i++) await limiter.acquire();
    });
  },
});

Deno.bench({
  name: "hand-written sliding-window limiter",
  group: "100,000 acquires that never wait, 5 ms window (old entries expire as they go)",
  baseline: true,
  async fn() {
    const limiter = new SlidingWindow(1_000_000, 5);
    for (let i = 0; i < CALLS; i++) await limiter.acquire();
  },
});

Deno.bench({
  name: "RateLimiter.acquire()",
  group: "100,000 acquires that never wait, 5 ms window (old entries expire as they go)",
  async fn() {
    const limiter = new RateLimiter(1_000_000, 5);
    await run(async () => {
      for (let i = 0; i < CALLS; i++) await limiter.acquire();
    });
  },
});

const PACED = 3_000;

Deno.bench({
  name: "hand-written sliding-window limiter",
  group: "3,000 acquires at 1,000 per 10 ms, 100 callers",
  baseline: true,
  async fn() {
    const limiter = new SlidingWindow(1000, 10);
    await Promise.all(Array.from({ length: 100 }, async () => {
      for (let i = 0; i < PACED / 100; i++) await limiter.acquire();
    }));
  },
});

Deno.bench({
  name: "RateLimiter.acquire()",
  group: "3,000 acquires at 1,000 per 10 ms, 100 callers",
  async fn() {
    const limiter = new RateLimiter(1000, 10);
    await run(async () => {
      await Promise.all(Array.from({ length: 100 }, async () => {
        for (let i = 0; i < PACED / 100; i++) await limiter.acquire();
      }));
    });
  },
});
