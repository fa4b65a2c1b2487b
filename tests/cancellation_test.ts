import assert from "node:assert/strict";
import { CancelledError, createTask, currentTask, run, sleep, type Task } from "../mod.ts";
import { within } from "./_helpers.ts";

Deno.test("cancel() before the task starts: its body never runs and it ends cancelled", async () => {
  let ran = false;
  const task = createTask(() => {
    ran = true;
  });
  assert.equal(task.cancel(), true);
  await assert.rejects(task, CancelledError);
  assert.equal(ran, false);
  assert.equal(task.cancelled(), true);
});

Deno.test("cancel() while blocked: the await rejects with CancelledError and the signal aborts", async () => {
  let seen: unknown;
  let signalReason: unknown;
  const task = createTask(async (signal) => {
    signal.addEventListener("abort", () => (signalReason = signal.reason));
    try {
      await sleep(10_000);
    } catch (error) {
      seen = error;
      throw error;
    }
  }, { name: "blocked" });
  await sleep(0);
  task.cancel("enough");
  await assert.rejects(task, CancelledError);
  assert.ok(seen instanceof CancelledError);
  assert.equal(seen, signalReason);
  assert.equal(task.signal.reason, seen);
  const error = seen as CancelledError;
  assert.equal(error.message, "enough");
  assert.equal(error.reason, "explicit");
  assert.equal(error.taskName, "blocked");
  assert.equal(error.taskId, task.id);
});

Deno.test("cancellation is delivered once: cleanup awaits in finally work", async () => {
  const log: string[] = [];
  const task = createTask(async () => {
    try {
      await sleep(10_000);
    } finally {
      await sleep(1);
      log.push("cleanup finished");
    }
  });
  await sleep(0);
  task.cancel();
  await assert.rejects(task, CancelledError);
  assert.deepEqual(log, ["cleanup finished"]);
});

Deno.test("cancel during cleanup: a second cancel() interrupts the await in finally", async () => {
  const log: string[] = [];
  const task = createTask(async () => {
    try {
      await sleep(10_000);
    } finally {
      try {
        await sleep(10_000);
        log.push("cleanup completed");
      } catch (error) {
        log.push(`cleanup interrupted: ${(error as Error).name}`);
      }
    }
  });
  await sleep(0);
  task.cancel("first");
  await sleep(0);
  task.cancel("second");
  await assert.rejects(task, CancelledError);
  assert.deepEqual(log, ["cleanup interrupted: CancelledError"]);
});

Deno.test("a cancel requested while not at a library await arrives at the next one", async () => {
  const log: string[] = [];
  let release!: () => void;
  const plain = new Promise<void>((r) => (release = r));
  const task = createTask(async () => {
    await plain; // not a library await: cannot be interrupted
    log.push("after plain promise");
    await sleep(10_000);
    log.push("never");
  });
  await sleep(0);
  task.cancel();
  release();
  await assert.rejects(task, CancelledError);
  assert.deepEqual(log, ["after plain promise"]);
});

Deno.test("a body that catches the cancellation and returns ends done with its value", async () => {
  const task = createTask(async () => {
    try {
      await sleep(10_000);
      return "slept";
    } catch {
      return "caught";
    }
  });
  await sleep(0);
  task.cancel();
  assert.equal(await task, "caught");
  assert.equal(task.cancelled(), false);
});

Deno.test("a cancellation that never reached a library await still ends the task cancelled", async () => {
  let release!: () => void;
  const plain = new Promise<void>((r) => (release = r));
  const task = createTask(async () => {
    await plain;
    return "finished anyway";
  });
  await sleep(0);
  task.cancel();
  release();
  await assert.rejects(task, CancelledError);
  assert.equal(task.cancelled(), true);
});

