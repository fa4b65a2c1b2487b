// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { formatTimeline, type TaskInfo } from "../../monitor.ts";
import { INFOS, NOW } from "./_infos.ts";

Deno.test("formatTimeline() draws lifetimes on a shared time axis with how each ended", () => {
  assert.equal(
    formatTimeline(INFOS, { now: NOW, width: 72 }),
    [
      "6 tasks over 2.00s, one column = 57ms",
      "main #1           |==================================>| waiting  2.00s",
      "download #2       |==================                 | done  1.00s",
      "upload #3         |==================================>| waiting  1.99s",
      "retry-with-a-… #4 |        ==================x        | cancelled  1.00s",
      "parse #5          |                 .........=====!   | failed  300ms",
      "later #6          |                                 .>| pending  100ms",
      "                   0                             2.00s",
    ].join("\n"),
  );
});

Deno.test("formatTimeline() shortens names to leave room for the bars in a narrow width", () => {
  const chart = formatTimeline(INFOS, { now: NOW, width: 40 });
  assert.equal(
    chart,
    [
      "6 tasks over 2.00s, one column = 182ms",
      "main #1   |==========>| waiting  2.00s",
      "downl… #2 |======     | done  1.00s",
      "upload #3 |==========>| waiting  1.99s",
      "retry… #4 |  ======x  | cancelled  1.00s",
      "parse #5  |     ...=! | failed  300ms",
      "later #6  |          >| pending  100ms",
      "           0     2.00s",
    ].join("\n"),
  );
  for (const line of chart.split("\n")) assert.ok(line.length <= 40, line);
});

Deno.test("formatTimeline() shows two 1 s tasks overlapping, and back to back when sequential", () => {
  const task = (id: number, start: number): TaskInfo => ({
    id,
    name: `t${id}`,
    state: "done",
    createdAt: start,
    startedAt: start,
    endedAt: start + 1000,
  });
  const bars = (infos: TaskInfo[]) =>
    formatTimeline(infos, { width: 50 }).split("\n").slice(1, -1).map((l) => l.split("|")[1]);
  const [a, b] = bars([task(1, 0), task(2, 0)]);
  assert.equal(a, b, "concurrent tasks cover the same columns");
  assert.match(a, /^=+$/);
  const [c, d] = bars([task(1, 0), task(2, 1000)]);
  const firstEnd = c.lastIndexOf("=");
  assert.equal(d.indexOf("="), firstEnd + 1, "the second starts where the first ended");
  assert.equal(c.trimEnd().length + d.trim().length, c.length);
});

Deno.test("formatTimeline() of no tasks says so and colours only when asked", () => {
  assert.equal(formatTimeline([], { now: 0 }), "(no tasks)");
  const coloured = formatTimeline(INFOS, { now: NOW, color: true });
  assert.match(coloured, /\x1b\[35m/);
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ""), formatTimeline(INFOS, { now: NOW }));
});
