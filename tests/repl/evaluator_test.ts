import assert from "node:assert/strict";
import { runDeno } from "../_helpers.ts";

Deno.test("an abandoned evaluation that waits forever survives a full garbage collection", async () => {
  // Deno 2.9.6 panicked ("Invoke in DisallowJavascriptExecutionScope") when
  // the inspector's weakly held evaluation promise was collected.
  const { code, stdout, stderr } = await runDeno([
    "run",
    "-A",
    "--v8-flags=--expose-gc",
    "tests/repl/fixtures/ok_abandoned_evaluation_collected.ts",
  ]);
  assert.doesNotMatch(stderr, /panicked/);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), "still here");
});
