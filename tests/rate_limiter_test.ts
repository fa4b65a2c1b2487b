import assert from "node:assert/strict";
import { CancelledError, createTask, gather, RateLimiter, run, sleep } from "../mod.ts";
import { snapshot } from "../monitor.ts";
import { withClock } from "./_helpers.ts";

Deno.test("RateLimiter lets maxRate through at once, then one more each time the oldest slot ages out", async () => {
  await withClock(async (clock) => {
    const limiter = new RateLimiter(3, 1000);
    const times: number[] = [];
    const start = performance.now();
    const done = (async () => {
      for (let i = 0; i < 7; i++) {
        using _ = await limiter.acquire();
        times.push(performance.now() - start);
      }
    })();
    await clock.tickAsync(3000);
    await done;
    assert.deepEqual(times, [0, 0, 0, 1000, 1000, 1000, 2000]);
  });
});

Deno.test("RateLimiter never allows more than maxRate in any window of periodMs", async () => {
  await withClock(async (clock) => {
    const limiter = new RateLimiter(2, 100);
    const times: number[] = [];
    const workers = [0, 1, 2].map(async (w) => {
      for (let i = 0; i < 5; i++) {
        await limiter.acquire();
        times.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 17 * (w + 1)));
      }
    });
    await clock.tickAsync(2000);
    await Promise.all(workers);
    assert.equal(times.length, 15);
    for (const t of times) {
      const inWindow = times.filter((u) => u >= t && u < t + 100).length;
      assert.ok(inWindow <= 2, `${inWindow} acquisitions in [${t}, ${t + 100})`);
    }
  });
});

Deno.test("RateLimiter serves waiters first come, first served", async () => {
  await withClock(async (clock) => {
    const limiter = new RateLimiter(1, 50);
    const order: string[] = [];
    await limiter.acquire();
    const waiting = ["a", "b", "c"].map((name) => limiter.acquire().then(() => order.push(name)));
    assert.equal(limiter.hasCapacity(), false);
    await clock.tickAsync(200);
    await Promise.all(waiting);
    assert.deepEqual(order, ["a", "b", "c"]);
  });
});

Deno.test("a task cancelled while waiting on a RateLimiter uses no slot and leaves no timer", async () => {
  await withClock(async (clock) => {
    await run(async () => {
      const limiter = new RateLimiter(1, 1000);
      await limiter.acquire();
      const waiter = createTask(() => limiter.acquire(), { name: "waiter" });
      await sleep(0);
      assert.equal(snapshot().find((info) => info.id === waiter.id)?.waitingOn, "rate limit 1/1s");
      assert.equal(limiter.stats().waiters, 1);
      waiter.cancel();
      await assert.rejects(() => waiter, CancelledError);
      assert.equal(limiter.stats().waiters, 0);
      await sleep(0); // the deadline heap lets its timer go on the next turn
      assert.equal(clock.countTimers(), 0);
      await clock.tickAsync(1000);
      assert.equal(limiter.stats().available, 1);
    });
  });
});

Deno.test("a RateLimiter slot granted to a task cancelled in the same instant passes on", async () => {
  await withClock(async (clock) => {
    await run(async () => {
      const limiter = new RateLimiter(1, 100);
      await limiter.acquire();
      const first = createTask(() => limiter.acquire());
      const second = createTask(() => limiter.acquire());
      await sleep(0);
      clock.tick(100); // the slot goes to `first`...
      first.cancel(); // ...cancelled before it resumes
      const results = await gather([first, second], { returnExceptions: true });
      assert.ok(results[0] instanceof CancelledError);
      assert.ok(!(results[1] instanceof Error));
      assert.equal(limiter.stats().available, 0);
    });
  });
});

Deno.test("RateLimiter.stats() and the monitor label name the rate", () => {
  const limiter = new RateLimiter(10, 1000);
  assert.deepEqual(limiter.stats(), { maxRate: 10, periodMs: 1000, available: 10, waiters: 0 });
});

Deno.test("RateLimiter rejects bad arguments naming them", () => {
  assert.throws(() => new RateLimiter(0), /maxRate must be an integer >= 1, got 0/);
  assert.throws(() => new RateLimiter(1.5), RangeError);
  assert.throws(() => new RateLimiter("3" as never), /maxRate .* got "3"/);
  assert.throws(() => new RateLimiter(1, 0), /periodMs must be .* got 0/);
  assert.throws(() => new RateLimiter(1, Infinity), /periodMs .* got Infinity/);
});

Deno.test("a RateLimiter prints its rate, free slots and waiters", async () => {
  const limiter = new RateLimiter(2, 500);
  await limiter.acquire();
  assert.equal(Deno.inspect(limiter), "RateLimiter { rate: 2/500ms, available: 1, waiters: 0 }");
});
