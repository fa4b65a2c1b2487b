/**
 * `RedisQueue`: a `Queue` that producers and consumers in many processes
 * share, on a Redis Stream and a consumer group, with at-least-once delivery.
 *
 * @module
 */
import { untilShutDown } from "../_shut_down_iterator.ts";
import { describe } from "../_validate.ts";
import { redactUrl } from "./_connection.ts";
import { QueueInstance } from "./_instance.ts";
import { QueueStream } from "./_stream.ts";
import type { Lease } from "./lease.ts";
import { type CheckedOptions, checkOptions, type RedisQueueOptions } from "./options.ts";
import type { DeadLetter, RedisQueueStats } from "./stats.ts";

/**
 * A work queue on Redis that any number of processes, on any number of
 * machines, share: `put`, `get`, `taskDone`, `join`, `shutdown`,
 * `for await` and `stats()` mean what they mean on `Queue`, so a
 * producer/consumer script moves to it by changing the line that creates
 * the queue (and awaiting `qsize()`/`stats()`, which ask the server).
 *
 * Delivery is at least once: an item leaves the queue only when its
 * consumer says it is done, with `taskDone()` (the oldest item the calling
 * task received: several consumer loops can share one instance) or
 * `lease.done()` (an item from `getLease()`, in any order). An item whose
 * consumer dies, or holds it
 * longer than `leaseMs`, goes to another consumer; after `maxDeliveries`
 * deliveries it moves to the dead-letter stream (`deadLetters()`), which
 * counts as done for `join()`.
 *
 * Cancellation: a `get()` cancelled while waiting consumes nothing (an item
 * that arrives as it is cancelled is handed back, its delivery not counted);
 * a cancelled `put()` inserts nothing (unless a consumer took the item in
 * that same instant: then it stays, never lost). A task that fails or is
 * cancelled while it holds items hands them back (that delivery counted,
 * so an item that keeps killing its task ends as a dead letter); a task
 * that returns passes them to the task that created it. `close()` hands
 * back the items this instance still holds. Each wait shows in the monitor as
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
  readonly #options: CheckedOptions;
  readonly #stream: QueueStream;
  readonly #instance: QueueInstance<T>;

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
    this.#options = checkOptions(options);
    this.#stream = new QueueStream(name, this.#options, redactUrl(new URL(this.#options.url)));
    this.#instance = new QueueInstance<T>(name, this.#options, this.#stream);
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
   * const refused = await queue.put({ when: new Date() } as never)
   *   .then(() => false, (error) => error instanceof TypeError);
   * if (!refused || (await queue.qsize()) !== 1) throw new Error("expected a TypeError");
   * ```
   */
  put(item: T): Promise<void> {
    return this.#instance.put(item);
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
    return this.#instance.getLease();
  }

  /**
   * Say an item the calling task received is done, as `Queue.taskDone()`:
   * the oldest one it holds. A task holding none finishes the oldest item of
   * its nearest ancestor task that holds one (work handed to a child task),
   * and code outside any task the oldest item received outside any task.
   * An item another task holds is never finished: with several consumer
   * loops on one instance, each loop's `taskDone()` is its own. Awaiting is
   * optional: if the acknowledgement fails, the item is delivered again
   * later (at least once).
   *
   * @returns A promise that resolves once Redis has recorded it.
   * @throws {InvalidStateError} If neither the calling task nor its
   *   ancestors (nor, at the top, code outside any task) hold an item.
   *
   * @example
   * ```ts ignore
   * import { InvalidStateError } from "@corun/corun";
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("task-done-example");
   * let refused = false;
   * try {
   *   queue.taskDone();
   * } catch (error) {
   *   refused = error instanceof InvalidStateError;
   * }
   * if (!refused) throw new Error("expected an InvalidStateError");
   * ```
   */
  taskDone(): Promise<void> {
    return this.#instance.taskDone();
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
    return this.#instance.join();
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
   * const refused = await queue.put(1).then(() => false, (e) => e instanceof QueueShutDown);
   * if (!refused) throw new Error("expected QueueShutDown");
   * ```
   */
  async shutdown(immediate: boolean = false): Promise<void> {
    await this.#instance.run(() => this.#stream.shutdown(immediate));
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
   * import assert from "node:assert/strict";
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * await using queue = new RedisQueue<number>("destroy-example");
   * await queue.shutdown();
   * await queue.destroy();
   * await queue.put(1); // open again
   * assert.equal(await queue.get(), 1);
   * await queue.taskDone();
   * ```
   */
  async destroy(): Promise<void> {
    await this.#instance.run(() => this.#stream.destroy());
    this.#instance.held.takeAll();
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
  deadLetters(count: number = 100): Promise<DeadLetter<T>[]> {
    return this.#instance.deadLetters(count);
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
  stats(): Promise<RedisQueueStats> {
    return this.#instance.stats();
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
    return untilShutDown(() => this.get());
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
   * import assert from "node:assert/strict";
   * import { QueueShutDown } from "@corun/corun";
   * import { RedisQueue } from "@corun/corun/redis";
   *
   * const queue = new RedisQueue<number>("close-example");
   * await queue.put(1);
   * await queue.get(); // held, not done
   * await queue.close(); // handed back: another consumer gets it at once
   * await assert.rejects(queue.get(), QueueShutDown);
   * await using other = new RedisQueue<number>("close-example");
   * assert.equal(await other.get(), 1);
   * await other.taskDone();
   * ```
   */
  close(): Promise<void> {
    return this.#instance.close();
  }

  /** `await using queue = new RedisQueue(...)`: `close()` at block end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
