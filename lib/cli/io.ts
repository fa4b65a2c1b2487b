/**
 * What commands read and write, passed in so tests can drive and capture
 * them: `CliIo` for line-oriented commands, `Terminal` for `corun top`.
 * `denoIo()` and `denoTerminal()` are the real process streams.
 *
 * @module
 */

/** Output of a line-oriented command. */
export interface CliIo {
  /** Write to standard output. */
  out(text: string): void;
  /** Write to standard error. */
  err(text: string): void;
  /** The width to format for, in columns. */
  columns(): number;
  /** Use colours. */
  color: boolean;
}

/** A full-screen terminal, for `corun top`. */
export interface Terminal {
  /** Whether it is a terminal a person looks at (else `top` prints once). */
  interactive: boolean;
  /** Write raw text (escape codes included). */
  write(text: string): void;
  /** The terminal's size. */
  size(): { columns: number; rows: number };
  /**
   * Start delivering key presses (raw mode where the terminal has one) and
   * Ctrl+C, an escape sequence (an arrow key) as one key; returns the
   * function that stops and restores the terminal mode.
   */
  listen(onKey: (key: string) => void): () => void;
  /** Use colours. */
  color: boolean;
}

const encoder = new TextEncoder();
/** One key: an escape sequence (arrows, ...) or one character. */
// deno-lint-ignore no-control-regex
const KEY = /\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|[^]/gu;

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

function colorWanted(file: { isTerminal(): boolean }): boolean {
  return file.isTerminal() && Deno.env.get("NO_COLOR") === undefined;
}

/** The process's stdout and stderr. */
export function denoIo(): CliIo {
  return {
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
    columns: () => {
      try {
        return Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 100;
      } catch {
        return 100;
      }
    },
    color: colorWanted(Deno.stdout),
  };
}

/** The process's terminal: stdout for drawing, stdin in raw mode for keys. */
export function denoTerminal(): Terminal {
  return {
    interactive: Deno.stdout.isTerminal(),
    write: (text) => writeAll(Deno.stdout, text),
    size: () => {
      try {
        return Deno.consoleSize();
      } catch {
        return { columns: 100, rows: 30 };
      }
    },
    listen(onKey) {
      const raw = Deno.stdin.isTerminal();
      if (raw) Deno.stdin.setRaw(true, { cbreak: false });
      const onSigint = () => onKey("\x03");
      Deno.addSignalListener("SIGINT", onSigint);
      const reader = Deno.stdin.readable.getReader();
      const decoder = new TextDecoder();
      let stopped = false;
      (async () => {
        while (!stopped) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const key of decoder.decode(value, { stream: true }).match(KEY) ?? []) onKey(key);
        }
      })().catch(() => {});
      return () => {
        stopped = true;
        Deno.removeSignalListener("SIGINT", onSigint);
        reader.cancel().catch(() => {});
        if (raw) Deno.stdin.setRaw(false);
      };
    },
    color: colorWanted(Deno.stdout),
  };
}
