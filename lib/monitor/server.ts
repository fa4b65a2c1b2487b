/**
 * `serveMonitor`: the live web dashboard and its JSON/SSE API, loopback only.
 *
 * @module
 */
import {
  allTasks,
  finishedCounts,
  finishedTasks,
  type TaskInfo,
  unretrievedFinished,
} from "../runtime/mod.ts";
import { recentLoopBlocks } from "../debug.ts";
import { recentTasks, snapshot, taskInfo } from "./snapshot.ts";
import { type TaskWarning, taskWarnings } from "./warnings.ts";
import { DASHBOARD_FINISHED, DASHBOARD_HTML } from "./dashboard_html.ts";
import { EventStreams } from "./_event_streams.ts";
import {
  hostHeader,
  isLoopbackHost,
  json,
  parseTaskPath,
  requestTarget,
  tokensEqual,
} from "./_http.ts";

/** Options for {@linkcode serveMonitor}. */
export interface ServeMonitorOptions {
  /**
   * The address to bind: a loopback address only (`127.0.0.1`, `::1` or
   * `localhost`).
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * The port; `0` picks a free one.
   * @default {0}
   */
  port?: number;
  /**
   * How often, at most, `/api/events` sends the tasks that changed
   * (milliseconds).
   * @default {100}
   */
  intervalMs?: number;
  /**
   * What may be queued for one `/api/events` client that does not read
   * (bytes). Past it the client misses updates and gets a fresh snapshot
   * when it reads again.
   * @default {262144}
   */
  streamBufferBytes?: number;
  /**
   * How long a client may stay past `streamBufferBytes` before it is
   * disconnected (milliseconds).
   * @default {5000}
   */
  streamStallMs?: number;
  /**
   * How many `/api/events` streams may be open at once; more get `503`.
   * @default {16}
   */
  maxStreams?: number;
}

/** Options of {@linkcode MonitorServer.close}. */
export interface CloseOptions {
  /**
   * Why it closes, sent to open dashboards in the `end` event (they show
   * `<reason> at <time>`).
   * @default {"monitor closed"}
   */
  reason?: string;
}

