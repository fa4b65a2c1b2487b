import assert from "node:assert/strict";
import { terminateStopsCode } from "../../lib/workers/_terminate_probe.ts";

Deno.test("the probe measures that terminate() does not interrupt running code on Deno 2.9", async () => {
  // Node's answer (true) is checked through tests/fixtures/ok_cancel_stops_worker.ts.
  assert.equal(await terminateStopsCode(), false);
  assert.equal(await terminateStopsCode(), false, "measured once, then remembered");
});
