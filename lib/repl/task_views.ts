/**
 * Which tasks the REPL shows, and the compact lines of the live panel. The
 * table, tree and timeline themselves are the monitor's renderers.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/registry.ts";
import { snapshot, taskInfo } from "../../monitor.ts";
import { cell, fit, formatDuration, oneLine, paint } from "../monitor/_format.ts";
import type { ReplSession } from "./session.ts";

/** How many task lines the panel shows at most. */
const PANEL_TASKS = 4;
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
    (internal || !session.isInput(info.id) || !["done", "failed", "cancelled"].includes(info.state))
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
}

/**
 * The live panel's lines: a title, a warning while the event loop is
 * blocked, then one line per live task (id, name, state, age, what it waits
 * on), `+N more` past a few. No lines when no task is alive and nothing
 * blocks.
 *
 * @param state The tasks, the running input and whether the loop is blocked.
 * @param width The terminal width.
 * @param color Colour the states.
 * @returns The lines, each at most `width` columns.
 */
export function panelLines(state: PanelState, width: number, color: boolean): string[] {
  const now = performance.now();
  const { running, blocked } = state;
  const infos = state.tasks.filter((info) =>
    info.name !== running?.name || now - info.createdAt >= INPUT_GRACE_MS
  );
  if (infos.length === 0 && blocked === null) return [];
  const shown = infos.length > PANEL_TASKS ? infos.slice(0, PANEL_TASKS - 1) : infos;
  const nameWidth = Math.min(20, Math.max(4, ...shown.map((info) => oneLine(info.name).length)));
  const idWidth = Math.max(0, ...shown.map((info) => String(info.id).length)) + 1;
  const lines = shown.map((info) => {
    const text = `${cell(`#${info.id}`, idWidth)} ${cell(oneLine(info.name), nameWidth)} ` +
      `${cell(info.state, 8)} ${cell(formatDuration(now - info.createdAt), 6)} ${
        oneLine(info.waitingOn ?? "")
      }`;
    const fitted = fit(text.trimEnd(), width - 1);
    return color ? colorState(fitted, info, idWidth + nameWidth + 2) : fitted;
  });
  if (infos.length > shown.length) {
    lines.push(`+${infos.length - shown.length} more (.tasks lists them)`);
  }
  if (blocked !== null) {
    const text = fit(blockedLine(blocked), width - 1);
    lines.unshift(color ? `\x1b[1;33m${text}\x1b[0m` : text);
  }
  const title = `── ${infos.length} live task${
    infos.length === 1 ? "" : "s"
  } ── .monitor off hides this `;
  const rule = fit(title.padEnd(width - 1, "─"), width - 1);
  return [color ? `\x1b[2m${rule}\x1b[0m` : rule, ...lines];
}

/**
 * `event loop blocked 3.2 s by input-4 (Ctrl+C twice restarts)`.
 *
 * @param blocked How long, and by which input.
 * @returns The line.
 */
export function blockedLine(blocked: { ms: number; by: string | null }): string {
  const by = blocked.by === null ? "" : ` by ${blocked.by}`;
  return `event loop blocked ${(blocked.ms / 1000).toFixed(1)} s${by} ` +
    "(Ctrl+C twice restarts the evaluation process)";
}

function colorState(line: string, info: TaskInfo, at: number): string {
  const state = line.slice(at, at + info.state.length);
  if (state !== info.state) return line;
  return line.slice(0, at) + paint(state, info.state, true) + line.slice(at + state.length);
}
