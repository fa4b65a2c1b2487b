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
 * ones too), never the session's root task.
 *
 * @param session The REPL session.
 * @param all Include finished tasks.
 * @returns Task descriptions ordered by id.
 */
export function tasksToShow(session: ReplSession, all: boolean): TaskInfo[] {
  const rootId = session.root.id;
  if (all) return snapshot().filter((info) => info.id !== rootId);
  return session.liveTasks().map((task) => taskInfo(task));
}

/**
 * The live panel's lines: a title, then one line per live task (id, name,
 * state, age, what it waits on), `+N more` past a few. No lines when no task
 * is alive.
 *
 * @param session The REPL session.
 * @param width The terminal width.
 * @param color Colour the states.
 * @returns The lines, each at most `width` columns.
 */
export function panelLines(session: ReplSession, width: number, color: boolean): string[] {
  const now = performance.now();
  const running = session.running;
  const infos = session.liveTasks()
    .filter((task) => task !== running || now - taskInfo(task).createdAt >= INPUT_GRACE_MS)
    .map((task) => taskInfo(task));
  if (infos.length === 0) return [];
  const shown = infos.length > PANEL_TASKS ? infos.slice(0, PANEL_TASKS - 1) : infos;
  const nameWidth = Math.min(20, Math.max(4, ...shown.map((info) => oneLine(info.name).length)));
  const idWidth = Math.max(...shown.map((info) => String(info.id).length)) + 1;
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
  const title = `── ${infos.length} live task${
    infos.length === 1 ? "" : "s"
  } ── .monitor off hides this `;
  const rule = fit(title.padEnd(width - 1, "─"), width - 1);
  return [color ? `\x1b[2m${rule}\x1b[0m` : rule, ...lines];
}

function colorState(line: string, info: TaskInfo, at: number): string {
  const state = line.slice(at, at + info.state.length);
  if (state !== info.state) return line;
  return line.slice(0, at) + paint(state, info.state, true) + line.slice(at + state.length);
}
