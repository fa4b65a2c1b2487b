import assert from "node:assert/strict";
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  InvalidStateError,
  sleep,
  type Task,
} from "../../mod.ts";
import { AsyncLocalStorage } from "node:async_hooks";
import { taskInternals } from "../../lib/runtime/mod.ts";
import { captureConsoleError } from "../_helpers.ts";
import { hostileValues } from "../_hostile.ts";

Deno.test("createTask starts the body after the current synchronous code", async () => {
  const log: string[] = [];
  const task = createTask(() => {
    log.push("body");
  });
  log.push("after createTask");
  await task;
  assert.deepEqual(log, ["after createTask", "body"]);
});

Deno.test("a task's body sees its creator's AsyncLocalStorage values, task by task", async () => {
  const requestId = new AsyncLocalStorage<string>();
  // Created in one synchronous stretch, each in another context.
  const a = requestId.run("A", () => createTask(() => requestId.getStore()));
  const b = requestId.run(
    "B",
    () => createTask(async () => (await sleep(1), requestId.getStore())),
  );
  const none = createTask(() => requestId.getStore());
  const nested = requestId.run(
    "C",
    () => createTask(() => createTask(() => requestId.getStore(), { name: "grandchild" })),
  );
  assert.deepEqual([await a, await b, await none, await (await nested)], [
    "A",
    "B",
    undefined,
    "C",
  ]);
  const started: string[] = [];
  const order = ["1", "2", "3"].map((id) =>
    requestId.run(id, () => createTask(() => started.push(requestId.getStore()!)))
  );
  await Promise.all(order);
  assert.deepEqual(started, ["1", "2", "3"]);
});

Deno.test("a task created while others start never starts before it was created", async () => {
  let late: Task<unknown> | undefined;
  const first = createTask(() => {
    // The start time read for this batch is 20 ms old when the next task is made.
    const until = performance.now() + 20;
    while (performance.now() < until);
    late = createTask(() => {});
  });
  await first;
  await late;
  const info = taskInternals.info(late!);
  assert.ok(
    info.startedAt! >= info.createdAt,
    `started ${info.createdAt - info.startedAt!} ms early`,
  );
});

Deno.test("createTask with eager: true runs the body up to its first await at once", async () => {
  const log: string[] = [];
  const task = createTask(async () => {
    log.push("body start");
    await sleep(0);
    log.push("body end");
  }, { eager: true });
  log.push("after createTask");
  await task;
  assert.deepEqual(log, ["body start", "after createTask", "body end"]);
});

Deno.test("tasks have unique increasing ids and Task-<id> names unless named", async () => {
  const a = createTask(() => 1);
  const b = createTask(() => 2, { name: "second" });
  assert.ok(b.id > a.id);
  assert.equal(a.name, `Task-${a.id}`);
  assert.equal(b.name, "second");
  await Promise.all([a, b]);
});

Deno.test("a task's parent is the task that created it", async () => {
  let inner: Task<number> | undefined;
  const outer = createTask(() => {
    inner = createTask(() => 1);
    return inner;
  }, { name: "outer" });
  assert.equal(await outer, 1);
  assert.equal(inner?.parent, outer);
  const topLevel = createTask(() => 0);
  assert.equal(topLevel.parent, undefined);
  await topLevel;
});

Deno.test("result() and exception() throw InvalidStateError until the task is done", async () => {
  const task = createTask(() => sleep(5, "v"));
  assert.throws(() => task.result(), InvalidStateError);
  assert.throws(() => task.exception(), InvalidStateError);
  await task;
  assert.equal(task.result(), "v");
  assert.equal(task.exception(), undefined);
});

Deno.test("result() throws the task's error and exception() returns it", async () => {
  const boom = new Error("boom");
  const task = createTask(() => {
    throw boom;
  });
  await assert.rejects(task, (e) => e === boom);
  assert.throws(() => task.result(), (e) => e === boom);
  assert.equal(task.exception(), boom);
  assert.equal(task.cancelled(), false);
});

Deno.test("result() and exception() throw CancelledError for a cancelled task", async () => {
  const task = createTask(() => sleep(10_000));
  task.cancel();
  await assert.rejects(task, CancelledError);
  assert.throws(() => task.result(), CancelledError);
  assert.throws(() => task.exception(), CancelledError);
});

Deno.test("cancel() returns false once the task is done", async () => {
  const task = createTask(() => 1);
  assert.equal(task.cancel(), true);
  assert.equal(task.cancel(), false);
  const finished = createTask(() => 2);
  await finished;
  assert.equal(finished.cancel(), false);
  assert.equal(finished.cancelled(), false);
});

Deno.test("done callbacks run once the task finishes, and soon if it already has", async () => {
  const calls: string[] = [];
  const task = createTask(() => sleep(1, "x"));
  task.addDoneCallback((t) => calls.push(`first ${t.result()}`));
  const removed = () => calls.push("removed");
  task.addDoneCallback(removed);
  task.addDoneCallback(removed);
  assert.equal(task.removeDoneCallback(removed), 2);
  await task;
  await sleep(0);
  task.addDoneCallback(() => calls.push("late"));
  assert.deepEqual(calls, ["first x"]);
  await sleep(0);
  assert.deepEqual(calls, ["first x", "late"]);
});

Deno.test("a throwing done callback is printed, not thrown", async () => {
  const printed = await captureConsoleError(async () => {
    const task = createTask(() => 1, { name: "cb" });
    task.addDoneCallback(() => {
      throw new Error("callback broke");
    });
    await task;
    await sleep(0);
  });
  assert.match(printed.join("\n"), /done callback of cb threw[\s\S]*callback broke/);
});

