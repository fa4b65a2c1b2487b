/**
 * The Redis side of one `RedisQueue`: its keys, the scripts that change
 * them atomically, and the connections (one for commands, a pool for
 * blocking reads). Knows nothing of tasks, leases or cancellation.
 */
import { ErrorReply } from "npm:redis@5.9.0";
import { QueueShutDown } from "../errors.ts";
import { type Client, ClientPool, closeClient, Health, openClient } from "./_connection.ts";
import { DONE, GROUP, LEASE, PUT, SHUTDOWN, STATS, TAKE, UNPUT } from "./_scripts.ts";
import { pause } from "./_wait.ts";
import type { CheckedOptions } from "./options.ts";

/** Longest single blocking read: bounds how long `close()` waits for one. */
const BLOCK_MS = 500;
/** An idle time past every lease: a handed-back item is claimable at once. */
const HANDED_BACK_IDLE_MS = 10_000_000_000;

/** An item as it comes out of the stream. */
export interface Entry {
  /** The entry's id in the stream. */
  id: string;
  /** The item, serialized. */
  payload: string;
  /** Deliveries so far, this one included. */
  deliveries: number;
}

/** The server's counters, as `STATS` returns them. */
export interface RawStats {
  /** Items not delivered yet. */
  queued: number;
  /** Items delivered and not done, per consumer. */
  inFlight: Record<string, number>;
  /** The queue's meta hash (`unfinished`, `redeliveries`, `shutdown`). */
  meta: Record<string, string>;
  /** Items in the dead-letter stream. */
  dead: number;
}

/** One queue's keys, scripts and connections. */
export class QueueStream {
  readonly #keys: { stream: string; dead: string; meta: string };
  readonly #pool: ClientPool;
  readonly #health: Health;
  #client: Promise<Client> | null = null;
  #scripts = new Map<string, string>();

