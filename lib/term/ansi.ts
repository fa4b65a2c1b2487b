/**
 * The ANSI escape sequences corun writes, by name (after the names of std's
 * `cli/unstable_ansi.ts`; the bytes are the short forms terminals accept,
 * e.g. `\x1b[K` for "erase to the end of the line"). Strings only: no I/O,
 * so the core's progress line uses them too.
 *
 * @example A line redrawn in place
 * ```ts
 * import { ERASE_LINE_AFTER_CURSOR, moveCursorRight, style } from "./ansi.ts";
 *
 * const frame = `\r${style("1", "done")}${ERASE_LINE_AFTER_CURSOR}${moveCursorRight(2)}`;
 * if (frame !== "\r\x1b[1mdone\x1b[0m\x1b[K\x1b[2C") throw new Error(frame);
 * ```
 *
 * @module
 */

/** Save the cursor position (and attributes); see {@linkcode RESTORE_CURSOR}. */
export const SAVE_CURSOR = "\x1b7";
/** Restore what {@linkcode SAVE_CURSOR} saved. */
export const RESTORE_CURSOR = "\x1b8";
/** Move the cursor to the top-left corner. */
export const CURSOR_HOME = "\x1b[H";
/** Move the cursor down one line, scrolling the region up at its bottom (IND). */
export const INDEX = "\x1bD";
/** Erase from the cursor to the end of the line. */
export const ERASE_LINE_AFTER_CURSOR = "\x1b[K";
/** Erase the whole line. */
export const ERASE_LINE = "\x1b[2K";
/** Erase from the cursor to the end of the screen. */
export const ERASE_DISPLAY_AFTER_CURSOR = "\x1b[J";
/** Erase the whole screen. */
export const ERASE_DISPLAY = "\x1b[2J";
/** Show the cursor. */
export const SHOW_CURSOR = "\x1b[?25h";
/** Hide the cursor. */
export const HIDE_CURSOR = "\x1b[?25l";
/** Switch to the alternate screen (full-screen views; the shell's screen is kept). */
export const ENABLE_ALTERNATE_SCREEN = "\x1b[?1049h";
/** Back to the normal screen, as it was before {@linkcode ENABLE_ALTERNATE_SCREEN}. */
export const DISABLE_ALTERNATE_SCREEN = "\x1b[?1049l";
/** The whole screen scrolls again (undoes {@linkcode setScrollableRegion}). */
export const RESET_SCROLLABLE_REGION = "\x1b[r";
/** Reset every text attribute (colour, bold, reverse video). */
export const RESET_STYLE = "\x1b[0m";
/** SGR code: faint text. */
export const DIM = "2";
/** Reverse video (the selected row). */
export const INVERSE = "7";
/** Bold yellow (a blocked loop). */
export const WARNING = "1;33";
/** Yellow (the monitor's warnings). */
export const YELLOW = "33";

/**
 * Matches one SGR (style) sequence, to measure or strip styled text.
 *
 * @example
 * ```ts
 * import { STYLE_PATTERN } from "./ansi.ts";
 *
 * if ("\x1b[1mhi\x1b[0m".replace(STYLE_PATTERN, "") !== "hi") throw new Error();
 * ```
 */
// deno-lint-ignore no-control-regex
export const STYLE_PATTERN: RegExp = /\x1b\[[0-9;]*m/g;

/**
 * Move the cursor up `lines` lines.
 *
 * @param lines How many (the terminal's default, 1, if left out).
 * @returns The sequence.
 */
export function moveCursorUp(lines?: number): string {
  return `\x1b[${lines ?? ""}A`;
}

/**
 * Move the cursor down `lines` lines.
 *
 * @param lines How many (the terminal's default, 1, if left out).
 * @returns The sequence.
 */
export function moveCursorDown(lines?: number): string {
  return `\x1b[${lines ?? ""}B`;
}

/**
 * Move the cursor right `columns` columns.
 *
 * @param columns How many (the terminal's default, 1, if left out).
 * @returns The sequence.
 */
export function moveCursorRight(columns?: number): string {
  return `\x1b[${columns ?? ""}C`;
}

/**
 * Move the cursor to `line` and `column` (both from 1).
 *
 * @param line The line.
 * @param column The column.
 * @returns The sequence.
 */
export function setCursorPosition(line = 1, column = 1): string {
  return `\x1b[${line};${column}H`;
}

/**
 * Only lines `top` to `bottom` (from 1) scroll; see {@linkcode RESET_SCROLLABLE_REGION}.
 *
 * @param top The first line of the region.
 * @param bottom Its last line.
 * @returns The sequence.
 */
export function setScrollableRegion(top: number, bottom: number): string {
  return `\x1b[${top};${bottom}r`;
}

/**
 * The SGR (style) sequence for `code`.
 *
 * @param code SGR parameters, e.g. `"0;33"`.
 * @returns The sequence.
 */
export function sgr(code: string): string {
  return `\x1b[${code}m`;
}

/**
 * `text` in the SGR style `code` (e.g. {@linkcode WARNING}), then reset.
 *
 * @param code SGR parameters, e.g. `"1;33"`.
 * @param text The text.
 * @returns The styled text.
 */
export function style(code: string, text: string): string {
  return `\x1b[${code}m${text}${RESET_STYLE}`;
}
