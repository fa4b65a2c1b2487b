import assert from "node:assert/strict";
import { stripTypes } from "../../lib/repl/strip_types.ts";

Deno.test("stripTypes() removes annotations in place, keeping columns", () => {
  const js = stripTypes("const x: number = 1; f<string>(x as unknown)");
  assert.equal(js.length, "const x: number = 1; f<string>(x as unknown)".length);
  assert.equal(js.replace(/\s+/g, " ").trim(), "const x = 1; f (x )");
});

Deno.test("stripTypes() transforms enums, namespaces and parameter properties", () => {
  const js = stripTypes("enum E { A, B }\nclass P { constructor(public x: number) {} }");
  assert.equal(new Function(`${js}; return [E.B, new P(3).x]`)().join(), "1,3");
});

Deno.test("stripTypes() throws a SyntaxError that names the problem", () => {
  assert.throws(() => stripTypes("const = 1"), (error: unknown) => {
    assert.ok(error instanceof SyntaxError);
    assert.match(error.message, /Expected|Unexpected/);
    return true;
  });
});

Deno.test("stripTypes() keeps top-level await", () => {
  assert.equal(
    stripTypes("await sleep(1 satisfies number)").replace(/\s+/g, " "),
    "await sleep(1 )",
  );
});
