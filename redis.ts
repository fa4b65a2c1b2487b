/**
 * corun on Redis: a `Queue` that producers and workers in many processes,
 * on many machines, share, on a Redis Stream and a consumer group, with
 * at-least-once delivery, leases, redelivery and a dead-letter stream.
 * Needs a Redis server (5.0 streams; 7.0 tested) and the `npm:redis` client.
 *
 * @example A producer and a worker (usually in different processes)
 * ```ts ignore
 * import { createTask } from "@corun/corun";
 * import { RedisQueue } from "@corun/corun/redis";
 *
 * const url = "redis://127.0.0.1:6379";
 * await using producer = new RedisQueue<string>("words", { url });
 * await using worker = new RedisQueue<string>("words", { url });
 * const lengths = createTask(async () => {
 *   const seen: number[] = [];
 *   for await (const word of worker) {
 *     seen.push(word.length);
 *     await worker.taskDone();
 *   }
 *   return seen;
 * });
 * for (const word of ["one", "three"]) await producer.put(word);
 * await producer.join();
 * await producer.shutdown();
 * if ((await lengths).join() !== "3,5") throw new Error("expected 3,5");
 * ```
 *
 * @module
 */
export { RedisQueue } from "./lib/redis/redis_queue.ts";
export type { Lease } from "./lib/redis/lease.ts";
export type { RedisQueueOptions } from "./lib/redis/options.ts";
export type { DeadLetter, RedisQueueStats } from "./lib/redis/stats.ts";
