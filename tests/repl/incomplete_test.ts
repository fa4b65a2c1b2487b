import assert from "node:assert/strict";
import { isIncomplete } from "../../lib/repl/incomplete.ts";

Deno.test("isIncomplete() asks for more while brackets, templates or comments are open", () => {
  for (
    const source of [
      "function f(",
      "const a = {",
      "[1, 2,",
      "`line ${",
      "`open",
      "/* note",
      "if (x) {\n  y()",
    ]
  ) {
    assert.equal(isIncomplete(source), true, source);
  }
});

Deno.test("isIncomplete() asks for more after an operator that needs a right-hand side", () => {
  for (const source of ["1 +", "const x =", "a &&", "f(1) .", "x => ", "await", "cond ?", "new"]) {
    assert.equal(isIncomplete(source), true, source);
  }
});

Deno.test("isIncomplete() is false for complete input, and for errors (they are reported)", () => {
  for (
    const source of [
      "1 + 1",
      "const s = '({['",
      "const t = `${1 + 1}`",
      "const r = /[(]/g",
      "x++",
      "type A = Map<string, number>",
      "let y = x!",
      "a / b",
      "// just (a comment",
      "f())",
      "'unterminated",
      "const ok = 1 /* done */",
    ]
  ) {
    assert.equal(isIncomplete(source), false, source);
  }
});
