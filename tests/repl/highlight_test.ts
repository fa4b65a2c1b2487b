import assert from "node:assert/strict";
import { highlight, paintStyled } from "../../lib/repl/highlight.ts";

/** The line as `[text, style]` runs, for readable expectations. */
function runs(line: string): [string, string][] {
  const chars = [...line];
  const styles = highlight(line);
  assert.equal(styles.length, chars.length, "one style per code point");
  const out: [string, string][] = [];
  chars.forEach((c, i) => {
    const style = styles[i] ?? "";
    const last = out.at(-1);
    if (last && last[1] === style) last[0] += c;
    else out.push([c, style]);
  });
  return out.filter(([text]) => text.trim() !== "").map(([t, s]) => [t.trim(), s]);
}

Deno.test("highlight colours keywords, strings, numbers and comments as deno repl does", () => {
  assert.deepEqual(runs(`const x = "a" + 1.5e3 // hi`), [
    ["const", "36"],
    ["x =", ""],
    [`"a"`, "32"],
    ["+", ""],
    ["1.5e3", "33"],
    ["// hi", "90"],
  ]);
  assert.deepEqual(runs(`if (true) return null ?? undefined /* c */`), [
    ["if", "36"],
    ["(", ""],
    ["true", "33"],
    [")", ""],
    ["return", "36"],
    ["null", "33"],
    ["??", ""],
    ["undefined", "90"],
    ["/* c */", "90"],
  ]);
});

Deno.test("highlight tells a regular expression from a division", () => {
  assert.deepEqual(runs(`a / b / c`), [["a / b / c", ""]]);
  assert.deepEqual(runs(`x = /[/]+/g.test(s)`), [
    ["x =", ""],
    ["/[/]+/g", "31"],
    [".test(s)", ""],
  ]);
  assert.deepEqual(runs(`f(x) / 2`), [["f(x) /", ""], ["2", "33"]]);
});

Deno.test("highlight handles templates with expressions, and members named like keywords", () => {
  assert.deepEqual(runs("`a ${n + 1} b`"), [
    ["`a ${", "32"],
    ["n +", ""],
    ["1", "33"],
    ["} b`", "32"],
  ]);
  assert.deepEqual(runs("obj.default.new(...args)"), [["obj.default.new(...args)", ""]]);
});

Deno.test("highlight never fails on unterminated tokens and counts code points", () => {
  assert.deepEqual(runs(`"open 🙂`), [[`"open 🙂`, "32"]]);
  assert.deepEqual(runs("`x ${y"), [["`x ${", "32"], ["y", ""]]);
  assert.deepEqual(runs("/* open"), [["/* open", "90"]]);
  assert.deepEqual(runs("0xff 10n .5"), [["0xff", "33"], ["10n", "33"], [".5", "33"]]);
});

Deno.test("paintStyled writes a code only where the style changes and resets at the end", () => {
  assert.equal(
    paintStyled([..."ab1"], [undefined, undefined, "33"]),
    "ab\x1b[0;33m1\x1b[0m",
  );
  assert.equal(paintStyled([..."ab"], [undefined, undefined]), "ab");
});
