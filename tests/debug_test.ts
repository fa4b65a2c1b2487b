import assert from "node:assert/strict";
import { createTask, run, sleep } from "../mod.ts";
import { isWatching } from "../lib/debug.ts";
import { captureConsoleError, runDeno } from "./_helpers.ts";

/** Keep the loop busy for `ms` milliseconds. */
function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

/** A ticker and a task that blocks the loop `blocks` times for `ms`. */
async function tickerAndBlocker(blocks: number, ms: number): Promise<void> {
  const ticker = createTask(async () => {
    for (let i = 0; i < 20; i++) await sleep(5);
  }, { name: "ticker" });
  await sleep(20);
  await createTask(async () => {
    for (let i = 0; i < blocks; i++) {
      await sleep(30);
      blockFor(ms);
    }
    await sleep(30);
  }, { name: "cruncher" });
  await ticker;
}

const warnings = (printed: string[]) =>
  printed.filter((line) => line.includes("event loop was blocked"));

Deno.test("debug mode warns once about a blocked loop, naming the blocking task and the duration", async () => {
  const printed = await captureConsoleError(() =>
    run(() => tickerAndBlocker(1, 300), { debug: true, slowStepMs: 150 })
  );
  const lines = warnings(printed);
  assert.equal(lines.length, 1, printed.join("\n"));
  assert.match(lines[0], /task "cruncher" \(id \d+\) was running/);
  const ms = Number(/blocked for (\d+) ms/.exec(lines[0])?.[1]);
  assert.ok(ms >= 250 && ms < 1_000, lines[0]);
  assert.match(lines[0], /slowStepMs 150/);
  assert.match(lines[0], /toThread\(\)/);
});

Deno.test("debug mode prints one warning per block", async () => {
  const printed = await captureConsoleError(() =>
    run(() => tickerAndBlocker(3, 250), { debug: true, slowStepMs: 150 })
  );
  const lines = warnings(printed);
  assert.equal(lines.length, 3, printed.join("\n"));
  for (const line of lines) assert.match(line, /task "cruncher"/);
});

Deno.test("without debug mode a blocked loop prints nothing; short steps never warn", async () => {
  const quiet = await captureConsoleError(() => run(() => tickerAndBlocker(1, 300)));
  assert.deepEqual(quiet, []);
  const short = await captureConsoleError(() =>
    run(() => tickerAndBlocker(2, 20), { debug: true, slowStepMs: 150 })
  );
  assert.deepEqual(warnings(short), []);
});

Deno.test("the blocked-loop timer runs only while a debug run is alive, nested runs included", async () => {
  assert.equal(isWatching(), false);
  await run(async () => {
    assert.equal(isWatching(), true);
    await run(() => sleep(1), { debug: true });
    assert.equal(isWatching(), true);
  }, { debug: true });
  assert.equal(isWatching(), false);
  await run(() => assert.equal(isWatching(), false));
});

Deno.test("debug mode lists the tasks left unfinished when main returns, with where they were created", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      createTask(() => sleep(60_000), { name: "forgotten" });
      await sleep(1);
    }, { debug: true })
  );
  const report = printed.find((line) => line.includes("still unfinished"));
  assert.ok(report, printed.join("\n"));
  assert.match(report, /1 task\(s\) still unfinished when main returned/);
  assert.match(report, /forgotten \(id \d+\), created at .*tests\/debug_test\.ts:\d+:\d+/);
  const quiet = await captureConsoleError(() =>
    run(async () => {
      createTask(() => sleep(60_000));
      await sleep(1);
    })
  );
  assert.deepEqual(quiet, []);
});

Deno.test("CORUN_DEBUG=1 turns debug mode on for a script", async () => {
  const args = ["run", "-A", "tests/fixtures/ok_blocked_loop.ts"];
  const on = await runDeno(args, { env: { CORUN_DEBUG: "1" } });
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stderr, /event loop was blocked for \d+ ms \(slowStepMs 100\); task "blocker"/);
  const off = await runDeno(args);
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.stderr, "");
});

Deno.test("debug mode never keeps a deadlocked program alive", async () => {
  const started = performance.now();
  const { code, stderr } = await runDeno([
    "run",
    "-A",
    "tests/fixtures/fail_deadlock_in_debug_run.ts",
  ]);
  assert.notEqual(code, 0);
  assert.match(stderr, /never resolved/);
  assert.ok(performance.now() - started < 20_000);
});
