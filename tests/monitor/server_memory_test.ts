/**
 * What stalled event-stream clients cost the monitored process, measured in a
 * subprocess (tests/monitor/_stalled_rss.ts) over a 100,000-task history, as
 * `corun run --timeline` keeps.
 */
import assert from "node:assert/strict";
import { runDeno } from "../_helpers.ts";

const SCRIPT = new URL("./_stalled_rss.ts", import.meta.url).pathname;
const MB = 1024 * 1024;

Deno.test("16 stalled event-stream clients over a 100k-task history grow RSS by less than 128 MB; the snapshot event stays under 4 MB", async () => {
  const { code, stdout, stderr } = await runDeno(["run", "-A", SCRIPT, "16", "3", "100000"]);
  assert.equal(code, 0, stderr);
  const { before, peak, snapshotBytes } = JSON.parse(stdout);
  const growth = peak - before;
  console.log(
    `16 stalled clients: RSS ${Math.round(before / MB)} MB -> peak ${Math.round(peak / MB)} MB ` +
      `(+${Math.round(growth / MB)} MB); snapshot event ${Math.round(snapshotBytes / 1024)} KB`,
  );
  // The whole history as one event was 111 MB, and the 16 clients took 1.7 GB.
  assert.ok(snapshotBytes < 4 * MB, `snapshot event of ${snapshotBytes} bytes`);
  assert.ok(growth < 128 * MB, `RSS grew by ${Math.round(growth / MB)} MB`);
});
