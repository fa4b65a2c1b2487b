/**
 * Which tasks the REPL shows, and the compact lines of the live panel. The
 * table, tree and timeline themselves are the monitor's renderers.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import { formatProgress, type ProgressInfo, snapshot, taskInfo } from "../../monitor.ts";
import { renderPanel } from "./panel_view.ts";
import { isLive } from "../monitor/_format.ts";
import type { ReplSession } from "./session.ts";
import { style, WARNING, YELLOW } from "../term/ansi.ts";

/** How many lines the panel takes at most when not told its room. */
const PANEL_LINES = 5;
/** An input younger than this is not worth a panel (most inputs are instant). */
const INPUT_GRACE_MS = 400;

/**
 * The tasks to list: the live ones (or, with `all`, the remembered finished
 * ones too), never the session's root task. The REPL's own bookkeeping, the
 * finished tasks that ran each input (`input-<n>`), only with `internal`.
 *
 * @param session The REPL session.
 * @param all Include finished tasks.
 * @param internal Include the finished input tasks.
 * @returns Task descriptions ordered by id.
 */
export function tasksToShow(session: ReplSession, all: boolean, internal = false): TaskInfo[] {
  const rootId = session.root.id;
  if (!all) return session.liveTasks().map((task) => taskInfo(task));
  return snapshot().filter((info) =>
    info.id !== rootId &&
    (internal || !session.isInput(info.id) || isLive(info))
  );
}

/** What the live panel shows: the front's last view of the evaluation process. */
export interface PanelState {
  /** The live tasks (times in this process's `performance.now()` clock). */
  tasks: TaskInfo[];
  /** The input running, if any. */
  running: { name: string; startedAt: number } | null;
  /** How long the event loop has been blocked and by which input, if it is. */
  blocked: { ms: number; by: string | null } | null;
  /** The open progress bars, shown as rows instead of a second moving line. */
  progress?: readonly ProgressInfo[];
  /** The monitor's warnings (`taskWarnings()` messages), shown under the bars. */
  warnings?: readonly string[];
}

/** At most this many warnings take rows of the panel. */
const PANEL_WARNINGS = 3;

/**
 * The live panel's lines (see {@linkcode renderPanel}): a title, a warning
 * while the event loop is blocked, the extra rows, then the live tasks,
 * leaving out an input younger than a moment. No lines when no task is
 * alive, nothing blocks and no extra row is given.
 *
 * @param state The tasks, the running input and whether the loop is blocked.
 * @param width The terminal width.
 * @param color Colour the states.
 * @param height How many lines the panel may take.
 * @param extra Rows under the title (progress, warnings).
 * @returns The lines, each at most `width` columns.
 */
export function panelLines(
  state: PanelState,
  width: number,
  color: boolean,
  height: number = PANEL_LINES,
  extra: readonly string[] = [],
): string[] {
  const now = performance.now();
  const { running, blocked } = state;
  const tasks = state.tasks.filter((info) =>
    info.name !== running?.name || now - info.createdAt >= INPUT_GRACE_MS
  );
  const warning = blocked === null
    ? []
    : [color ? style(WARNING, blockedLine(blocked)) : blockedLine(blocked)];
  const bars = (state.progress ?? []).map((info) => formatProgress(info, width));
  const lints = (state.warnings ?? []).slice(0, PANEL_WARNINGS).map((message) =>
    color ? style(YELLOW, `warning: ${message}`) : `warning: ${message}`
  );
  return renderPanel({
    tasks,
    width,
    height,
    now,
    color,
    extra: [...warning, ...bars, ...lints, ...extra],
  });
}

/**
 * `event loop blocked 3.2 s by input-4 (Ctrl+C twice restarts ...)`.
 *
 * @param blocked How long, and by which input.
 * @returns The line.
 *
 * @example 3.2 seconds
 * ```ts
 * import { blockedLine } from "./task_views.ts";
 *
 * if (!blockedLine({ ms: 3210, by: "input-4" }).startsWith("event loop blocked 3.2 s by input-4")) {
 *   throw new Error();
 * }
 * ```
 */
export function blockedLine(blocked: { ms: number; by: string | null }): string {
  const by = blocked.by === null ? "" : ` by ${blocked.by}`;
  return `event loop blocked ${(blocked.ms / 1000).toFixed(1)} s${by} ` +
    "(Ctrl+C twice restarts the evaluation process)";
}
