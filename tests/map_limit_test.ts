import { AsyncLocalStorage } from "node:async_hooks";
import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  currentTask,
  mapLimit,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { captureConsoleError, cleanupProbe, outcome, withClock } from "./_helpers.ts";

Deno.test("mapLimit resolves in input order and never runs more than limit at once", async () => {
  let running = 0;
  let most = 0;
  const delays = [30, 5, 20, 1, 15, 2, 8];
  const results = await mapLimit(delays, 3, async (ms, index) => {
    most = Math.max(most, ++running);
    await sleep(ms);
    running--;
    return `${index}:${ms}`;
  });
  assert.deepEqual(results, delays.map((ms, index) => `${index}:${ms}`));
  assert.equal(most, 3);
});

Deno.test("each mapLimit call is a task named mapLimit(<caller>)[i] for an anonymous fn, a child of the awaiting task", async () => {
  const seen: { name?: string; parent?: string; aborted: boolean }[] = [];
  const awaiting = createTask(() =>
    mapLimit(new Set(["a", "b"]), 1, (item, _index, signal) => {
      const task = currentTask() as Task<unknown>;
      seen.push({ name: task.name, parent: task.parent?.name, aborted: signal.aborted });
      return item.toUpperCase();
    }), { name: "mapper" });
  assert.deepEqual(await awaiting, ["A", "B"]);
  assert.deepEqual(seen, [
    { name: "mapLimit(mapper)[0]", parent: "mapper", aborted: false },
    { name: "mapLimit(mapper)[1]", parent: "mapper", aborted: false },
  ]);
});

