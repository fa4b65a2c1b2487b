/**
 * What `RedisQueue.stats()` and `RedisQueue.deadLetters()` report.
 *
 * @module
 */

/** What {@linkcode RedisQueue.stats} reports, read from the server. */
export interface RedisQueueStats {
  /** The queue's name. */
  name: string;
  /** Items queued and not yet taken by any consumer. */
  size: number;
  /** The capacity this instance's `put()` respects (`0`: unbounded). */
  maxsize: number;
  /** Items taken and not yet done, per consumer name. */
  inFlight: Record<string, number>;
  /** Items this instance holds (taken, not done). */
  held: number;
  /** Items put and not yet done or dead, by every process. */
  unfinished: number;
  /** Deliveries of an item whose lease had run out. */
  redeliveries: number;
  /** Items in the dead-letter stream. */
  deadLetters: number;
  /** Whether `shutdown()` was called, by any process. */
  shutDown: boolean;
}

/** An item moved to the dead-letter stream, as {@linkcode RedisQueue.deadLetters} lists it. */
export interface DeadLetter<T> {
  /** Its id in the queue's stream. */
  id: string;
  /** The item. */
  value: T;
  /** How many times it was delivered. */
  deliveries: number;
  /** The consumer that held it last. */
  consumer: string;
}
