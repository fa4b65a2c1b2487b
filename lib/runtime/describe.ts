/**
 * The one way corun turns a value into text: argument errors, task reports,
 * the monitor, the REPL and the CLI all go through `describe`. A task may fail
 * with any JavaScript value (a null-prototype object, a revoked `Proxy`, an
 * object whose `toString`, `message` or `stack` getter throws, a 10 MB
 * string), so describing never throws, never calls `toString` or
 * `Symbol.toPrimitive`, and its output is bounded.
 */
import { isCancelledError } from "./scope_errors.ts";

/** Options for {@linkcode describe}. */
export interface DescribeOptions {
  /**
   * For an error, its stack (several lines) instead of one line.
   * @default {false}
   */
  stack?: boolean;
  /**
   * The longest description, in characters (longer ones end with `…`).
   * @default {200, or 8,000 with `stack`}
   */
  maxLength?: number;
}

/** How deep objects and arrays are shown. */
const MAX_DEPTH = 2;
/** Arrays longer than this are shown as `Array(n)`. */
const MAX_ITEMS = 60;

/**
 * A bounded description of any value. One line by default: a string in
 * quotes, `Name: message` for an error, `CancelledError(reason): message`
 * for a cancellation, `{"a":1}` for a small plain object, `[Map]`-like for
 * other objects. With `stack`, an error's stack.
 */
export function describe(value: unknown, options: DescribeOptions = {}): string {
  const stack = options.stack === true;
  const maxLength = options.maxLength ?? (stack ? 8000 : 200);
  let text: string;
  try {
    text = stack ? describeStack(value, maxLength) : render(value, maxLength, 0);
  } catch {
    text = `[${typeof value}]`;
  }
  return clip(text, maxLength);
}

function describeStack(value: unknown, maxLength: number): string {
  if (!isError(value)) return render(value, maxLength, 0);
  const stack = read(value, "stack");
  if (typeof stack === "string" && stack !== "") return clip(stack, maxLength);
  return errorLine(value as object, maxLength);
}

function render(value: unknown, budget: number, depth: number): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(clip(value, budget));
    case "bigint":
      return `${value}n`;
    case "symbol":
      return clip(String(value), budget);
    case "function":
      return `function ${text(read(value, "name"), budget) || "(anonymous)"}`;
    case "object":
      if (value === null) return "null";
      return renderObject(value, budget, depth);
    default:
      return String(value);
  }
}

function renderObject(value: object, budget: number, depth: number): string {
  try {
    Array.isArray(value);
  } catch {
    return "[revoked Proxy]"; // the only object that Array.isArray throws on
  }
  if (isError(value)) return errorLine(value, budget);
  if (read(value, Symbol.toStringTag) === "Task") {
    return `Task(${text(read(value, "name"), budget)})`;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return `Array(${value.length})`;
    if (depth >= MAX_DEPTH) return value.length === 0 ? "[]" : "[…]";
    return join("[", value.length, "]", budget, (i) => render(read(value, i), budget, depth + 1));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) {
    const keys = Object.keys(value);
    if (depth >= MAX_DEPTH) return keys.length === 0 ? "{}" : "{…}";
    return join(
      "{",
      keys.length,
      "}",
      budget,
      (i) =>
        `${JSON.stringify(clip(keys[i], budget))}:${
          render(read(value, keys[i]), budget, depth + 1)
        }`,
    );
  }
  const name = text(read(read(proto, "constructor"), "name"), 60);
  if (value instanceof Map) return `${name || "Map"}(${read(value, "size")})`;
  if (value instanceof Set) return `${name || "Set"}(${read(value, "size")})`;
  return `[${name || "object"}]`;
}

/** `[a,b]` or `{"k":v}`, stopping once `budget` characters are used. */
function join(
  open: string,
  count: number,
  close: string,
  budget: number,
  item: (index: number) => string,
): string {
  let out = open;
  for (let i = 0; i < count; i++) {
    if (out.length >= budget) return `${out}…`;
    if (i > 0) out += ",";
    out += item(i);
  }
  return out + close;
}

/** `Name: message` on one line, or `CancelledError(reason): message`. */
function errorLine(error: object, maxLength: number): string {
  const message = oneLine(text(read(error, "message"), maxLength));
  if (isCancelledError(error)) {
    return `CancelledError(${text(read(error, "reason"), 20)})${message ? `: ${message}` : ""}`;
  }
  const name = oneLine(text(read(error, "name"), 100)) || "Error";
  return message ? `${name}: ${message}` : name;
}

function isError(value: unknown): boolean {
  const isErrorFn = (Error as { isError?: (value: unknown) => boolean }).isError;
  try {
    return isErrorFn !== undefined ? isErrorFn(value) : value instanceof Error;
  } catch {
    return false;
  }
}

/** `object[key]`, or `undefined` if reading it throws (a getter, a revoked proxy). */
function read(object: unknown, key: PropertyKey): unknown {
  try {
    return (object as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A property as text: strings as they are, other primitives converted, objects dropped. */
function text(value: unknown, maxLength: number): string {
  if (typeof value === "string") return clip(value, maxLength);
  if (value === undefined || value === null) return "";
  if (typeof value === "object" || typeof value === "function") return "";
  return String(value);
}

function oneLine(value: string): string {
  return value.includes("\n") ? value.replace(/\s*\n\s*/g, " ").trim() : value;
}

/**
 * At most `maxLength` characters, never splitting a surrogate pair. A cut
 * string is copied: V8 makes a slice point into the whole string, so a kept
 * description would keep a 10 MB message alive.
 */
function clip(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  let end = Math.max(0, maxLength - 1);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return JSON.parse(JSON.stringify(`${value.slice(0, end)}…`));
}