Deno.test("a task awaiting another task passes its cancellation on and waits for it", async () => {
  const log: string[] = [];
  const inner = createTask(async () => {
    try {
      await sleep(10_000);
    } finally {
      await sleep(1);
      log.push("inner cleanup");
    }
  }, { name: "inner" });
  const outer = createTask(async () => {
    try {
      await inner;
    } finally {
      log.push("outer sees cancellation");
    }
  });
  await sleep(0);
  outer.cancel();
  await assert.rejects(outer, CancelledError);
  assert.deepEqual(log, ["inner cleanup", "outer sees cancellation"]);
  assert.equal(inner.cancelled(), true);
  assert.equal((inner.signal.reason as CancelledError).reason, "parent");
});

Deno.test("the awaiting task gets CancelledError even if the awaited task swallows it", async () => {
  const inner = createTask(async () => {
    try {
      await sleep(10_000);
    } catch {
      return "swallowed";
    }
  });
  const outer = createTask(() => inner);
  await sleep(0);
  outer.cancel();
  await assert.rejects(outer, CancelledError);
  assert.equal(await inner, "swallowed");
});

Deno.test("a pending cancellation reaches a task awaited afterwards", async () => {
  let inner: Task<void> | undefined;
  let release!: () => void;
  const plain = new Promise<void>((r) => (release = r));
  const outer = createTask(async () => {
    await plain;
    inner = createTask(() => sleep(10_000));
    await inner;
  });
  await sleep(0);
  outer.cancel();
  release();
  await assert.rejects(outer, CancelledError);
  assert.equal(inner?.cancelled(), true);
});

Deno.test("cancelling sleeping tasks leaves no timer behind (sanitizers)", async () => {
  const tasks = Array.from({ length: 20 }, (_, i) => createTask(() => sleep(60_000 + i)));
  await sleep(0);
  for (const task of tasks) task.cancel();
  for (const task of tasks) await assert.rejects(task, CancelledError);
  const yielding = createTask(() => sleep(0));
  yielding.cancel();
  await assert.rejects(yielding, CancelledError);
});

Deno.test("the signal passed to the body is the task's signal, aborted on cancel", async () => {
  let bodySignal: AbortSignal | undefined;
  const task = createTask((signal) => {
    bodySignal = signal;
    return sleep(10_000);
  });
  await sleep(0);
  assert.equal(bodySignal, task.signal);
  assert.equal(bodySignal?.aborted, false);
  task.cancel();
  assert.equal(bodySignal?.aborted, true);
  await assert.rejects(task, CancelledError);
});

Deno.test("cancel(message) validates its message", () => {
  const task = createTask(() => 1);
  // @ts-expect-error: message must be a string
  assert.throws(() => task.cancel(3), TypeError);
  task.cancel();
});

Deno.test("a task may cancel itself; it ends at its next library await", async () => {
  const log: string[] = [];
  const task = createTask(async () => {
    currentTask()?.cancel("self");
    log.push("still running");
    await sleep(0);
    log.push("never");
  });
  await assert.rejects(task, (e: CancelledError) => e.message === "self");
  assert.deepEqual(log, ["still running"]);
});

/** Every task ended cancelled: the count of those that did not. */
function notCancelled(tasks: Task<unknown>[]): number {
  return tasks.filter((task) => !task.cancelled()).length;
}

Deno.test("cancelling one of two tasks that await each other ends both cancelled", async () => {
  const tasks: Task<unknown>[] = [];
  tasks.push(createTask(async () => await tasks[1], { name: "a" }));
  tasks.push(createTask(async () => await tasks[0], { name: "b" }));
  await sleep(0);
  assert.equal(tasks[0].cancel(), true);
  await within(5_000, "the cycle", Promise.allSettled(tasks));
  assert.equal(notCancelled(tasks), 0);
});

Deno.test("cancelling a task in a cycle of 100,000 tasks awaiting each other returns and ends them all cancelled", async () => {
  const n = 100_000;
  const tasks: Task<unknown>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(async () => await tasks[(i + 1) % n]));
  await sleep(0);
  assert.equal(tasks[n / 2].cancel(), true);
  await within(30_000, "the cycle", Promise.allSettled(tasks));
  assert.equal(notCancelled(tasks), 0);
});

