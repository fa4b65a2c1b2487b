/**
 * The link between the REPL's front process (terminal, line editor, panel)
 * and its evaluation process: JSON messages, one per line, over a Unix
 * socket. The evaluation process's terminal output does not travel here: it
 * writes to its own pseudo-terminal, and the few signals that must stay in
 * order with that output (an input is done, `prompt()` wants the keyboard)
 * are in-band markers in it, see {@linkcode marker}.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import type { ProgressInfo } from "../progress.ts";

/** What the front asks of the evaluation process. */
export type Request =
  | { type: "eval"; id: number; source: string; columns: number }
  | { type: "command"; id: number; line: string; columns: number }
  | { type: "complete"; id: number; line: string; cursor: number }
  | { type: "snapshot"; id: number }
  | { type: "interrupt" }
  | { type: "close"; id: number };

/** What the evaluation process tells the front. */
export type Notice =
  | { type: "ready" }
  | {
    type: "tick";
    now: number;
    running: RunningInput | null;
    nextInput: string;
    tasks: TaskInfo[];
    progress: ProgressInfo[];
    warnings: string[];
  }
  | { type: "reply"; id: number; value: unknown };

/** The input running now, as the panel names it. */
export interface RunningInput {
  /** `input-<n>`. */
  name: string;
  /** When it started (`performance.now()` of the evaluation process). */
  startedAt: number;
}

/** The in-band marker kinds. */
export type MarkerKind =
  | "done"
  | "failed"
  | "stdin-on"
  | "stdin-off"
  | "closed"
  | "exit"
  | "holder";

/**
 * A marker the evaluation process writes to its terminal, after the output it
 * follows: an OSC sequence that terminals ignore and the front removes.
 *
 * @param nonce The session's secret, so user output cannot forge a marker.
 * @param kind What happened.
 * @param id The request it concerns.
 * @returns The bytes to write.
 *
 * @example Input 4 is done
 * ```ts
 * import { marker } from "./_channel.ts";
 *
 * if (marker("s3cret", "done", 4) !== "\x1b]7766;s3cret;done;4\x07") throw new Error();
 * ```
 */
export function marker(nonce: string, kind: MarkerKind, id = 0): string {
  return `\x1b]7766;${nonce};${kind};${id}\x07`;
}

/**
 * Splits the evaluation process's output into text and markers.
 *
 * @example A marker split across two reads
 * ```ts
 * import { marker, MarkerReader } from "./_channel.ts";
 *
 * const seen: string[] = [];
 * const reader = new MarkerReader("n", {
 *   text: (text) => seen.push(text),
 *   marker: (kind, id) => seen.push(`${kind} ${id}`),
 * });
 * const output = `42\r\n${marker("n", "done", 1)}`;
 * reader.feed(output.slice(0, 6));
 * reader.feed(output.slice(6));
 * if (seen.join("|") !== "42\r\n|done 1") throw new Error(seen.join("|"));
 * ```
 */
export class MarkerReader {
  readonly #start: string;
  #carry = "";

  /**
   * A reader for the markers of one session.
   *
   * @param nonce The session's secret.
   * @param sink Gets the text, in order, and each marker where it was.
   */
  constructor(
    nonce: string,
    readonly sink: { text(text: string): void; marker(kind: MarkerKind, id: number): void },
  ) {
    this.#start = `\x1b]7766;${nonce};`;
  }

  /**
   * Read more output (a marker may be split across calls).
   *
   * @param data The output.
   */
  feed(data: string): void {
    let text = this.#carry + data;
    this.#carry = "";
    while (text !== "") {
      const at = text.indexOf(this.#start);
      const end = at === -1 ? -1 : text.indexOf("\x07", at);
      if (end === -1) {
        const keep = at === -1 ? partialPrefix(text, this.#start) : text.length - at;
        this.#emit(text.slice(0, text.length - keep));
        this.#carry = text.slice(text.length - keep);
        return;
      }
      this.#emit(text.slice(0, at));
      const [kind, id] = text.slice(at + this.#start.length, end).split(";");
      this.sink.marker(kind as MarkerKind, Number(id));
      text = text.slice(end + 1);
    }
  }

  /** Forget a partial marker (the process that wrote it is gone). */
  reset(): void {
    this.#carry = "";
  }

  #emit(text: string): void {
    if (text !== "") this.sink.text(text);
  }
}

/** How many characters at the end of `text` could begin `marker`. */
function partialPrefix(text: string, marker: string): number {
  for (let k = Math.min(marker.length - 1, text.length); k > 0; k--) {
    if (text.endsWith(marker.slice(0, k))) return k;
  }
  return 0;
}

/** One end of the message link. */
export class Channel<In, Out> {
  readonly #conn: Deno.Conn;
  #writing: Promise<unknown> = Promise.resolve();
  #closed = false;

  /**
   * One end of the link over `conn`.
   *
   * @param conn The Unix socket connection.
   */
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /**
   * Send one message (writes are queued in order; a closed link drops them).
   *
   * @param message The message.
   */
  send(message: Out): void {
    if (this.#closed) return;
    const data = new TextEncoder().encode(`${JSON.stringify(message)}\n`);
    this.#writing = this.#writing.then(() => writeAll(this.#conn, data)).catch(() => {
      this.#closed = true;
    });
  }

  /**
   * The messages received, until the other end goes away.
   *
   * @returns An async iterator of messages.
   */
  async *messages(): AsyncGenerator<In> {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(64 * 1024);
    let rest = "";
    try {
      while (true) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        const lines = (rest + decoder.decode(buffer.subarray(0, n), { stream: true })).split("\n");
        rest = lines.pop() as string;
        for (const line of lines) if (line !== "") yield JSON.parse(line) as In;
      }
    } catch {
      // The other end went away.
    }
  }

  /** Close the link. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  while (data.length > 0) data = data.subarray(await conn.write(data));
}