/** A running monitor server, from {@linkcode serveMonitor}. */
export interface MonitorServer extends AsyncDisposable {
  /** The base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The dashboard URL with the token in its fragment, so its cancel buttons work. */
  readonly dashboardUrl: string;
  /** The port it listens on. */
  readonly port: number;
  /** The bearer token every `/api/` endpoint needs. */
  readonly token: string;
  /**
   * Stop serving: sends open event streams an `end` event with the final
   * state of every task, ends them and closes the listener.
   *
   * @param options `reason`.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** The body of `GET /api/tasks`, and (with at most `STREAM_FINISHED` finished tasks) of the `snapshot` and `end` events. */
interface TasksBody {
  now: number;
  timeOrigin: number;
  tasks: TaskInfo[];
  /** How many finished tasks the history has forgotten. */
  dropped: number;
  warnings: TaskWarning[];
}

/**
 * Serve the live dashboard and the task API on a loopback address:
 *
 * - `GET /`: the dashboard (task table, tree and timeline, updated live, a
 *   cancel button per task); no external assets, works offline. Open
 *   `dashboardUrl` (it carries the token) to use the cancel buttons.
 * - `GET /api/tasks`: `{ now, timeOrigin, tasks: TaskInfo[], dropped,
 *   warnings }` (`now` is the server's `performance.now()`; ages are
 *   `now - createdAt`; `dropped` counts the finished tasks the history
 *   forgot; `warnings` are `taskWarnings()` of the tasks).
 * - `GET /api/events`: Server-Sent Events. `snapshot` first (the body of
 *   `/api/tasks` with only the last 1,000 finished tasks, and `omitted`: how
 *   many older ones `/api/tasks` still has), then `update` events `{ now,
 *   tasks, dropped, warnings }` carrying only the tasks that changed (of
 *   those that started and finished since the last update, the last 1,000:
 *   what the dashboard keeps), at most every `intervalMs` (and every second
 *   anyway), and `end` (same body as `snapshot`, plus `reason`
 *   and `endedAt`, wall-clock milliseconds) when the server closes. A client
 *   that stops reading is bounded: past `streamBufferBytes` it misses
 *   updates and gets a fresh `snapshot` when it reads again; after
 *   `streamStallMs` behind it is disconnected. At most `maxStreams` at once.
 * - `POST /api/tasks/<id>/cancel`: cancels the task (`200 {"cancelled":
 *   true}`), `404` for an unknown task, `409` for a finished one.
 *
 * Every `/api/` endpoint needs the token: `Authorization: Bearer <token>`
 * (the scheme in any case), or `?token=<token>` for the event stream
 * (`EventSource` cannot send headers); without it, `401`. The host of every
 * request must be a loopback name, else `403`, which stops DNS-rebinding
 * pages: the raw `Host` header, and the authority of an absolute-form
 * request line when there is one. A missing or malformed host (non-ASCII,
 * empty, spaces, userinfo, a bad port) gets `400`.
 *
 * @param options `hostname`, `port` and `intervalMs`.
 * @returns The running server; `await using` closes it.
 * @throws {RangeError} If `hostname` is not a loopback address, or `port`,
 *   `intervalMs`, `streamBufferBytes`, `streamStallMs` or `maxStreams` is out
 *   of range.
 *
 * @example Reading the API
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 * import { serveMonitor } from "@corun/corun/monitor";
 *
 * await using server = await serveMonitor();
 * const task = createTask(() => sleep(100), { name: "visible" });
 * await sleep(5);
 * const response = await fetch(new URL("api/tasks", server.url), {
 *   headers: { authorization: `Bearer ${server.token}` },
 * });
 * const body = await response.json();
 * assert.ok(body.tasks.some((t: { name: string }) => t.name === "visible"));
 * task.cancel();
 * await task.catch(() => {});
 * ```
 */
export async function serveMonitor(options: ServeMonitorOptions = {}): Promise<MonitorServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  if (!isLoopbackHost(hostname)) {
    throw new RangeError(`options.hostname must be a loopback address, got ${hostname}`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`options.port must be an integer from 0 to 65535, got ${port}`);
  }
  const intervalMs = options.intervalMs ?? 100;
  if (typeof intervalMs !== "number" || !(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(`options.intervalMs must be a non-negative number, got ${intervalMs}`);
  }
  const limits = {
    intervalMs,
    bufferBytes: positive(options.streamBufferBytes, 262_144, "streamBufferBytes"),
    stallMs: positive(options.streamStallMs, 5_000, "streamStallMs"),
    maxStreams: positive(options.maxStreams, 16, "maxStreams"),
  };
  const token = randomToken();
  const streams = new EventStreams(limits, {
    snapshot: streamBody,
    extra: () => ({ dropped: finishedCounts().dropped, warnings: recentWarnings() }),
  });
  const handler = (request: Request): Response => {
    try {
      return route(request, token, streams);
    } catch {
      return json(400, { error: "bad request" });
    }
  };
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname,
    port,
    onListen: resolve,
    // A request Deno cannot parse is the client's problem: no stack on our stderr.
    onError: () => json(500, { error: "internal error" }),
  }, handler);
  const address = await listening;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const url = `http://${host}:${address.port}/`;
  // Look at the tasks every second, so that `waitingSince` (and with it the
  // long-wait warnings) is known to within a second of when a wait began.
  // An open stream looks at every task that changes anyway.
  const sampler = setInterval(() => {
    if (streams.size === 0) sampleTasks();
  }, 1000);
  let closing: Promise<void> | null = null;
  const close = (closeOptions: CloseOptions = {}): Promise<void> => {
    closing ??= (async () => {
      clearInterval(sampler);
      const reason = closeOptions.reason ?? "monitor closed";
      streams.closeAll({ ...streamBody(), reason, endedAt: Date.now() });
      await server.shutdown();
    })();
    return closing;
  };
  return {
    url,
    dashboardUrl: `${url}#token=${token}`,
    port: address.port,
    token,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}

