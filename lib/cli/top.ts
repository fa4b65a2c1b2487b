/**
 * `corun top <url>`: the tasks of a process started with
 * `corun run --monitor`, live, on the whole terminal. `q` (or Ctrl+C) quits
 * and gives the terminal back as it was.
 *
 * @module
 */
import { formatTable } from "../monitor/format_table.ts";
import type { TaskInfo } from "../runtime/registry.ts";
import type { CommandSpec } from "./framework.ts";
import type { Terminal } from "./io.ts";
import { isLive } from "../monitor/_format.ts";
import { fetchTasks, type RemoteTasks, tasksUrl } from "./_remote.ts";

/** The command line of `corun top`. */
export const topSpec: CommandSpec = {
  name: "top",
  summary: "show the tasks of a process started with --monitor, live (q quits)",
  arguments: [{ syntax: "<url>", description: "the monitor URL it printed" }],
};

/** Options of {@linkcode top}. */
export interface TopOptions {
  /**
   * How often the screen refreshes (milliseconds).
   * @default {250}
   */
  intervalMs?: number;
}

const ENTER = "\x1b[?1049h\x1b[?25l";
const LEAVE = "\x1b[?25h\x1b[?1049l";
const QUIT_KEYS = new Set(["q", "Q", "\x03", "\x04"]);

/**
 * Show the remote tasks on the whole terminal, refreshed several times a
 * second, until `q` or Ctrl+C. The alternate screen is used and always left,
 * so the shell comes back as it was.
 *
 * @param url The monitor URL.
 * @param terminal The terminal to draw on and read keys from.
 * @param options `intervalMs`.
 * @returns 0 once the user quits.
 * @throws {UsageError} If `url` is not an http URL.
 */
export async function top(
  url: string,
  terminal: Terminal,
  options: TopOptions = {},
): Promise<number> {
  const target = tasksUrl(url);
  const intervalMs = options.intervalMs ?? 250;
  const { promise: quit, resolve: stop } = Promise.withResolvers<void>();
  let stopped = false;
  const unlisten = terminal.listen((key) => {
    if (QUIT_KEYS.has(key)) stop();
  });
  quit.then(() => stopped = true);
  terminal.write(ENTER);
  try {
    while (!stopped) {
      const controller = new AbortController();
      let status: string;
      let body: RemoteTasks | null = null;
      try {
        body = await Promise.race([fetchTasks(target, controller.signal), quit.then(() => null)]);
        status = "";
      } catch (error) {
        status = (error as Error).message;
      } finally {
        controller.abort();
      }
      if (stopped) break;
      terminal.write(frame(target.origin, body, status, terminal));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([quit, new Promise((resolve) => timer = setTimeout(resolve, intervalMs))]);
      clearTimeout(timer);
    }
  } finally {
    unlisten();
    terminal.write(LEAVE);
  }
  return 0;
}

/** One screenful: header, live tasks, then the latest finished ones that fit. */
export function frame(
  origin: string,
  body: RemoteTasks | null,
  status: string,
  terminal: Terminal,
): string {
  const { columns, rows } = terminal.size();
  const width = Math.max(20, columns);
  const tasks = body?.tasks ?? [];
  const live = tasks.filter(isLive);
  const finished = tasks.filter((t) => !isLive(t)).sort(byEnd).reverse();
  const clock = new Date().toLocaleTimeString("en-GB", { hour12: false });
  const head =
    `corun top  ${origin}  ${live.length} live, ${finished.length} finished  ${clock}  q: quit`;
  const lines = [cut(head, width), cut(status === "" ? "" : `! ${status}`, width)];
  const room = Math.max(1, rows - lines.length);
  const table = formatTable(live, { now: body?.now, width, color: terminal.color }).split("\n");
  lines.push(...table.slice(0, room));
  const left = rows - lines.length - 2;
  if (left >= 2 && finished.length > 0) {
    lines.push("", "recently finished:");
    const done = formatTable(finished.slice(0, left - 1), {
      now: body?.now,
      width,
      color: terminal.color,
    });
    lines.push(...done.split("\n").slice(0, left));
  }
  return `\x1b[H${lines.slice(0, rows).map((line) => `${line}\x1b[K`).join("\r\n")}\x1b[J`;
}

function byEnd(a: TaskInfo, b: TaskInfo): number {
  return (a.endedAt ?? 0) - (b.endedAt ?? 0) || a.id - b.id;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width);
}