Deno.test("await using cancels the task at block end and waits for its cleanup", async () => {
  const log: string[] = [];
  let task: Task<void>;
  {
    await using disposable = createTask(async () => {
      try {
        await sleep(10_000);
      } finally {
        await sleep(1);
        log.push("cleanup");
      }
    });
    task = disposable;
    await sleep(0);
  }
  assert.deepEqual(log, ["cleanup"]);
  assert.equal(task.cancelled(), true);
});

Deno.test("currentTask() is the running task inside a body and undefined outside", async () => {
  assert.equal(currentTask(), undefined);
  const task = createTask(async () => {
    await sleep(0);
    return currentTask()?.id;
  });
  assert.equal(await task, task.id);
});

Deno.test("allTasks() holds exactly the unfinished tasks", async () => {
  const running = createTask(() => sleep(5));
  const finished = createTask(() => 1);
  await finished;
  const tasks = allTasks();
  assert.ok(tasks.has(running));
  assert.ok(!tasks.has(finished));
  await running;
  assert.ok(!allTasks().has(running));
});

Deno.test("a task is not cancelled when the task that created it finishes", async () => {
  let child: Task<string> | undefined;
  await createTask(() => {
    child = createTask(() => sleep(5, "survived"));
  });
  assert.equal(await child, "survived");
});

Deno.test("createTask(promise) wraps a promise; cancelling abandons it", async () => {
  assert.equal(await createTask(Promise.resolve(3)), 3);
  let resolveSlow!: (v: string) => void;
  const slow = new Promise<string>((r) => (resolveSlow = r));
  const wrapper = createTask(slow);
  await sleep(0);
  wrapper.cancel();
  await assert.rejects(wrapper, CancelledError);
  resolveSlow("too late");
});

Deno.test("createTask rejects bad input with TypeError", () => {
  // @ts-expect-error: not a function nor a promise
  assert.throws(() => createTask(42), TypeError);
  // @ts-expect-error: name must be a string
  assert.throws(() => createTask(() => 1, { name: 5 }), TypeError);
});

Deno.test("a task supports catch() and finally() like a promise", async () => {
  const failing = createTask(() => Promise.reject(new Error("nope")));
  assert.equal(await failing.catch((e: Error) => e.message), "nope");
  let ran = false;
  assert.equal(await createTask(() => 4).finally(() => (ran = true)), 4);
  assert.ok(ran);
  assert.equal(Object.prototype.toString.call(failing), "[object Task]");
});

Deno.test("a task that awaits itself gets InvalidStateError instead of hanging", async () => {
  const task: Task<unknown> = createTask(async () => await currentTask());
  await assert.rejects(task, InvalidStateError);
});

Deno.test("the registry shows each state and what a task waits on", async () => {
  const sleeper = createTask(() => sleep(500), { name: "sleeper" });
  assert.equal(taskInternals.info(sleeper).state, "pending");
  await sleep(0);
  assert.equal(taskInternals.info(sleeper).state, "waiting");
  assert.equal(taskInternals.info(sleeper).waitingOn, "sleep(500)");
  const awaiter = createTask(() => sleeper, { name: "awaiter" });
  await sleep(0);
  assert.equal(taskInternals.info(awaiter).waitingOn, "sleeper");
  assert.equal(taskInternals.info(awaiter).parentId, undefined);
  let seen: string | undefined;
  const runner = createTask(() => {
    seen = taskInternals.info(currentTask()!).state;
  });
  await runner;
  assert.equal(seen, "running");
  assert.equal(taskInternals.info(runner).state, "done");
  awaiter.cancel("stop");
  await assert.rejects(awaiter, CancelledError);
  assert.equal(taskInternals.info(sleeper).state, "cancelled");
  assert.equal(taskInternals.info(awaiter).error, "CancelledError(explicit): stop");
  const failing = createTask(() => Promise.reject(new TypeError("bad")));
  await assert.rejects(failing, TypeError);
  assert.equal(taskInternals.info(failing).state, "failed");
  assert.equal(taskInternals.info(failing).error, "TypeError: bad");
});

Deno.test("a task may fail with any value outside a run: it ends failed with that value, nothing crashes", async () => {
  for (const [what, value] of hostileValues()) {
    const task = createTask(() => {
      throw value;
    }, { name: "hostile" });
    await sleep(0);
    assert.equal(taskInternals.state(task), "failed", what);
    assert.equal(task.exception(), value, what);
  }
});

Deno.test("a body returning an object whose then getter throws ends failed with that error", async () => {
  const thenError = new Error("then getter");
  const task = createTask(() => ({
    get then() {
      throw thenError;
    },
  }));
  await assert.rejects(task, (error) => error === thenError);
  assert.equal(taskInternals.state(task), "failed");
});

Deno.test("a body returning a revoked Proxy ends failed, as an async function would", async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const task = createTask(() => proxy);
  await assert.rejects(task, TypeError);
});

Deno.test("createTask(promise) cancelled before it starts never leaves the promise's rejection unhandled", async () => {
  let reject!: (error: Error) => void;
  const promise = new Promise<never>((_, r) => (reject = r));
  const task = createTask(promise);
  task.cancel();
  reject(new Error("late failure"));
  await assert.rejects(task, CancelledError);
  // An unhandled rejection would fail this test once the event loop turns.
  await sleep(1);
});
