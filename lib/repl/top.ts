/**
 * `.top`: the shared full-screen top view (`lib/term/top_view.ts`, the same
 * as `corun top`) over the evaluation process's live tasks, until `q`,
 * Escape or Ctrl+C. Arrow keys select a task, `c` cancels it, `s` sorts.
 * The normal screen, prompt and scrollback, comes back untouched.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import { taskWarnings } from "../monitor/warnings.ts";
import { TopView as SharedTopView } from "../term/top_view.ts";
import { type Key, nameOf } from "../term/keys.ts";
import type { Output } from "./output.ts";
import type { TerminalSize } from "../term/terminal.ts";

/** What `.top` shows. */
export interface TopOptions {
  /** The terminal's size now. */
  size(): TerminalSize;
  /** The live tasks now (times on this process's `performance.now()` clock). */
  tasks(): TaskInfo[];
  /** Cancel a task; resolves with one line saying what happened. */
  cancel(id: number): string | Promise<string>;
  /** A line about the session (e.g. that its loop is blocked), or `""`. */
  status?(): string;
  /** Use colours. */
  color: boolean;
  /**
   * Redraw interval, in milliseconds.
   * @default {250}
   */
  intervalMs?: number;
}

/** A running `.top` view. */
export class TopView {
  /** Resolves when the user has left the view. */
  readonly closed: Promise<void>;
  readonly #view: SharedTopView;

  /**
   * Enter the view.
   *
   * @param out Where to draw.
   * @param options The tasks, how to cancel one, the size and colours.
   */
  constructor(readonly out: Output, readonly options: TopOptions) {
    this.#view = new SharedTopView({
      write: (text) => out.write(text),
      size: () => options.size(),
      color: options.color,
    }, {
      title: "corun top: REPL session",
      read: () => {
        const tasks = options.tasks();
        const now = performance.now();
        return { now, tasks, warnings: taskWarnings(tasks, { now }) };
      },
      cancel: (id) => options.cancel(id),
      status: options.status,
    }, { intervalMs: options.intervalMs, quitLabel: "back to the REPL" });
    this.closed = this.#view.closed;
  }

  /**
   * A key typed while the view is open.
   *
   * @param key The key.
   */
  handleKey(key: Key): void {
    this.#view.handleKey(nameOf(key));
  }

  /** Leave the view and restore the screen. */
  close(): void {
    this.#view.close();
  }
}
