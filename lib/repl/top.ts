/**
 * `.top`: the shared full-screen top view (`lib/term/top_view.ts`, the same
 * as `corun top`) over the session's live tasks, until `q`, Escape or
 * Ctrl+C. Arrow keys select a task, `c` cancels it, `s` sorts. The normal
 * screen, prompt and scrollback, comes back untouched.
 *
 * @module
 */
import { allTasks } from "../task.ts";
import { taskWarnings } from "../monitor/warnings.ts";
import { recentLoopBlocks } from "../debug.ts";
import { TopView as SharedTopView } from "../term/top_view.ts";
import type { Key } from "./keys.ts";
import type { Output } from "./output.ts";
import type { TerminalSize } from "./panel.ts";
import type { ReplSession } from "./session.ts";
import { tasksToShow } from "./task_views.ts";

/** What `.top` shows. */
export interface TopOptions {
  /** The terminal's size now. */
  size(): TerminalSize;
  /** The session whose tasks it lists and cancels. */
  session: ReplSession;
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
   * Enter the full-screen view and draw it.
   *
   * @param out Where it is drawn.
   * @param options What it shows and how often.
   */
  constructor(readonly out: Output, readonly options: TopOptions) {
    const { session } = options;
    this.#view = new SharedTopView({
      write: (text) => out.write(text),
      size: () => options.size(),
      color: options.color,
    }, {
      title: "corun top: REPL session",
      read: () => {
        const tasks = tasksToShow(session, false);
        const now = performance.now();
        return {
          now,
          tasks,
          warnings: taskWarnings(tasks, { now, loopBlocks: recentLoopBlocks() }),
        };
      },
      cancel: (id) => {
        for (const task of allTasks()) {
          if (task.id !== id) continue;
          return task.cancel("cancelled from the REPL (.top)")
            ? `cancelled ${task.name} (#${id})`
            : `${task.name} (#${id}) has already finished`;
        }
        return `no task with id ${id}`;
      },
    }, { intervalMs: options.intervalMs, quitLabel: "back to the REPL" });
    this.closed = this.#view.closed;
  }

  /**
   * A key typed while the view is open.
   *
   * @param key The key.
   */
  handleKey(key: Key): void {
    this.#view.handleKey(key.name === "char" ? key.text ?? "" : key.name);
  }

  /** Leave the view and restore the screen. */
  close(): void {
    this.#view.close();
  }
}
