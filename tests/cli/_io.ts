/** Capturing writers for calling commands directly. */
import type { CliIo } from "../../lib/cli/io.ts";
import type { Terminal } from "../../lib/term/terminal.ts";
import { keyName } from "../../lib/term/keys.ts";

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
    setRaw: () => {},
    listen(callback: (key: string) => void) {
      onKey = callback;
      terminal.listening = true;
      return () => {
        onKey = null;
        terminal.listening = false;
      };
    },
    /** Press a key given as the characters a terminal sends (`"\x1b[B"` is down). */
    press: (raw: string) => onKey?.(keyName(raw)),
    color: false,
  };
  return terminal satisfies Terminal & { written: string };
}
