/**
 * The process's terminal under Deno: stdout to draw on, stdin in raw mode
 * for keys (decoded by the one {@linkcode KeyDecoder}).
 *
 * @module
 */
import { KeyDecoder, nameOf } from "./keys.ts";
import type { Terminal, TerminalSize } from "./terminal.ts";

const encoder = new TextEncoder();

/**
 * Write all of `text` to `file`.
 *
 * @param file A Deno file (`Deno.stdout`, `Deno.stderr`).
 * @param text The text.
 */
export function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

/**
 * Whether output to `file` should be coloured: a terminal, `NO_COLOR` unset.
 *
 * @param file A Deno file.
 * @returns `true` to colour.
 */
export function colorWanted(file: { isTerminal(): boolean }): boolean {
  return file.isTerminal() && Deno.env.get("NO_COLOR") === undefined;
}

/**
 * The size of the process's terminal, or `fallback` where there is none.
 *
 * @param fallback The size to assume.
 * @returns The size.
 */
export function consoleSize(fallback: TerminalSize): TerminalSize {
  try {
    return Deno.consoleSize();
  } catch {
    return fallback;
  }
}

/**
 * The process's terminal: stdout for drawing, stdin in raw mode for keys.
 *
 * @param fallback The size when the process has no terminal.
 * @returns The terminal.
 */
export function denoTerminal(fallback: TerminalSize = { columns: 100, rows: 30 }): Terminal {
  return {
    interactive: Deno.stdout.isTerminal(),
    color: colorWanted(Deno.stdout),
    write: (text) => writeAll(Deno.stdout, text),
    size: () => consoleSize(fallback),
    setRaw: (on) => Deno.stdin.setRaw(on),
    listen(onKey) {
      const raw = Deno.stdin.isTerminal();
      if (raw) Deno.stdin.setRaw(true, { cbreak: false });
      const onSigint = () => onKey("ctrl-c");
      Deno.addSignalListener("SIGINT", onSigint);
      const reader = Deno.stdin.readable.getReader();
      const keys = new KeyDecoder();
      let stopped = false;
      (async () => {
        while (!stopped) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const key of keys.decode(value)) onKey(nameOf(key));
        }
      })().catch(() => {});
      return () => {
        stopped = true;
        Deno.removeSignalListener("SIGINT", onSigint);
        reader.cancel().catch(() => {});
        if (raw) Deno.stdin.setRaw(false);
      };
    },
  };
}
