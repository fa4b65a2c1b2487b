/**
 * Progress bars for long work: one line on stderr when it is a terminal.
 *
 * @module
 */
import { checkOptions } from "./_task_like.ts";
import { type ProgressTerminal, quietEnvironment, stderrTerminal } from "./term/_stderr.ts";
import { checkOptionalString, describe } from "./_validate.ts";
import { setDeadline } from "./runtime/mod.ts";
import { inspectable, quote } from "./_inspect.ts";
import { formatProgress, type ProgressInfo } from "./_progress_line.ts";
import { ERASE_LINE_AFTER_CURSOR } from "./term/ansi.ts";

export type { ProgressInfo };

export type { ProgressTerminal } from "./term/_stderr.ts";

/** Options for {@linkcode ProgressBar} and {@linkcode progress}. */
export interface ProgressOptions {
  /**
   * What the line starts with.
   * @default {"progress"}
   */
  label?: string;
  /**
   * How many steps make 100 %; `null`/`undefined` when unknown (no ETA).
   * @default {undefined}
   */
  total?: number | null;
  /**
   * Where to draw; stderr by default, drawn on only when it is a terminal
   * and neither `NO_COLOR` nor `CI` is set.
   * @default {stderr}
   */
  terminal?: ProgressTerminal;
}

/**
 * `options` checked as progress options (`argument` names them in errors);
 * a string is a label. `total` fills in a missing total.
 */
export function checkProgressOptions(
  options: unknown,
  argument: string,
  total?: number,
): ProgressOptions {
  const checked = typeof options === "string"
    ? { label: options }
    : checkOptions<ProgressOptions>(options, argument);
  const result = { total, ...checked };
  checkOptionalString(result.label, `${argument}.label`);
  const t = result.total;
  if (t !== undefined && t !== null && (typeof t !== "number" || Number.isNaN(t) || t < 0)) {
    throw new RangeError(`${argument}.total must be a number >= 0, got ${describe(t)}`);
  }
  const terminal = result.terminal;
  if (terminal !== undefined && (terminal === null || typeof terminal.write !== "function")) {
    throw new TypeError(`${argument}.terminal must be a terminal, got ${describe(terminal)}`);
  }
  return result;
}

/** Redraw at most this often (ms). */
const REDRAW_MS = 100;
const live = new Set<ProgressBar>();
let panel = false;
let nextId = 1;

/**
 * A progress display: count steps with `start()`/`finish()` (or
 * `advance()`), `close()` at the end. It draws one line (label, done/total,
 * rate, elapsed, ETA, in flight, failures), redrawn at most 10 times a
 * second, and draws nothing when its terminal is not a terminal, when
 * `NO_COLOR`/`CI` is set (for the default stderr), or while a live panel
 * (the REPL's) shows progress bars itself (see `setProgressPanel` in
 * `@corun/corun/monitor`). `mapLimit`, `mapLimitStream` and `asCompleted`
 * make one with their `progress` option.
 *
 * @example Counting steps into an injected terminal
 * ```ts
 * import { ProgressBar } from "@corun/corun";
 *
 * let drawn = "";
 * const terminal = { write: (t: string) => drawn += t, isTerminal: () => true, columns: () => 80 };
 * const bar = new ProgressBar({ label: "Copying", total: 2, terminal });
 * bar.start();
 * bar.finish();
 * bar.advance();
 * bar.close();
 * if (!drawn.includes("Copying 2/2")) throw new Error(drawn);
 * if (bar.stats().done !== 2) throw new Error("two steps");
 * ```
 */
export class ProgressBar implements Disposable {
  readonly #id = nextId++;
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #terminal: ProgressTerminal | null;
  readonly #started = performance.now();
  #done = 0;
  #failed = 0;
  #inFlight = 0;
  #closed = false;
  #drawnAt = -Infinity;
  #drawn = false;
  #clearRedraw: (() => void) | null = null;

