import assert from "node:assert/strict";
import { formatError, formatValue, summarizeError } from "../../lib/repl/output.ts";
import { hostileValues } from "../_hostile.ts";

Deno.test("the REPL prints any thrown value or result without throwing, bounded", () => {
  for (const [what, value] of hostileValues()) {
    const uncaught = formatError(value);
    assert.match(uncaught, /^Uncaught /, what);
    assert.ok(uncaught.length <= 8100, `${what}: ${uncaught.length} characters`);
    const summary = summarizeError(value);
    assert.ok(!summary.includes("\n") && summary.length <= 200, what);
    assert.equal(typeof formatValue(value, false), "string", what);
  }
});

Deno.test("the REPL prints an error's stack and a null-prototype object readably", () => {
  assert.match(formatError(new Error("boom")), /^Uncaught Error: boom\n\s+at /);
  assert.equal(formatError(Object.assign(Object.create(null), { a: 1 })), 'Uncaught {"a":1}');
  assert.equal(summarizeError(new TypeError("bad\nthing")), "TypeError: bad thing");
});
