import assert from "node:assert/strict";
import { createTask, sleep, WorkerPool } from "../../mod.ts";
import { runDeno } from "../_helpers.ts";

const jobs = new URL("../fixtures/pool_jobs.ts", import.meta.url);

/** A process's user + system CPU ticks, or `null` once it is gone (or a zombie). */
function cpuTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return null;
  return Number(fields[11]) + Number(fields[12]);
}

Deno.test("a process pool runs functions and module exports in a subprocess, with cloned values", async () => {
  await using pool = new WorkerPool({ mode: "process", size: 2, module: jobs });
  assert.equal(pool.mode, "process");
  const pid = await pool.run(() => Deno.pid);
  assert.notEqual(pid, Deno.pid);
  assert.equal(await pool.run("fib", 20), 6765);
  const value = await pool.run(
    (when: Date) => ({ years: new Map([["epoch", when]]) }),
    new Date(0),
  );
  assert.deepEqual(value, { years: new Map([["epoch", new Date(0)]]) });
  const error = (await pool.run("failParse", 7).catch((e) => e)) as Error & { line?: number };
  assert.deepEqual([error.name, error.message, error.line], [
    "ParseError",
    "bad input at line 7",
    7,
  ]);
  await assert.rejects(pool.run((f: unknown) => typeof f, (() => 1) as never), TypeError);
  await assert.rejects(pool.run(() => () => 1), /could not be sent back/);
  assert.equal(await pool.run(() => Deno.pid), pid, "the same process served every job");
});

Deno.test("a process pool function using a captured variable is a ReferenceError naming a process", async () => {
  await using pool = new WorkerPool({ mode: "process", size: 1 });
  const factor = 3;
  const error = await pool.run((n: number) => n * factor, 2).catch((e) => e);
  assert.ok(error instanceof ReferenceError);
  assert.equal(
    error.message,
    "WorkerPool functions run in another process and cannot use variables from the enclosing scope: 'factor' is not defined there; pass it as an argument",
  );
});

Deno.test("cancelling a busy job in a process pool kills its process: no CPU is used 100 ms later", async () => {
  await using pool = new WorkerPool({ mode: "process", size: 1 });
  const pidFile = await Deno.makeTempFile();
  try {
    const spinning = createTask(() =>
      pool.run((path: string) => {
        Deno.writeTextFileSync(path, String(Deno.pid));
        for (;;) { /* spin until killed */ }
      }, pidFile)
    );
    let pid = 0;
    while (pid === 0) {
      await sleep(10);
      pid = Number(Deno.readTextFileSync(pidFile)) || 0;
    }
    await sleep(100);
    assert.ok((cpuTicks(pid) ?? 0) > 0, "the job was burning CPU");
    const cancelledAt = performance.now();
    spinning.cancel();
    await assert.rejects(spinning.then(), { name: "CancelledError" });
    await sleep(100);
    const at100 = cpuTicks(pid);
    await sleep(200);
    const at300 = cpuTicks(pid);
    assert.ok(at100 === null || at100 === at300, `CPU ticks went on: ${at100} -> ${at300}`);
    while (cpuTicks(pid) !== null) await sleep(5);
    const goneAfter = performance.now() - cancelledAt;
    assert.ok(goneAfter < 1_000, `the process lived ${goneAfter} ms after the cancel`);
    assert.equal(pool.stats().stuck, 0);
    assert.equal(await pool.run((n: number) => n + 1, 1), 2);
  } finally {
    await Deno.remove(pidFile);
  }
});

Deno.test("a job that runs out of memory in a process pool fails alone with a clear error", async () => {
  await using pool = new WorkerPool({ mode: "process", size: 2, memoryLimitMb: 32 });
  const other = pool.run(
    (ms: number) => new Promise((resolve) => setTimeout(resolve, ms, "ok")),
    300,
  );
  const error = await pool.run(function hog() {
    const chunks: number[][] = [];
    for (;;) chunks.push(new Array(100_000).fill(chunks.length));
  }).catch((e) => e);
  assert.ok(error instanceof Error);
  assert.equal((error as Error & { code?: string }).code, "ERR_WORKER_OUT_OF_MEMORY");
  assert.match(
    error.message,
    /ran out of memory \(memoryLimitMb: 32\) while running WorkerPool.run\(hog\)/,
  );
  assert.equal(await other, "ok");
  assert.equal(await pool.run(() => "a new process took over"), "a new process took over");
});

Deno.test("an idle process pool never keeps the process alive", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "-A",
    "tests/fixtures/ok_idle_process_pool_exits.ts",
  ]);
  const exitedAt = Date.now();
  assert.equal(code, 0, stderr);
  assert.match(stdout, /result: 42/);
  const match = /finished at (\d+(?:\.\d+)?)/.exec(stdout);
  assert.ok(match, stdout);
  assert.ok(exitedAt - Number(match[1]) < 1_000, `exited ${exitedAt - Number(match[1])} ms late`);
});

Deno.test("a process pool without permission to start a subprocess fails the job, saying why", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "--allow-read",
    "tests/fixtures/fail_process_pool_without_permissions.ts",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(
    stdout,
    /WorkerPool\(\{ mode: "process" \}\) could not start a subprocess: Requires/,
  );
  assert.match(stdout, /still running/);
});

Deno.test("killing busy process workers over and over raises no error from their pipes", async () => {
  await using pool = new WorkerPool({ mode: "process", size: 2 });
  for (let round = 0; round < 5; round++) {
    const jobs = [0, 1].map(() =>
      createTask(() =>
        pool.run(() => {
          for (;;) console.error("noise");
        })
      )
    );
    await sleep(60);
    for (const job of jobs) job.cancel();
    const outcomes = await Promise.allSettled(jobs);
    assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected"]);
  }
  assert.equal(await pool.run(() => "calm"), "calm");
});
