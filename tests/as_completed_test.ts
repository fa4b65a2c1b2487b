import assert from "node:assert/strict";
import {
  asCompleted,
  CancelledError,
  createTask,
  gather,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { cleanupProbe, outcome, withClock } from "./_helpers.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { progressSnapshot } from "../monitor.ts";

/** A task function that records its cleanup after a short await in `finally`. */
function slowWithCleanup(log: string[], name: string, ms = 60_000) {
  return async () => {
    try {
      return await sleep(ms, name);
    } finally {
      await sleep(2);
      log.push(`${name} cleaned up`);
    }
  };
}

Deno.test("asCompleted() yields the input tasks in the order they finish", async () => {
  const passedIn = createTask(() => sleep(20, "passed-in"));
  const order: string[] = [];
  const yielded: unknown[] = [];
  for await (const task of asCompleted([passedIn, () => sleep(30, "fn"), sleep(1, "promise")])) {
    yielded.push(task);
    order.push(await task);
  }
  assert.deepEqual(order, ["promise", "passed-in", "fn"]);
  assert.equal(yielded[1], passedIn, "a task passed in is yielded itself");
});

Deno.test("asCompleted() yields failed tasks too; awaiting one throws its error", async () => {
  const outcomes: string[] = [];
  const failing = async () => {
    await sleep(1);
    throw new Error("boom");
  };
  for await (const task of asCompleted([failing, () => sleep(10, "ok")])) {
    try {
      outcomes.push(await task);
    } catch (error) {
      outcomes.push((error as Error).message);
    }
  }
  assert.deepEqual(outcomes, ["boom", "ok"]);
});

Deno.test("at run time the loop variable is the Task itself (TypeScript types it as the awaited value)", async () => {
  const passedIn = createTask(() => sleep(1, "value"));
  for await (const task of asCompleted([passedIn])) {
    const value: string = await task;
    assert.equal(value, "value");
    assert.ok(Object.is(task, passedIn));
  }
  const first = await asCompleted([() => 1]).next();
  const task: Task<number> | undefined = first.value;
  assert.equal(task?.result(), 1);
});

Deno.test("asCompleted() yields tasks already finished first, and ends at once for no input", async () => {
  const done = createTask(() => "done");
  await done;
  const iterator = asCompleted([() => sleep(5, "later"), done]);
  assert.equal((await iterator.next()).value, done);
  assert.equal(await (await iterator.next()).value, "later");
  assert.equal((await iterator.next()).done, true);
  assert.equal((await asCompleted([]).next()).done, true);
});

Deno.test("asCompleted() past its timeout throws TimeoutError after cancelling the tasks it started", async () => {
  const log: string[] = [];
  const passedIn = createTask(() => sleep(60_000));
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (
      const task of asCompleted([
        slowWithCleanup(log, "started"),
        passedIn,
        () => sleep(1, "quick"),
      ], {
        timeout: 30,
      })
    ) {
      seen.push(String(await task));
    }
  }, TimeoutError);
  assert.deepEqual(seen, ["quick"]);
  assert.deepEqual(log, ["started cleaned up"], "cleanup finished before the TimeoutError");
  assert.equal(passedIn.done(), false, "tasks passed in are left alone");
  passedIn.cancel();
  await assert.rejects(passedIn, CancelledError);
});

Deno.test("asCompleted() with a deadline already past throws TimeoutError at the first next()", async () => {
  const log: string[] = [];
  const iterator = asCompleted([slowWithCleanup(log, "started")], { timeout: 0 });
  await sleep(0);
  await assert.rejects(iterator.next(), TimeoutError);
  assert.deepEqual(log, ["started cleaned up"]);
  assert.equal((await iterator.next()).done, true);
});

Deno.test("break cancels the tasks started from functions, waits for them, and leaves tasks passed in alone", async () => {
  const log: string[] = [];
  const passedIn = createTask(() => sleep(60_000, "passed-in"));
  let reason: string | undefined;
  const started = async () => {
    try {
      await sleep(60_000);
    } catch (error) {
      reason = (error as CancelledError).reason;
      throw error;
    } finally {
      await sleep(2);
      log.push("started cleaned up");
    }
  };
  for await (const task of asCompleted([started, passedIn, () => sleep(1, "quick")])) {
    assert.equal(await task, "quick");
    break;
  }
  log.push("after the loop");
  assert.deepEqual(log, ["started cleaned up", "after the loop"]);
  assert.equal(reason, "parent");
  assert.equal(passedIn.done(), false);
  passedIn.cancel();
  await assert.rejects(passedIn, CancelledError);
});