  /**
   * Create a progress bar (drawn at its first change).
   *
   * @param options `label`, `total`, `terminal`.
   * @throws {TypeError} If `options` is not an object or `label` not a string.
   * @throws {RangeError} If `total` is not a number >= 0.
   */
  constructor(options: ProgressOptions = {}) {
    const { label, total, terminal } = checkProgressOptions(
      checkOptions<ProgressOptions>(options, "options"),
      "options",
    );
    this.#label = label ?? "progress";
    this.#total = total ?? undefined;
    const out = terminal ?? stderrTerminal();
    const quiet = terminal === undefined && quietEnvironment();
    this.#terminal = !quiet && out.isTerminal() ? out : null;
    live.add(this);
  }

  /**
   * One more step in flight.
   *
   * @example
   * ```ts
   * import { ProgressBar } from "@corun/corun";
   *
   * using bar = new ProgressBar({ terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
   * bar.start();
   * if (bar.stats().inFlight !== 1) throw new Error();
   * ```
   */
  start(): void {
    this.#inFlight++;
    this.#changed();
  }

  /**
   * A step in flight finished.
   *
   * @param ok `false` if it failed.
   *
   * @example
   * ```ts
   * import { ProgressBar } from "@corun/corun";
   *
   * using bar = new ProgressBar({ terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
   * bar.start();
   * bar.finish(false);
   * if (bar.stats().failed !== 1 || bar.stats().inFlight !== 0) throw new Error();
   * ```
   */
  finish(ok: boolean = true): void {
    if (this.#inFlight > 0) this.#inFlight--;
    this.#done++;
    if (!ok) this.#failed++;
    this.#changed();
  }

  /**
   * Steps finished that were never in flight.
   *
   * @param steps How many.
   * @throws {RangeError} If `steps` is not a number >= 0.
   *
   * @example
   * ```ts
   * import { ProgressBar } from "@corun/corun";
   *
   * using bar = new ProgressBar({ total: 10, terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
   * bar.advance(3);
   * if (bar.stats().done !== 3) throw new Error();
   * ```
   */
  advance(steps: number = 1): void {
    if (typeof steps !== "number" || Number.isNaN(steps) || steps < 0) {
      throw new RangeError(`steps must be a number >= 0, got ${describe(steps)}`);
    }
    this.#done += steps;
    this.#changed();
  }

  /**
   * A cheap, read-only description.
   *
   * @returns Counts, rate and ETA.
   *
   * @example
   * ```ts
   * import { ProgressBar } from "@corun/corun";
   *
   * using bar = new ProgressBar({ label: "x", terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
   * if (bar.stats().label !== "x") throw new Error();
   * ```
   */
  stats(): ProgressInfo {
    const elapsedMs = performance.now() - this.#started;
    const rate = elapsedMs > 0 ? this.#done / (elapsedMs / 1000) : 0;
    const left = this.#total === undefined ? undefined : Math.max(0, this.#total - this.#done);
    return {
      id: this.#id,
      label: this.#label,
      done: this.#done,
      total: this.#total,
      failed: this.#failed,
      inFlight: this.#inFlight,
      elapsedMs,
      rate,
      etaMs: left === undefined || rate === 0 ? undefined : (left / rate) * 1000,
      closed: this.#closed,
    };
  }

  /**
   * Draw the final line (and end it with a newline); later changes draw nothing.
   *
   * @example
   * ```ts
   * import { ProgressBar } from "@corun/corun";
   *
   * const bar = new ProgressBar({ terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
   * bar.close();
   * if (!bar.stats().closed) throw new Error();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    live.delete(this);
    this.#clearRedraw?.();
    this.#clearRedraw = null;
    if (this.#drawn) this.#draw("\n");
  }

  /** The same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #changed(): void {
    if (this.#closed || this.#terminal === null || panel || this.#clearRedraw !== null) return;
    const now = performance.now();
    if (now - this.#drawnAt >= REDRAW_MS) return this.#draw("");
    this.#clearRedraw = setDeadline(this.#drawnAt + REDRAW_MS, () => {
      this.#clearRedraw = null;
      if (!panel) this.#draw("");
    });
  }

  #draw(end: string): void {
    const terminal = this.#terminal;
    if (terminal === null) return;
    this.#drawnAt = performance.now();
    this.#drawn = true;
    const line = formatProgress(this.stats(), terminal.columns() - 1);
    terminal.write(`\r${line}${ERASE_LINE_AFTER_CURSOR}${end}`);
  }
}

inspectable(ProgressBar, "ProgressBar", (bar) => {
  const { label, done, total, failed, inFlight, closed } = bar.stats();
  return {
    label: quote(label),
    done: total === undefined ? done : `${done}/${total}`,
    inFlight,
    failed,
    closed,
  };
});

/**
 * Wrap an iterable so that a progress bar counts the items as they are
 * consumed; the bar closes when the loop ends (also early).
 *
 * @param iterable Any sync or async iterable.
 * @param options `label`, `total` (taken from an array's length when not given), `terminal`.
 * @returns The same items, in order.
 * @throws {TypeError} If `iterable` is not iterable, or bad options.
 * @throws {RangeError} If `total` is not a number >= 0.
 *
 * @example Counting lines
 * ```ts
 * import { progress } from "@corun/corun";
 *
 * let drawn = "";
 * const terminal = { write: (t: string) => drawn += t, isTerminal: () => true, columns: () => 80 };
 * let sum = 0;
 * for await (const n of progress([1, 2, 3], { label: "Summing", terminal })) sum += n;
 * if (sum !== 6 || !drawn.includes("Summing 3/3")) throw new Error(drawn);
 * ```
 */
export function progress<T>(
  iterable: Iterable<T> | AsyncIterable<T>,
  options: ProgressOptions = {},
): AsyncIterableIterator<T> {
  const source = iterable as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
  if (
    source === null || source === undefined ||
    (typeof source[Symbol.asyncIterator] !== "function" &&
      typeof source[Symbol.iterator] !== "function")
  ) {
    throw new TypeError(`iterable must be iterable, got ${describe(iterable)}`);
  }
  const opts = checkOptions<ProgressOptions>(options, "options");
  const total = opts.total ?? (Array.isArray(iterable) ? iterable.length : undefined);
  const bar = new ProgressBar({ ...opts, total });
  return (async function* () {
    try {
      for await (const item of iterable) {
        bar.advance();
        yield item;
      }
    } finally {
      bar.close();
    }
  })();
}

/**
 * The progress bars not closed yet, oldest first: what a live panel (the
 * REPL's) shows as rows, with {@linkcode formatProgress}.
 *
 * @returns One description per open bar.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "@corun/corun";
 * import { progressSnapshot } from "@corun/corun/monitor";
 *
 * const bar = new ProgressBar({ label: "Indexing", terminal: { write() {}, isTerminal: () => false, columns: () => 80 } });
 * if (!progressSnapshot().some((p) => p.label === "Indexing")) throw new Error();
 * bar.close();
 * if (progressSnapshot().some((p) => p.label === "Indexing")) throw new Error();
 * ```
 */
export function progressSnapshot(): ProgressInfo[] {
  return [...live].map((bar) => bar.stats());
}

/**
 * While `on`, progress bars draw nothing themselves: a live panel reads
 * {@linkcode progressSnapshot} and shows them as rows instead (the REPL
 * turns it on while its panel is shown, and off again).
 *
 * @param on Whether a panel shows the progress bars.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "@corun/corun";
 * import { setProgressPanel } from "@corun/corun/monitor";
 *
 * let drawn = "";
 * setProgressPanel(true);
 * const bar = new ProgressBar({ terminal: { write: (t) => void (drawn += t), isTerminal: () => true, columns: () => 80 } });
 * bar.advance();
 * bar.close();
 * setProgressPanel(false);
 * if (drawn !== "") throw new Error("the panel draws it");
 * ```
 */
export function setProgressPanel(on: boolean): void {
  panel = on;
}
