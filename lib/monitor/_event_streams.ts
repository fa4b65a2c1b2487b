/**
 * The open `/api/events` streams of a monitor server, each with a bounded
 * buffer: a client that stops reading first misses updates (it gets a fresh
 * snapshot once it reads again), and one that stays behind for `stallMs` is
 * disconnected. What a slow client costs is bounded in bytes and in time.
 */
import { addTaskListener, type Task, type TaskEvent, type TaskInfo } from "../runtime/mod.ts";
import { taskInfo } from "./snapshot.ts";
import { json } from "./_http.ts";
import { DASHBOARD_FINISHED } from "./dashboard_html.ts";

/** Limits of the event streams. */
export interface StreamLimits {
  /** Longest pause between two `update` events (milliseconds). */
  intervalMs: number;
  /** Bytes queued for one client beyond which it is behind. */
  bufferBytes: number;
  /** How long a client may stay behind before it is disconnected (milliseconds). */
  stallMs: number;
  /** How many streams may be open at once. */
  maxStreams: number;
}

/** Builds the bodies the streams send. */
export interface StreamBodies {
  /** The full state, for `snapshot` and `end` events. */
  snapshot(): object;
  /** Extra fields of every `update` (warnings, dropped count). */
  extra(): object;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** When it fell behind (`performance.now()`), or -1. */
  behindSince: number;
}

/** How often, while streams are open, an `update` is sent even if no task changed. */
const HEARTBEAT_MS = 1000;

/**
 * Finished tasks an update carries at most among those no client was sent
 * unfinished: the dashboard keeps the last 1,000 finished tasks, so
 * describing more (100,000 tasks that ran between two updates) is work for
 * nothing.
 */
const FINISHED_SENT = DASHBOARD_FINISHED;

/** The open `/api/events` streams, and the task changes waiting to be sent. */
export class EventStreams {
  readonly #clients = new Set<Client>();
  /** Tasks with an event since the last flush (repeats included: a push is the cheapest record). */
  #changed: Task<unknown>[] = [];
  readonly #encoder = new TextEncoder();
  #unsubscribe: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #heartbeat: ReturnType<typeof setTimeout> | undefined = undefined;
  #closed = false;
  /** The last `snapshot` event, shared by the clients that ask before the next flush. */
  #snapshot: { at: number; chunk: Uint8Array } | null = null;
  /** Ids of tasks the clients were last sent as unfinished: their end is always sent. */
  readonly #sentLive = new Set<number>();

  /**
   * No stream open yet.
   *
   * @param limits Buffer, stall and count limits.
   * @param bodies Builds what the events carry.
   */
  constructor(readonly limits: StreamLimits, readonly bodies: StreamBodies) {}

  /** How many streams are open. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * Answer `GET /api/events`: a new stream (`snapshot` first), or `503` when
   * closing or at `maxStreams`.
   *
   * @returns The response.
   */
  open(): Response {
    if (this.#closed) return json(503, { error: "the monitor is closing" });
    if (this.#clients.size >= this.limits.maxStreams) {
      return json(503, {
        error: `too many event streams open (${this.limits.maxStreams}); close a dashboard`,
      });
    }
    let client: Client;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        client = { controller, behindSince: -1 };
        this.#clients.add(client);
        controller.enqueue(this.#snapshotChunk());
        this.#unsubscribe ??= addTaskListener(this.#taskChanged);
        this.#heartbeat ??= setTimeout(this.#beat, HEARTBEAT_MS);
      },
      pull: () => {
        // It reads again: a fresh snapshot replaces what it missed.
        if (client.behindSince === -1) return;
        client.behindSince = -1;
        client.controller.enqueue(this.#snapshotChunk());
      },
      cancel: () => this.#drop(client),
    }, { highWaterMark: this.limits.bufferBytes, size: (chunk) => chunk.byteLength });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        "connection": "keep-alive",
      },
    });
  }

  /**
   * Send `end` (with the final state) to every client and end every stream;
   * a client that is behind is dropped instead.
   *
   * @param end The body of the `end` event.
   */
  closeAll(end: object): void {
    this.#closed = true;
    const chunk = this.#event("end", end);
    for (const client of [...this.#clients]) {
      try {
        if (client.behindSince === -1) {
          client.controller.enqueue(chunk);
          client.controller.close();
        } else {
          client.controller.error(new Error("the monitor closed"));
        }
      } catch {
        // Already closed by the client going away.
      }
      this.#drop(client);
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    if (this.#clients.size !== 0) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#changed = [];
    this.#snapshot = null;
    this.#sentLive.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** The task event listener: on the hot path of every task while a stream is open. */
  #taskChanged = (event: TaskEvent): void => {
    this.#changed.push(event.task);
    this.#timer ??= setTimeout(this.#flush, this.limits.intervalMs);
  };

  #beat = (): void => {
    this.#heartbeat = undefined;
    if (this.#timer === undefined) this.#flush();
    if (this.#clients.size !== 0) this.#heartbeat = setTimeout(this.#beat, HEARTBEAT_MS);
  };

  /**
   * The `snapshot` event: one encoding shared by every client that asks within
   * `intervalMs` and before the next update, so n clients joining or catching
   * up at once hold one copy, not n.
   */
  #snapshotChunk(): Uint8Array {
    const now = performance.now();
    if (this.#snapshot === null || now - this.#snapshot.at > this.limits.intervalMs) {
      this.#snapshot = { at: now, chunk: this.#snapshotEvent() };
    }
    return this.#snapshot.chunk;
  }

  #flush = (): void => {
    this.#snapshot = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const changed = this.#changed;
    this.#changed = [];
    const seen = new Set<Task<unknown>>();
    const unique: Task<unknown>[] = [];
    let unseenFinished = 0;
    for (const task of changed) {
      if (seen.has(task)) continue;
      seen.add(task);
      unique.push(task);
      if (task.done() && !this.#sentLive.has(task.id)) unseenFinished++;
    }
    // Of the tasks that started and finished since the last update, the last ones only.
    let skip = unseenFinished - FINISHED_SENT;
    const tasks: TaskInfo[] = [];
    for (const task of unique) {
      if (!task.done()) this.#sentLive.add(task.id);
      else if (!this.#sentLive.delete(task.id) && skip-- > 0) continue;
      tasks.push(taskInfo(task));
    }
    const chunk = this.#event("update", { now: performance.now(), tasks, ...this.bodies.extra() });
    const now = performance.now();
    for (const client of [...this.#clients]) this.#send(client, chunk, now);
  };

  #send(client: Client, chunk: Uint8Array, now: number): void {
    const { controller } = client;
    try {
      if ((controller.desiredSize ?? 0) > 0) {
        controller.enqueue(chunk);
        return;
      }
      if (client.behindSince === -1) client.behindSince = now;
      else if (now - client.behindSince >= this.limits.stallMs) {
        controller.error(new Error("the client stopped reading"));
        this.#drop(client);
      }
    } catch {
      this.#drop(client);
    }
  }

  /** A `snapshot` event; its unfinished tasks count as sent live. */
  #snapshotEvent(): Uint8Array {
    const body = this.bodies.snapshot() as { tasks?: TaskInfo[] };
    for (const info of body.tasks ?? []) {
      if (info.endedAt === undefined) this.#sentLive.add(info.id);
    }
    return this.#event("snapshot", body);
  }

  #event(name: string, data: unknown): Uint8Array {
    return this.#encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
