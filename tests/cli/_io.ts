/** Capturing writers for calling commands directly. */
import type { CliIo, Terminal } from "../../lib/cli/io.ts";

/** A `CliIo` that records what a command writes. */
export function captureIo(columns = 100): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    columns: () => columns,
    color: false,
  };
  return io;
}

/** A `Terminal` that records frames and lets the test press keys. */
export function fakeTerminal(columns = 80, rows = 12, interactive = true) {
  let onKey: ((key: string) => void) | null = null;
  const terminal = {
    interactive,
    written: "",
    listening: false,
    write: (text: string) => void (terminal.written += text),
    size: () => ({ columns, rows }),
    listen(callback: (key: string) => void) {
      onKey = callback;
      terminal.listening = true;
      return () => {
        onKey = null;
        terminal.listening = false;
      };
    },
    press: (key: string) => onKey?.(key),
    color: false,
  };
  return terminal satisfies Terminal & { written: string };
}
