import assert from "node:assert/strict";
import type { TaskInfo } from "../../lib/runtime/registry.ts";
import { panelHeight, renderPanel } from "../../lib/repl/panel_view.ts";

function tasks(n: number): TaskInfo[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `t${i + 1}`,
    state: "waiting",
    createdAt: 0,
    waitingOn: "sleep(100)",
  }));
}

const view = { width: 60, now: 1000 };

Deno.test("panelHeight gives the panel a third of the window", () => {
  assert.equal(panelHeight(35), 11);
  assert.equal(panelHeight(24), 8);
  assert.equal(panelHeight(2), 0);
});

Deno.test("renderPanel lists every task that fits, else fills its room and counts the rest", () => {
  const all = renderPanel({ ...view, tasks: tasks(10), height: 11 });
  assert.equal(all.length, 11);
  assert.match(all[0], /^── 10 live tasks ──/);
  assert.match(all[10], /^#10 +t10 +waiting +1\.00s +sleep\(100\)$/);
  const some = renderPanel({ ...view, tasks: tasks(12), height: 11 });
  assert.equal(some.length, 11);
  assert.match(some[9], /^#9 /);
  assert.equal(some[10], "+3 more (.tasks lists them)");
  assert.ok(some.every((line) => line.length <= 59), "each line fits the width");
});

Deno.test("renderPanel shows extra rows under the title, before the tasks", () => {
  const lines = renderPanel({
    ...view,
    tasks: tasks(3),
    height: 5,
    extra: ["progress [####    ] 50%", "warning: event loop blocked 120ms"],
  });
  assert.deepEqual(lines.slice(1, 3), [
    "progress [####    ] 50%",
    "warning: event loop blocked 120ms",
  ]);
  assert.match(lines[3], /^#1 /);
  assert.equal(lines[4], "+2 more (.tasks lists them)");
});

Deno.test("renderPanel keeps one row for tasks however many extra rows it is given", () => {
  const extra = Array.from({ length: 9 }, (_, i) => `extra ${i}`);
  const lines = renderPanel({ ...view, tasks: tasks(2), height: 4, extra });
  assert.deepEqual(lines.slice(1), ["extra 0", "extra 1", "+2 more (.tasks lists them)"]);
  const noTasks = renderPanel({ ...view, tasks: [], height: 4, extra });
  assert.deepEqual(noTasks.slice(1), ["extra 0", "extra 1", "extra 2"]);
  assert.match(noTasks[0], /── 0 live tasks ──/);
});

Deno.test("renderPanel cuts extra rows to the width, keeping their colours", () => {
  const [, plain, coloured] = renderPanel({
    ...view,
    width: 12,
    tasks: [],
    height: 5,
    extra: ["0123456789abcdef", "\x1b[33mwarn\x1b[0m: 0123456789"],
  });
  assert.equal(plain, "0123456789…");
  assert.equal(coloured, "\x1b[33mwarn\x1b[0m: 0123…\x1b[0m");
});

Deno.test("renderPanel shows nothing without tasks or extra rows, or without room", () => {
  assert.deepEqual(renderPanel({ ...view, tasks: [], height: 10 }), []);
  assert.deepEqual(renderPanel({ ...view, tasks: tasks(1), height: 1 }), []);
});
