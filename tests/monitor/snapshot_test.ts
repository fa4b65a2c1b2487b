import assert from "node:assert/strict";
import { createTask, run, sleep, type Task } from "../../mod.ts";
import {
  getHistoryLimit,
  onTaskEvent,
  setHistoryLimit,
  snapshot,
  type TaskEvent,
  type TaskInfo,
  taskInfo,
} from "../../monitor.ts";
import { captureConsoleError, runDeno } from "../_helpers.ts";
import { hostileValues } from "../_hostile.ts";

function find(task: Task<unknown>): TaskInfo {
  const info = snapshot().find((t) => t.id === task.id);
  assert.ok(info, `task ${task.name} is in the snapshot`);
  return info;
}

Deno.test("snapshot() shows a task pending, then waiting on its sleep, then done with its value", async () => {
  const task = createTask(() => sleep(30, "rested"), { name: "sleeper" });
  const pending = find(task);
  assert.equal(pending.state, "pending");
  assert.equal(pending.startedAt, undefined);
  await sleep(5);
  const waiting = find(task);
  assert.equal(waiting.state, "waiting");
  assert.equal(waiting.waitingOn, "sleep(30)");
  assert.ok(waiting.startedAt! >= waiting.createdAt);
  await task;
  const done = find(task);
  assert.equal(done.state, "done");
  assert.equal(done.result, '"rested"');
  assert.equal(done.waitingOn, undefined);
  assert.ok(done.endedAt! >= done.startedAt!);
});

Deno.test("snapshot() shows a task that computes as running, and its parent waiting on it", async () => {
  let seen: TaskInfo[] = [];
  await run(async () => {
    const child = createTask(async () => {
      await sleep(1);
      seen = snapshot();
      return 1;
    }, { name: "busy" });
    await child;
  }, { name: "parent" });
  const parent = seen.find((t) => t.name === "parent");
  const busy = seen.find((t) => t.name === "busy");
  assert.equal(busy?.state, "running");
  assert.equal(busy?.parentId, parent?.id);
  assert.equal(parent?.state, "waiting");
  assert.equal(parent?.waitingOn, "busy");
});

Deno.test("snapshot() tells how a finished task ended: failed with its error, cancelled and why", async () => {
  const failing = createTask(() => {
    throw new TypeError("bad input");
  }, { name: "failing" });
  const cancelled = createTask(() => sleep(10_000), { name: "stopped" });
  await sleep(1);
  cancelled.cancel("enough");
  await Promise.allSettled([failing, cancelled]);
  const failed = find(failing);
  assert.equal(failed.state, "failed");
  assert.equal(failed.error, "TypeError: bad input");
  const stopped = find(cancelled);
  assert.equal(stopped.state, "cancelled");
  assert.equal(stopped.cancelReason, "explicit");
  assert.equal(stopped.error, "CancelledError(explicit): enough");
});

Deno.test("snapshot() never counts as retrieving a failed task's error", async () => {
  const printed = await captureConsoleError(async () => {
    await run(async () => {
      const task = createTask(() => Promise.reject(new Error("nobody looked")), { name: "lonely" });
      await sleep(1);
      assert.equal(find(task).state, "failed");
      assert.equal(taskInfo(task).error, "Error: nobody looked");
    });
  });
  assert.ok(printed.some((line) => line.includes("Task exception was never retrieved")));
});

Deno.test("the history keeps the most recent finished tasks up to its limit", async () => {
  const before = getHistoryLimit();
  assert.equal(before, 1000);
  setHistoryLimit(3);
  try {
    const tasks = Array.from({ length: 5 }, (_, i) => createTask(() => i, { name: `h${i}` }));
    await Promise.all(tasks);
    const names = snapshot().map((t) => t.name).filter((n) => n.startsWith("h"));
    assert.deepEqual(names, ["h2", "h3", "h4"]);
    assert.throws(() => setHistoryLimit(-1), RangeError);
  } finally {
    setHistoryLimit(before);
  }
});

Deno.test("taskInfo() previews values in one short line", async () => {
  const values: unknown[] = [{ a: [1, 2] }, "x".repeat(100), 10n, new Map([[1, 2]]), undefined];
  const tasks = values.map((value) => createTask(() => value));
  await Promise.all(tasks);
  const previews = tasks.map((task) => taskInfo(task).result);
  assert.deepEqual(previews.slice(0, 1), ['{"a":[1,2]}']);
  assert.equal(previews[1]!.length, 60);
  assert.ok(previews[1]!.endsWith("…"));
  assert.deepEqual(previews.slice(2), ["10n", "Map(1)", "undefined"]);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => taskInfo({} as any), TypeError);
});

