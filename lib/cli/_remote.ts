/** Reading `/api/tasks` of a process started with `corun run --monitor`. */
import type { TaskInfo } from "../runtime/mod.ts";
import type { TaskWarning } from "../monitor/warnings.ts";
import { CommandError, UsageError } from "./errors.ts";

/** The body of `GET /api/tasks`. */
export interface RemoteTasks {
  /** The server's `performance.now()` when it answered. */
  now: number;
  /** Its tasks. */
  tasks: TaskInfo[];
  /** How many finished tasks its history dropped. */
  dropped?: number;
  /** Its warnings. */
  warnings?: TaskWarning[];
}

/** Where a monitor is, and the token it printed. */
export interface MonitorTarget {
  /** The monitor's base URL. */
  base: URL;
  /** The token from the URL's `#token=` fragment, if any. */
  token: string | null;
}

/** The monitor of a URL as printed by `corun run --monitor` (`http://...#token=...`). */
export function monitorTarget(url: string): MonitorTarget {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(`not a URL: '${url}' (expected e.g. http://127.0.0.1:8123/#token=...)`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new UsageError(`not an http URL: '${url}'`);
  }
  const token = new URLSearchParams(base.hash.slice(1)).get("token");
  return { base: new URL("/", base), token };
}

/** The URL of an API path of the monitor. */
export function apiUrl(target: MonitorTarget, path: string): URL {
  return new URL(path, target.base);
}

/** Fetch an API path with the token, or fail with one readable line. */
export async function fetchApi(
  target: MonitorTarget,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = apiUrl(target, path);
  const headers = new Headers(init.headers);
  if (target.token !== null) headers.set("authorization", `Bearer ${target.token}`);
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(5_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CommandError(`cannot reach ${url.origin}: ${reason}`);
  }
  if (response.status === 401) {
    await response.body?.cancel();
    throw new CommandError(
      `${url.origin} wants its token: use the whole URL corun run --monitor printed (…#token=…)`,
    );
  }
  return response;
}

/** Fetch the tasks, or fail with one readable line. */
export async function fetchTasks(
  target: MonitorTarget,
  signal?: AbortSignal,
): Promise<RemoteTasks> {
  const response = await fetchApi(target, "/api/tasks", { signal });
  const url = apiUrl(target, "/api/tasks");
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

/** Cancel a remote task; resolves with a one-line outcome. */
export async function cancelRemote(target: MonitorTarget, id: number): Promise<string> {
  const response = await fetchApi(target, `/api/tasks/${id}/cancel`, { method: "POST" });
  const body = await response.json().catch(() => ({}));
  return response.ok ? `cancelled task ${id}` : `task ${id}: ${body.error ?? response.status}`;
}
