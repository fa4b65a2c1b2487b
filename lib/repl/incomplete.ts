/**
 * Is this input finished, or should the REPL ask for another line? A small
 * scanner that follows brackets, strings, template literals, comments and
 * regular expressions; an input is incomplete while a bracket, a template or
 * a block comment is open, or when it ends with an operator that needs a
 * right-hand side. Anything else is complete, errors included: evaluating it
 * reports the error.
 *
 * @module
 */

/** Characters after which `/` starts a regular expression, not a division. */
const REGEX_AFTER = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const REGEX_AFTER_WORDS =
  /(?:^|[^\w$])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;
/** Trailing tokens that cannot end a statement. */
const OPERATOR_CHARS = "=+-*/%&|^<,.?:";
const TRAILING_WORD = /(?:^|[^\w$.])(?:new|typeof|await|in|of|instanceof|extends|yield)$/;

/**
 * Whether `source` needs more lines before it can be evaluated.
 *
 * @param source The lines typed so far, joined with `\n`.
 * @returns `true` to ask for a continuation line.
 */
export function isIncomplete(source: string): boolean {
  const brackets: string[] = [];
  let i = 0;
  let last = ""; // last significant character outside strings and comments
  let lastWordEnd = -1;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      if (end === -1) break;
      i = end;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end === -1) return true;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipString(source, i, c);
      if (i === -1) return false; // unterminated: an error, not a continuation
      last = c;
      continue;
    }
    if (c === "`") {
      brackets.push("`");
      i++;
      i = scanTemplate(source, i, brackets);
      if (i === -1) return true;
      last = "`";
      continue;
    }
    if (c === "/" && startsRegex(last, source, lastWordEnd, i)) {
      i = skipRegex(source, i);
      if (i === -1) return false;
      last = "/r";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") brackets.push(c);
    else if (c === ")" || c === "]" || c === "}") {
      const open = brackets.pop();
      if (open === "`") {
        // the `}` closing a `${` of a template: continue inside the template
        i = scanTemplate(source, i + 1, brackets);
        if (i === -1) return true;
        last = "`";
        continue;
      }
      if (open === undefined) return false; // too many closers: an error
    }
    if (!/\s/.test(c)) {
      last = c;
      if (/[\w$]/.test(c)) lastWordEnd = i + 1;
    }
    i++;
  }
  if (brackets.length > 0) return true;
  if (last === "/r" || last === '"' || last === "'" || last === "`") return false;
  const trimmed = stripTrailingComment(source).trimEnd();
  if (trimmed.endsWith("\\")) return true;
  if (trimmed.endsWith("++") || trimmed.endsWith("--")) return false;
  if ((last !== "" && OPERATOR_CHARS.includes(last)) || trimmed.endsWith("=>")) return true;
  return TRAILING_WORD.test(trimmed);
}

function skipString(source: string, i: number, quote: string): number {
  for (let j = i + 1; j < source.length; j++) {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === quote) return j + 1;
    else if (c === "\n") return -1;
  }
  return -1;
}

/**
 * Scan template text from `i` until its closing backtick (popping the "`"
 * marker) or a `${` (pushing "`" again so the matching `}` resumes it).
 * Returns the index after the stop, or -1 if the input ends first.
 */
function scanTemplate(source: string, i: number, brackets: string[]): number {
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === "`") {
      brackets.pop();
      return j + 1;
    } else if (c === "$" && source[j + 1] === "{") {
      return j + 2; // "`" stays on the stack and stands for the open `${`
    }
  }
  return -1;
}

function startsRegex(last: string, source: string, lastWordEnd: number, i: number): boolean {
  if (last === "") return true;
  if (REGEX_AFTER.has(last)) return true;
  if (lastWordEnd === -1) return false;
  const before = source.slice(0, i).trimEnd();
  return before.length === lastWordEnd && REGEX_AFTER_WORDS.test(before);
}

function skipRegex(source: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < source.length; j++) {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === "\n") return -1;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return j + 1;
  }
  return -1;
}

function stripTrailingComment(source: string): string {
  const lines = source.split("\n");
  const lastLine = lines[lines.length - 1];
  const index = lastLine.indexOf("//");
  if (index !== -1 && !/["'`]/.test(lastLine.slice(0, index))) {
    lines[lines.length - 1] = lastLine.slice(0, index);
  }
  return lines.join("\n");
}
