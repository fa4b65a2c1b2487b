// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import type { TaskInfo } from "../../monitor.ts";
import { type TopData, TopView } from "../../lib/term/top_view.ts";
import { keyName } from "../../lib/term/keys.ts";

const info = (id: number, name: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({
  id,
  name,
  state: "waiting",
  createdAt: 0,
  waitingOn: "sleep(100)",
  ...extra,
});

/** A view over fixed data; its screen records the last frame as plain lines. */
function open(data: TopData, columns = 72, rows = 12) {
  const cancelled: number[] = [];
  let written = "";
  const view = new TopView({
    write: (text) => void (written += text),
    size: () => ({ columns, rows }),
    color: false,
  }, {
    title: "corun top  test",
    read: () => data,
    cancel: (id) => {
      cancelled.push(id);
      return `cancelled task ${id}`;
    },
  }, { intervalMs: 60_000 });
  const lines = () =>
    view.frame().replace(/^\x1b\[H/, "").split("\r\n").map((l) =>
      l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    );
  return { view, cancelled, lines, written: () => written };
}

const data: TopData = {
  now: 1000,
  tasks: [
    info(1, "young", { createdAt: 900, state: "running", waitingOn: undefined }),
    info(2, "old", { createdAt: 10 }),
    info(3, "pending-one", { createdAt: 500, state: "pending", waitingOn: undefined }),
    info(4, "ended", { state: "done", endedAt: 20, result: "1" }),
  ],
  warnings: [{ kind: "long-wait", taskId: 2, taskName: "old", message: "task old #2 is stuck" }],
};

Deno.test("TopView draws the header, warnings, live tasks, finished ones and key help within the screen", async () => {
  const { view, lines, written } = open(data);
  await Promise.resolve();
  const screen = lines();
  assert.match(
    screen[0],
    /^corun top {2}test {2}3 live, 1 finished {2}\d\d:\d\d:\d\d {2}sort: id$/,
  );
  assert.equal(screen[2], "! task old #2 is stuck");
  assert.match(screen[3], /^ID +NAME +STATE/);
  assert.match(screen[4], /^1 +young +running/);
  assert.ok(screen.includes("recently finished:"));
  assert.match(screen.at(-1)!, /↑↓: select {2}c: cancel {2}s: sort \(id\/age\/state\) {2}q: quit/);
  assert.ok(screen.length <= 12);
  for (const line of screen) assert.ok(line.length <= 72, line);
  view.close();
  assert.ok(written().startsWith("\x1b[?1049h") && written().endsWith("\x1b[?1049l"));
  await view.closed;
});

Deno.test("TopView sorts by id, then age (oldest first), then state", async () => {
  const { view, lines } = open(data);
  await Promise.resolve();
  const names = () => lines().slice(4, 7).map((l) => l.split(/ +/)[1]);
  assert.deepEqual(names(), ["young", "old", "pending-one"]);
  view.handleKey("s");
  assert.equal(view.sort, "age");
  assert.deepEqual(names(), ["old", "pending-one", "young"]);
  view.handleKey("s");
  assert.deepEqual(names(), ["young", "old", "pending-one"], "running, waiting, pending");
  view.handleKey("s");
  assert.equal(view.sort, "id");
  view.close();
});

Deno.test("TopView selects with the arrow keys, highlights the row and cancels it with c", async () => {
  const { view, cancelled, lines } = open(data);
  await Promise.resolve();
  view.handleKey("c");
  assert.deepEqual(cancelled, [], "nothing selected yet");
  assert.match(lines()[1], /select a task/);
  view.handleKey(keyName("\x1b[B"));
  view.handleKey(keyName("\x1b[B"));
  view.handleKey(keyName("\x1b[B"));
  view.handleKey(keyName("\x1b[A"));
  assert.equal(view.selected, 2);
  assert.match(view.frame(), /\x1b\[7m2 +old/, "the selected row is in reverse video");
  view.handleKey("c");
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(cancelled, [2]);
  assert.equal(lines()[1], "cancelled task 2");
  view.handleKey(keyName("\x03"));
  await view.closed;
});
