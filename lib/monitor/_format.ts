/** Helpers shared by the text renderers: durations, fitting, colours. */
import type { TaskInfo, TaskState } from "../runtime/mod.ts";
import { style } from "../term/ansi.ts";

/** Options every text renderer takes. */
export interface FormatOptions {
  /**
   * The line width to fit in, in columns.
   * @default {100}
   */
  width?: number;
  /**
   * Colour the states with ANSI escape codes.
   * @default {false}
   */
  color?: boolean;
  /**
   * The moment the infos describe (`performance.now()` milliseconds), used
   * for the age of live tasks. Pass the server's clock for remote infos.
   * @default {performance.now()}
   */
  now?: number;
}

/** Resolved renderer options. */
export interface Resolved {
  /** The line width, in columns. */
  width: number;
  /** Whether to use ANSI colors. */
  color: boolean;
  /** The time ages are measured to, on `performance.now()`. */
  now: number;
}

/** Validate and fill in renderer options. */
export function resolve(infos: unknown, options: FormatOptions, defaultWidth = 100): Resolved {
  if (!Array.isArray(infos)) throw new TypeError("infos must be an array of TaskInfo");
  const width = options.width ?? defaultWidth;
  if (typeof width !== "number" || !Number.isInteger(width) || width < 20) {
    throw new RangeError(`options.width must be an integer >= 20, got ${String(width)}`);
  }
  const now = options.now ?? performance.now();
  if (typeof now !== "number" || !Number.isFinite(now)) {
    throw new RangeError(`options.now must be a finite number, got ${String(now)}`);
  }
  return { width, color: options.color === true, now };
}

/** `850ms`, `1.00s`, `12.3s`, `2m05s`, `3h04m`. */
export function formatDuration(ms: number): string {
  if (!(ms >= 0)) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad2(Math.floor(seconds / 60) % 60)}m`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Whether the task has not finished. */
export function isLive(info: TaskInfo): boolean {
  return info.state !== "done" && info.state !== "failed" && info.state !== "cancelled";
}

/** How long the task has lived (until it ended, for a finished task). */
export function ageOf(info: TaskInfo, now: number): number {
  return (info.endedAt ?? now) - info.createdAt;
}

/** What a task waits on, or how it ended. */
export function detailOf(info: TaskInfo): string {
  switch (info.state) {
    case "done":
      return info.result === undefined ? "" : `= ${info.result}`;
    case "failed":
    case "cancelled":
      return info.error ?? "";
    default:
      return info.waitingOn ?? "";
  }
}

/** Cut `text` to `width` columns, marking the cut with `…`. */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length <= width) return text;
  return width === 1 ? "…" : `${text.slice(0, width - 1)}…`;
}

/** Cut or pad `text` to exactly `width` columns. */
export function cell(text: string, width: number): string {
  return fit(text, width).padEnd(width);
}

/** One line with no control characters (names come from users). */
export function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, " ");
}

/** Names longer than this are cut with `…` where no column width cuts them. */
export const NAME_MAX = 60;

/** A task name on one line, cut to {@linkcode NAME_MAX} characters with `…`. */
export function shortName(name: string): string {
  return fit(oneLine(name), NAME_MAX);
}

const STATE_COLORS: Record<TaskState, string> = {
  pending: "2",
  running: "32",
  waiting: "33",
  done: "34",
  failed: "31",
  cancelled: "35",
};

/** Wrap `text` in the state's colour when `color` is on. */
export function paint(text: string, state: TaskState, color: boolean): string {
  return color ? style(STATE_COLORS[state], text) : text;
}
