import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  currentTask,
  mapLimitStream,
  Queue,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { cleanupProbe, outcome, withClock } from "./_helpers.ts";
import { progressSnapshot, snapshot } from "../monitor.ts";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

Deno.test("mapLimitStream yields in completion order by default", async () => {
  const seen = await collect(mapLimitStream([120, 40, 80, 1], 4, (ms) => sleep(ms, ms)));
  assert.deepEqual(seen, [1, 40, 80, 120]);
});

Deno.test("mapLimitStream with ordered yields in input order", async () => {
  const seen = await collect(
    mapLimitStream([40, 10, 25, 1], 2, (ms, i) => sleep(ms, `${i}:${ms}`), { ordered: true }),
  );
  assert.deepEqual(seen, ["0:40", "1:10", "2:25", "3:1"]);
});

Deno.test("mapLimitStream never runs more than limit calls at once", async () => {
  let running = 0;
  let most = 0;
  const out = await collect(
    mapLimitStream(Array.from({ length: 20 }, (_, i) => i), 3, async (n) => {
      most = Math.max(most, ++running);
      await sleep(n % 4);
      running--;
      return n;
    }),
  );
  assert.equal(out.length, 20);
  assert.equal(most, 3);
});

Deno.test("mapLimitStream reads an async source lazily: no item taken beyond limit + buffer", async () => {
  let pulled = 0;
  async function* source() {
    for (let n = 0; n < 1000; n++) {
      pulled++;
      yield n;
    }
  }
  const stream = mapLimitStream(source(), 2, (n) => n, { bufferSize: 3 });
  const first = await stream.next();
  assert.equal(first.value, 0);
  await sleep(10); // the loop body is busy: the map must stop at the bound
  assert.ok(pulled <= 2 + 3 + 1, `pulled ${pulled}`);
  await stream.return?.(undefined);
});

Deno.test("mapLimitStream takes items from a Queue as they arrive", async () => {
  await run(async () => {
    const queue = new Queue<number>();
    const producer = createTask(async () => {
      for (let n = 1; n <= 5; n++) {
        await queue.put(n);
        await sleep(1);
      }
      queue.shutdown();
    });
    const out = await collect(mapLimitStream(queue, 2, (n) => n * 10, { ordered: true }));
    await producer;
    assert.deepEqual(out, [10, 20, 30, 40, 50]);
  });
});

Deno.test("leaving the mapLimitStream loop early cancels the calls in flight and waits for them", async () => {
  const cancelled: number[] = [];
  const finished: number[] = [];
  for await (
    const n of mapLimitStream([1, 50, 60, 70], 4, async (ms) => {
      try {
        await sleep(ms);
        return ms;
      } catch (error) {
        if (error instanceof CancelledError) cancelled.push(ms);
        throw error;
      } finally {
        await sleep(1); // cleanup that must finish before the loop is left
        finished.push(ms);
      }
    })
  ) {
    assert.equal(n, 1);
    break;
  }
  assert.deepEqual(cancelled.sort(), [50, 60, 70]);
  assert.deepEqual(finished.sort((a, b) => a - b), [1, 50, 60, 70]);
});

Deno.test("an error in the mapLimitStream loop body cancels the calls in flight", async () => {
  let stillRunning = 0;
  const error = await (async () => {
    for await (
      const _ of mapLimitStream([1, 100, 100], 3, async (ms) => {
        stillRunning++;
        try {
          await sleep(ms);
        } finally {
          stillRunning--;
        }
      })
    ) {
      throw new Error("body failed");
    }
  })().catch((e) => e);
  assert.equal(error.message, "body failed");
  assert.equal(stillRunning, 0);
});

Deno.test("the first failing call cancels the rest and the iterator throws it after they finished", async () => {
  const cancelled: number[] = [];
  const error = await collect(mapLimitStream([0, 1, 2, 3, 4, 5], 3, async (n) => {
    if (n === 1) {
      await sleep(5);
      throw new RangeError("item 1 is bad");
    }
    try {
      await sleep(1_000);
    } catch (e) {
      if (e instanceof CancelledError) cancelled.push(n);
      throw e;
    }
  })).catch((e) => e);
  assert.ok(error instanceof RangeError);
  assert.deepEqual(cancelled.sort(), [0, 2]);
});

Deno.test("mapLimitStream with returnExceptions yields errors in place and goes on", async () => {
  const out = await collect(mapLimitStream([1, 2, 3], 1, (n) => {
    if (n === 2) throw new Error("two");
    return n;
  }, { returnExceptions: true, ordered: true }));
  assert.equal(out[0], 1);
  assert.equal((out[1] as unknown as Error).message, "two");
  assert.equal(out[2], 3);
});

Deno.test("an error of the async source fails the stream after the calls are cancelled", async () => {
  let cancelled = 0;
  async function* source() {
    yield 1000;
    await Promise.resolve();
    throw new TypeError("source broke");
  }
  const error = await collect(mapLimitStream(source(), 2, async (ms) => {
    try {
      await sleep(ms);
    } catch (e) {
      cancelled++;
      throw e;
    }
  })).catch((e) => e);
  assert.ok(error instanceof TypeError);
  assert.equal(cancelled, 1);
});

