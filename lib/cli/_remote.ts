/** Reading `/api/tasks` of a process started with `corun run --monitor`. */
import type { TaskInfo } from "../runtime/registry.ts";
import { CommandError, UsageError } from "./errors.ts";

/** The body of `GET /api/tasks`. */
export interface RemoteTasks {
  /** The server's `performance.now()` when it answered. */
  now: number;
  /** Its tasks. */
  tasks: TaskInfo[];
}

/** The `/api/tasks` URL of a monitor URL (its fragment, e.g. the token, dropped). */
export function tasksUrl(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`not a URL: '${url}' (expected e.g. http://127.0.0.1:8123/)`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new UsageError(`not an http URL: '${url}'`);
  }
  return new URL("/api/tasks", base);
}

/** Fetch the tasks, or fail with one readable line. */
export async function fetchTasks(url: URL, signal?: AbortSignal): Promise<RemoteTasks> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(5_000) });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CommandError(`cannot reach ${url.origin}: ${reason}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new CommandError(`${url.href} answered ${response.status} ${response.statusText}`);
  }
  const body = await response.json().catch(() => null);
  if (body === null || !Array.isArray(body.tasks) || typeof body.now !== "number") {
    throw new CommandError(`${url.href} did not answer a corun task list`);
  }
  return body as RemoteTasks;
}
