/**
 * `RedisQueue`: a `Queue` that producers and consumers in many processes
 * share, on a Redis Stream and a consumer group, with at-least-once delivery.
 *
 * @module
 */
import { InvalidStateError, QueueShutDown } from "../errors.ts";
import { describe } from "../_validate.ts";
import { decodeItem, encodeItem } from "./_codec.ts";
import {
  type Client,
  ClientPool,
  closeClient,
  Health,
  openClient,
  redactUrl,
} from "./_connection.ts";
import { ErrorReply } from "redis";
import { DONE, GROUP, LEASE, PUT, SHUTDOWN, STATS, TAKE, UNPUT } from "./_scripts.ts";
import { pause, waitOn } from "./_wait.ts";
import { HeldLease, type LeaseOwner } from "./_held_lease.ts";
import type { Lease } from "./lease.ts";
import { checkOptions, type RedisQueueOptions } from "./options.ts";
import type { DeadLetter, RedisQueueStats } from "./stats.ts";

/** Longest single blocking read: bounds how long `close()` waits for one. */
const BLOCK_MS = 500;
/** An idle time past every lease: a handed-back item is claimable at once. */
const HANDED_BACK_IDLE_MS = 10_000_000_000;

/**
 * A work queue on Redis that any number of processes, on any number of
 * machines, share: `put`, `get`, `taskDone`, `join`, `shutdown`,
 * `for await` and `stats()` mean what they mean on `Queue`, so a
 * producer/consumer script moves to it by changing the line that creates
 * the queue (and awaiting `qsize()`/`stats()`, which ask the server).
 *
 * Delivery is at least once: an item leaves the queue only when its
 * consumer says it is done, with `taskDone()` (the oldest item this
 * instance holds, as `Queue.taskDone()`) or `lease.done()` (an item from
 * `getLease()`, in any order). An item whose consumer dies, or holds it
 * longer than `leaseMs`, goes to another consumer; after `maxDeliveries`
 * deliveries it moves to the dead-letter stream (`deadLetters()`), which
 * counts as done for `join()`.
 *
 * Cancellation: a `get()` cancelled while waiting consumes nothing (an item
 * that arrives as it is cancelled is handed back, its delivery not counted);
 * a cancelled `put()` inserts nothing (unless a consumer took the item in
 * that same instant: then it stays, never lost). `close()` hands back the
 * items this instance still holds. Each wait shows in the monitor as
 * `redis queue <name>`.
 *
 * @example One line changed from `new Queue()`
 * ```ts ignore
 * import { createTask } from "@corun/corun";
 * import { RedisQueue } from "@corun/corun/redis";
 *
 * await using queue = new RedisQueue<number>("squares", { url: "redis://127.0.0.1:6379" });
 * const worker = createTask(async () => {
 *   let sum = 0;
 *   for await (const n of queue) {
 *     sum += n * n;
 *     await queue.taskDone();
 *   }
 *   return sum;
 * });
 * for (const n of [1, 2, 3]) await queue.put(n);
 * await queue.join();
 * await queue.shutdown();
 * if ((await worker) !== 14) throw new Error("expected 14");
 * ```
 */
export class RedisQueue<T> implements AsyncIterable<T>, AsyncDisposable {
  readonly #name: string;
  readonly #label: string;
  readonly #keys: { stream: string; dead: string; meta: string };
  readonly #options: Required<Omit<RedisQueueOptions, "url">> & { url: string };
  readonly #health: Health;
  readonly #pool: ClientPool;
  #client: Promise<Client> | null = null;
  #scripts = new Map<string, string>();
  #held: HeldLease<T>[] = [];
  #inflight = new Set<Promise<unknown>>();
  #closing = new AbortController();
  #closed: Promise<void> | null = null;

