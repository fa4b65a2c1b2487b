/**
 * corun on Redis: a `Queue` that producers and workers in many processes,
 * on many machines, share, on a Redis Stream and a consumer group, with
 * at-least-once delivery, leases, redelivery and a dead-letter stream.
 * Needs a Redis server (5.0 streams; 7.0 tested) and the `npm:redis` client.
 *
 * @example A worker that scales out by starting more of it
 * ```ts ignore
 * import { RedisQueue } from "@corun/corun/redis";
 *
 * await using queue = new RedisQueue<string>("urls", { url: "redis://127.0.0.1:6379" });
 * for await (const url of queue) {
 *   const response = await fetch(url);
 *   await response.body?.cancel();
 *   await queue.taskDone();
 * }
 * ```
 *
 * @module
 */
export { RedisQueue } from "./lib/redis/redis_queue.ts";
export type { Lease } from "./lib/redis/lease.ts";
export type { RedisQueueOptions } from "./lib/redis/options.ts";
export type { DeadLetter, RedisQueueStats } from "./lib/redis/stats.ts";