function route(request: Request, token: string, streams: EventStreams): Response {
  const target = requestTarget(request.url);
  if (typeof target === "string") return json(400, { error: target });
  const header = hostHeader(request.headers.get("host"));
  if (typeof header === "string") return json(400, { error: header });
  // Both must name loopback: the absolute-form target (RFC 9112 §3.2.2 lets it
  // win) and the Host header, which a server cannot tell apart from Deno's
  // substitute when the two differ.
  if (!isLoopbackHost(target.host) || !isLoopbackHost(header.host)) {
    return json(403, { error: "forbidden: the monitor answers loopback hosts only" });
  }
  const { pathname, query } = target;
  if (pathname === "/") {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json(405, { error: "method not allowed" });
    }
    return new Response(DASHBOARD_HTML, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; " +
          "style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      },
    });
  }
  if (!pathname.startsWith("/api/")) return json(404, { error: `not found: ${pathname}` });
  const auth = request.headers.get("authorization") ?? "";
  // The scheme is case-insensitive (RFC 9110 §11.1).
  const bearer = /^bearer +(.*)$/i.exec(auth);
  const given = bearer !== null
    ? bearer[1]
    : pathname === "/api/events"
    ? query.get("token") ?? ""
    : "";
  if (!tokensEqual(given, token)) {
    return json(401, {
      error: "unauthorized: send Authorization: Bearer <token> (the token is in the URL printed)",
    });
  }
  const taskPath = parseTaskPath(pathname);
  if (taskPath !== null) {
    if (request.method !== "POST") return json(405, { error: "use POST" });
    return cancelTask(taskPath);
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json(405, { error: "method not allowed" });
  }
  switch (pathname) {
    case "/api/tasks":
      return json(200, tasksBody());
    case "/api/events":
      return streams.open();
    default:
      return json(404, { error: `not found: ${pathname}` });
  }
}

function cancelTask(id: number): Response {
  for (const task of allTasks()) {
    if (task.id !== id) continue;
    const cancelled = task.cancel("cancelled from the monitor");
    return json(cancelled ? 200 : 409, { cancelled });
  }
  return finishedTasks().some((entry) => entry.id === id)
    ? json(409, { error: `task ${id} has already finished` })
    : json(404, { error: `no task with id ${id}` });
}

/**
 * How many finished tasks the `snapshot` and `end` events carry at most (the
 * dashboard keeps as many); `/api/tasks` has the whole history.
 */
const STREAM_FINISHED = DASHBOARD_FINISHED;

function tasksBody(tasks: TaskInfo[] = snapshot()): TasksBody {
  const now = performance.now();
  return {
    now,
    timeOrigin: performance.timeOrigin,
    tasks,
    dropped: finishedCounts().dropped,
    warnings: warningsOf(tasks, now),
  };
}

/** The body of the `snapshot` and `end` events: bounded whatever the history's size. */
function streamBody(): TasksBody & { omitted: number } {
  const tasks = recentTasks(STREAM_FINISHED);
  const omitted = Math.max(0, finishedTasks().length - STREAM_FINISHED);
  return { ...tasksBody(tasks), omitted };
}

function warningsOf(tasks: TaskInfo[], now = performance.now()): TaskWarning[] {
  return taskWarnings(tasks, { now, loopBlocks: recentLoopBlocks() });
}

/** Past this many live tasks, the once-a-second looks are skipped (they cost O(tasks)). */
const SAMPLE_LIMIT = 10_000;

/** The live tasks and the unretrieved failures, or `null` when there are too many to look at. */
function sampleTasks(): TaskInfo[] | null {
  const live = allTasks();
  if (live.size > SAMPLE_LIMIT) return null;
  const infos: TaskInfo[] = [];
  for (const task of live) infos.push(taskInfo(task));
  for (const entry of unretrievedFinished()) infos.push(entry.info());
  return infos;
}

let cachedWarnings: { at: number; warnings: TaskWarning[] } = { at: -Infinity, warnings: [] };

/** The warnings for stream updates: recomputed at most once a second, from a bounded sample. */
function recentWarnings(): TaskWarning[] {
  const now = performance.now();
  if (now - cachedWarnings.at < 1000) return cachedWarnings.warnings;
  const infos = sampleTasks();
  cachedWarnings = {
    at: now,
    warnings: infos === null ? cachedWarnings.warnings : warningsOf(infos, now),
  };
  return cachedWarnings.warnings;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (typeof result !== "number" || !Number.isInteger(result) || result < 1) {
    throw new RangeError(`options.${name} must be a positive integer, got ${String(value)}`);
  }
  return result;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
