/**
 * The full-screen top view shared by `corun top` and the REPL's `.top`: the
 * live tasks (then the latest finished ones) on the terminal's alternate
 * screen, redrawn a few times a second, with the warnings on top. The arrow
 * keys select a task, `c` cancels it, `s` changes the order (id, age,
 * state), `q`, Escape or Ctrl+C leaves. Terminal I/O, where tasks come from
 * and how one is cancelled are passed in, so the view is the same for a
 * local session and a remote monitor, and tests drive it directly.
 *
 * @module
 */
import { formatTable } from "../monitor/format_table.ts";
import { isLive } from "../monitor/_format.ts";
import type { TaskWarning } from "../monitor/warnings.ts";
import type { TaskInfo } from "../runtime/mod.ts";
import type { Terminal } from "./terminal.ts";
import {
  CURSOR_HOME,
  DISABLE_ALTERNATE_SCREEN,
  ENABLE_ALTERNATE_SCREEN,
  ERASE_DISPLAY_AFTER_CURSOR,
  ERASE_LINE_AFTER_CURSOR,
  HIDE_CURSOR,
  INVERSE,
  setCursorPosition,
  SHOW_CURSOR,
  style,
} from "./ansi.ts";

/** Where the view draws: the part of the one terminal type it needs. */
export type TopScreen = Pick<Terminal, "write" | "size" | "color">;

/** What the view shows, read at each refresh. */
export interface TopData {
  /** The clock the infos were read at (`performance.now()` of their process). */
  now: number;
  /** The tasks. */
  tasks: TaskInfo[];
  /** Warnings to show above the table. */
  warnings?: TaskWarning[];
}

/** Where tasks come from and how one is cancelled. */
export interface TopSource {
  /** One line naming what is shown, e.g. `corun top  http://127.0.0.1:8123`. */
  title: string;
  /**
   * Read the tasks; a rejection is shown as a status line, and the view goes
   * on. `signal` aborts when the view closes.
   */
  read(signal: AbortSignal): TopData | Promise<TopData>;
  /** Cancel a task; resolves with one line saying what happened. */
  cancel(id: number): string | Promise<string>;
  /** A line about the source itself (e.g. that its loop is blocked), or `""`. */
  status?(): string;
}

/** Options of {@linkcode TopView}. */
export interface TopViewOptions {
  /**
   * How often the screen refreshes (milliseconds).
   * @default {250}
   */
  intervalMs?: number;
  /**
   * What `q` does, for the footer.
   * @default {"quit"}
   */
  quitLabel?: string;
}

/** The orders `s` cycles through. */
export const SORTS = ["id", "age", "state"] as const;
/** An order of the task list. */
export type TopSort = typeof SORTS[number];

const STATE_ORDER = ["running", "waiting", "pending", "failed", "cancelled", "done"];
const QUIT_KEYS = new Set(["q", "Q", "escape", "ctrl-c", "ctrl-d", "eof"]);

/** A running top view; `closed` resolves once the user left it. */
export class TopView {
  /** Resolves when the view has been left and the screen restored. */
  readonly closed: Promise<void>;
  #close!: () => void;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #data: TopData | null = null;
  #status = "";
  #message = "";
  #sort: TopSort = "id";
  #selected: number | undefined;
  #rows: TaskInfo[] = [];
  readonly #reading = new AbortController();