Deno.test("leaving early closes the async source with return()", async () => {
  let closed = false;
  async function* source() {
    try {
      for (let n = 0;; n++) yield n;
    } finally {
      closed = true;
    }
  }
  for await (const _ of mapLimitStream(source(), 2, (n) => n)) break;
  assert.equal(closed, true);
});

Deno.test("cancelling the consuming task cancels the calls in flight and waits for them", async () => {
  let running = 0;
  let consumer!: Task<unknown>;
  const error = await run(async () => {
    consumer = createTask(async () => {
      for await (
        const _ of mapLimitStream([1, 2, 3], 3, async () => {
          running++;
          try {
            await sleep(10_000);
          } finally {
            running--;
          }
        })
      ) { /* never */ }
    }, { name: "consumer" });
    await sleep(5);
    const waiting = snapshot().find((info) => info.name === "consumer");
    assert.equal(waiting?.waitingOn, "mapLimitStream(3)");
    const calls = snapshot().filter((info) => info.parentId === consumer.id);
    assert.deepEqual(calls.map((info) => [info.name, info.state]), [
      ["mapLimitStream(consumer)[0]", "waiting"],
      ["mapLimitStream(consumer)[1]", "waiting"],
      ["mapLimitStream(consumer)[2]", "waiting"],
    ]);
    consumer.cancel();
    return await consumer.then(() => null, (e) => e);
  });
  assert.ok(error instanceof CancelledError);
  assert.equal(running, 0);
  assert.equal(consumer.cancelled(), true);
});

Deno.test("each mapLimitStream call runs in a task named after fn, or after the consumer", async () => {
  const name = () => (currentTask() as Task<unknown>).name;
  assert.deepEqual(
    await collect(mapLimitStream(["a", "b"], 1, function lookUp() {
      return name();
    }, { ordered: true })),
    ["lookUp[0]", "lookUp[1]"],
  );
  const anonymous = await createTask(
    () => collect(mapLimitStream(["a"], 1, () => name())),
    { name: "reader" },
  );
  assert.deepEqual(anonymous, ["mapLimitStream(reader)[0]"]);
});

Deno.test("mapLimitStream rejects bad arguments naming them", () => {
  assert.throws(() => mapLimitStream([1], 0, (n) => n), /limit must be .* got 0/);
  assert.throws(() => mapLimitStream([1], 1.5, (n) => n), RangeError);
  assert.throws(() => mapLimitStream([1], 1, "x" as never), /fn must be a function, got "x"/);
  assert.throws(() => mapLimitStream(42 as never, 1, (n) => n), /items must be iterable .*got 42/);
  assert.throws(
    () => mapLimitStream([1], 1, (n) => n, { bufferSize: -1 }),
    /options.bufferSize must be .* got -1/,
  );
  assert.throws(
    () => mapLimitStream([1], 1, (n) => n, { ordered: "yes" as never }),
    /options.ordered must be a boolean/,
  );
});

Deno.test("mapLimitStream draws progress into an injected terminal", async () => {
  let drawn = "";
  const terminal = {
    write: (t: string) => void (drawn += t),
    isTerminal: () => true,
    columns: () => 100,
  };
  await collect(mapLimitStream([1, 2, 3], 2, (n) => {
    if (n === 2) throw new Error("x");
    return n;
  }, { progress: { label: "Mapping", terminal }, returnExceptions: true }));
  assert.match(drawn, /Mapping 3\/3 .*1 failed/);
  assert.ok(drawn.endsWith("1 failed\x1b[K\n"), JSON.stringify(drawn));
});

Deno.test("a mapLimitStream never iterated starts nothing and leaves no progress bar behind", async () => {
  let calls = 0;
  const terminal = { write() {}, isTerminal: () => true, columns: () => 80 };
  mapLimitStream([1, 2], 2, () => calls++, { progress: { label: "never read", terminal } });
  await sleep(1);
  assert.equal(calls, 0);
  assert.equal(progressSnapshot().filter((p) => p.label === "never read").length, 0);
});

Deno.test("mapLimitStream checks its progress option at the call", () => {
  assert.throws(
    () => mapLimitStream([1], 1, (n) => n, { progress: { label: 5 as never } }),
    /options.progress.label must be a string, got 5/,
  );
});

Deno.test("mapLimitStream inside timeout(): the deadline cancels and awaits the calls, then TimeoutError", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let cleanedAtTimeout = -1;
    const result = outcome(run(() =>
      timeout(50, async () => {
        for await (const _ of mapLimitStream([1, 2, 3], 2, () => probe.work())) { /* none */ }
      }).finally(() => {
        cleanedAtTimeout = probe.cleaned;
      })
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedAtTimeout, 2);
  });
});
