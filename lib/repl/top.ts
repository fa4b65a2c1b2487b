/**
 * `.top`: a full-screen, live table of the tasks (the terminal's alternate
 * screen, redrawn a few times a second) until `q`, Escape or Ctrl+C. The
 * normal screen, prompt and scrollback, comes back untouched.
 *
 * @module
 */
import type { Key } from "./keys.ts";
import type { Output } from "./output.ts";
import type { TerminalSize } from "./panel.ts";

/** What `.top` shows. */
export interface TopOptions {
  /** The terminal's size now. */
  size(): TerminalSize;
  /** The screen's text for this size (lines past the height are cut). */
  render(size: TerminalSize): string;
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
  #close!: () => void;
  #timer: ReturnType<typeof setInterval>;
  #closed = false;

  /**
   * Enter the full-screen view and draw it.
   *
   * @param out Where it is drawn.
   * @param options What it shows and how often.
   */
  constructor(readonly out: Output, readonly options: TopOptions) {
    this.closed = new Promise((resolve) => this.#close = resolve);
    out.write("\x1b[?1049h\x1b[?25l");
    this.draw();
    this.#timer = setInterval(() => this.draw(), options.intervalMs ?? 250);
  }

  /** Draw one frame. */
  draw(): void {
    const size = this.options.size();
    const lines = this.options.render(size).split("\n").slice(0, Math.max(1, size.rows - 1));
    const footer = "q: back to the REPL";
    const body = lines.map((line) => `${line}\x1b[K`).join("\r\n");
    this.out.write(`\x1b[H${body}\r\n\x1b[J\x1b[${size.rows};1H\x1b[7m${footer}\x1b[0m`);
  }

  /**
   * A key typed while the view is open.
   *
   * @param key The key.
   */
  handleKey(key: Key): void {
    if (key.name === "ctrl-c" || key.name === "escape" || key.name === "eof" || key.text === "q") {
      this.close();
    }
  }

  /** Leave the view and restore the screen. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.out.write("\x1b[?25h\x1b[?1049l");
    this.#close();
  }
}
