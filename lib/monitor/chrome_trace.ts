/**
 * `toChromeTrace`: task lifetimes as Trace Event JSON, for Perfetto and
 * `chrome://tracing`.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import { resolve } from "./_format.ts";

/** Options for {@linkcode toChromeTrace}. */
export interface ChromeTraceOptions {
  /**
   * Where live tasks end in the trace (`performance.now()` milliseconds).
   * @default {performance.now()}
   */
  now?: number;
  /**
   * The process name shown by the viewer.
   * @default {"corun"}
   */
  processName?: string;
}

/** One event of the Trace Event format (only the fields corun writes). */
interface TraceEvent {
  name: string;
  ph: "X" | "M";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

/**
 * Convert task descriptions to Trace Event JSON (the "JSON Object Format":
 * `{"traceEvents": [...], "displayTimeUnit": "ms"}`). Each task gets its own
 * track named `name #id`, sorted by id, with a `pending` slice from creation
 * to start and a slice named after the task from start to end (to `now` for a
 * live task); the slice's args hold its id, parent, final state and how it
 * ended. Times are microseconds from the first task's creation. Open the file
 * at https://ui.perfetto.dev or in `chrome://tracing`.
 *
 * @param infos Task descriptions, e.g. from `snapshot()`.
 * @param options `now` and `processName`.
 * @returns The JSON text.
 * @throws {TypeError} If `infos` is not an array.
 * @throws {RangeError} If `now` is not a finite number.
 *
 * @example Writing a trace file
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 * import { snapshot, toChromeTrace } from "@corun/corun/monitor";
 *
 * await createTask(() => sleep(5), { name: "nap" });
 * const trace = JSON.parse(toChromeTrace(snapshot()));
 * assert.ok(trace.traceEvents.some((e: { name: string }) => e.name === "nap"));
 * // Deno.writeTextFileSync("trace.json", toChromeTrace(snapshot()));
 * ```
 */
export function toChromeTrace(
  infos: readonly TaskInfo[],
  options: ChromeTraceOptions = {},
): string {
  const { now } = resolve(infos, { now: options.now });
  const pid = 1;
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid, tid: 0, args: { name: options.processName ?? "corun" } },
  ];
  const start = infos.length === 0 ? 0 : Math.min(...infos.map((info) => info.createdAt));
  const us = (t: number) => Math.round((t - start) * 1000);
  for (const info of [...infos].sort((a, b) => a.id - b.id)) {
    const tid = info.id;
    events.push(
      { name: "thread_name", ph: "M", pid, tid, args: { name: `${info.name} #${info.id}` } },
      { name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: info.id } },
    );
    const end = info.endedAt ?? Math.max(now, info.createdAt);
    const began = info.startedAt ?? end;
    if (began > info.createdAt) {
      events.push({
        name: "pending",
        cat: "pending",
        ph: "X",
        pid,
        tid,
        ts: us(info.createdAt),
        dur: us(began) - us(info.createdAt),
      });
    }
    if (info.startedAt === undefined) continue;
    const args: Record<string, unknown> = { id: info.id, state: info.state };
    for (const key of ["parentId", "waitingOn", "result", "error", "cancelReason"] as const) {
      if (info[key] !== undefined) args[key] = info[key];
    }
    events.push({
      name: info.name,
      cat: info.state,
      ph: "X",
      pid,
      tid,
      ts: us(began),
      dur: Math.max(0, us(end) - us(began)),
      args,
    });
  }
  return JSON.stringify({ traceEvents: events, displayTimeUnit: "ms" });
}
