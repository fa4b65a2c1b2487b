/**
 * A one-line editor for a terminal in raw mode: cursor movement, word and
 * line kills, history (arrows, and Ctrl+R to search it backwards as bash
 * does), tab completion, syntax highlighting when the output has colours.
 * A line wider than the terminal
 * scrolls horizontally instead of wrapping, so the editor always owns exactly
 * one row: the live panel below it and the output above it never collide
 * with what is being typed. Keys are pushed in (`handleKey`) by whoever
 * reads the terminal.
 *
 * @module
 */
import type { Key } from "../term/keys.ts";
import type { History } from "./history.ts";
import { HistorySearch } from "./history_search.ts";
import { highlight, paintStyled } from "./highlight.ts";
import type { Output } from "./output.ts";
import {
  CURSOR_HOME,
  ERASE_DISPLAY,
  ERASE_LINE_AFTER_CURSOR,
  moveCursorRight,
  STYLE_PATTERN,
} from "../term/ansi.ts";

/** How reading a line ended. */
export type EditResult =
  | { kind: "line"; text: string }
  | { kind: "interrupt"; text: string }
  | { kind: "eof" };

/** Completions for the text before the cursor. */
export interface Completion {
  /** Index in the line where the completed word starts. */
  from: number;
  /** Candidate replacements for `line.slice(from, cursor)`. */
  candidates: string[];
}

/** What the editor needs from the REPL. */
export interface LineEditorOptions {
  /** Where typed lines are remembered. */
  history: History;
  /** Computes completions (may be slow: keys typed meanwhile wait). */
  complete(line: string, cursor: number): Promise<Completion>;
  /** The terminal width. */
  columns(): number;
}

/** Edits one line at a time; see the module doc. */
export class LineEditor {
  #prompt = "";
  #promptWidth = 0;
  #chars: string[] = [];
  #cursor = 0;
  #offset = 0;
  #historyIndex = -1;
  #draft: string[] = [];
  #resolve: ((result: EditResult) => void) | null = null;
  #busy = false;
  #queued: Key[] = [];
  #lastWasTab = false;
  #search: HistorySearch | null = null;
  #beforeSearch: { chars: string[]; cursor: number } | null = null;

  /**
   * An editor writing to `out`.
   *
   * @param out Where the line is drawn.
   * @param options Prompt, history and completion.
   */
  constructor(readonly out: Output, readonly options: LineEditorOptions) {}

  /** Whether a line is being edited. */
  get active(): boolean {
    return this.#resolve !== null;
  }