Deno.test("the first mapLimit failure cancels the running calls, starts no more, and rejects with it", async () => {
  const started: number[] = [];
  const cancelled: number[] = [];
  const error = await mapLimit([0, 1, 2, 3, 4], 2, async (n) => {
    started.push(n);
    if (n === 1) throw new RangeError("item 1 is bad");
    try {
      await sleep(1_000);
    } catch (e) {
      if (e instanceof CancelledError && e.reason === "parent") cancelled.push(n);
      throw e;
    }
  }).catch((e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "item 1 is bad");
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(cancelled, [0]);
});

Deno.test("cancelling the task awaiting mapLimit cancels every call and waits for them", async () => {
  const cleaned: number[] = [];
  const awaiting = createTask(() =>
    mapLimit([0, 1, 2], 2, async (n) => {
      try {
        await sleep(60_000);
      } finally {
        await sleep(1);
        cleaned.push(n);
      }
    }), { name: "awaiting" });
  await sleep(5);
  assert.equal(taskInternals.info(awaiting).waitingOn, "mapLimit(2)");
  awaiting.cancel("no more");
  const error = await awaiting.then(() => assert.fail("should be cancelled"), (e) => e);
  assert.ok(error instanceof CancelledError);
  assert.equal(error.message, "no more");
  assert.deepEqual(cleaned.sort(), [0, 1]);
});

Deno.test("cancelling the awaiting task after a call failed still rejects with its CancelledError", async () => {
  let releaseCleanup: () => void = () => {};
  const cleanup = new Promise<void>((resolve) => (releaseCleanup = resolve));
  let cleaning = false;
  const printed = await captureConsoleError(() =>
    run(async () => {
      const awaiting = createTask(() =>
        mapLimit([0, 1], 2, async (n) => {
          if (n === 1) throw new RangeError("item 1 is bad");
          try {
            await sleep(60_000);
          } finally {
            cleaning = true;
            await cleanup;
          }
        }), { name: "awaiting" });
      while (!cleaning) await sleep(1);
      awaiting.cancel("no more");
      releaseCleanup();
      const error = await awaiting.then(() => assert.fail("should be cancelled"), (e) => e);
      assert.ok(error instanceof CancelledError);
      assert.equal(error.message, "no more");
      assert.ok(awaiting.cancelled());
    })
  );
  assert.match(printed.join("\n"), /never retrieved[\s\S]*item 1 is bad/);
});

Deno.test("mapLimit works outside any task, with an empty input, and checks its arguments", async () => {
  assert.deepEqual(await mapLimit([1, 2, 3], Infinity, (n) => n + 1), [2, 3, 4]);
  assert.deepEqual(await mapLimit([], 1, () => assert.fail("never called")), []);
  await assert.rejects(mapLimit([1], 0, (n) => n), RangeError);
  await assert.rejects(mapLimit([1], 1.5, (n) => n), RangeError);
  await assert.rejects(mapLimit(42 as unknown as number[], 1, (n) => n), TypeError);
  await assert.rejects(mapLimit([1], 1, "f" as unknown as () => void), TypeError);
});

Deno.test("mapLimit accepts an async iterable and resolves in input order", async () => {
  let running = 0;
  let most = 0;
  async function* source() {
    for (const ms of [20, 1, 10, 5]) yield ms;
  }
  const results = await mapLimit(source(), 2, async (ms, index) => {
    most = Math.max(most, ++running);
    await sleep(ms);
    running--;
    return `${index}:${ms}`;
  });
  assert.deepEqual(results, ["0:20", "1:1", "2:10", "3:5"]);
  assert.equal(most, 2);
});

Deno.test("mapLimit over an async iterable rejects with the first failure after the rest finished", async () => {
  let running = 0;
  async function* source() {
    yield* [0, 1, 2];
  }
  const error = await mapLimit(source(), 3, async (n) => {
    running++;
    try {
      if (n === 1) throw new RangeError("bad");
      await sleep(1_000);
    } finally {
      running--;
    }
  }).catch((e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(running, 0);
});

Deno.test("mapLimit with progress draws done/total into its terminal", async () => {
  let drawn = "";
  const terminal = {
    write: (t: string) => void (drawn += t),
    isTerminal: () => true,
    columns: () => 100,
  };
  const results = await mapLimit([1, 2, 3, 4], 2, (n) => n + 1, {
    progress: { label: "Fetching", terminal },
  });
  assert.deepEqual(results, [2, 3, 4, 5]);
  assert.match(drawn, /Fetching 4\/4 /);
});

Deno.test("mapLimit progress draws nothing when the terminal is not a terminal", async () => {
  let drawn = "";
  const terminal = {
    write: (t: string) => void (drawn += t),
    isTerminal: () => false,
    columns: () => 100,
  };
  await mapLimit([1, 2], 2, (n) => n, { progress: { label: "Quiet", terminal } });
  assert.equal(drawn, "");
});

Deno.test("cancelling the task awaiting mapLimit over an async iterable cancels the calls and closes the source", async () => {
  await run(async () => {
    let running = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0;; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const awaiting = createTask(() =>
      mapLimit(source(), 3, async () => {
        running++;
        try {
          await sleep(60_000);
        } finally {
          running--;
        }
      })
    );
    await sleep(5);
    assert.equal(running, 3);
    awaiting.cancel();
    await assert.rejects(() => awaiting, CancelledError);
    assert.equal(running, 0);
    assert.equal(closed, true);
  });
});

Deno.test("mapLimit rejects malformed options naming them", async () => {
  await assert.rejects(
    () => mapLimit([1], 1, (n) => n, "fast" as never),
    /options must be an object, got "fast"/,
  );
  await assert.rejects(
    () => mapLimit([1], 1, (n) => n, { progress: 3 as never }),
    /options.progress must be an object, got 3/,
  );
});

Deno.test("mapLimit() inside timeout(): the deadline cancels and awaits the calls, starts no more, then TimeoutError", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let calls = 0;
    let cleanedAtTimeout = -1;
    const result = outcome(run(() =>
      timeout(50, () =>
        mapLimit([1, 2, 3, 4], 2, () => {
          calls++;
          return probe.work();
        })).finally(() => {
          cleanedAtTimeout = probe.cleaned;
        })
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedAtTimeout, 2);
    assert.equal(calls, 2);
  });
});

Deno.test("mapLimit's calls see the AsyncLocalStorage values mapLimit was called with", async () => {
  const requestId = new AsyncLocalStorage<string>();
  const [a, b] = await Promise.all([
    requestId.run("A", () =>
      mapLimit([1, 2, 3, 4, 5], 2, async () => {
        await sleep(1);
        return requestId.getStore();
      })),
    requestId.run("B", () => mapLimit([1, 2, 3], 2, () => requestId.getStore())),
  ]);
  assert.deepEqual(a, ["A", "A", "A", "A", "A"]);
  assert.deepEqual(b, ["B", "B", "B"]);
});
