/**
 * The live task panel: a few lines pinned to the bottom of the terminal,
 * redrawn several times a second while tasks are alive.
 *
 * The panel lives below a scroll region (DECSTBM): the terminal scrolls
 * everything else, the prompt and any output of running code, in the rows
 * above it, so output the REPL does not control (`console.log` in a task)
 * can never overwrite it, and it never touches the line being typed. Each
 * redraw is one write that saves the cursor, paints the panel rows and
 * restores the cursor (DECSC/DECRC). When no task is alive the region is
 * reset and the rows are cleared. Only ever used on a terminal.
 *
 * The panel may take a third of the window. When the window is resized
 * (`resized()` on SIGWINCH, or noticed at the next redraw), wherever the
 * terminal moved the old rows, they are below the cursor's row, since
 * nothing else is drawn there: they are erased, the scroll region is set for
 * the new height and the panel is drawn again, so no stale copy stays and
 * output keeps scrolling above it.
 *
 * @module
 */
import type { Output } from "./output.ts";
import { panelHeight } from "./panel_view.ts";
import {
  ERASE_DISPLAY_AFTER_CURSOR,
  ERASE_LINE,
  INDEX,
  moveCursorDown,
  moveCursorUp,
  RESET_SCROLLABLE_REGION,
  RESTORE_CURSOR,
  SAVE_CURSOR,
  setCursorPosition,
  setScrollableRegion,
} from "../term/ansi.ts";
import type { TerminalSize } from "../term/terminal.ts";

/** What the panel needs to know. */
export interface PanelOptions {
  /** The terminal's size now. */
  size(): TerminalSize;
  /**
   * The lines to show for the given width, at most `height` of them (none:
   * the panel hides).
   */
  content(width: number, height: number): string[];
  /**
   * How often to redraw, in milliseconds.
   * @default {200}
   */
  intervalMs?: number;
}

/** The live panel; see the module doc. */
export class Panel {
  #height = 0;
  #rows = 0;
  #columns = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #suspended = false;

  /**
   * A panel drawn on `out`; nothing shows until it is started.
   *
   * @param out Where it is drawn.
   * @param options What it shows and how often.
   */
  constructor(readonly out: Output, readonly options: PanelOptions) {}

  /** Start redrawing periodically. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.refresh(), this.options.intervalMs ?? 200);
  }

  /** Stop redrawing and hide. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.hide();
  }

  /** Hide and stop drawing until `resume` (e.g. while `.top` owns the screen). */
  suspend(): void {
    this.#suspended = true;
    this.hide();
  }

  /** Draw again after `suspend`. */
  resume(): void {
    this.#suspended = false;
    this.refresh();
  }

  /** Whether the panel is on screen. */
  get visible(): boolean {
    return this.#height > 0;
  }

  /** Redraw now. */
  refresh(): void {
    if (this.#suspended) return;
    const { columns, rows } = this.options.size();
    if (this.#height > 0 && (rows !== this.#rows || columns !== this.#columns)) this.#forget();
    const height = panelHeight(rows);
    let lines = this.options.content(columns, height);
    if (lines.length > height || rows < lines.length + 4) lines = [];
    if (lines.length === 0) {
      this.hide();
      return;
    }
    if (lines.length !== this.#height) {
      this.hide();
      this.#reserve(lines.length, rows, columns);
    }
    const top = rows - lines.length + 1;
    const body = lines.map((line, i) => `${setCursorPosition(top + i, 1)}${ERASE_LINE}${line}`)
      .join("");
    this.out.write(`${SAVE_CURSOR}${body}${RESTORE_CURSOR}`);
  }

  /** Remove the panel and give its rows back to the scroll region. */
  hide(): void {
    if (this.#height === 0) return;
    const { rows } = this.options.size();
    const top = Math.max(1, rows - this.#height + 1);
    this.out.write(
      `${SAVE_CURSOR}${RESET_SCROLLABLE_REGION}${
        setCursorPosition(top, 1)
      }${ERASE_DISPLAY_AFTER_CURSOR}${RESTORE_CURSOR}`,
    );
    this.#height = 0;
  }

  /** The window changed size: erase the panel wherever it is now and draw it again. */
  resized(): void {
    if (this.#height > 0) this.#forget();
    this.refresh();
  }

  /**
   * Erase the rows below the cursor's row (the old panel, wherever the
   * terminal moved it) and give the whole window back to scrolling.
   */
  #forget(): void {
    this.out.write(
      `${SAVE_CURSOR}${RESET_SCROLLABLE_REGION}${RESTORE_CURSOR}` +
        `${SAVE_CURSOR}${moveCursorDown()}\r${ERASE_DISPLAY_AFTER_CURSOR}${RESTORE_CURSOR}`,
    );
    this.#height = 0;
  }

  /**
   * Make room for `height` rows at the bottom: move the content up if the
   * cursor is too low (index down, then back up: the column is kept), then
   * confine scrolling to the rows above.
   */
  #reserve(height: number, rows: number, columns: number): void {
    this.out.write(
      `${INDEX.repeat(height)}${moveCursorUp(height)}${SAVE_CURSOR}${
        setScrollableRegion(1, rows - height)
      }${RESTORE_CURSOR}`,
    );
    this.#height = height;
    this.#rows = rows;
    this.#columns = columns;
  }
}
