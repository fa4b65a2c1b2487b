/**
 * The types the REPL's parts share: its options, the terminal it runs on and
 * where it writes.
 *
 * @module
 */
import type { ReplWriter } from "./output.ts";
import type { Terminal, TerminalSize } from "../term/terminal.ts";

export type { ReplWriter, TerminalSize };

/**
 * The terminal the REPL runs on, when it runs on one: the part of the one
 * terminal type it needs (its keys come from `ReplOptions.reader`).
 */
export type ReplTerminal = Pick<Terminal, "setRaw" | "size">;

/** Options for {@linkcode startRepl}. */
export interface ReplOptions {
  /**
   * Where input comes from.
   * @default {Deno.stdin.readable}
   */
  reader?: ReadableStream<Uint8Array>;
  /**
   * Where values, command output and the prompt go.
   * @default {Deno.stdout}
   */
  writer?: ReplWriter;
  /**
   * Where errors go, for piped input (on a terminal, the evaluation
   * process's terminal carries both, and everything goes to `writer`).
   * @default {Deno.stderr}
   */
  errorWriter?: ReplWriter;
  /**
   * The terminal, for the interactive REPL; `null` for piped input (no
   * prompt, no ANSI codes, no panel).
   * @default {Deno.stdin when stdin and stdout are terminals, else null}
   */
  terminal?: ReplTerminal | null;
  /**
   * Colours (never when `NO_COLOR` is set, unless asked for explicitly).
   * @default {a terminal is used and NO_COLOR is not set}
   */
  color?: boolean;
  /**
   * The history file (created with mode 0600); `null` keeps no history.
   * @default {"~/.corun_repl_history" on a terminal, null for piped input}
   */
  historyFile?: string | null;
  /**
   * Print the banner.
   * @default {true on a terminal}
   */
  banner?: boolean;
  /**
   * Show the live panel of tasks (`.monitor on|off` switches it).
   * @default {true}
   */
  monitor?: boolean;
}
