/**
 * Which tasks the REPL shows, and the compact lines of the live panel. The
 * table, tree and timeline themselves are the monitor's renderers.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/registry.ts";
import { snapshot, taskInfo } from "../../monitor.ts";
import { renderPanel } from "./panel_view.ts";
import type { ReplSession } from "./session.ts";

/** How many lines the panel takes at most when not told its room. */
const PANEL_LINES = 5;
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
 * The live panel's lines (see {@linkcode renderPanel}) for the session's
 * live tasks, leaving out an input younger than a moment. No lines when no
 * task is alive and no extra row is given.
 *
 * @param session The REPL session.
 * @param width The terminal width.
 * @param color Colour the states.
 * @param height How many lines the panel may take.
 * @param extra Rows under the title (progress, warnings).
 * @returns The lines, each at most `width` columns.
 */
export function panelLines(
  session: ReplSession,
  width: number,
  color: boolean,
  height: number = PANEL_LINES,
  extra: readonly string[] = [],
): string[] {
  const now = performance.now();
  const running = session.running;
  const tasks = session.liveTasks()
    .filter((task) => task !== running || now - taskInfo(task).createdAt >= INPUT_GRACE_MS)
    .map((task) => taskInfo(task));
  return renderPanel({ tasks, width, height, now, color, extra });
}
