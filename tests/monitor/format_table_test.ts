// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { formatTable, type TaskInfo } from "../../monitor.ts";
import { INFOS, NOW } from "./_infos.ts";

Deno.test("formatTable() lists id, name, state, age and what each task waits on or how it ended", () => {
  assert.equal(
    formatTable(INFOS, { now: NOW, width: 72 }),
    [
      "ID  NAME                     STATE      AGE     WAITING ON",
      "1   main                     waiting    2.00s   gather(2)",
      '2   download                 done       1.00s   = "ok"',
      "3   upload                   waiting    2.00s   sleep(1000)",
      "4   retry-with-a-very-long…  cancelled  1.00s   CancelledError(timeout)",
      "5   parse                    failed     800ms   SyntaxError: Unexpected…",
      "6   later                    pending    100ms",
    ].join("\n"),
  );
});

Deno.test("formatTable() fits a narrow width by cutting names and details with an ellipsis", () => {
  const table = formatTable(INFOS, { now: NOW, width: 40 });
  assert.equal(
    table,
    [
      "ID  NAME     STATE      AGE     WAITING…",
      "1   main     waiting    2.00s   gather(…",
      '2   downlo…  done       1.00s   = "ok"',
      "3   upload   waiting    2.00s   sleep(1…",
      "4   retry-…  cancelled  1.00s   Cancell…",
      "5   parse    failed     800ms   SyntaxE…",
      "6   later    pending    100ms",
    ].join("\n"),
  );
  for (const line of table.split("\n")) assert.ok(line.length <= 40, line);
});

Deno.test("formatTable() colours the states only when asked", () => {
  assert.doesNotMatch(formatTable(INFOS, { now: NOW }), /\x1b\[/);
  const coloured = formatTable(INFOS, { now: NOW, color: true });
  assert.match(coloured, /\x1b\[31mfailed/);
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ""), formatTable(INFOS, { now: NOW }));
});

Deno.test("formatTable() of no tasks says so, and strips control characters from names", () => {
  assert.equal(formatTable([], { now: 0 }), "ID  NAME  STATE      AGE   WAITING ON\n(no tasks)");
  const evil: TaskInfo[] = [{ id: 1, name: "a\x1b[2Jb\nc", state: "running", createdAt: 0 }];
  assert.doesNotMatch(formatTable(evil, { now: 5 }), /\x1b|a\s*\n/);
});

Deno.test("formatTable() rejects a bad width or infos that are not an array", () => {
  assert.throws(() => formatTable(INFOS, { width: 5 }), RangeError);
  assert.throws(() => formatTable(INFOS, { width: 50.5 }), RangeError);
  assert.throws(() => formatTable(INFOS, { now: NaN }), RangeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => formatTable("nope" as any), TypeError);
});
