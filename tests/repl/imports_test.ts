import assert from "node:assert/strict";
import { rewriteImports } from "../../lib/repl/imports.ts";

const base = new URL("file:///work/here/");

Deno.test("rewriteImports() turns import declarations into reads of the module table", () => {
  const { code, modules } = rewriteImports(
    'import a, { b, c as d, type T } from "./m.ts";\nimport * as ns from "npm:x";\nimport "./side.ts";\nb',
    base,
    "M",
    3,
  );
  assert.deepEqual(modules, [
    { specifier: "file:///work/here/m.ts", slot: 3 },
    { specifier: "npm:x", slot: 4 },
    { specifier: "file:///work/here/side.ts", slot: 5 },
  ]);
  assert.equal(code, "const { default: a, b, c: d } = M[3];\nconst ns = M[4];\n\nb");
});

Deno.test("rewriteImports() drops type-only imports and export keywords", () => {
  const { code, modules } = rewriteImports(
    'import type { T } from "./t.ts";\nexport const x = 1;\nexport function f() {}\nexport { x as y };',
    base,
    "M",
    0,
  );
  assert.deepEqual(modules, []);
  assert.equal(code.trim(), "const x = 1;\nfunction f() {}");
});

Deno.test("rewriteImports() leaves dynamic import() and import.meta alone", () => {
  const source = 'const m = await import("./m.ts"); import.meta.url';
  assert.equal(rewriteImports(source, base, "M", 0).code, source);
});

Deno.test("rewriteImports() keeps import attributes, and resolves import() against the base when asked", () => {
  const { code, modules } = rewriteImports(
    'import cfg from "./deno.json" with { type: "json" };\nconst m = await import("./m.ts"); x.import(1)',
    base,
    "M",
    0,
    "I",
  );
  assert.deepEqual(modules, [
    { specifier: "file:///work/here/deno.json", slot: 0, attributes: { type: "json" } },
  ]);
  assert.equal(
    code,
    'const { default: cfg } = M[0];\nconst m = await I("file:///work/here/", "./m.ts"); x.import(1)',
  );
});
