/**
 * "Task exception was never retrieved": a task failed and nobody asked for
 * its error. Inside a `run` the run reports them when it ends; outside any run
 * the report comes when the task is garbage-collected, as in asyncio.
 */

/** A task whose error nobody retrieved. */
export interface Unretrieved {
  name: string;
  id: number;
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
  const detail = error instanceof Error
    ? (error.stack ?? `${error.name}: ${error.message}`)
    : String(error);
  return { name, id, detail };
}

function printReport({ name, id, detail }: Report): void {
  console.error(`Task exception was never retrieved\n  task: ${name} (id ${id})\n${detail}`);
}
