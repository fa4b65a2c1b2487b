import assert from "node:assert/strict";
import { CancelledError, createTask, sleep } from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { withClock } from "./_helpers.ts";

Deno.test("sleep resolves with its value, shorter sleeps first", async () => {
  const order: string[] = [];
  await Promise.all([
    sleep(30, "slow").then((v) => order.push(v)),
    sleep(5, "fast").then((v) => order.push(v)),
  ]);
  assert.deepEqual(order, ["fast", "slow"]);
  assert.equal(await sleep(1), undefined);
});

Deno.test("sleep(0) lets every other ready task run before resuming", async () => {
  const log: string[] = [];
  const busy = (name: string) =>
    createTask(async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      log.push(name);
    });
  const a = busy("a");
  const b = busy("b");
  await sleep(0);
  log.push("after sleep(0)");
  await Promise.all([a, b]);
  assert.deepEqual(log, ["a", "b", "after sleep(0)"]);
});

Deno.test("sleep(0) in a loop is not throttled like nested setTimeout", async () => {
  const started = performance.now();
  for (let i = 0; i < 200; i++) await sleep(0);
  // 200 clamped timers would take at least 800 ms.
  assert.ok(performance.now() - started < 400);
});

Deno.test("a negative duration counts as 0", async () => {
  assert.equal(await sleep(-50, "now"), "now");
});

Deno.test("sleep rejects NaN, undefined and non-numbers with RangeError", async () => {
  await assert.rejects(sleep(NaN), RangeError);
  // @ts-expect-error: ms is required
  await assert.rejects(sleep(), RangeError);
  // @ts-expect-error: ms must be a number
  await assert.rejects(sleep("10"), /ms must be a number of milliseconds or Infinity, got "10"/);
});

Deno.test("sleep(Infinity) waits until the task is cancelled", async () => {
  const task = createTask(() => sleep(Infinity));
  await sleep(5);
  assert.equal(task.done(), false);
  task.cancel();
  await assert.rejects(task, CancelledError);
});

Deno.test("a sleeping task shows sleep(<ms>) as what it waits on", async () => {
  const task = createTask(() => sleep(500));
  await sleep(0);
  assert.equal(taskInternals.info(task).waitingOn, "sleep(500)");
  task.cancel();
  await assert.rejects(task, CancelledError);
  assert.equal(taskInternals.info(task).waitingOn, undefined);
});

Deno.test("sleep(ms) never resolves before ms have passed on performance.now()", async () => {
  await withClock(async (clock) => {
    const elapsed: Record<string, number> = {};
    const timed = (name: string, ms: number) => {
      const started = performance.now();
      return sleep(ms).then(() => (elapsed[name] = performance.now() - started));
    };
    const first = timed("first", 14);
    await clock.tickAsync(0.6);
    // Due 0.6 ms after the first: the shared timer firing for the first
    // must not take it along early.
    const second = timed("second", 14);
    await clock.tickAsync(13.4);
    assert.deepEqual(Object.keys(elapsed), ["first"]);
    await clock.tickAsync(2);
    await Promise.all([first, second]);
    assert.ok(elapsed.first >= 14, `sleep(14) resolved after ${elapsed.first} ms`);
    assert.ok(elapsed.second >= 14, `sleep(14) resolved after ${elapsed.second} ms`);
  });
});
