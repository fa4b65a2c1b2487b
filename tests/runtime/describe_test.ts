import assert from "node:assert/strict";
import { CancelledError } from "../../mod.ts";
import { describe } from "../../lib/runtime/describe.ts";
import { hostileValues } from "../_hostile.ts";

Deno.test("describe() never throws and stays bounded, whatever the value", () => {
  for (const [what, value] of hostileValues()) {
    const line = describe(value);
    assert.equal(typeof line, "string", what);
    assert.ok(line.length <= 200, `${what}: ${line.length} characters`);
    assert.ok(!line.includes("\n"), `${what} on one line`);
    const stack = describe(value, { stack: true });
    assert.ok(stack.length <= 8000, `${what} with stack: ${stack.length} characters`);
  }
});

Deno.test("describe() tells what each hostile value is", () => {
  const described = new Map(hostileValues().map(([what, value]) => [what, describe(value)]));
  assert.equal(described.get("a null-prototype object"), "{}");
  assert.equal(described.get("an error whose message and stack getters throw"), "Error");
  assert.equal(described.get("an error whose name getter throws"), "Error: named badly");
  assert.equal(described.get("a Symbol"), "Symbol(odd)");
  assert.equal(described.get("a revoked Proxy"), "[revoked Proxy]");
  assert.equal(described.get("undefined"), "undefined");
  assert.match(described.get("a 10 MB string")!, /^"x+…$/);
  assert.match(described.get("an error with a 10 MB message")!, /^Error: y+…$/);
  assert.equal(described.get("an object with a throwing getter"), '{"x":undefined}');
  assert.equal(described.get("a cyclic object"), '{"self":{"self":{…}}}');
});

Deno.test("describe() renders errors, cancellations and ordinary values in one line", () => {
  assert.equal(describe(new TypeError("bad\n  input")), "TypeError: bad input");
  assert.equal(
    describe(new CancelledError("enough", { reason: "timeout" })),
    "CancelledError(timeout): enough",
  );
  assert.equal(describe("ok"), '"ok"');
  assert.equal(describe(42), "42");
  assert.equal(describe(10n), "10n");
  assert.equal(describe(null), "null");
  assert.equal(describe(function named() {}), "function named");
  assert.equal(describe({ a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(describe(new Map([[1, 2]])), "Map(1)");
  assert.equal(describe(new (class Point {})()), "[Point]");
  assert.equal(describe(new Array(100)), "Array(100)");
});

Deno.test("describe() with stack gives an error's stack, bounded", () => {
  const error = new Error("where");
  assert.match(describe(error, { stack: true }), /^Error: where\n\s+at /);
  assert.equal(describe(error, { stack: true, maxLength: 10 }).length, 10);
  assert.equal(describe("text", { stack: true }), '"text"');
});

Deno.test("describe() never splits a surrogate pair when it cuts", () => {
  const cut = describe("😀".repeat(300), { maxLength: 50 });
  assert.ok(cut.endsWith("…"));
  assert.doesNotMatch(cut, /[\ud800-\udbff](?![\udc00-\udfff])/);
});
