/**
 * "Task exception was never retrieved": a task failed and nobody asked for
 * its error. Inside a `run` the run reports them when it ends; outside any run
 * the report comes when the task is garbage-collected, as in asyncio.
 */

interface Unretrieved {
  name: string;
  id: number;
  error: unknown;
}

const collected = new FinalizationRegistry<Unretrieved>(printUnretrieved);

/** Report `error` of a task on stderr. */
export function printUnretrieved({ name, id, error }: Unretrieved): void {
  const detail = error instanceof Error
    ? (error.stack ?? `${error.name}: ${error.message}`)
    : String(error);
  console.error(`Task exception was never retrieved\n  task: ${name} (id ${id})\n${detail}`);
}

/** Report the error when `task` is collected, unless `unwatch` comes first. */
export function watchUntilCollected(task: object, entry: Unretrieved): void {
  collected.register(task, entry, task);
}

/** The error was retrieved after all. */
export function unwatch(task: object): void {
  collected.unregister(task);
}
