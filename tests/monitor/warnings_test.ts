import assert from "node:assert/strict";
import { createTask, Event, Queue, run, sleep } from "../../mod.ts";
import { serveMonitor, snapshot, type TaskInfo, taskWarnings } from "../../monitor.ts";
import { captureConsoleError } from "../_helpers.ts";
import { LOOP_BLOCK_WARNING_MS, recentLoopBlocks } from "../../lib/debug.ts";

const info = (extra: Partial<TaskInfo>): TaskInfo => ({
  id: 7,
  name: "worker",
  state: "waiting",
  createdAt: 0,
  startedAt: 0,
  ...extra,
});

Deno.test("taskWarnings() names a task waiting on the same thing too long, and what to do", () => {
  const stuck = info({ waitingOn: "Queue.get", waitingSince: 1_000 });
  assert.deepEqual(taskWarnings([stuck], { now: 5_000 }), [], "under the threshold");
  const [warning] = taskWarnings([stuck], { now: 12_000 });
  assert.equal(warning.kind, "long-wait");
  assert.equal(warning.taskId, 7);
  assert.match(warning.message, /^task worker #7 has waited on Queue\.get for 11\.0s: .*timeout/);
  const sleeper = info({ waitingOn: "sleep(60000)", waitingSince: 0 });
  assert.deepEqual(taskWarnings([sleeper], { now: 30_000 }), [], "a long sleep is on purpose");
  assert.equal(taskWarnings([stuck], { now: 3_000, longWaitMs: 1_000 }).length, 1);
});

Deno.test("taskWarnings() reports foreign awaits, unretrieved failures and loop blocks", () => {
  const foreign = info({
    id: 1,
    name: "fetcher",
    waitingOn: "a promise outside corun (not cancellable)",
    waitingSince: 0,
  });
  const failed = info({
    id: 2,
    name: "parser",
    state: "failed",
    endedAt: 5,
    error: "SyntaxError: bad",
    unretrieved: true,
  });
  const retrieved = { ...failed, id: 3, unretrieved: undefined };
  const warnings = taskWarnings([foreign, failed, retrieved], {
    now: 2_000,
    loopBlocks: [{ ms: 250, taskId: 4, taskName: "hog" }],
  });
  assert.deepEqual(warnings.map((w) => [w.kind, w.taskId]), [
    ["loop-blocked", 4],
    ["not-cancellable", 1],
    ["unretrieved-error", 2],
  ]);
  assert.match(warnings[0].message, /blocked for 250ms \(task hog #4 was running\).*toThread/);
  assert.match(warnings[1].message, /task fetcher #1 .*pass the task's signal/);
  assert.match(warnings[2].message, /task parser #2 failed \(SyntaxError: bad\).*await it/);
});

Deno.test("taskWarnings() checks its arguments", () => {
  assert.throws(() => taskWarnings("x" as never), TypeError);
  assert.throws(() => taskWarnings([], { longWaitMs: -1 }), RangeError);
  assert.throws(() => taskWarnings([], { now: NaN }), RangeError);
});

Deno.test("a live snapshot feeds the warnings: a stuck Queue.get and an unretrieved failure", async () => {
  const queue = new Queue<number>();
  const gate = new Event();
  let infos: TaskInfo[] = [];
  const printed = await captureConsoleError(() =>
    run(async () => {
      const consumer = createTask(() => queue.get(), { name: "consumer" });
      createTask(() => Promise.reject(new Error("lost")), { name: "loser" });
      await sleep(5);
      snapshot(); // The first look: the consumer is seen waiting from here on.
      infos = snapshot();
      gate.set();
      consumer.cancel();
      await consumer.catch(() => {});
    }).catch(() => {})
  );
  assert.match(printed.join("\n"), /never retrieved[\s\S]*loser/, "run() reported it as well");
  await gate.wait();
  const consumer = infos.find((t) => t.name === "consumer")!;
  assert.equal(consumer.waitingOn, "Queue.get");
  assert.equal(typeof consumer.waitingSince, "number");
  const later = consumer.waitingSince! + 20_000;
  const kinds = taskWarnings(infos, { now: later }).map((w) => `${w.kind} ${w.taskName}`);
  assert.ok(kinds.includes("long-wait consumer"), kinds.join());
  assert.ok(kinds.includes("unretrieved-error loser"), kinds.join());
});

Deno.test("a loop block seen in debug mode reaches the monitor's warnings, naming the task", async () => {
  await using server = await serveMonitor();
  await captureConsoleError(() =>
    run(async () => {
      await createTask(async () => {
        await sleep(20);
        const end = performance.now() + 150;
        while (performance.now() < end) {
          // Block the loop, as a synchronous computation would.
        }
        await sleep(30);
      }, { name: "hog" });
    }, { debug: true })
  );
  const body = await (await fetch(new URL("api/tasks", server.url), {
    headers: { authorization: `Bearer ${server.token}` },
  })).json();
  const blocked = body.warnings.filter((w: { kind: string }) => w.kind === "loop-blocked");
  assert.ok(blocked.length >= 1, JSON.stringify(body.warnings));
  assert.match(blocked.at(-1).message, /blocked for \d+ms \(task hog #\d+ was running\)/);
  assert.ok(recentLoopBlocks().some((b) => b.taskName === "hog"));
  // A minute later the warning has expired.
  assert.deepEqual(recentLoopBlocks(performance.now() + LOOP_BLOCK_WARNING_MS + 1), []);
});

Deno.test("a task failing outside run() (top level, REPL) is an unretrieved-error warning until its error is retrieved", async () => {
  const failer = createTask(() => {
    throw new Error("boom");
  }, { name: "top-level-failer" });
  const other = createTask(async () => {
    await sleep(1);
    throw new Error("bang");
  }, { name: "top-level-other" });
  await sleep(20);
  const ours = () =>
    taskWarnings(snapshot()).filter((w) =>
      w.kind === "unretrieved-error" && (w.taskId === failer.id || w.taskId === other.id)
    );
  assert.deepEqual(ours().map((w) => w.taskName), ["top-level-failer", "top-level-other"]);
  assert.equal(snapshot().find((t) => t.id === failer.id)?.unretrieved, true);
  // A later retrieval updates the history's record.
  assert.equal((failer.exception() as Error).message, "boom");
  assert.deepEqual(ours().map((w) => w.taskName), ["top-level-other"]);
  await other.catch(() => {});
  assert.deepEqual(ours(), []);
  assert.equal(snapshot().find((t) => t.id === failer.id)?.unretrieved, undefined);
});

Deno.test("the monitor's stream warnings include a failure outside run() nobody retrieved", async () => {
  await using server = await serveMonitor();
  const failer = createTask(() => {
    throw new Error("boom");
  }, { name: "streamed-failer" });
  await sleep(10);
  const response = await fetch(new URL("api/tasks", server.url), {
    headers: { authorization: `Bearer ${server.token}` },
  });
  const body = await response.json();
  assert.ok(
    body.warnings.some((w: TaskWarningLike) =>
      w.kind === "unretrieved-error" && w.taskId === failer.id
    ),
  );
  await failer.catch(() => {});
});

type TaskWarningLike = { kind: string; taskId?: number };