  /**
   * Show `prompt` and edit a line until Enter, Ctrl+C or Ctrl+D.
   *
   * @param prompt The prompt, possibly coloured.
   * @returns How the line ended.
   */
  read(prompt: string): Promise<EditResult> {
    this.#prompt = prompt;
    this.#promptWidth = prompt.replace(STYLE_PATTERN, "").length;
    this.#chars = [];
    this.#cursor = 0;
    this.#offset = 0;
    this.#historyIndex = -1;
    this.#search = null;
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.render();
    });
  }

  /**
   * Handle one key (queued while a completion is being computed).
   *
   * @param key The key.
   */
  handleKey(key: Key): void {
    if (this.#resolve === null) return;
    if (this.#busy) {
      this.#queued.push(key);
      return;
    }
    if (this.#search !== null && this.#searchKey(this.#search, key)) return this.render();
    const wasTab = this.#lastWasTab;
    this.#lastWasTab = key.name === "tab";
    switch (key.name) {
      case "char":
        this.#insert(key.text ?? "");
        break;
      case "enter":
        return this.#finish({ kind: "line", text: this.#chars.join("") }, true);
      case "ctrl-c":
        return this.#finish({ kind: "interrupt", text: this.#chars.join("") }, true);
      case "ctrl-d":
        if (this.#chars.length === 0) return this.#finish({ kind: "eof" }, true);
        this.#deleteAt(this.#cursor);
        break;
      case "eof":
        return this.#finish({ kind: "eof" }, true);
      case "backspace":
      case "ctrl-h":
        if (this.#cursor > 0) this.#deleteAt(--this.#cursor);
        break;
      case "delete":
        this.#deleteAt(this.#cursor);
        break;
      case "left":
      case "ctrl-b":
        this.#cursor = Math.max(0, this.#cursor - 1);
        break;
      case "right":
      case "ctrl-f":
        this.#cursor = Math.min(this.#chars.length, this.#cursor + 1);
        break;
      case "home":
      case "ctrl-a":
        this.#cursor = 0;
        break;
      case "end":
      case "ctrl-e":
        this.#cursor = this.#chars.length;
        break;
      case "word-left":
        this.#cursor = this.#wordStart(this.#cursor);
        break;
      case "word-right":
        while (this.#cursor < this.#chars.length && !isWord(this.#chars[this.#cursor])) {
          this.#cursor++;
        }
        while (this.#cursor < this.#chars.length && isWord(this.#chars[this.#cursor])) {
          this.#cursor++;
        }
        break;
      case "ctrl-u":
        this.#chars.splice(0, this.#cursor);
        this.#cursor = 0;
        break;
      case "ctrl-k":
        this.#chars.splice(this.#cursor);
        break;
      case "ctrl-w": {
        const start = this.#wordStart(this.#cursor);
        this.#chars.splice(start, this.#cursor - start);
        this.#cursor = start;
        break;
      }
      case "ctrl-l":
        this.out.write(CURSOR_HOME + ERASE_DISPLAY);
        break;
      case "up":
      case "ctrl-p":
        this.#recall(1);
        break;
      case "down":
      case "ctrl-n":
        this.#recall(-1);
        break;
      case "tab":
        this.#complete(wasTab);
        return;
      case "ctrl-r":
        this.#beforeSearch = { chars: this.#chars, cursor: this.#cursor };
        this.#search = new HistorySearch(this.options.history.entries);
        break;
      default:
        return;
    }
    this.render();
  }

  /** Draw the prompt and the visible part of the line; the cursor where it belongs. */
  render(): void {
    if (this.#resolve === null) return;
    const search = this.#search;
    const columns = this.options.columns();
    const searchPrompt = search === null ? "" : cutLeft(search.prompt, columns - 10);
    const prompt = search === null ? this.#prompt : this.out.paint("2", searchPrompt);
    const promptWidth = search === null ? this.#promptWidth : searchPrompt.length;
    const chars = search === null ? this.#chars : [...search.match ?? this.#chars.join("")];
    const cursor = search === null
      ? this.#cursor
      : search.match === undefined
      ? this.#cursor
      : search.position;
    const room = Math.max(8, columns - promptWidth - 1);
    if (cursor < this.#offset) this.#offset = cursor;
    if (cursor > this.#offset + room) this.#offset = cursor - room;
    const shown = chars.slice(this.#offset, this.#offset + room);
    const visible = this.out.color
      ? paintStyled(shown, highlight(chars.join("")).slice(this.#offset, this.#offset + room))
      : shown.join("");
    const column = promptWidth + cursor - this.#offset;
    this.out.write(
      `\r${prompt}${visible}${ERASE_LINE_AFTER_CURSOR}\r${
        column > 0 ? moveCursorRight(column) : ""
      }`,
    );
  }

  /**
   * A key during a reverse search. Returns `true` when the search used it;
   * otherwise the search has ended (keeping its match, except on Ctrl+C) and
   * the key is handled as usual.
   */
  #searchKey(search: HistorySearch, key: Key): boolean {
    switch (key.name) {
      case "char":
        search.type(key.text ?? "");
        return true;
      case "backspace":
      case "ctrl-h":
        search.backspace();
        return true;
      case "ctrl-r":
        search.older();
        return true;
      case "escape":
      case "ctrl-g":
        this.#endSearch(false);
        return true;
      case "ctrl-c":
        this.#endSearch(false);
        return false;
      default:
        this.#endSearch(true);
        return false;
    }
  }

  #endSearch(keepMatch: boolean): void {
    const search = this.#search;
    const before = this.#beforeSearch;
    this.#search = null;
    this.#beforeSearch = null;
    if (keepMatch && search?.match !== undefined) {
      this.#chars = [...search.match];
      this.#cursor = search.position;
      this.#historyIndex = -1;
    } else if (before !== null) {
      this.#chars = before.chars;
      this.#cursor = before.cursor;
    }
  }

  /** Erase the line being edited (to print something above it; then `render`). */
  clear(): void {
    if (this.#resolve !== null) this.out.write(`\r${ERASE_LINE_AFTER_CURSOR}`);
  }

  #finish(result: EditResult, showWhole: boolean): void {
    if (showWhole) {
      const text = this.#chars.join("");
      const painted = this.out.color ? paintStyled(this.#chars, highlight(text)) : text;
      this.out.write(
        `\r${this.#prompt}${painted}${
          result.kind === "interrupt" ? "^C" : ""
        }${ERASE_LINE_AFTER_CURSOR}\n`,
      );
    }
    const resolve = this.#resolve;
    this.#resolve = null;
    this.#queued = [];
    resolve?.(result);
  }

  #insert(text: string): void {
    const chars = [...text];
    this.#chars.splice(this.#cursor, 0, ...chars);
    this.#cursor += chars.length;
  }

  #deleteAt(index: number): void {
    if (index < this.#chars.length) this.#chars.splice(index, 1);
  }

  #wordStart(from: number): number {
    let i = from;
    while (i > 0 && !isWord(this.#chars[i - 1])) i--;
    while (i > 0 && isWord(this.#chars[i - 1])) i--;
    return i;
  }

  #recall(direction: 1 | -1): void {
    const entries = this.options.history.entries;
    const index = this.#historyIndex + direction;
    if (index < -1 || index >= entries.length) return;
    if (this.#historyIndex === -1) this.#draft = this.#chars;
    this.#historyIndex = index;
    this.#chars = index === -1 ? this.#draft : [...entries[entries.length - 1 - index]];
    this.#cursor = this.#chars.length;
  }

  #complete(listIfStuck: boolean): void {
    const line = this.#chars.join("");
    const cursor = this.#chars.slice(0, this.#cursor).join("").length;
    this.#busy = true;
    this.options.complete(line, cursor).catch(() => ({ from: cursor, candidates: [] })).then(
      ({ from, candidates }) => {
        this.#busy = false;
        if (this.#resolve === null) return;
        const typed = line.slice(from, cursor);
        const prefix = commonPrefix(candidates);
        if (prefix.length > typed.length) {
          this.#insert(prefix.slice(typed.length));
        } else if (candidates.length > 1 && listIfStuck) {
          this.out.write(`\n${columnsOf(candidates, this.options.columns())}\n`);
        }
        this.render();
        const queued = this.#queued;
        this.#queued = [];
        for (const key of queued) this.handleKey(key);
      },
    );
  }
}

/** `text` cut to its last `width` characters, the cut marked with `…`. */
function cutLeft(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? "" : `…${text.slice(text.length - width + 1)}`;
}

function isWord(c: string): boolean {
  return /[\w$]/.test(c);
}

function commonPrefix(words: string[]): string {
  if (words.length === 0) return "";
  let prefix = words[0];
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** Candidates laid out in columns, at most 60 of them. */
function columnsOf(words: string[], width: number): string {
  const shown = words.slice(0, 60);
  const cell = Math.max(...shown.map((w) => w.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / cell));
  const rows: string[] = [];
  for (let i = 0; i < shown.length; i += perRow) {
    rows.push(shown.slice(i, i + perRow).map((w) => w.padEnd(cell)).join("").trimEnd());
  }
  if (words.length > shown.length) rows.push(`... ${words.length - shown.length} more`);
  return rows.join("\n");
}