Deno.test("an error thrown in the loop body cancels the started tasks before it propagates", async () => {
  const log: string[] = [];
  await assert.rejects(async () => {
    for await (const _ of asCompleted([slowWithCleanup(log, "started"), () => sleep(1)])) {
      throw new Error("body failed");
    }
  }, /body failed/);
  assert.deepEqual(log, ["started cleaned up"]);
});

Deno.test("cancelling the consumer blocked in next() cancels the started tasks and rejects with its CancelledError", async () => {
  const log: string[] = [];
  const passedIn = createTask(() => sleep(60_000));
  let caught: unknown;
  const consumer = createTask(async () => {
    try {
      for await (const _ of asCompleted([slowWithCleanup(log, "started"), passedIn])) {
        log.push("yielded");
      }
    } catch (error) {
      caught = error;
      log.push("consumer saw the error");
      throw error;
    }
  });
  await sleep(0);
  await sleep(0);
  assert.equal(taskInternals.info(consumer).waitingOn, "asCompleted");
  consumer.cancel("stop");
  await assert.rejects(consumer, CancelledError);
  assert.equal(caught, consumer.signal.reason);
  assert.deepEqual(log, ["started cleaned up", "consumer saw the error"]);
  assert.equal(passedIn.done(), false);
  passedIn.cancel();
  await assert.rejects(passedIn, CancelledError);
});

Deno.test("cancelled during the cleanup after break: the cleanup is not interrupted, then the loop throws CancelledError", async () => {
  const log: string[] = [];
  const started = async () => {
    try {
      await sleep(60_000);
    } finally {
      await sleep(20);
      log.push("started cleaned up");
    }
  };
  const consumer = createTask(async () => {
    for await (const _ of asCompleted([started, () => sleep(1)])) {
      log.push("breaking");
      break;
    }
    log.push("after the loop");
  });
  while (!log.includes("breaking")) await sleep(0);
  assert.equal(taskInternals.info(consumer).waitingOn, "asCompleted");
  consumer.cancel();
  await assert.rejects(consumer, (error) => error === consumer.signal.reason);
  assert.deepEqual(log, ["breaking", "started cleaned up"]);
});

Deno.test("asCompleted() works inside run; a normal end clears its timer", async () => {
  const values = await run(async () => {
    const values: number[] = [];
    for await (
      const task of asCompleted([() => sleep(10, 2), () => sleep(1, 1)], { timeout: 60_000 })
    ) {
      values.push(await task);
    }
    return values;
  });
  assert.deepEqual(values, [1, 2]);
});

Deno.test("bad input: TypeError naming the index, RangeError for a bad timeout", () => {
  assert.throws(() => asCompleted([() => 1, "x"] as never), {
    name: "TypeError",
    message: /aws\[1\]/,
  });
  assert.throws(() => asCompleted(5 as never), { name: "TypeError", message: /aws/ });
  assert.throws(() => asCompleted([], { timeout: NaN }), {
    name: "RangeError",
    message: /options\.timeout/,
  });
  assert.throws(() => asCompleted([], null as never), TypeError);
});

Deno.test("asCompleted with progress counts the tasks as they finish, failures too", async () => {
  let drawn = "";
  const terminal = {
    write: (t: string) => void (drawn += t),
    isTerminal: () => true,
    columns: () => 100,
  };
  const order: string[] = [];
  for await (
    const task of asCompleted([
      () => sleep(10, "b"),
      () => sleep(1, "a"),
      () => Promise.reject(new Error("c")),
    ], { progress: { label: "Waiting", terminal } })
  ) {
    order.push(await (task as unknown as Promise<string>).catch((e: Error) => e.message));
  }
  assert.deepEqual(order, ["c", "a", "b"]);
  assert.match(drawn, /Waiting 3\/3 .*1 failed/);
  assert.ok(drawn.endsWith("1 failed\x1b[K\n"), JSON.stringify(drawn));
});

Deno.test("asCompleted's progress bar closes when the last task settles, even if never iterated", async () => {
  const terminal = { write() {}, isTerminal: () => true, columns: () => 80 };
  const tasks = [createTask(() => sleep(1)), createTask(() => sleep(2))];
  asCompleted(tasks, { progress: { label: "unread", terminal } });
  assert.equal(progressSnapshot().filter((p) => p.label === "unread").length, 1);
  await gather(...tasks);
  assert.equal(progressSnapshot().filter((p) => p.label === "unread").length, 0);
});

Deno.test("asCompleted() inside timeout(): the deadline cancels and awaits what it started, then TimeoutError", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let cleanedAtTimeout = -1;
    const result = outcome(run(() =>
      timeout(50, async () => {
        for await (const task of asCompleted([probe.work, probe.work])) await task;
      }).finally(() => {
        cleanedAtTimeout = probe.cleaned;
      })
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedAtTimeout, 2);
  });
});
