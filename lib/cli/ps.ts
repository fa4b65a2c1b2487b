/**
 * `corun ps <url>`: print the task table of a process started with
 * `corun run --monitor`.
 *
 * @module
 */
import { formatTable } from "../monitor/format_table.ts";
import type { CommandSpec } from "./framework.ts";
import type { CliIo } from "./io.ts";
import { isLive } from "../monitor/_format.ts";
import { fetchTasks, monitorTarget } from "./_remote.ts";

/** The command line of `corun ps`. */
export const psSpec: CommandSpec = {
  name: "ps",
  summary: "print the tasks of a process started with --monitor",
  arguments: [{ syntax: "<url>", description: "the monitor URL it printed (with #token=...)" }],
  options: [{ flags: "-a, --all", description: "include recently finished tasks" }],
};

/**
 * Print the live tasks (all remembered ones with `all`) as a table, then the
 * monitor's warnings and, with `all`, how many finished tasks its history
 * dropped.
 *
 * @param url The monitor URL.
 * @param options `all`.
 * @param io Where the table goes.
 * @returns 0.
 * @throws {UsageError} If `url` is not an http URL.
 * @throws {CommandError} If the monitor cannot be reached.
 */
export async function ps(url: string, options: { all?: boolean }, io: CliIo): Promise<number> {
  const { now, tasks, warnings = [], dropped = 0 } = await fetchTasks(monitorTarget(url));
  const shown = options.all ? tasks : tasks.filter(isLive);
  io.out(`${formatTable(shown, { now, width: io.columns(), color: io.color })}\n`);
  if (options.all && dropped > 0) {
    io.out(`(${dropped} older finished tasks dropped from the history)\n`);
  }
  for (const warning of warnings) io.out(`warning: ${warning.message}\n`);
  return 0;
}
