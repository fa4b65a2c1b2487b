/**
 * See every task: `snapshot()` of the live and recently finished tasks,
 * task events, text renderers (table, tree, ASCII timeline), Trace Event
 * export for Perfetto, and `serveMonitor()`, a live web dashboard with a
 * JSON/SSE API.
 *
 * The renderers are pure functions of a snapshot, so they work as well on
 * infos fetched from another process (`/api/tasks`).
 *
 * @example Printing what is running
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 * import { formatTable, snapshot } from "@corun/corun/monitor";
 *
 * const task = createTask(() => sleep(50), { name: "napper" });
 * await sleep(5);
 * const table = formatTable(snapshot().filter((t) => t.id === task.id));
 * console.log(table);
 * // ID  NAME    STATE      AGE   WAITING ON
 * // 7   napper  waiting    5ms   sleep(50)
 * assert.match(table, /napper\s+waiting\s+\S+\s+sleep\(50\)/);
 * task.cancel();
 * await task.catch(() => {});
 * ```
 *
 * @module
 */
export type { Task, TaskEvent, TaskEventType, TaskInfo, TaskState } from "./lib/runtime/mod.ts";
export type { CancelReason } from "./lib/errors.ts";
export { snapshot, taskInfo } from "./lib/monitor/snapshot.ts";
export { getHistoryLimit, onTaskEvent, setHistoryLimit } from "./lib/monitor/events.ts";
export type { FormatOptions } from "./lib/monitor/_format.ts";
export { formatTable } from "./lib/monitor/format_table.ts";
export { formatTree } from "./lib/monitor/format_tree.ts";
export { formatTimeline, type TimelineOptions } from "./lib/monitor/format_timeline.ts";
export { type ChromeTraceOptions, toChromeTrace } from "./lib/monitor/chrome_trace.ts";
export {
  type LoopBlock,
  type TaskWarning,
  taskWarnings,
  type WarningKind,
  type WarningOptions,
} from "./lib/monitor/warnings.ts";
export { droppedTaskCount } from "./lib/monitor/events.ts";
export {
  type CloseOptions,
  type MonitorServer,
  serveMonitor,
  type ServeMonitorOptions,
} from "./lib/monitor/server.ts";
export { type ProgressInfo, progressSnapshot, setProgressPanel } from "./lib/progress.ts";
export { formatProgress } from "./lib/_progress_line.ts";