Deno.test("cancelling the end of a chain of 100,000 tasks, each awaiting the previous one, cancels them all", async () => {
  const f = (value: unknown) => value;
  const tasks: Task<unknown>[] = [createTask(() => sleep(Infinity))];
  for (let i = 1; i < 100_000; i++) {
    const prev = tasks[i - 1];
    tasks.push(createTask(async () => f(await prev)));
  }
  await sleep(0);
  assert.equal(tasks[tasks.length - 1].cancel(), true);
  await within(30_000, "the chain", Promise.allSettled(tasks));
  assert.equal(notCancelled(tasks), 0);
});

Deno.test("run() settles when main leaves a chain of 100,000 tasks awaiting each other", async () => {
  let tasks: Task<unknown>[] = [];
  const value = await within(
    30_000,
    "run()",
    run(async () => {
      tasks = [createTask(() => sleep(Infinity))];
      for (let i = 1; i < 100_000; i++) {
        const prev = tasks[i - 1];
        tasks.push(createTask(async () => await prev));
      }
      await sleep(0);
      return "main";
    }),
  );
  assert.equal(value, "main");
  assert.equal(notCancelled(tasks), 0);
});

Deno.test("a second cancel of the awaiting task is not passed on again: the awaited task's cleanup completes", async () => {
  const log: string[] = [];
  const inner = createTask(async () => {
    try {
      await sleep(10_000);
    } finally {
      await sleep(5);
      log.push("inner cleanup completed");
    }
  });
  const outer = createTask(async () => await inner);
  await sleep(0);
  outer.cancel("first");
  await sleep(1);
  outer.cancel("second");
  await assert.rejects(outer, CancelledError);
  assert.deepEqual(log, ["inner cleanup completed"]);
});

Deno.test("a pending cancellation met at `await` of a task this cancellation already reached is delivered at once", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const later: Task<unknown>[] = [];
  const a = createTask(async () => await later[0], { name: "a" });
  const b = createTask(async () => {
    await gate; // not a library await: b is running when a's cancellation reaches it
    return await a;
  }, { name: "b" });
  later.push(b);
  await sleep(0);
  a.cancel();
  release();
  await within(5_000, "a and b", Promise.allSettled([a, b]));
  assert.equal(notCancelled([a, b]), 0);
});

Deno.test("the reviewer's shape: b's sleep falls due in the turn a is cancelled in", async () => {
  const later: Task<unknown>[] = [];
  const a = createTask(async () => await later[0], { name: "a" });
  const b = createTask(async () => {
    await sleep(20);
    return await a;
  }, { name: "b" });
  later.push(b);
  await sleep(20);
  a.cancel();
  await within(5_000, "a and b", Promise.allSettled([a, b]));
  assert.equal(notCancelled([a, b]), 0);
});

Deno.test("cancelling a ring of tasks that is still forming ends every task cancelled", async () => {
  for (const n of [200, 5_000]) {
    const gates: (() => void)[] = [];
    const tasks: Task<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      tasks.push(createTask(async () => {
        await gate;
        return await tasks[(i + 1) % n];
      }));
    }
    await sleep(0);
    // Some tasks already await the next one, the others are still running.
    for (let i = 0; i < n; i += 3) gates[i]();
    await sleep(0);
    tasks[0].cancel();
    for (let i = 0; i < n; i++) if (i % 3 !== 0) gates[i]();
    await within(10_000, `the ring of ${n}`, Promise.allSettled(tasks));
    assert.equal(notCancelled(tasks), 0);
  }
});

Deno.test("cancelling a ring of 200 sleeping tasks while it forms ends every task cancelled", async () => {
  const n = 200;
  const tasks: Task<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    tasks.push(createTask(async () => {
      await sleep(1);
      return await tasks[(i + 1) % n];
    }));
  }
  await sleep(1);
  tasks[0].cancel();
  await within(10_000, "the ring", Promise.allSettled(tasks));
  assert.equal(notCancelled(tasks), 0);
});