  /**
   * The keys and connections of the queue `name`.
   *
   * @param name The queue's name.
   * @param options The checked options.
   * @param displayUrl The server, as shown in messages.
   */
  constructor(name: string, readonly options: CheckedOptions, displayUrl: string) {
    this.#keys = {
      stream: `corun:{${name}}:stream`,
      dead: `corun:{${name}}:dead`,
      meta: `corun:{${name}}:meta`,
    };
    this.#health = new Health(displayUrl, options.log);
    this.#pool = new ClientPool(options.url, options.connectTimeoutMs, this.#health);
  }

  /** Add an item, waiting (polling with backoff) while `maxsize` items are queued. */
  async put(payload: string, stop: AbortSignal): Promise<string> {
    const { stream, meta } = this.#keys;
    for (let delay = 5;; delay = Math.min(delay * 2, 200)) {
      stop.throwIfAborted();
      const reply = await this.#eval(PUT, [stream, meta], [String(this.options.maxsize), payload]);
      if (reply === -1) throw new QueueShutDown();
      if (typeof reply === "string") return reply;
      await pause(delay, stop);
    }
  }

  /** Remove an item a cancelled `put()` added, unless a consumer took it already. */
  async unput(id: string): Promise<void> {
    await this.#eval(UNPUT, [this.#keys.stream, this.#keys.meta], [id]);
  }

  /**
   * The next item for this consumer: one whose lease ran out, else a new
   * one, waiting for it in short blocking reads.
   *
   * @throws {QueueShutDown} Once shut down and nothing can come back.
   */
  async take(stop: AbortSignal): Promise<Entry> {
    const { consumer, leaseMs, maxDeliveries } = this.options;
    const { stream, dead, meta } = this.#keys;
    const blockMs = Math.max(1, Math.min(BLOCK_MS, Math.floor(leaseMs / 4)));
    for (;;) {
      stop.throwIfAborted();
      const [id, payload, count] = await this.#eval(TAKE, [stream, dead, meta], [
        consumer,
        String(leaseMs),
        String(maxDeliveries),
      ]) as [string, string, number];
      if (id !== "") return { id, payload, deliveries: Number(count) };
      // payload is the shutdown flag here, count the unfinished items.
      if (payload === "2" || (payload === "1" && Number(count) <= 0)) throw new QueueShutDown();
      stop.throwIfAborted();
      const reader = await this.#pool.borrow().catch(() => null);
      if (reader === null) {
        // The server went away since the main connection was made: wait, as it does.
        await pause(200, stop);
        continue;
      }
      try {
        const read = await reader.xReadGroup(GROUP, consumer, { key: stream, id: ">" }, {
          COUNT: 1,
          BLOCK: blockMs,
        });
        const entry = (read as StreamReply | null)?.[0]?.messages[0];
        if (entry) return { id: entry.id, payload: String(entry.message.v), deliveries: 1 };
      } catch (error) {
        stop.throwIfAborted();
        if (isGone(error)) await this.#ensureGroup(await this.#connected());
        else if (error instanceof ErrorReply) throw error;
        else await pause(100, stop); // the connection dropped: it reconnects
      } finally {
        this.#pool.giveBack(reader);
      }
    }
  }

  /** Finish an item: `true` if this call did (not an earlier one). */
  async done(id: string): Promise<boolean> {
    return await this.#eval(DONE, [this.#keys.stream, this.#keys.meta], [id]) === 1;
  }

  /** Start the lease over: `false` if the consumer no longer holds the item. */
  async extend(id: string, deliveries: number): Promise<boolean> {
    const args = [this.options.consumer, id, String(deliveries), "0"];
    return await this.#eval(LEASE, [this.#keys.stream], args) === 1;
  }

  /** Make a held item claimable at once, this delivery uncounted unless `counted`. */
  async handBack(id: string, deliveries: number, counted = false): Promise<void> {
    const count = String(counted ? deliveries : deliveries - 1);
    const args = [this.options.consumer, id, count, String(HANDED_BACK_IDLE_MS)];
    await this.#eval(LEASE, [this.#keys.stream], args);
  }

  /** Items put and not yet done or dead. */
  async unfinished(): Promise<number> {
    const client = await this.#connected();
    return Number(await client.hGet(this.#keys.meta, "unfinished") ?? 0);
  }

  /** Shut the queue down for every process (`immediate`: drop the queued items). */
  async shutdown(immediate: boolean): Promise<void> {
    await this.#eval(SHUTDOWN, [this.#keys.stream, this.#keys.meta], [immediate ? "1" : "0"]);
  }

  /** The server's counters. */
  async stats(): Promise<RawStats> {
    const { stream, dead, meta } = this.#keys;
    const reply = await this.#eval(STATS, [stream, dead, meta], []);
    const [queued, consumers, fields, deadCount] = reply as [number, string[], string[], number];
    return {
      queued: Number(queued),
      inFlight: pairs(consumers, Number),
      meta: pairs(fields, String),
      dead: Number(deadCount),
    };
  }

  /** The oldest `count` dead letters, as stored. */
  async deadLetters(count: number): Promise<Record<string, string>[]> {
    const client = await this.#connected();
    const entries = await client.xRange(this.#keys.dead, "-", "+", { COUNT: count });
    return entries.map(({ message }) => message as Record<string, string>);
  }

  /** Delete every key of the queue, then recreate the empty stream and group. */
  async destroy(): Promise<void> {
    const client = await this.#connected();
    await client.del([this.#keys.stream, this.#keys.dead, this.#keys.meta]);
    await this.#ensureGroup(client);
  }

  /** Close every connection; nothing may be running on them. */
  async close(): Promise<void> {
    const client = this.#client === null ? null : await this.#client.catch(() => null);
    if (client !== null) await closeClient(client);
    await this.#pool.closeAll();
  }

  /** Run a script, loading it again if the server forgot it (a restart). */
  async #eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    const client = await this.#connected();
    for (let attempt = 0;; attempt++) {
      let sha = this.#scripts.get(script);
      if (sha === undefined) {
        sha = await client.scriptLoad(script);
        this.#scripts.set(script, sha);
      }
      try {
        return await client.evalSha(sha, { keys, arguments: args });
      } catch (error) {
        const message = error instanceof Error ? error.message : "";
        if (attempt < 2 && message.startsWith("NOSCRIPT")) this.#scripts.delete(script);
        else if (attempt < 2 && isGone(error)) await this.#ensureGroup(client);
        else if (error instanceof ErrorReply || attempt >= 10) throw error;
        else await pause(Math.min(50 * 2 ** attempt, 2_000), new AbortController().signal);
      }
    }
  }

  #connected(): Promise<Client> {
    this.#client ??= openClient(this.options.url, this.options.connectTimeoutMs, this.#health)
      .then(async (client) => {
        await this.#ensureGroup(client);
        return client;
      });
    return this.#client;
  }

  async #ensureGroup(client: Client): Promise<void> {
    try {
      await client.xGroupCreate(this.#keys.stream, GROUP, "0", { MKSTREAM: true });
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("BUSYGROUP"))) throw error;
    }
  }
}

/** What a blocking `XREADGROUP` of one stream resolves with. */
type StreamReply = { messages: { id: string; message: Record<string, unknown> }[] }[];

/** The stream or its group was deleted (`destroy()`, a server restart without persistence). */
function isGone(error: unknown): boolean {
  return error instanceof Error &&
    (error.message.startsWith("NOGROUP") || error.message.startsWith("UNBLOCKED"));
}

function pairs<V>(flat: string[], convert: (text: string) => V): Record<string, V> {
  const record: Record<string, V> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]] = convert(flat[i + 1]);
  return record;
}
