/**
 * `formatTable`: one line per task (id, name, state, age, what it waits on).
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import {
  ageOf,
  cell,
  detailOf,
  fit,
  formatDuration,
  type FormatOptions,
  oneLine,
  paint,
  resolve,
} from "./_format.ts";

const STATE_WIDTH = "cancelled".length;
const GAP = "  ";

/**
 * Render tasks as a table: `ID`, `NAME`, `STATE`, `AGE` and `WAITING ON`
 * (for a finished task: `= value` or its error). Every line fits in
 * `options.width` columns; long names and details are cut with `…`. Rows come
 * in the order given. A pure function of its arguments.
 *
 * @param infos Task descriptions, e.g. from `snapshot()`.
 * @param options `width`, `color` and `now` (the moment ages are measured to).
 * @returns The table, lines joined with `\n`, no trailing newline.
 * @throws {TypeError} If `infos` is not an array.
 * @throws {RangeError} If `width` is not an integer >= 20 or `now` is not finite.
 *
 * @example A table of two tasks
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTable, type TaskInfo } from "@corun/corun/monitor";
 *
 * const infos: TaskInfo[] = [
 *   { id: 1, name: "main", state: "waiting", createdAt: 0, startedAt: 0, waitingOn: "Task-2" },
 *   { id: 2, name: "Task-2", state: "waiting", parentId: 1, createdAt: 5, waitingOn: "sleep(500)" },
 * ];
 * const table = formatTable(infos, { now: 1500, width: 60 });
 * console.log(table);
 * assert.deepEqual(table.split("\n"), [
 *   "ID  NAME    STATE      AGE     WAITING ON",
 *   "1   main    waiting    1.50s   Task-2",
 *   "2   Task-2  waiting    1.50s   sleep(500)",
 * ]);
 * ```
 */
export function formatTable(infos: readonly TaskInfo[], options: FormatOptions = {}): string {
  const { width, color, now } = resolve(infos, options);
  const rows = infos.map((info) => ({
    info,
    id: String(info.id),
    name: oneLine(info.name),
    age: formatDuration(ageOf(info, now)),
    detail: oneLine(detailOf(info)),
  }));
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length));
  const ageWidth = Math.max(3, ...rows.map((r) => r.age.length)) + 1;
  const fixed = idWidth + STATE_WIDTH + ageWidth + GAP.length * 4;
  const longestName = Math.max(4, ...rows.map((r) => r.name.length));
  const nameWidth = Math.max(4, Math.min(longestName, 24, Math.floor((width - fixed) / 2)));
  const detailWidth = Math.max(0, width - fixed - nameWidth);
  const line = (id: string, name: string, state: string, age: string, detail: string) =>
    [cell(id, idWidth), cell(name, nameWidth), state, cell(age, ageWidth), fit(detail, detailWidth)]
      .join(GAP).trimEnd();
  const lines = [line("ID", "NAME", cell("STATE", STATE_WIDTH), "AGE", "WAITING ON")];
  for (const row of rows) {
    const state = paint(cell(row.info.state, STATE_WIDTH), row.info.state, color);
    lines.push(line(row.id, row.name, state, row.age, row.detail));
  }
  if (rows.length === 0) lines.push("(no tasks)");
  return lines.join("\n");
}
