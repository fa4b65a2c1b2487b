/**
 * corun: asyncio's model of concurrency for Deno and TypeScript.
 *
 * Tasks that know their parent and what they wait on, cancellation that
 * reaches the await it should and cleans up after itself, `gather` that
 * leaves no orphans, timeouts, task groups, queues, locks and work off the
 * event loop.
 *
 * @example Two tasks at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, run, sleep } from "@corun/corun";
 *
 * await run(async () => {
 *   const slow = createTask(() => sleep(40, "slow"));
 *   const fast = createTask(() => sleep(20, "fast"));
 *   assert.equal(await slow, "slow");
 *   assert.ok(fast.done()); // it ran while `slow` slept
 *   assert.equal(await fast, "fast");
 * });
 * ```
 *
 * @module
 */
export * from "./lib/errors.ts";
export {
  allTasks,
  createTask,
  type CreateTaskOptions,
  currentTask,
  Task,
  type TaskFn,
  type TaskLike,
} from "./lib/runtime/mod.ts";
export { run, type RunOptions } from "./lib/run.ts";
export { sleep } from "./lib/sleep.ts";
export {
  gather,
  type GatherOptions,
  type GatherResults,
  type GatherResultsWithExceptions,
} from "./lib/gather.ts";
export type { GatherKeyedResults, GatherKeyedResultsWithExceptions } from "./lib/gather_keyed.ts";
export { asCompleted, type AsCompletedOptions } from "./lib/as_completed.ts";
export type { TaskLikeValue } from "./lib/_task_like.ts";
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  wait,
  type WaitOptions,
  type WaitResult,
} from "./lib/wait.ts";
export {
  moveOnAfter,
  timeout,
  timeoutAt,
  type TimeoutFn,
  type TimeoutScope,
} from "./lib/timeouts.ts";
export { waitFor } from "./lib/wait_for.ts";
export { shield } from "./lib/shield.ts";
export { TaskGroup, taskGroup, type TaskGroupStats } from "./lib/task_group.ts";
export { toThread } from "./lib/workers/to_thread.ts";
export {
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerPoolStats,
} from "./lib/workers/worker_pool.ts";
export { retry, type RetryFn, type RetryOptions } from "./lib/retry.ts";
export { mapLimit, type MapLimitFn, type MapLimitOptions } from "./lib/map_limit.ts";
export { Lock, type LockStats } from "./lib/lock.ts";
export { BoundedSemaphore, Semaphore, type SemaphoreStats } from "./lib/semaphore.ts";
export { Event, type EventStats } from "./lib/event.ts";
export { Condition, type ConditionStats } from "./lib/condition.ts";
export { Barrier, type BarrierStats } from "./lib/barrier.ts";
export { Queue, type QueueStats } from "./lib/queue.ts";
export { LifoQueue } from "./lib/lifo_queue.ts";
export { PriorityQueue } from "./lib/priority_queue.ts";
export { mapLimitStream, type MapLimitStreamOptions } from "./lib/map_limit_stream.ts";
export {
  progress,
  ProgressBar,
  type ProgressInfo,
  type ProgressOptions,
  type ProgressTerminal,
} from "./lib/progress.ts";
export { RateLimiter, type RateLimiterStats } from "./lib/rate_limiter.ts";
export { debounce, type DebouncedFunction } from "./lib/debounce.ts";
export { throttle, type ThrottledFunction, type ThrottleOptions } from "./lib/throttle.ts";
export { type IterableValue, merge } from "./lib/merge.ts";
export { tee, type TeeOptions } from "./lib/tee.ts";
