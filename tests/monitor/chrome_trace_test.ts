import assert from "node:assert/strict";
import { toChromeTrace } from "../../monitor.ts";
import { INFOS, NOW } from "./_infos.ts";

interface Event {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

Deno.test("toChromeTrace() writes Trace Event JSON: one named track per task, slices in microseconds", () => {
  const trace = JSON.parse(toChromeTrace(INFOS, { now: NOW }));
  assert.equal(trace.displayTimeUnit, "ms");
  const events: Event[] = trace.traceEvents;
  assert.deepEqual(events[0], {
    name: "process_name",
    ph: "M",
    pid: 1,
    tid: 0,
    args: { name: "corun" },
  });
  const names = events.filter((e) => e.name === "thread_name").map((e) => e.args?.name);
  assert.deepEqual(names, [
    "main #1",
    "download #2",
    "upload #3",
    "retry-with-a-very-long-descriptive-name #4",
    "parse #5",
    "later #6",
  ]);
  const slices = events.filter((e) => e.ph === "X");
  assert.deepEqual(slices.find((e) => e.name === "download"), {
    name: "download",
    cat: "done",
    ph: "X",
    pid: 1,
    tid: 2,
    ts: 0,
    dur: 1_000_000,
    args: { id: 2, state: "done", parentId: 1, result: '"ok"' },
  });
  const parse = slices.filter((e) => e.tid === 5);
  assert.deepEqual(parse.map((e) => [e.name, e.ts, e.dur]), [
    ["pending", 1_000_000, 500_000],
    ["parse", 1_500_000, 300_000],
  ]);
  assert.equal(parse[1].args?.error, "SyntaxError: Unexpected token } in JSON at position 10");
  // A live task ends at `now`; one never started has only its pending slice.
  assert.equal(slices.find((e) => e.name === "main")?.dur, 2_000_000);
  assert.deepEqual(slices.filter((e) => e.tid === 6).map((e) => [e.name, e.ts, e.dur]), [
    ["pending", 1_900_000, 100_000],
  ]);
  for (const slice of slices) assert.ok(slice.dur! >= 0 && slice.ts! >= 0);
});

Deno.test("toChromeTrace() of no tasks is a valid trace with only the process name", () => {
  const trace = JSON.parse(toChromeTrace([], { processName: "empty" }));
  assert.deepEqual(trace.traceEvents, [
    { name: "process_name", ph: "M", pid: 1, tid: 0, args: { name: "empty" } },
  ]);
  assert.throws(() => toChromeTrace(INFOS, { now: Infinity }), RangeError);
});
