/** The one line a progress bar draws; also the REPL panel's row. */
/** What a progress bar reports: {@linkcode ProgressBar.stats} and the monitor's view. */
export interface ProgressInfo {
  /** Unique, increasing. */
  id: number;
  /** What the line starts with. */
  label: string;
  /** Steps finished (failures included). */
  done: number;
  /** Of how many, or `undefined` when unknown. */
  total: number | undefined;
  /** Steps that failed (counted in `done`). */
  failed: number;
  /** Steps started and not finished. */
  inFlight: number;
  /** Milliseconds since the bar was created. */
  elapsedMs: number;
  /** Steps finished per second so far. */
  rate: number;
  /** Milliseconds left at the current rate, or `undefined`. */
  etaMs: number | undefined;
  /** Whether `close()` was called. */
  closed: boolean;
}

/**
 * One progress line for `info`, at most `width` characters: label,
 * done/total, a bar when there is room, rate, elapsed, ETA, in flight and
 * failures. What a progress bar draws; a live panel can use it for its rows.
 *
 * @param info What {@linkcode progressSnapshot} or `ProgressBar.stats()` gives.
 * @param width The most characters.
 * @returns The line, without ANSI codes.
 *
 * @example
 * ```ts
 * import { formatProgress } from "@corun/corun/monitor";
 *
 * const line = formatProgress({
 *   id: 1, label: "Fetching", done: 5, total: 10, failed: 1, inFlight: 2,
 *   elapsedMs: 2000, rate: 2.5, etaMs: 2000, closed: false,
 * }, 40);
 * if (!line.startsWith("Fetching 5/10") || line.length > 40) throw new Error(line);
 * ```
 */
export function formatProgress(info: ProgressInfo, width: number = 80): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
  const head = `${info.label} ${info.done}${info.total === undefined ? "" : `/${info.total}`}`;
  const parts = [`${info.rate.toFixed(1)}/s`, seconds(info.elapsedMs)];
  if (info.etaMs !== undefined && !info.closed) parts.push(`ETA ${seconds(info.etaMs)}`);
  if (info.inFlight > 0) parts.push(`${info.inFlight} in flight`);
  if (info.failed > 0) parts.push(`${info.failed} failed`);
  const tail = parts.join(" ");
  let line = `${head} ${tail}`;
  const room = width - line.length - 3;
  if (info.total !== undefined && info.total > 0 && room >= 10) {
    const size = Math.min(30, room);
    const filled = Math.min(size, Math.round((info.done / info.total) * size));
    line = `${head} [${"#".repeat(filled)}${"-".repeat(size - filled)}] ${tail}`;
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}
