/**
 * Syntax highlighting of the line being typed, with the colours `deno repl`
 * uses: keywords cyan, strings and templates green, numbers and `true`,
 * `false`, `null` yellow, regular expressions red, comments and `undefined`
 * grey. A small tokenizer, good enough for one line of TypeScript: it never
 * fails (an unterminated string or comment runs to the end of the line) and
 * gives one style per code point, so the editor can colour any slice of a
 * line that scrolls and keep the cursor where the characters are.
 *
 * @module
 */
import { RESET_STYLE, sgr } from "../term/ansi.ts";

/** The SGR code of each kind of token. */
const STYLES = {
  keyword: "36",
  string: "32",
  number: "33",
  regexp: "31",
  comment: "90",
} as const;

/** The style of a token: an SGR code, or `undefined` for plain text. */
export type Style = string | undefined;

const KEYWORDS = new Set([
  "abstract",
  "as",
  "async",
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "declare",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "finally",
  "for",
  "from",
  "function",
  "get",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "keyof",
  "let",
  "new",
  "of",
  "private",
  "protected",
  "public",
  "readonly",
  "return",
  "satisfies",
  "set",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "try",
  "type",
  "typeof",
  "using",
  "var",
  "void",
  "while",
  "with",
  "yield",
]);
const LITERALS = new Set(["true", "false", "null", "NaN", "Infinity"]);
/** After these words a `/` starts a regular expression, not a division. */
const BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const WORD = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/uy;
const NUMBER =
  /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?/y;

/**
 * The style of every code point of `line`.
 *
 * @param line One line of input.
 * @returns One entry per code point (`[...line]`), `undefined` where plain.
 *
 * @example Keywords cyan, numbers yellow
 * ```ts
 * import { highlight } from "./highlight.ts";
 *
 * const styles = highlight("let n = 1");
 * if (styles[0] !== "36" || styles[4] !== undefined || styles[8] !== "33") throw new Error();
 * ```
 */
export function highlight(line: string): Style[] {
  const styles: Style[] = [];
  const mark = (from: number, to: number, style: Style) => {
    for (const _ of line.slice(from, to)) styles.push(style);
  };
  /** Open template literals: the `{` depth at which each one's `${` began. */
  const templates: number[] = [];
  let depth = 0;
  let regexAllowed = true;
  let i = 0;
  const template = (from: number) => {
    // Scan template text from `from` up to the closing backtick or a `${`.
    let j = from;
    while (j < line.length && line[j] !== "`" && !(line[j] === "$" && line[j + 1] === "{")) {
      j += line[j] === "\\" ? 2 : 1;
    }
    j = Math.min(j, line.length);
    if (line[j] === "`") {
      mark(i, j + 1, STYLES.string);
      i = j + 1;
      regexAllowed = false;
    } else if (j < line.length) {
      mark(i, j + 2, STYLES.string);
      i = j + 2;
      templates.push(depth++);
      regexAllowed = true;
    } else {
      mark(i, j, STYLES.string);
      i = j;
    }
  };
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      mark(i, ++i, undefined);
      continue;
    }
    if (c === "/" && line[i + 1] === "/") {
      mark(i, line.length, STYLES.comment);
      break;
    }
    if (c === "/" && line[i + 1] === "*") {
      const end = line.indexOf("*/", i + 2);
      const to = end === -1 ? line.length : end + 2;
      mark(i, to, STYLES.comment);
      i = to;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === "\\" ? 2 : 1;
      const to = Math.min(j + 1, line.length);
      mark(i, to, STYLES.string);
      i = to;
      regexAllowed = false;
      continue;
    }
    if (c === "`") {
      template(i + 1);
      continue;
    }
    if (c === "}" && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      template(i + 1);
      continue;
    }
    if (c === "/" && regexAllowed) {
      const to = regexpEnd(line, i);
      mark(i, to, STYLES.regexp);
      i = to;
      regexAllowed = false;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = /[\d.]/.test(c) ? NUMBER.exec(line) : null;
    if (number !== null && number[0] !== ".") {
      mark(i, i + number[0].length, STYLES.number);
      i += number[0].length;
      regexAllowed = false;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(line);
    if (word !== null) {
      const text = word[0];
      const member = /\.\s*$/.test(line.slice(0, i)) && !/\.\.\.\s*$/.test(line.slice(0, i));
      const style = member
        ? undefined
        : KEYWORDS.has(text)
        ? STYLES.keyword
        : LITERALS.has(text)
        ? STYLES.number
        : text === "undefined"
        ? STYLES.comment
        : undefined;
      mark(i, i + text.length, style);
      i += text.length;
      regexAllowed = !member && BEFORE_EXPRESSION.has(text);
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") depth = Math.max(0, depth - 1);
    const char = String.fromCodePoint(line.codePointAt(i) as number);
    mark(i, i + char.length, undefined);
    i += char.length;
    regexAllowed = !/[)\]}]/.test(c);
  }
  return styles;
}

/** The index just past the regular expression literal starting at `from`. */
function regexpEnd(line: string, from: number): number {
  let inClass = false;
  let j = from + 1;
  while (j < line.length) {
    const c = line[j];
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      j++;
      while (j < line.length && /[a-z]/.test(line[j])) j++;
      return j;
    }
    j++;
  }
  return line.length;
}

/**
 * Characters with their styles as terminal text: an SGR code where the
 * style changes, a reset at the end if anything was coloured.
 *
 * @param chars Code points to show.
 * @param styles Their styles (same length).
 * @returns The text to write.
 *
 * @example A coloured number after plain text
 * ```ts
 * import { paintStyled } from "./highlight.ts";
 *
 * const text = paintStyled(["x", "1"], [undefined, "33"]);
 * if (text !== "x\x1b[0;33m1\x1b[0m") throw new Error(JSON.stringify(text));
 * ```
 */
export function paintStyled(chars: readonly string[], styles: readonly Style[]): string {
  let text = "";
  let current: Style = undefined;
  for (let i = 0; i < chars.length; i++) {
    const style = styles[i];
    if (style !== current) {
      text += style === undefined ? RESET_STYLE : sgr(`0;${style}`);
      current = style;
    }
    text += chars[i];
  }
  return current === undefined ? text : `${text}${RESET_STYLE}`;
}
