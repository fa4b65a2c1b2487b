/**
 * What one `RedisQueue` instance holds: the leases it was given and not yet
 * done, the Redis calls in flight, and how it closes (waiting calls end,
 * held items are handed back, connections close).
 *
 * @module
 */
import { InvalidStateError, QueueShutDown } from "../errors.ts";
import { currentTask } from "../runtime/mod.ts";
import { Holders } from "./_holders.ts";
import { describe } from "../_validate.ts";
import { decodeItem, encodeItem } from "./_codec.ts";
import { HeldLease, type LeaseOwner } from "./_held_lease.ts";
import type { Entry, QueueStream } from "./_stream.ts";
import { pause, waitOn } from "./_wait.ts";
import type { Lease } from "./lease.ts";
import type { CheckedOptions } from "./options.ts";
import type { DeadLetter, RedisQueueStats } from "./stats.ts";

/** How long `close()` lets running calls finish before it drops the connections. */
const CLOSE_GRACE_MS = 2_000;

/** Library-internal: one `RedisQueue` instance's leases, calls in flight and closing. */
export class QueueInstance<T> {
  /** Leases given to this instance, oldest first. */
  readonly held: Holders<T> = new Holders<T>((lease) => void this.track(lease.abandon()));
  #inflight = new Set<Promise<unknown>>();
  #closing = new AbortController();
  #closed: Promise<void> | null = null;

  /** The label of its waits in the monitor. */
  readonly label: string;

  /**
   * The instance of the queue `name` on `stream`.
   *
   * @param name The queue's name.
   * @param options The checked options.
   * @param stream Its Redis stream.
   */
  constructor(
    readonly name: string,
    readonly options: CheckedOptions,
    readonly stream: QueueStream,
  ) {
    this.label = `redis queue ${name}`;
  }

  /** `RedisQueue.put`. */
  put(item: T): Promise<void> {
    let payload: string;
    try {
      payload = encodeItem(item, "RedisQueue.put()");
    } catch (error) {
      return Promise.reject(error);
    }
    return waitOn(
      this.label,
      (signal) => this.run((stop) => this.stream.put(payload, stop), signal),
      (id) => void this.track(this.stream.unput(id)),
    ).then(() => {});
  }

  /** `RedisQueue.getLease`. */
  getLease(): Promise<Lease<T>> {
    const task = currentTask();
    return waitOn(
      this.label,
      (signal) =>
        this.run(
          async (stop) => this.hold(await this.stream.take(stop)),
          signal,
        ),
      (lease) => void this.track((lease as HeldLease<T>).release()),
    ).then((lease) => {
      this.held.deliver(lease, task);
      return lease;
    });
  }

  /** `RedisQueue.taskDone`: the calling task's oldest item (or its nearest ancestor's). */
  taskDone(): Promise<void> {
    const task = currentTask();
    const lease = this.held.forTaskDone(task);
    if (lease === undefined) {
      const who = task === undefined ? "code outside any task holds" : `task ${task.name} holds`;
      throw new InvalidStateError(
        `RedisQueue.taskDone(): ${who} no item of this queue (another task's item is never taken)`,
      );
    }
    const done = lease.done();
    done.catch(() => {});
    return done;
  }

  /** `RedisQueue.join`. */
  join(): Promise<void> {
    return waitOn(this.label, (signal) =>
      this.run(async (stop) => {
        for (
          let delay = 5;
          (await this.stream.unfinished()) > 0;
          delay = Math.min(delay * 2, 200)
        ) {
          await pause(delay, stop);
        }
      }, signal));
  }

  /** `RedisQueue.deadLetters`. */
  async deadLetters(count: number): Promise<DeadLetter<T>[]> {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw new RangeError(`count must be a positive integer, got ${describe(count)}`);
    }
    const entries = await this.run(() => this.stream.deadLetters(count));
    return entries.map((message) => ({
      id: message.id,
      value: decodeItem<T>(message.v),
      deliveries: Number(message.deliveries),
      consumer: message.consumer,
    }));
  }

  /** `RedisQueue.stats`. */
  async stats(): Promise<RedisQueueStats> {
    const { queued, inFlight, meta, dead } = await this.run(() => this.stream.stats());
    return {
      name: this.name,
      size: queued,
      maxsize: this.options.maxsize,
      inFlight,
      held: this.held.size,
      unfinished: Number(meta.unfinished ?? 0),
      redeliveries: Number(meta.redeliveries ?? 0),
      deadLetters: dead,
      shutDown: meta.shutdown !== undefined,
    };
  }

  readonly #owner: LeaseOwner = {
    done: async (lease) => {
      this.forget(lease);
      await this.track(this.stream.done(lease.id));
    },
    extend: (lease) => this.run(() => this.stream.extend(lease.id, lease.deliveries)),
    release: async (lease) => {
      this.forget(lease);
      await this.track(this.stream.handBack(lease.id, lease.deliveries));
    },
    abandon: async (lease) => {
      this.forget(lease);
      await this.track(this.stream.handBack(lease.id, lease.deliveries, true));
    },
  };

  /** Hold the item of `entry` as a lease (handed back if closing). */
  hold(entry: Entry): HeldLease<T> {
    const lease = new HeldLease<T>(
      this.#owner,
      entry.id,
      decodeItem<T>(entry.payload),
      entry.deliveries,
    );
    this.held.receive(lease);
    this.#closing.signal.throwIfAborted(); // close() hands it back
    return lease;
  }

  /** `lease` is done or handed back. */
  forget(lease: HeldLease<unknown>): void {
    this.held.forget(lease as HeldLease<T>);
  }

  /**
   * A public call's Redis work: refused once closed, stopped by `close()`
   * or `signal`, and awaited by `close()`.
   */
  run<R>(work: (stop: AbortSignal) => Promise<R>, signal?: AbortSignal): Promise<R> {
    const closing = this.#closing.signal;
    if (closing.aborted) return Promise.reject(closing.reason);
    return this.track(work(signal === undefined ? closing : AbortSignal.any([signal, closing])));
  }

  /** Await `promise` on close. */
  track<R>(promise: Promise<R>): Promise<R> {
    this.#inflight.add(promise);
    const forget = () => this.#inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Close once; later calls get the same promise. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing.abort(new QueueShutDown(`RedisQueue ${this.name} is closed`));
    const grace = new AbortController();
    const timer = setTimeout(() => grace.abort(), CLOSE_GRACE_MS);
    try {
      while (this.#inflight.size > 0 && !grace.signal.aborted) {
        await Promise.race([
          Promise.allSettled([...this.#inflight]),
          pause(CLOSE_GRACE_MS, grace.signal).catch(() => {}),
        ]);
      }
      const held = this.held.takeAll();
      await Promise.race([
        Promise.allSettled(held.map((lease) => this.stream.handBack(lease.id, lease.deliveries))),
        pause(CLOSE_GRACE_MS, grace.signal).catch(() => {}),
      ]);
    } finally {
      clearTimeout(timer);
      grace.abort();
    }
    await this.stream.close();
  }
}
