/**
 * The corun REPL: TypeScript input, top-level await, Ctrl+C that cancels the
 * running input, and a live panel of the tasks it started. `startRepl` picks
 * the loop: interactive on a terminal (raw mode, line editor, panel; user
 * code runs in a separate evaluation process that can be restarted), or
 * line by line for piped input (no prompt, no colours, no panel; user code
 * runs in this process).
 *
 * @module
 */
import { History } from "./history.ts";
import { Output, type ReplWriter } from "./output.ts";
import type { TerminalSize } from "./panel.ts";
import { Repl } from "./repl.ts";
import { runInteractive } from "./interactive.ts";
import { runPiped } from "./piped.ts";

export type { ReplWriter } from "./output.ts";
export type { TerminalSize } from "./panel.ts";

/** The terminal the REPL runs on, when it runs on one. */
export interface ReplTerminal {
  /** Switch raw mode (keys one by one, Ctrl+C as a key) on or off. */
  setRaw(on: boolean): void;
  /** The terminal's size now. */
  size(): TerminalSize;
}

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

/**
 * Start the REPL on a terminal (interactive) or on piped input, and resolve
 * with the exit code once it ends (Ctrl+D, `.exit`, two Ctrl+C at an empty
 * prompt, or the end of piped input). Tasks still alive are cancelled first.
 *
 * @param options Terminal I/O and behaviour.
 * @returns The process exit code.
 */
export async function startRepl(options: ReplOptions = {}): Promise<number> {
  const terminal = options.terminal !== undefined ? options.terminal : defaultTerminal(options);
  const reader = options.reader ?? Deno.stdin.readable;
  if (terminal !== null) {
    const history = new History(
      options.historyFile !== undefined ? options.historyFile : History.defaultPath(),
    );
    await history.load();
    const color = options.color ?? !Deno.noColor;
    const code = await runInteractive(
      {
        out: new Output(options.writer ?? Deno.stdout, color),
        monitor: options.monitor ?? true,
        banner: options.banner ?? true,
      },
      terminal,
      reader,
      history,
    );
    await history.save();
    return code;
  }
  const repl = new Repl(options, terminal);
  await repl.open();
  if (options.banner === true) repl.out.write(repl.banner());
  await runPiped(repl, reader, options.reader === undefined);
  if (!repl.exiting) await repl.settle();
  return await repl.close();
}

function defaultTerminal(options: ReplOptions): ReplTerminal | null {
  if (options.reader !== undefined || options.writer !== undefined) return null;
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) return null;
  return {
    setRaw: (on) => Deno.stdin.setRaw(on),
    size: () => {
      try {
        return Deno.consoleSize();
      } catch {
        return { columns: 80, rows: 24 };
      }
    },
  };
}
