import assert from "node:assert/strict";
import {
  createTask,
  InvalidStateError,
  run,
  sleep,
  timeout,
  TimeoutError,
  WorkerPool,
} from "../../mod.ts";
import { taskInternals } from "../../lib/runtime/mod.ts";

const jobs = new URL("../fixtures/pool_jobs.ts", import.meta.url);

Deno.test("WorkerPool.run calls a module's export by name in a worker", async () => {
  await using pool = new WorkerPool({ size: 2, module: jobs });
  assert.equal(await pool.run("fib", 20), 6765);
  assert.deepEqual(await Promise.all([pool.run("fib", 10), pool.run("fib", 15)]), [55, 610]);
  assert.equal(await pool.run((a: number, b: number) => a * b, 6, 7), 42);
});

Deno.test("WorkerPool.run rejects with the export's error, its class name and own properties kept", async () => {
  await using pool = new WorkerPool({ size: 1, module: jobs });
  const error = await pool.run("failParse", 7).then(
    () => assert.fail("should reject"),
    (e) => e as Error & { line?: number },
  );
  assert.equal(error.name, "ParseError");
  assert.equal(error.message, "bad input at line 7");
  assert.equal(error.line, 7);
  await assert.rejects(pool.run("answer"), /has no exported function 'answer'/);
  await assert.rejects(pool.run("missing"), TypeError);
});

Deno.test("a WorkerPool never runs more than size jobs at once and queues the rest in order", async () => {
  await using pool = new WorkerPool({ size: 2, module: jobs });
  const started: number[] = [];
  const runs = [0, 1, 2, 3].map((i) =>
    pool.run<[number, number]>("busy", 80).then(([start, end]) => {
      started[i] = start;
      return [start, end] as [number, number];
    })
  );
  assert.deepEqual(pool.stats(), { size: 2, workers: 2, running: 2, queued: 2, stuck: 0 });
  const spans = await Promise.all(runs);
  // Jobs 2 and 3 start only after one of jobs 0 and 1 has ended.
  const firstEnd = Math.min(spans[0][1], spans[1][1]);
  assert.ok(started[2] >= firstEnd - 1 && started[3] >= firstEnd - 1, JSON.stringify(spans));
  assert.deepEqual(pool.stats(), { size: 2, workers: 2, running: 0, queued: 0, stuck: 0 });
});

Deno.test("cancelling a queued WorkerPool job drops it: it never runs", async () => {
  await using pool = new WorkerPool({ size: 1 });
  const shared = new SharedArrayBuffer(8);
  const slots = new Int32Array(shared);
  const mark = (buffer: SharedArrayBuffer, slot: number, ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) { /* spin */ }
    Atomics.store(new Int32Array(buffer), slot, 1);
  };
  const first = pool.run(mark, shared, 0, 50);
  const queued = createTask(() => pool.run(mark, shared, 1, 0), { name: "queued" });
  await sleep(0);
  assert.equal(taskInternals.info(queued).waitingOn, "WorkerPool.run(fn)");
  queued.cancel();
  await assert.rejects(queued.then(), { name: "CancelledError" });
  await first;
  await pool.run(() => 0);
  assert.deepEqual([...slots], [1, 0]);
});

Deno.test("a job whose error escapes (a throwing timer) rejects and the pool keeps working", async () => {
  await using pool = new WorkerPool({ size: 1 });
  const error = await pool.run(() =>
    new Promise(() => {
      setTimeout(() => {
        throw new RangeError("escaped");
      }, 1);
    })
  ).then(() => assert.fail("should reject"), (e) => e as Error);
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "escaped");
  assert.equal(await pool.run(() => "alive"), "alive");
});

Deno.test("WorkerPool.close lets submitted jobs finish; a later run throws InvalidStateError", async () => {
  const pool = new WorkerPool({ size: 1, module: jobs });
  const pending = pool.run("fib", 22);
  const closing = pool.close();
  assert.equal(pool.close(), closing);
  await assert.rejects(pool.run("fib", 1), InvalidStateError);
  assert.equal(await pending, 17711);
  await closing;
  assert.equal(pool.stats().workers, 0);
});

Deno.test("new WorkerPool checks its options", () => {
  assert.throws(() => new WorkerPool({ size: 0 }), RangeError);
  assert.throws(() => new WorkerPool({ size: 1.5 }), RangeError);
  assert.throws(() => new WorkerPool({ module: "./relative.ts" }), /absolute URL/);
  assert.throws(
    () => new WorkerPool({ mode: "fork" as "process" }),
    /options.mode must be "thread" or "process", got "fork"/,
  );
  assert.throws(
    () => new WorkerPool({ mode: "process", memoryLimitMb: 8 }),
    /options.memoryLimitMb must be an integer >= 16, got 8/,
  );
  assert.throws(() => new WorkerPool({ memoryLimitMb: 64 }), /needs mode: "process"/);
  assert.equal(new WorkerPool().size, navigator.hardwareConcurrency);
});

Deno.test("WorkerPool.run with an export name needs a module", async () => {
  await using pool = new WorkerPool({ size: 1 });
  await assert.rejects(pool.run("fib", 3), /this pool has no module/);
  await assert.rejects(pool.run(42 as unknown as string), TypeError);
});

Deno.test("WorkerPool.run inside timeout(): the deadline withdraws the job, then TimeoutError", async () => {
  await using pool = new WorkerPool({ size: 1 });
  const result = await run(() =>
    timeout(50, () => pool.run(() => new Promise((resolve) => setTimeout(resolve, 60_000))))
      .then(() => "resolved", (error) => error)
  );
  assert.ok(result instanceof TimeoutError, String(result));
  assert.equal(pool.stats().running, 0);
  assert.equal(await pool.run((n: number) => n + 1, 1), 2);
});

Deno.test("a cancelled thread job that cannot be stopped counts against the pool's size until it ends", async () => {
  await using pool = new WorkerPool({ size: 1 });
  const ends = new Float64Array(new SharedArrayBuffer(8));
  const spinner = createTask(() =>
    pool.run((out: Float64Array) => {
      const end = performance.now() + 400;
      while (performance.now() < end) { /* spin */ }
      out[0] = performance.timeOrigin + performance.now();
    }, ends)
  );
  await sleep(100);
  spinner.cancel();
  await assert.rejects(spinner.then(), { name: "CancelledError" });
  const stats = pool.stats();
  assert.equal(stats.stuck, 1);
  assert.equal(stats.workers, 0);
  const startedAt = await pool.run(() => performance.timeOrigin + performance.now());
  // On Deno the abandoned loop kept its thread: the next job waited for it.
  // Where terminate() interrupts code (Node, Bun) the loop never wrote its end.
  if (ends[0] !== 0) assert.ok(startedAt >= ends[0], `${startedAt} < ${ends[0]}`);
  assert.equal(ends[0] !== 0, navigator.userAgent.startsWith("Deno/"));
  assert.equal(pool.stats().stuck, 0);
});
