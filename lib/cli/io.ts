/**
 * What line-oriented commands write, passed in so tests can capture it;
 * `denoIo()` is the real process streams. `corun top` draws on the one
 * terminal type of `lib/term/terminal.ts`.
 *
 * @module
 */
import { colorWanted, writeAll } from "../term/deno_terminal.ts";

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
