import assert from "node:assert/strict";
import { runExample } from "./_helpers.ts";

/** Seconds printed as `<n> s` after `label`. */
function seconds(output: string, label: RegExp): number {
  const match = output.match(new RegExp(`${label.source}\\s*([0-9.]+) s`));
  assert.ok(match, `no timing after ${label} in:\n${output}`);
  return Number(match[1]);
}

Deno.test("examples/hello.ts says hello, then world", async () => {
  assert.equal(await runExample("hello.ts"), "hello\nworld\n");
});

Deno.test("examples/concurrent_tasks.ts overlaps its two tasks: about 2 s, not 3", async () => {
  const output = await runExample("concurrent_tasks.ts");
  const lines = output.trim().split("\n");
  assert.match(lines[1], /^hello/);
  assert.match(lines[2], /^world/);
  const total = seconds(output, /finished in/);
  assert.ok(total >= 1.9 && total < 2.9, `took ${total} s`);
});

Deno.test("examples/gather.ts returns results in input order after the slowest", async () => {
  const output = await runExample("gather.ts");
  assert.match(output, /results in order: users \(1500 ms\), orders \(500 ms\), stock \(1000 ms\)/);
  const done = [...output.matchAll(/fetch (\w+): done/g)].map((m) => m[1]);
  assert.deepEqual(done, ["orders", "stock", "users"]);
  const total = seconds(output, /all three in/);
  assert.ok(total >= 1.4 && total < 2.9, `took ${total} s`);
});

Deno.test("examples/timeout_cancel.ts times out, and the job's cleanup runs first", async () => {
  const output = await runExample("timeout_cancel.ts");
  const lines = output.trim().split("\n");
  assert.deepEqual(lines.slice(0, 3), [
    "job: started, needs 10 s",
    "job: cancelled (timeout)",
    "job: cleanup ran",
  ]);
  assert.match(lines[3], /^main: gave up after [0-9.]+ s: TimeoutError$/);
  const total = seconds(output, /gave up after/);
  assert.ok(total >= 0.9 && total < 5, `took ${total} s`);
});
