/**
 * "Task exception was never retrieved": a task failed and nobody asked for
 * its error. Inside a `run` the run reports them when it ends; outside any run
 * the report comes when the task is garbage-collected, as in asyncio.
 */

import type { Task } from "./task.ts";
import { describe } from "./describe.ts";
import { taskInternals } from "./internals.ts";

/** A task whose error nobody retrieved. */
export interface Unretrieved {
  /** The task's name. */
  name: string;
  /** The task's id. */
  id: number;
  /** What it failed with. */
  error: unknown;
}

interface Report {
  name: string;
  id: number;
  detail: string;
}

const collected = new FinalizationRegistry<Report>(printReport);

/** Report the error of a task on stderr. */
export function printUnretrieved(entry: Unretrieved): void {
  printReport(toReport(entry));
}

/**
 * Report the error when `task` is collected, unless `unwatch` comes first.
 * Only text is kept: an error object can keep the task alive (Deno keeps
 * its call sites, with their receivers, on the error).
 */
export function watchUntilCollected(task: object, entry: Unretrieved): void {
  collected.register(task, toReport(entry), task);
}

/** The error was retrieved after all. */
export function unwatch(task: object): void {
  collected.unregister(task);
}

function toReport({ name, id, error }: Unretrieved): Report {
  return { name, id, detail: describe(error, { stack: true }) };
}

function printReport({ name, id, detail }: Report): void {
  console.error(`Task exception was never retrieved\n  task: ${name} (id ${id})\n${detail}`);
}

/** corun's own directory: frames in it are skipped when showing where a task was created. */
const LIB_DIR = new URL("..", import.meta.url).href;

/** Debug mode: list the tasks a run left unfinished, with where each was created. */
export function reportLeftovers(root: Task<unknown>, leftovers: Task<unknown>[]): void {
  const lines = leftovers.map((task) => {
    const where = taskInternals.createdStack(task)?.split("\n").map((line) => line.trim())
      .find((line) => line !== "" && !line.includes(LIB_DIR)) ?? "at an unknown place";
    return `  ${task.name} (id ${task.id}), created ${where}`;
  });
  console.error(
    `corun debug: ${leftovers.length} task(s) still unfinished when ${root.name} returned; cancelling:\n${
      lines.join("\n")
    }`,
  );
}
