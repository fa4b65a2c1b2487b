/**
 * How the REPL writes: the terminal writer abstraction, colours, and the
 * rendering of values and errors.
 *
 * @module
 */
import { describe, isCancelledError, Task, taskInternals } from "../runtime/mod.ts";
import { style, STYLE_PATTERN } from "../term/ansi.ts";

/** Something that writes bytes synchronously, like `Deno.stdout`. */
export interface ReplWriter {
  /** Write (part of) `data`; returns how many bytes were written. */
  writeSync(data: Uint8Array): number;
}

const encoder = new TextEncoder();

/** A text sink over a `ReplWriter`; writes whole strings, synchronously. */
export class Output {
  /**
   * A sink over `writer`.
   *
   * @param writer Where the text goes.
   * @param color Whether ANSI styles are written or dropped.
   */
  constructor(readonly writer: ReplWriter, readonly color: boolean) {}

  /** Write `text` completely, so one write is never interleaved. */
  write(text: string): void {
    let data = encoder.encode(text);
    while (data.length > 0) {
      const written = this.writer.writeSync(data);
      data = data.subarray(written);
    }
  }

  /** `text` in the SGR style `code` when colours are on. */
  paint(code: string, text: string): string {
    return this.color ? style(code, text) : text;
  }
}

/**
 * A value as the REPL prints it: `Deno.inspect`, except for tasks, shown by
 * name, id and state instead of their internals. The stacks of errors in it
 * (`new Error()`, a rejected promise) leave out corun's and the runtime's
 * frames.
 *
 * @param value The value of an input.
 * @param color Use ANSI colours.
 * @returns The text to print.
 */
export function formatValue(value: unknown, color: boolean): string {
  try {
    if (value instanceof Task) return describeTask(value);
    return withoutOwnFrames(Deno.inspect(value, {
      colors: color,
      depth: 4,
      iterableLimit: 100,
      strAbbreviateSize: 1000,
    }));
  } catch {
    return describe(value); // a revoked Proxy, say
  }
}

/** `Task(bg #5 waiting on sleep(2000))`. */
function describeTask(task: Task<unknown>): string {
  const info = taskInternals.info(task);
  const detail = info.waitingOn !== undefined ? ` on ${info.waitingOn}` : "";
  return `Task(${info.name} #${info.id} ${info.state}${detail})`;
}

/**
 * A thrown value as the REPL prints it: `Uncaught` and the stack, without
 * the frames of the REPL's own machinery; a `CancelledError` in one line.
 *
 * Never throws, whatever was thrown (see `describe`).
 *
 * @param error What was thrown.
 * @param prefix What to call it (`Uncaught (in promise)` for a rejection).
 * @returns The text to print (no trailing newline).
 */
export function formatError(error: unknown, prefix = "Uncaught"): string {
  if (isCancelledError(error)) return describe(error).replace(/^CancelledError\(\w+\)/, error.name);
  return `${prefix} ${cleanStack(describe(error, { stack: true }))}`;
}

/** A one-line summary of an error, for background task failures. */
export function summarizeError(error: unknown): string {
  return describe(error);
}

/** corun's own sources: their frames say nothing about the user's code. */
const LIBRARY = new URL("../", import.meta.url).href;

/**
 * An inspected value without corun's and the runtime's stack frames: below
 * the inspector call that evaluated the input, every frame is the REPL's.
 */
function withoutOwnFrames(text: string): string {
  if (!text.includes(" at ")) return text;
  let below = false;
  return text.split("\n").filter((line) => {
    const plain = line.replace(STYLE_PATTERN, "");
    if (!/^\s+at /.test(plain)) {
      below = false;
      return true;
    }
    if (/inspector\.js|node:inspector|\/lib\/repl\//.test(plain)) below = true;
    if (below) return false;
    return !/\bext:|processTicksAndRejections/.test(plain) && !plain.includes(LIBRARY);
  }).join("\n");
}

/**
 * Drop the stack frames of the REPL's own machinery (the inspector call that
 * evaluated the input and everything below it), of corun's internals and of
 * the runtime's.
 */
function cleanStack(stack: string): string {
  const kept: string[] = [];
  let frames = 0;
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) {
      kept.push(line);
      continue;
    }
    if (/inspector\.js|node:inspector|\/lib\/repl\//.test(line)) break;
    if (/\bext:|processTicksAndRejections/.test(line) || line.includes(LIBRARY)) continue;
    if (++frames <= 8) kept.push(line);
  }
  return kept.join("\n");
}
