// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { formatTree, type TaskInfo } from "../../monitor.ts";
import { INFOS, NOW } from "./_infos.ts";

Deno.test("formatTree() draws each task under its parent, like pstree", () => {
  assert.equal(
    formatTree(INFOS, { now: NOW, width: 72 }),
    [
      "main #1 waiting 2.00s gather(2)",
      '├─ download #2 done 1.00s = "ok"',
      "│  └─ parse #5 failed 800ms SyntaxError: Unexpected token } in JSON at …",
      "├─ upload #3 waiting 2.00s sleep(1000)",
      "│  └─ retry-with-a-very-long-descriptive-name #4 cancelled 1.00s Cancel…",
      "└─ later #6 pending 100ms",
    ].join("\n"),
  );
});

Deno.test("formatTree() cuts every line to the width", () => {
  const tree = formatTree(INFOS, { now: NOW, width: 40 });
  assert.equal(
    tree,
    [
      "main #1 waiting 2.00s gather(2)",
      '├─ download #2 done 1.00s = "ok"',
      "│  └─ parse #5 failed 800ms SyntaxError…",
      "├─ upload #3 waiting 2.00s sleep(1000)",
      "│  └─ retry-with-a-very-long-descriptiv…",
      "└─ later #6 pending 100ms",
    ].join("\n"),
  );
  for (const line of tree.split("\n")) assert.ok(line.length <= 40, line);
});

Deno.test("formatTree() makes a task whose parent is not listed a root", () => {
  const orphans: TaskInfo[] = [
    { id: 7, name: "child", state: "running", parentId: 3, createdAt: 0 },
    { id: 2, name: "other", state: "done", createdAt: 0, endedAt: 5 },
  ];
  assert.equal(formatTree(orphans, { now: 10 }), "other #2 done 5ms\nchild #7 running 10ms");
  assert.equal(formatTree([], { now: 0 }), "(no tasks)");
});

Deno.test("formatTree() colours only the state, and only when asked", () => {
  const coloured = formatTree(INFOS, { now: NOW, color: true });
  assert.match(coloured, /parse #5 \x1b\[31mfailed\x1b\[0m 800ms/);
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ""), formatTree(INFOS, { now: NOW }));
});

Deno.test("formatTree() cuts names past 60 characters with …", () => {
  const name = "n".repeat(120);
  const tree = formatTree([
    { id: 1, name, state: "waiting", createdAt: 0, waitingOn: "sleep(10)" },
  ], { now: 0 });
  assert.match(tree, new RegExp(`^${"n".repeat(59)}… #1 waiting`));
  assert.doesNotMatch(tree, /n{60}/);
});
