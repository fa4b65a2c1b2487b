/**
 * `corun top <url>`: the tasks of a process started with
 * `corun run --monitor`, live, on the whole terminal (the shared
 * `TopView`: arrow keys select, `c` cancels, `s` sorts, `q` or Ctrl+C quits
 * and gives the terminal back as it was). With standard output not a
 * terminal it prints the table once, like `corun ps`, and ends.
 *
 * @module
 */
import type { CommandSpec } from "./framework.ts";
import type { CliIo } from "./io.ts";
import type { Terminal } from "../term/terminal.ts";
import { TopView } from "../term/top_view.ts";
import { cancelRemote, fetchTasks, monitorTarget } from "./_remote.ts";
import { ps } from "./ps.ts";

/** The command line of `corun top`. */
export const topSpec: CommandSpec = {
  name: "top",
  summary: "show the tasks of a process started with --monitor, live (q quits)",
  arguments: [{ syntax: "<url>", description: "the monitor URL it printed (with #token=...)" }],
  epilog: "Keys: up/down select a task, c cancels it, s sorts by id, age or state, q quits.\n" +
    "Without a terminal (output piped) it prints the table once, as corun ps does.",
};

/** Options of {@linkcode top}. */
export interface TopOptions {
  /**
   * How often the screen refreshes (milliseconds).
   * @default {250}
   */
  intervalMs?: number;
}

/**
 * Show the remote tasks on the whole terminal, refreshed several times a
 * second, until `q` or Ctrl+C. The alternate screen is used and always left,
 * so the shell comes back as it was. A terminal that is not interactive gets
 * one table (through `io`) instead.
 *
 * @param url The monitor URL.
 * @param terminal The terminal to draw on and read keys from.
 * @param io Where the single table goes when `terminal` is not interactive.
 * @param options `intervalMs`.
 * @returns 0 once the user quits.
 * @throws {UsageError} If `url` is not an http URL.
 * @throws {CommandError} Without a terminal, if the monitor cannot be read.
 */
export async function top(
  url: string,
  terminal: Terminal,
  io: CliIo,
  options: TopOptions = {},
): Promise<number> {
  const target = monitorTarget(url);
  if (!terminal.interactive) return await ps(url, {}, io);
  const view = new TopView(terminal, {
    title: `corun top  ${target.base.origin}`,
    read: (signal) => fetchTasks(target, signal),
    cancel: (id) => cancelRemote(target, id),
  }, { intervalMs: options.intervalMs });
  const unlisten = terminal.listen((key) => view.handleKey(key));
  try {
    await view.closed;
  } finally {
    unlisten();
    view.close();
  }
  return 0;
}
