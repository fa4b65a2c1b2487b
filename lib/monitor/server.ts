/**
 * `serveMonitor`: the live web dashboard and its JSON/SSE API, loopback only.
 *
 * @module
 */
import {
  addTaskListener,
  finishedTasks,
  type TaskEvent,
  type TaskInfo,
} from "../runtime/registry.ts";
import { allTasks, type Task } from "../task.ts";
import { snapshot, taskInfo } from "./snapshot.ts";
import { DASHBOARD_HTML } from "./dashboard_html.ts";
import { isLoopbackHost, json, parseTaskPath, tokensEqual } from "./_http.ts";

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
}

/** A running monitor server, from {@linkcode serveMonitor}. */
export interface MonitorServer extends AsyncDisposable {
  /** The base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The dashboard URL with the token in its fragment, so its cancel buttons work. */
  readonly dashboardUrl: string;
  /** The port it listens on. */
  readonly port: number;
  /** The bearer token `POST /api/tasks/<id>/cancel` needs. */
  readonly token: string;
  /** Stop serving: ends every event stream and closes the listener. */
  close(): Promise<void>;
}

/** The body of `GET /api/tasks` and of the first `/api/events` event. */
interface TasksBody {
  now: number;
  timeOrigin: number;
  tasks: TaskInfo[];
}

/**
 * Serve the live dashboard and the task API on a loopback address:
 *
 * - `GET /`: the dashboard (task table, tree and timeline, updated live, a
 *   cancel button per task); no external assets, works offline. Open
 *   `dashboardUrl` (it carries the token) to use the cancel buttons.
 * - `GET /api/tasks`: `{ now, timeOrigin, tasks: TaskInfo[] }` (`now` is the
 *   server's `performance.now()`; ages are `now - createdAt`).
 * - `GET /api/events`: Server-Sent Events. `snapshot` first (same body as
 *   `/api/tasks`), then `update` events `{ now, tasks }` carrying only the
 *   tasks that changed, at most every `intervalMs`. Of the tasks that both
 *   started and finished since the last update, only the last 1,000 are
 *   sent (the dashboard keeps no more finished tasks than that).
 * - `POST /api/tasks/<id>/cancel` with `Authorization: Bearer <token>`:
 *   cancels the task (`200 {"cancelled": true}`), `401` without the token,
 *   `404` for an unknown task, `409` for a finished one.
 *
 * Every request whose `Host` header is not a loopback name gets `403`, which
 * stops DNS-rebinding pages from reading the API.
 *
 * @param options `hostname`, `port` and `intervalMs`.
 * @returns The running server; `await using` closes it.
 * @throws {RangeError} If `hostname` is not a loopback address, or `port` or
 *   `intervalMs` is out of range.
 *
 * @example Reading the API
 * ```ts
 * import { createTask, sleep } from "@corun/corun";
 * import { serveMonitor } from "@corun/corun/monitor";
 *
 * await using server = await serveMonitor();
 * const task = createTask(() => sleep(100), { name: "visible" });
 * await sleep(5);
 * const body = await (await fetch(new URL("api/tasks", server.url))).json();
 * console.log(body.tasks.some((t: { name: string }) => t.name === "visible")); // true
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
  const token = randomToken();
  const streams = new EventStreams(intervalMs);
  const handler = (request: Request): Response => route(request, token, streams);
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({ hostname, port, onListen: resolve }, handler);
  const address = await listening;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const url = `http://${host}:${address.port}/`;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      streams.closeAll();
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
    [Symbol.asyncDispose]: close,
  };
}

function route(request: Request, token: string, streams: EventStreams): Response {
  if (!isLoopbackHost(hostOf(request.headers.get("host")))) {
    return json(403, { error: "forbidden: the monitor answers loopback hosts only" });
  }
  const { pathname } = new URL(request.url);
  const taskPath = parseTaskPath(pathname);
  if (taskPath !== null) {
    if (request.method !== "POST") return json(405, { error: "use POST" });
    const auth = request.headers.get("authorization") ?? "";
    if (!auth.startsWith("Bearer ") || !tokensEqual(auth.slice(7), token)) {
      return json(401, { error: "unauthorized: send Authorization: Bearer <token>" });
    }
    return cancelTask(taskPath);
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json(405, { error: "method not allowed" });
  }
  switch (pathname) {
    case "/":
      return new Response(DASHBOARD_HTML, {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; " +
            "style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        },
      });
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

function tasksBody(): TasksBody {
  return { now: performance.now(), timeOrigin: performance.timeOrigin, tasks: snapshot() };
}

function hostOf(header: string | null): string {
  if (header === null) return "";
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  const colon = header.lastIndexOf(":");
  return colon === -1 ? header : header.slice(0, colon);
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Finished tasks an update carries at most among those no client has seen
 * live: the dashboard keeps the last 1,000 finished tasks, so describing
 * more (100,000 tasks that ran between two updates) is work for nothing.
 */
const FINISHED_SENT = 1000;

/** The open `/api/events` streams, and the task changes waiting to be sent. */
class EventStreams {
  readonly #clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  /** Tasks with an event since the last flush (repeats included: a push is the cheapest record). */
  #changed: Task<unknown>[] = [];
  readonly #encoder = new TextEncoder();
  #unsubscribe: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #closed = false;
  /** Ids of tasks the clients were last sent as unfinished: their end is always sent. */
  readonly #sentLive = new Set<number>();

  constructor(readonly intervalMs: number) {}

  open(): Response {
    if (this.#closed) return json(503, { error: "the monitor is closing" });
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.#clients.add(controller);
        const body = tasksBody();
        for (const info of body.tasks) if (info.endedAt === undefined) this.#sentLive.add(info.id);
        controller.enqueue(this.#event("snapshot", body));
        this.#unsubscribe ??= addTaskListener(this.#taskChanged);
      },
      cancel: () => this.#drop(self),
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        "connection": "keep-alive",
      },
    });
  }

  closeAll(): void {
    this.#closed = true;
    for (const client of [...this.#clients]) {
      try {
        client.close();
      } catch {
        // Already closed by the client going away.
      }
      this.#drop(client);
    }
  }

  #drop(client: ReadableStreamDefaultController<Uint8Array>): void {
    this.#clients.delete(client);
    if (this.#clients.size !== 0) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#changed = [];
    this.#sentLive.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The task event listener: on the hot path of every task while a stream is open. */
  #taskChanged = (event: TaskEvent): void => {
    this.#changed.push(event.task);
    this.#timer ??= setTimeout(this.#flush, this.intervalMs);
  };

  #flush = (): void => {
    this.#timer = undefined;
    const changed = this.#changed;
    this.#changed = [];
    const seen = new Set<Task<unknown>>();
    const unique: Task<unknown>[] = [];
    let finished = 0;
    for (const task of changed) {
      if (seen.has(task)) continue;
      seen.add(task);
      unique.push(task);
      if (task.done() && !this.#sentLive.has(task.id)) finished++;
    }
    const tasks: TaskInfo[] = [];
    let skip = finished - FINISHED_SENT;
    for (const task of unique) {
      if (!task.done()) {
        this.#sentLive.add(task.id);
      } else if (!this.#sentLive.delete(task.id) && skip-- > 0) {
        continue;
      }
      tasks.push(taskInfo(task));
    }
    const chunk = this.#event("update", { now: performance.now(), tasks });
    for (const client of [...this.#clients]) {
      try {
        client.enqueue(chunk);
      } catch {
        this.#drop(client);
      }
    }
  };

  #event(name: string, data: unknown): Uint8Array {
    return this.#encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
