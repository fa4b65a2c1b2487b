import assert from "node:assert/strict";
import { runExample } from "./_helpers.ts";

Deno.test("examples/rate_limited_fetch.ts fetches 30 items at 10 requests a second", async () => {
  const output = await runExample("rate_limited_fetch.ts", ["--allow-net=127.0.0.1"]);
  assert.match(output, /fetched 30 items, item 1 to item 30/);
  // The limiter's own guarantee (never more than 10 in any second) is
  // tested on fake time in rate_limiter_test.ts; here, the time it implies.
  const took = Number(output.match(/took ([0-9.]+) s/)?.[1]);
  assert.ok(took >= 1.95 && took < 10, `took ${took} s`);
});

Deno.test("examples/log_pipeline.ts looks up every log line, 3 at once, merged with heartbeats", async () => {
  const output = await runExample("log_pipeline.ts", ["--allow-read"]);
  const lines = output.trim().split("\n");
  assert.deepEqual(lines.filter((line) => line.startsWith("[log]")), [
    "[log] WARN  http   -> web",
    "[log] ERROR db     -> storage",
    "[log] ERROR http   -> web",
    "[log] ERROR worker -> batch",
  ]);
  assert.deepEqual(lines.filter((line) => line.startsWith("[heartbeat]")), [
    "[heartbeat] 1",
    "[heartbeat] 2",
    "[heartbeat] 3",
  ]);
  assert.equal(lines.at(-1), "15 log lines looked up, at most 3 at once");
});