  /**
   * Create a handle on the queue `name` (nothing is sent until the first
   * call, which connects).
   *
   * @param name The queue's name: every process using it shares the items.
   * @param options Server URL, capacity, lease, dead-letter limit, ...
   * @throws {TypeError} If `name` is not a non-empty string or `url` is not
   *   a `redis://` or `rediss://` URL.
   * @throws {RangeError} If a number option is out of range.
   */
  constructor(name: string, options: RedisQueueOptions = {}) {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(`name must be a non-empty string, got ${describe(name)}`);
    }
    this.#name = name;
    this.#label = `redis queue ${name}`;
    this.#keys = {
      stream: `corun:{${name}}:stream`,
      dead: `corun:{${name}}:dead`,
      meta: `corun:{${name}}:meta`,
    };
    this.#options = checkOptions(options);
    const url = new URL(this.#options.url);
    this.#health = new Health(redactUrl(url), this.#options.log);
    this.#pool = new ClientPool(this.#options.url, this.#options.connectTimeoutMs, this.#health);
  }

  /** The queue's name. */
  get name(): string {
    return this.#name;
  }

  /** This instance's consumer name in the group. */
  get consumer(): string {
    return this.#options.consumer;
  }

  /** The capacity this instance's `put()` respects; `0` means unbounded. */
  get maxsize(): number {
    return this.#options.maxsize;
  }

  /**
   * Put an item, waiting while the queue holds `maxsize` items not yet
   * taken (whichever process put them).
   *
   * @param item A JSON value: it must come back equal after a round trip.
   * @returns A promise that resolves once the item is in the queue.
   * @throws {TypeError} If `item` cannot be encoded; nothing is written.
   * @throws {QueueShutDown} If the queue is shut down (or this instance closed).
   * @throws {CancelledError} If the task is cancelled while waiting.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<{ url: string }>("put-example");
   * await queue.put({ url: "https://example.com" });
   * try {
   *   await queue.put({ when: new Date() } as never);
   * } catch (error) {
   *   if (!(error instanceof TypeError)) throw error;
   * }
   * ```
   */
  put(item: T): Promise<void> {
    let payload: string;
    try {
      payload = encodeItem(item, "RedisQueue.put()");
    } catch (error) {
      return Promise.reject(error);
    }
    return waitOn(
      this.#label,
      (signal) => this.#track(this.#put(payload, signal)),
      (id) => void this.#track(this.#eval(UNPUT, [this.#keys.stream, this.#keys.meta], [id])),
    ).then(() => {});
  }

  /**
   * Take the next item, waiting while there is none; this instance holds it
   * until `taskDone()`.
   *
   * @returns A promise for the item.
   * @throws {QueueShutDown} Once the queue is shut down and every item put
   *   is done (or dead), so none can come back; at once after
   *   `shutdown(true)` or `close()`.
   * @throws {CancelledError} If the task is cancelled while waiting; no item
   *   is consumed.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<string>("get-example");
   * await queue.put("a");
   * if ((await queue.get()) !== "a") throw new Error();
   * await queue.taskDone();
   * ```
   */
  async get(): Promise<T> {
    return (await this.getLease()).value;
  }

  /**
   * Take the next item as a {@linkcode Lease}, to finish items in any order
   * (`lease.done()`), extend a long job or hand an item back.
   *
   * @returns A promise for the lease.
   * @throws {QueueShutDown} As `get()`.
   * @throws {CancelledError} As `get()`.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<string>("lease-example");
   * await queue.put("a");
   * const lease = await queue.getLease();
   * if (lease.value !== "a" || lease.deliveries !== 1) throw new Error();
   * await lease.done();
   * ```
   */
  getLease(): Promise<Lease<T>> {
    return waitOn(
      this.#label,
      (signal) => this.#track(this.#take(signal)),
      (lease) => void this.#track((lease as HeldLease<T>).release()),
    );
  }

  /**
   * Say the oldest item this instance holds is done, as `Queue.taskDone()`.
   * Awaiting is optional: if the acknowledgement fails, the item is
   * delivered again later (at least once).
   *
   * @returns A promise that resolves once Redis has recorded it.
   * @throws {InvalidStateError} If this instance holds no item.
   *
   * @example
   * ```ts ignore
   * import { InvalidStateError } from "@corun/corun";
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("task-done-example");
   * try {
   *   queue.taskDone();
   * } catch (error) {
   *   if (!(error instanceof InvalidStateError)) throw error;
   * }
   * ```
   */
  taskDone(): Promise<void> {
    const lease = this.#held[0];
    if (lease === undefined) {
      throw new InvalidStateError("RedisQueue.taskDone(): this consumer holds no item");
    }
    const done = lease.done();
    done.catch(() => {});
    return done;
  }

  /**
   * Wait until every item put so far, by any process, is done (or dead).
   *
   * @returns A promise that resolves when nothing is unfinished.
   * @throws {CancelledError} If the task is cancelled while waiting.
   * @throws {QueueShutDown} If this instance is closed meanwhile.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("join-example");
   * await queue.put(1);
   * setTimeout(async () => (await queue.get(), await queue.taskDone()), 5);
   * await queue.join();
   * if ((await queue.stats()).unfinished !== 0) throw new Error();
   * ```
   */
  join(): Promise<void> {
    return waitOn(this.#label, (signal) =>
      this.#track((async () => {
        const client = await this.#connected();
        const stop = this.#stopSignal(signal);
        for (let delay = 5;; delay = Math.min(delay * 2, 200)) {
          const unfinished = Number(await client.hGet(this.#keys.meta, "unfinished") ?? 0);
          if (unfinished <= 0) return;
          await pause(delay, stop);
        }
      })()));
  }

  /**
   * The number of items queued and not yet taken by any consumer.
   *
   * @returns A promise for the count.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<string>("qsize-example");
   * await queue.put("a");
   * if ((await queue.qsize()) !== 1) throw new Error();
   * ```
   */
  async qsize(): Promise<number> {
    return (await this.stats()).size;
  }

  /**
   * Shut the queue down for every process (asyncio 3.13's meaning): later
   * `put()`s throw `QueueShutDown`, and `get()` throws it once every item
   * put is done. `immediate` drops the items not yet taken, counting them
   * as done, and makes `get()` throw at once.
   *
   * @param immediate Drop the queued items too.
   * @returns A promise that resolves once Redis has recorded it.
   *
   * @example
   * ```ts ignore
   * import { QueueShutDown } from "@corun/corun";
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("shutdown-example");
   * await queue.shutdown();
   * await queue.put(1).catch((e) => {
   *   if (!(e instanceof QueueShutDown)) throw e;
   * });
   * ```
   */
  async shutdown(immediate: boolean = false): Promise<void> {
    await this.#track(this.#eval(SHUTDOWN, [this.#keys.stream, this.#keys.meta], [
      immediate ? "1" : "0",
    ]));
  }

  /**
   * Delete the queue from Redis (its items, dead letters, counters and
   * shutdown flag), to start over: a producer that runs again calls it
   * before its first `put()`. Consumers waiting meanwhile go on waiting.
   *
   * @returns A promise that resolves once the keys are gone.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("destroy-example");
   * await queue.shutdown();
   * await queue.destroy();
   * await queue.put(1); // open again
   * ```
   */
  async destroy(): Promise<void> {
    const client = await this.#connected();
    await this.#track(client.del([this.#keys.stream, this.#keys.dead, this.#keys.meta]));
    this.#held.splice(0);
    await this.#ensureGroup(client);
  }

  /**
   * The items that reached `maxDeliveries` without being done, oldest first.
   *
   * @param count At most this many.
   * @returns A promise for the dead letters.
   * @throws {RangeError} If `count` is not a positive integer.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<string>("dead-example");
   * if ((await queue.deadLetters()).length !== 0) throw new Error();
   * ```
   */
  async deadLetters(count: number = 100): Promise<DeadLetter<T>[]> {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw new RangeError(`count must be a positive integer, got ${describe(count)}`);
    }
    const client = await this.#connected();
    const entries = await client.xRange(this.#keys.dead, "-", "+", { COUNT: count });
    return entries.map(({ message }) => ({
      id: String(message.id),
      value: decodeItem<T>(String(message.v)),
      deliveries: Number(message.deliveries),
      consumer: String(message.consumer),
    }));
  }

  /**
   * A description of the shared queue, read from the server.
   *
   * @returns Queued items, items in flight per consumer, unfinished items,
   *   redeliveries, dead letters, and whether it is shut down.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("stats-example");
   * await queue.put(1);
   * await queue.get();
   * const stats = await queue.stats();
   * if (stats.inFlight[queue.consumer] !== 1 || stats.held !== 1) throw new Error();
   * ```
   */
  async stats(): Promise<RedisQueueStats> {
    const reply = await this.#eval(
      STATS,
      [this.#keys.stream, this.#keys.dead, this.#keys.meta],
      [],
    );
    const [queued, consumers, meta, dead] = reply as [number, string[], string[], number];
    const inFlight: Record<string, number> = {};
    for (let i = 0; i < consumers.length; i += 2) inFlight[consumers[i]] = Number(consumers[i + 1]);
    const fields: Record<string, string> = {};
    for (let i = 0; i < meta.length; i += 2) fields[meta[i]] = meta[i + 1];
    return {
      name: this.#name,
      size: Number(queued),
      maxsize: this.#options.maxsize,
      inFlight,
      held: this.#held.length,
      unfinished: Number(fields.unfinished ?? 0),
      redeliveries: Number(fields.redeliveries ?? 0),
      deadLetters: Number(dead),
      shutDown: fields.shutdown !== undefined,
    };
  }

  /**
   * `for await (const item of queue)`: `get()` until the queue is shut
   * down and every item is done. Call `taskDone()` for each item.
   *
   * @returns An async iterator over the items.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<string>("iterate-example");
   * await queue.put("a");
   * for await (const item of queue) {
   *   await queue.taskDone();
   *   await queue.shutdown();
   *   if (item !== "a") throw new Error();
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const iterator: AsyncIterableIterator<T> = {
      next: () =>
        this.get().then(
          (value): IteratorResult<T> => ({ value, done: false }),
          (error): IteratorResult<T> => {
            if (error instanceof QueueShutDown) return { value: undefined, done: true };
            throw error;
          },
        ),
      return: (value?: unknown) =>
        Promise.resolve({ value, done: true } as IteratorReturnResult<unknown>),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * Leave the queue (it goes on for the other processes): waiting calls of
   * this instance end with `QueueShutDown`, the items it still holds are
   * handed back, and its connections close. Later calls throw
   * `QueueShutDown`.
   *
   * @returns A promise that resolves once everything is closed.
   *
   * @example
   * ```ts ignore
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * const queue = new RedisQueue<number>("close-example");
   * await queue.put(1);
   * await queue.get(); // held, not done
   * await queue.close(); // handed back: another consumer gets it at once
   * ```
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /** `await using queue = new RedisQueue(...)`: `close()` at block end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  readonly #owner: LeaseOwner = {
    done: async (lease) => {
      this.#forget(lease);
      await this.#track(this.#eval(DONE, [this.#keys.stream, this.#keys.meta], [lease.id]));
    },
    extend: async (lease) => {
      const reply = await this.#track(this.#eval(LEASE, [this.#keys.stream], [
        this.#options.consumer,
        lease.id,
        String(lease.deliveries),
        "0",
      ]));
      return reply === 1;
    },
    release: async (lease) => {
      this.#forget(lease);
      await this.#track(this.#eval(LEASE, [this.#keys.stream], this.#handBackArgs(lease)));
    },
  };

  #handBackArgs(lease: HeldLease<unknown>): string[] {
    return [
      this.#options.consumer,
      lease.id,
      String(lease.deliveries - 1),
      String(HANDED_BACK_IDLE_MS),
    ];
  }

  async #put(payload: string, signal: AbortSignal): Promise<string> {
    const stop = this.#stopSignal(signal);
    for (let delay = 5;; delay = Math.min(delay * 2, 200)) {
      stop.throwIfAborted();
      const reply = await this.#eval(PUT, [this.#keys.stream, this.#keys.meta], [
        String(this.#options.maxsize),
        payload,
      ]);
      if (reply === -1) throw new QueueShutDown();
      if (typeof reply === "string") return reply;
      await pause(delay, stop);
    }
  }

  async #take(signal: AbortSignal): Promise<HeldLease<T>> {
    const stop = this.#stopSignal(signal);
    const { consumer, leaseMs, maxDeliveries } = this.#options;
    const blockMs = Math.max(1, Math.min(BLOCK_MS, Math.floor(leaseMs / 4)));
    for (;;) {
      stop.throwIfAborted();
      const reply = await this.#eval(
        TAKE,
        [this.#keys.stream, this.#keys.dead, this.#keys.meta],
        [consumer, String(leaseMs), String(maxDeliveries)],
      ) as [string, string, number];
      if (reply[0] !== "") return this.#hold(reply[0], reply[1], Number(reply[2]));
      if (reply[1] === "2" || (reply[1] === "1" && Number(reply[2]) <= 0)) {
        throw new QueueShutDown();
      }
      stop.throwIfAborted();
      const reader = await this.#pool.borrow();
      try {
        const read = await reader.xReadGroup(
          GROUP,
          consumer,
          { key: this.#keys.stream, id: ">" },
          { COUNT: 1, BLOCK: blockMs },
        );
        const entry = (read as StreamReply | null)?.[0]?.messages[0];
        if (entry) {
          const lease = this.#hold(entry.id, String(entry.message.v), 1);
          this.#closing.signal.throwIfAborted(); // close() hands it back
          return lease;
        }
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

  #hold(id: string, payload: string, deliveries: number): HeldLease<T> {
    const lease = new HeldLease<T>(this.#owner, id, decodeItem<T>(payload), deliveries);
    this.#held.push(lease);
    return lease;
  }

  #forget(lease: HeldLease<unknown>): void {
    const index = this.#held.indexOf(lease as HeldLease<T>);
    if (index >= 0) this.#held.splice(index, 1);
  }

  /** Run a script, loading it again if the server forgot it (a restart). */
  async #eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.#evalOn(await this.#connected(), script, keys, args);
  }

  async #evalOn(client: Client, script: string, keys: string[], args: string[]): Promise<unknown> {
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
        else if (this.#closing.signal.aborted) throw error;
        else await pause(Math.min(50 * 2 ** attempt, 2_000), this.#closing.signal);
      }
    }
  }

  #connected(): Promise<Client> {
    if (this.#closing.signal.aborted) {
      return Promise.reject(new QueueShutDown(`RedisQueue ${this.#name} is closed`));
    }
    this.#client ??= openClient(this.#options.url, this.#options.connectTimeoutMs, this.#health)
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

  #stopSignal(signal: AbortSignal): AbortSignal {
    return AbortSignal.any([signal, this.#closing.signal]);
  }

  #track<R>(promise: Promise<R>): Promise<R> {
    this.#inflight.add(promise);
    const forget = () => this.#inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async #close(): Promise<void> {
    this.#closing.abort(new QueueShutDown(`RedisQueue ${this.#name} is closed`));
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    const client = this.#client === null ? null : await this.#client.catch(() => null);
    if (client !== null) {
      const held = this.#held.splice(0);
      await Promise.allSettled(
        held.map((lease) =>
          this.#evalOn(client, LEASE, [this.#keys.stream], this.#handBackArgs(lease))
        ),
      );
      await closeClient(client);
    }
    await this.#pool.closeAll();
  }
}

/** What a blocking `XREADGROUP` of one stream resolves with. */
type StreamReply = { messages: { id: string; message: Record<string, unknown> }[] }[];

/** The stream or its group was deleted (`destroy()`, a server restart without persistence). */
function isGone(error: unknown): boolean {
  return error instanceof Error &&
    (error.message.startsWith("NOGROUP") || error.message.startsWith("UNBLOCKED"));
}