Deno.test("onTaskEvent() reports created, started, waiting, running and ended in order", async () => {
  const events: string[] = [];
  const stop = onTaskEvent((event: TaskEvent) => {
    if (event.task.name === "watched") events.push(event.type);
  });
  try {
    await createTask(async () => {
      await sleep(1);
      return 1;
    }, { name: "watched" });
  } finally {
    stop();
  }
  stop();
  assert.deepEqual(events, ["created", "started", "waiting", "running", "ended"]);
  await createTask(() => 1, { name: "watched" });
  assert.equal(events.length, 5, "no events after unsubscribing");
  // deno-lint-ignore no-explicit-any
  assert.throws(() => onTaskEvent(42 as any), TypeError);
});

Deno.test("a throwing task event listener is reported and never disturbs the task", async () => {
  let result: number | undefined;
  const printed = await captureConsoleError(async () => {
    const stop = onTaskEvent(() => {
      throw new Error("listener bug");
    });
    try {
      result = await createTask(() => 7);
    } finally {
      stop();
    }
  });
  assert.equal(result, 7);
  assert.ok(printed.some((line) => line.includes("listener bug")));
});

Deno.test("snapshot() describes a failure with any value in one bounded line", async () => {
  const tasks = hostileValues().map(([what, value]) =>
    [
      what,
      createTask(() => {
        throw value;
      }),
    ] as const
  );
  await sleep(1);
  const infos = snapshot();
  for (const [what, task] of tasks) {
    const info = infos.find((t) => t.id === task.id);
    assert.equal(info?.state, "failed", what);
    assert.equal(typeof info?.error, "string", what);
    assert.ok(info!.error!.length <= 200, `${what}: ${info!.error!.length} characters`);
    assert.equal(taskInfo(task).error, info!.error, what);
    task.exception();
  }
});

Deno.test("snapshot() previews any value a task returned, bounded", async () => {
  const values = hostileValues().filter(([what]) => !what.includes("Proxy"));
  const tasks = values.map(([, value]) => createTask(() => ({ value })));
  const plain = createTask(() => "x".repeat(10_000_000));
  await Promise.all([...tasks, plain]);
  const infos = snapshot();
  for (const task of [...tasks, plain]) {
    const result = infos.find((t) => t.id === task.id)?.result;
    assert.equal(typeof result, "string");
    assert.ok(result!.length <= 60, `${result!.length} characters`);
  }
});

Deno.test("the finished-task history keeps descriptions, never the values: 250 MB of results are freed", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "--v8-flags=--expose-gc",
    "tests/fixtures/ok_history_keeps_no_values.ts",
  ]);
  assert.equal(code, 0, stderr);
  const heap = JSON.parse(stdout);
  assert.ok(heap.held - heap.before > 200, `the values took ${heap.held - heap.before} MB`);
  assert.ok(heap.after - heap.before < 20, `${heap.after - heap.before} MB still held: ${stdout}`);
  assert.equal(heap.finished, 500);
  assert.ok(heap.longestPreview <= 200);
});

Deno.test("snapshot() shows a task in an await outside corun as waiting on it, not running", async () => {
  let release = () => {};
  const outside = new Promise<void>((resolve) => release = resolve);
  const task = createTask(async () => {
    await outside;
    await sleep(1);
  }, { name: "outsider" });
  await sleep(5);
  const info = find(task);
  assert.equal(info.state, "waiting");
  assert.equal(info.waitingOn, "a promise outside corun (not cancellable)");
  const first = info.waitingSince;
  await sleep(2);
  assert.equal(find(task).waitingSince, first, "the same wait keeps its start");
  release();
  await task;
  assert.equal(find(task).waitingSince, undefined);
});

Deno.test("waitingOn rounds fractional durations: sleep(1730), not sleep(1729.53...)", async () => {
  const task = createTask(() => sleep(1729.531308879165), { name: "fractional" });
  await sleep(1);
  assert.equal(find(task).waitingOn, "sleep(1730)");
  task.cancel();
  await task.catch(() => {});
});
