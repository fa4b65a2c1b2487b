/**
 * `formatTimeline`: an ASCII Gantt chart of task lifetimes.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import {
  cell,
  fit,
  formatDuration,
  type FormatOptions,
  oneLine,
  paint,
  resolve,
} from "./_format.ts";

/** Options for {@linkcode formatTimeline}. */
export interface TimelineOptions extends FormatOptions {
  /**
   * The line width to fit in, in columns.
   * @default {80}
   */
  width?: number;
}

const NAME_MAX = 20;

/**
 * Render task lifetimes as an ASCII Gantt chart: one row per task, time
 * running left to right from the first creation to the last end (or `now`
 * for live tasks). `.` is a task created but not started yet, `=` a started
 * one; the last cell says how it ended: `=` done, `!` failed, `x` cancelled,
 * `>` still running. Two tasks that overlapped have bars one above the other;
 * tasks that ran back to back have bars that follow each other. A pure
 * function of its arguments.
 *
 * @param infos Task descriptions, e.g. from `snapshot()`.
 * @param options `width` (default 80), `color` and `now`.
 * @returns The chart, lines joined with `\n`, no trailing newline.
 * @throws {TypeError} If `infos` is not an array.
 * @throws {RangeError} If `width` is not an integer >= 20 or `now` is not finite.
 *
 * @example Two overlapping tasks and a late one
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTimeline, type TaskInfo } from "@corun/corun/monitor";
 *
 * const infos: TaskInfo[] = [
 *   { id: 1, name: "a", state: "done", createdAt: 0, startedAt: 0, endedAt: 1000 },
 *   { id: 2, name: "b", state: "done", createdAt: 0, startedAt: 0, endedAt: 1000 },
 *   { id: 3, name: "c", state: "cancelled", createdAt: 1000, startedAt: 1000, endedAt: 2000 },
 * ];
 * const chart = formatTimeline(infos, { width: 40 });
 * console.log(chart);
 * assert.deepEqual(chart.split("\n"), [
 *   "3 tasks over 2.00s, one column = 125ms",
 *   "a #1 |========        | done  1.00s",
 *   "b #2 |========        | done  1.00s",
 *   "c #3 |        =======x| cancelled  1.00s",
 *   "      0          2.00s",
 * ]);
 * ```
 */
export function formatTimeline(infos: readonly TaskInfo[], options: TimelineOptions = {}): string {
  const { width, color, now } = resolve(infos, options, 80);
  if (infos.length === 0) return "(no tasks)";
  const rows = [...infos].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const start = Math.min(...rows.map((info) => info.createdAt));
  const end = Math.max(...rows.map((info) => info.endedAt ?? Math.max(now, info.createdAt)));
  const span = Math.max(end - start, 1e-3);
  const nameMax = Math.max(6, Math.min(NAME_MAX, Math.floor(width / 4) - 4));
  const labels = rows.map((info) => `${fit(oneLine(info.name), nameMax)} #${info.id}`);
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const suffixes = rows.map((info) => ` ${info.state}  ${lifetime(info, now)}`);
  const suffixWidth = Math.min(Math.max(...suffixes.map((s) => s.length)), 22);
  const barWidth = Math.max(10, width - labelWidth - suffixWidth - 3);
  const at = (t: number) => ((t - start) / span) * barWidth;
  const column = (t: number) => Math.min(barWidth - 1, Math.floor(at(t)));
  const lines = [
    `${rows.length} task${rows.length === 1 ? "" : "s"} over ${formatDuration(span)}, ` +
    `one column = ${formatDuration(span / barWidth)}`,
  ];
  rows.forEach((info, i) => {
    const cells = new Array<string>(barWidth).fill(" ");
    const first = column(info.createdAt);
    const began = info.startedAt === undefined ? Infinity : column(info.startedAt);
    const ended = at(info.endedAt ?? Math.max(now, info.createdAt));
    const last = Math.min(barWidth - 1, Math.max(first, Math.ceil(ended) - 1));
    for (let c = first; c <= last; c++) cells[c] = c < began ? "." : "=";
    cells[last] = endMark(info, cells[last]);
    const bar = cells.join("");
    const plain = `${labels[i].padEnd(labelWidth)} |${bar}|${suffixes[i]}`;
    lines.push(
      plain.length > width || !color
        ? fit(plain, width)
        : `${labels[i].padEnd(labelWidth)} |${paint(bar, info.state, true)}|${suffixes[i]}`,
    );
  });
  const axisEnd = formatDuration(span);
  const axis = cell("0", Math.max(1, barWidth - axisEnd.length)) + axisEnd;
  lines.push(`${" ".repeat(labelWidth + 2)}${axis}`.trimEnd());
  return lines.join("\n");
}

function endMark(info: TaskInfo, current: string): string {
  switch (info.state) {
    case "failed":
      return "!";
    case "cancelled":
      return "x";
    case "done":
      return current;
    default:
      return ">";
  }
}

function lifetime(info: TaskInfo, now: number): string {
  const from = info.startedAt ?? info.createdAt;
  return formatDuration((info.endedAt ?? now) - from);
}
