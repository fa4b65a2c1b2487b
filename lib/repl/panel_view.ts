/**
 * The lines of the live panel, laid out for the room it has: a title, the
 * extra rows others give it (a progress bar, monitor warnings), then one row
 * per live task (id, name, state, age, what it waits on) and `+N more` when
 * they do not all fit. A pure function of task descriptions and sizes, so it
 * works wherever the tasks live (in this process or in an evaluation
 * process that sends their descriptions).
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import { cell, fit, formatDuration, oneLine, paint } from "../monitor/_format.ts";
import { DIM, RESET_STYLE, style, STYLE_PATTERN } from "../term/ansi.ts";

/** What the panel shows and the room it has. */
export interface PanelView {
  /** The live tasks to list, in the order to list them. */
  tasks: readonly TaskInfo[];
  /** The terminal width, in columns. */
  width: number;
  /** How many lines the panel may take, title included. */
  height: number;
  /**
   * The moment the infos describe (`performance.now()` milliseconds).
   * @default {performance.now()}
   */
  now?: number;
  /**
   * Colour the title and the states.
   * @default {false}
   */
  color?: boolean;
  /**
   * Rows shown under the title, before the tasks (each cut to the width):
   * a progress bar, warnings. They win over task rows, but leave room for
   * one task row when there are tasks.
   * @default {[]}
   */
  extra?: readonly string[];
}

/** The fraction of the window the panel may take. */
export const PANEL_SHARE = 1 / 3;

/**
 * How many lines the panel may take in a window `rows` high: a third of it.
 *
 * @param rows The window height.
 * @returns The panel's height limit (0 when it has no room).
 *
 * @example A 35-row window
 * ```ts
 * import { panelHeight } from "./panel_view.ts";
 *
 * if (panelHeight(35) !== 11) throw new Error();
 * ```
 */
export function panelHeight(rows: number): number {
  return Math.max(0, Math.floor(rows * PANEL_SHARE));
}

/**
 * The panel's lines; none when there is nothing to show or no room.
 *
 * @param view The tasks, extra rows and room.
 * @returns At most `view.height` lines, each shorter than `view.width`.
 *
 * @example Three tasks in three lines: a title, one shown, two counted
 * ```ts
 * import { renderPanel } from "./panel_view.ts";
 *
 * const task = (id: number) => ({ id, name: `t${id}`, state: "waiting" as const, createdAt: 0 });
 * const lines = renderPanel({ tasks: [task(1), task(2), task(3)], width: 50, height: 3, now: 5 });
 * if (lines.length !== 3 || !lines[1].startsWith("#1 ") || lines[2] !== "+2 more (.tasks lists them)") {
 *   throw new Error(lines.join("\n"));
 * }
 * ```
 */
export function renderPanel(view: PanelView): string[] {
  const { tasks, width, height } = view;
  const color = view.color === true;
  const now = view.now ?? performance.now();
  const room = Math.max(0, height - 1);
  const extra = (view.extra ?? []).slice(0, tasks.length > 0 ? Math.max(0, room - 1) : room);
  if ((tasks.length === 0 && extra.length === 0) || room === 0) return [];
  const taskRoom = room - extra.length;
  const shown = tasks.length > taskRoom ? tasks.slice(0, Math.max(0, taskRoom - 1)) : tasks;
  const nameWidth = Math.min(20, Math.max(4, ...shown.map((info) => oneLine(info.name).length)));
  const idWidth = Math.max(0, ...shown.map((info) => String(info.id).length)) + 1;
  const rows = shown.map((info) => {
    const text = `${cell(`#${info.id}`, idWidth)} ${cell(oneLine(info.name), nameWidth)} ` +
      `${cell(info.state, 8)} ${cell(formatDuration(now - info.createdAt), 6)} ${
        oneLine(info.waitingOn ?? "")
      }`;
    const fitted = fit(text.trimEnd(), width - 1);
    return color ? colorState(fitted, info, idWidth + nameWidth + 2) : fitted;
  });
  if (tasks.length > shown.length) {
    rows.push(fit(`+${tasks.length - shown.length} more (.tasks lists them)`, width - 1));
  }
  const title = `── ${tasks.length} live task${
    tasks.length === 1 ? "" : "s"
  } ── .monitor off hides this `;
  const rule = fit(title.padEnd(width - 1, "─"), width - 1);
  return [
    color ? style(DIM, rule) : rule,
    ...extra.map((line) => fitStyled(line, width - 1)),
    ...rows,
  ];
}

/** Splits text around its SGR sequences, keeping them (odd indexes). */
const STYLE_SPLIT = new RegExp(`(${STYLE_PATTERN.source})`);

/**
 * `line` cut to `width` visible columns, keeping its colours (SGR codes) and
 * dropping every other control character.
 */
function fitStyled(line: string, width: number): string {
  const parts = line.split(STYLE_SPLIT);
  const plain = parts.filter((_, i) => i % 2 === 0).map(oneLine);
  const visible = plain.join("");
  if (visible.length <= width && parts.length === 1) return visible;
  let left = visible.length <= width ? Infinity : width - 1;
  let text = "";
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      text += parts[i];
      continue;
    }
    const piece = plain[i / 2];
    text += piece.slice(0, left);
    left -= Math.min(left, piece.length);
    if (left === 0) break;
  }
  const styled = parts.length > 1;
  return visible.length <= width ? text : `${text}…${styled ? RESET_STYLE : ""}`;
}

function colorState(line: string, info: TaskInfo, at: number): string {
  const state = line.slice(at, at + info.state.length);
  if (state !== info.state) return line;
  return line.slice(0, at) + paint(state, info.state, true) + line.slice(at + state.length);
}
