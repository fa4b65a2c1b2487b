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
import { Output } from "./output.ts";
import { denoTerminal } from "../term/deno_terminal.ts";
import { Repl } from "./repl.ts";
import { runInteractive } from "./interactive.ts";
import { runPiped } from "./piped.ts";

import type { ReplOptions, ReplTerminal } from "./types.ts";

export type { ReplOptions, ReplTerminal, ReplWriter, TerminalSize } from "./types.ts";

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
  return denoTerminal({ columns: 80, rows: 24 });
}
