import assert from "node:assert/strict";
import {
  ALL_COMPLETED,
  CancelledError,
  createTask,
  currentTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
  wait,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { outcome, withClock } from "./_helpers.ts";

/** Cancel the tasks left running and wait until they have finished. */
async function cleanUp(tasks: Iterable<Task<unknown>>): Promise<void> {
  for (const task of tasks) {
    task.cancel();
    await assert.rejects(task, CancelledError);
  }
}

Deno.test("wait() by default returns once every task has finished", async () => {
  const a = createTask(() => sleep(20, "a"));
  const { done, pending } = await wait([a, () => sleep(1, "b"), sleep(10, "c")]);
  assert.equal(done.size, 3);
  assert.equal(pending.size, 0);
  assert.ok(done.has(a));
  assert.deepEqual([...done].map((task) => task.result()), ["a", "b", "c"]);
});

Deno.test("wait(FIRST_COMPLETED) returns after the first task finishes and leaves the rest running", async () => {
  const slow = createTask(() => sleep(60_000));
  const fast = createTask(() => sleep(1, "fast"));
  const { done, pending } = await wait([slow, fast], { returnWhen: FIRST_COMPLETED });
  assert.deepEqual([...done], [fast]);
  assert.deepEqual([...pending], [slow]);
  await sleep(0);
  assert.equal(slow.done(), false, "wait never cancels");
  await cleanUp(pending);
});

Deno.test("wait(FIRST_EXCEPTION) returns at the first failure; a cancelled task does not count", async () => {
  const cancelled = createTask(() => sleep(60_000));
  const failing = createTask(async () => {
    await sleep(10);
    throw new Error("boom");
  });
  const slow = createTask(() => sleep(60_000));
  const waiting = wait([cancelled, failing, slow], { returnWhen: FIRST_EXCEPTION });
  await sleep(0);
  cancelled.cancel();
  const { done, pending } = await waiting;
  assert.deepEqual([...done], [cancelled, failing]);
  assert.deepEqual([...pending], [slow]);
  assert.equal((failing.exception() as Error).message, "boom");
  await cleanUp(pending);
});

Deno.test("wait(FIRST_EXCEPTION) returns at once for a task that had already failed, not for one already cancelled", async () => {
  const failed = createTask(() => Promise.reject(new Error("already")));
  const cancelled = createTask(() => sleep(60_000));
  cancelled.cancel();
  await assert.rejects(failed, /already/);
  const first = await wait([cancelled, () => sleep(1)], { returnWhen: FIRST_EXCEPTION });
  assert.equal(first.pending.size, 0, "a cancelled task is no exception: wait went on");
  const slow = createTask(() => sleep(60_000));
  const second = await wait([failed, slow], { returnWhen: FIRST_EXCEPTION });
  assert.deepEqual([...second.done], [failed]);
  assert.deepEqual([...second.pending], [slow]);
  await cleanUp([slow]);
});

Deno.test("wait(FIRST_EXCEPTION) without failures waits for all", async () => {
  const { done, pending } = await wait([() => sleep(5), () => sleep(1)], {
    returnWhen: FIRST_EXCEPTION,
  });
  assert.equal(done.size, 2);
  assert.equal(pending.size, 0);
});

Deno.test("wait(ALL_COMPLETED) does not return early on a failure", async () => {
  const order: string[] = [];
  const failing = createTask(() => Promise.reject(new Error("early")));
  const slow = createTask(async () => {
    await sleep(10);
    order.push("slow finished");
  });
  await wait([failing, slow], { returnWhen: ALL_COMPLETED });
  order.push("wait returned");
  assert.deepEqual(order, ["slow finished", "wait returned"]);
  assert.equal((failing.exception() as Error).message, "early");
});

Deno.test("on timeout wait() resolves with the current split and cancels nothing", async () => {
  const quick = createTask(() => sleep(1, "quick"));
  const slow = createTask(() => sleep(60_000));
  const { done, pending } = await wait([quick, slow], { timeout: 30 });
  assert.deepEqual([...done], [quick]);
  assert.deepEqual([...pending], [slow]);
  assert.equal(slow.done(), false);
  await cleanUp(pending);
});

Deno.test("wait() of no tasks resolves two empty sets", async () => {
  const { done, pending } = await wait([]);
  assert.equal(done.size, 0);
  assert.equal(pending.size, 0);
});

Deno.test("cancelling the waiting task rejects with its CancelledError and leaves the tasks passed in running", async () => {
  const child = createTask(() => sleep(60_000));
  let caught: unknown;
  const waiter = createTask(async () => {
    try {
      await wait([child], { timeout: 60_000 });
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  await sleep(0);
  assert.equal(taskInternals.info(waiter).waitingOn, "wait(1)");
  waiter.cancel();
  await assert.rejects(waiter, CancelledError);
  assert.equal(caught, waiter.signal.reason);
  await sleep(0);
  assert.equal(child.done(), false);
  await cleanUp([child]);
});

Deno.test("wait() works inside run with task functions", async () => {
  const values = await run(async () => {
    const { done } = await wait([() => 1, () => sleep(1, 2)]);
    return [...done].map((task) => task.result());
  });
  assert.deepEqual(values, [1, 2]);
});

Deno.test("bad input: TypeError naming the index, RangeError naming a bad returnWhen or timeout", async () => {
  await assert.rejects(wait([() => 1, 3] as never), { name: "TypeError", message: /aws\[1\]/ });
  await assert.rejects(
    wait([], { returnWhen: "FIRST_DONE" as never }),
    { name: "RangeError", message: /FIRST_DONE/ },
  );
  await assert.rejects(wait([], { timeout: "1" as never }), {
    name: "RangeError",
    message: /options\.timeout/,
  });
  await assert.rejects(wait([], 1 as never), TypeError);
});

Deno.test("cancelling the waiting task cancels and awaits the tasks wait started from functions", async () => {
  await withClock(async (clock) => {
    const log: string[] = [];
    const given = createTask(() => sleep(60_000));
    let started: Task<unknown> | undefined;
    const waiter = createTask(() =>
      wait([given, async () => {
        started = currentTask();
        try {
          await sleep(60_000);
        } finally {
          await sleep(5);
          log.push("started task cleaned up");
        }
      }])
    );
    await clock.tickAsync(1);
    waiter.cancel();
    const result = outcome(Promise.resolve(waiter));
    await clock.tickAsync(10);
    assert.ok((await result).error instanceof CancelledError);
    assert.deepEqual(log, ["started task cleaned up"]);
    assert.equal(started?.cancelled(), true);
    assert.equal(given.done(), false);
    given.cancel();
    await clock.tickAsync(1);
  });
});

Deno.test("a task finishing in the same instant as wait()'s timeout counts as done", async () => {
  await withClock(async (clock) => {
    const result = wait([() => sleep(100, "t1"), () => sleep(150, "t2")], { timeout: 100 });
    await clock.tickAsync(100);
    const { done, pending } = await result;
    assert.deepEqual([...done].map((task) => task.result()), ["t1"]);
    assert.equal(pending.size, 1);
    for (const task of pending) task.cancel();
    await clock.tickAsync(1);
  });
});

Deno.test("wait() inside timeout(): the deadline cancels what wait started, then TimeoutError", async () => {
  await withClock(async (clock) => {
    let cleaned = false;
    let cleanedBeforeTimeout: boolean | undefined;
    const result = outcome(run(() =>
      timeout(50, () =>
        wait([async () => {
          try {
            await sleep(1_000);
          } finally {
            await sleep(5);
            cleaned = true;
          }
        }])).finally(() => (cleanedBeforeTimeout = cleaned))
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedBeforeTimeout, true);
  });
});