  /**
   * Enter the alternate screen and start refreshing.
   *
   * @param screen Where to draw.
   * @param source The tasks and how to cancel one.
   * @param options `intervalMs`, `quitLabel`.
   */
  constructor(
    readonly screen: TopScreen,
    readonly source: TopSource,
    readonly options: TopViewOptions = {},
  ) {
    this.closed = new Promise((resolve) => this.#close = resolve);
    screen.write(ENABLE_ALTERNATE_SCREEN + HIDE_CURSOR);
    this.#refresh();
  }

  /** The order of the list now. */
  get sort(): TopSort {
    return this.#sort;
  }

  /** The id of the selected task, if any. */
  get selected(): number | undefined {
    return this.#selected;
  }

  /**
   * Handle one key (a name from {@linkcode keyName}, or the REPL's).
   *
   * @param key `up`, `down`, `c`, `s`, `q`, `escape`, `ctrl-c`, ...
   */
  handleKey(key: string): void {
    if (this.#closed) return;
    if (QUIT_KEYS.has(key)) return this.close();
    if (key === "up" || key === "k") this.#move(-1);
    else if (key === "down" || key === "j") this.#move(1);
    else if (key === "s") {
      this.#sort = SORTS[(SORTS.indexOf(this.#sort) + 1) % SORTS.length];
      this.#message = `sorted by ${this.#sort}`;
    } else if (key === "c") this.#cancelSelected();
    else return;
    this.draw();
  }

  /** Leave the view: stop refreshing and give the normal screen back. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#reading.abort();
    this.screen.write(SHOW_CURSOR + DISABLE_ALTERNATE_SCREEN);
    this.#close();
  }

  /** Draw one frame from the last data read. */
  draw(): void {
    if (this.#closed) return;
    this.screen.write(this.frame());
  }

  /**
   * The text of one frame: header, status, warnings, the live tasks, then
   * the latest finished ones that fit, and the key help at the bottom.
   *
   * @returns The escape codes and text that redraw the whole screen.
   */
  frame(): string {
    const { columns, rows } = this.screen.size();
    const width = Math.max(20, columns);
    const data = this.#data;
    const tasks = data?.tasks ?? [];
    const live = this.#order(tasks.filter(isLive));
    const finished = tasks.filter((t) => !isLive(t)).sort(byEnd).reverse();
    this.#rows = live;
    if (this.#selected !== undefined && !live.some((t) => t.id === this.#selected)) {
      this.#selected = live[0]?.id;
    }
    const clock = new Date().toLocaleTimeString("en-GB", { hour12: false });
    const head = `${this.source.title}  ${live.length} live, ${finished.length} finished  ` +
      `${clock}  sort: ${this.#sort}`;
    const status = this.#status !== ""
      ? `! ${this.#status}`
      : this.#message || (this.source.status?.() ?? "");
    const lines = [cut(head, width), cut(status, width)];
    for (const warning of (data?.warnings ?? []).slice(0, 3)) {
      lines.push(cut(`! ${warning.message}`, width));
    }
    const body = rows - 1;
    const options = { now: data?.now, width, color: this.screen.color };
    const table = formatTable(live, options).split("\n");
    const index = live.findIndex((t) => t.id === this.#selected);
    // Keep the selected row on screen.
    const room = Math.max(1, body - lines.length - 1);
    const skip = index < room ? 0 : index - room + 1;
    lines.push(table[0]);
    for (let i = 1 + skip; i < table.length && lines.length < body; i++) {
      lines.push(i - 1 === index ? style(INVERSE, table[i].padEnd(width)) : table[i]);
    }
    const left = body - lines.length - 2;
    if (left >= 2 && finished.length > 0) {
      lines.push("", "recently finished:");
      const done = formatTable(finished.slice(0, left - 1), options).split("\n");
      lines.push(...done.slice(0, left));
    }
    const quit = this.options.quitLabel ?? "quit";
    const help = `↑↓: select  c: cancel  s: sort (id/age/state)  q: ${quit}`;
    const shown = lines.slice(0, body).map((line) => `${line}${ERASE_LINE_AFTER_CURSOR}`).join(
      "\r\n",
    );
    return `${CURSOR_HOME}${shown}\r\n${ERASE_DISPLAY_AFTER_CURSOR}${setCursorPosition(rows, 1)}${
      style(INVERSE, cut(help, width))
    }`;
  }

  async #refresh(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#data = await this.source.read(this.#reading.signal);
      this.#status = "";
    } catch (error) {
      this.#status = error instanceof Error ? error.message : String(error);
    }
    if (this.#closed) return;
    this.draw();
    this.#timer = setTimeout(() => this.#refresh(), this.options.intervalMs ?? 250);
  }

  #order(live: TaskInfo[]): TaskInfo[] {
    if (this.#sort === "age") return live.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
    if (this.#sort === "state") {
      return live.sort((a, b) =>
        STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.id - b.id
      );
    }
    return live.sort((a, b) => a.id - b.id);
  }

  #move(step: number): void {
    const rows = this.#rows;
    if (rows.length === 0) return;
    const index = rows.findIndex((t) => t.id === this.#selected);
    const next = index === -1
      ? (step > 0 ? 0 : rows.length - 1)
      : Math.min(rows.length - 1, Math.max(0, index + step));
    this.#selected = rows[next].id;
  }

  #cancelSelected(): void {
    const id = this.#selected;
    if (id === undefined) {
      this.#message = "select a task with the arrow keys first";
      return;
    }
    this.#message = `cancelling task ${id}…`;
    Promise.resolve()
      .then(() => this.source.cancel(id))
      .then((line) => this.#message = line, (error) => this.#message = String(error?.message))
      .then(() => this.draw());
  }
}

function byEnd(a: TaskInfo, b: TaskInfo): number {
  return (a.endedAt ?? 0) - (b.endedAt ?? 0) || a.id - b.id;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width);
}
