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
 * import { createTask, run, sleep } from "@corun/corun";
 *
 * const started = performance.now();
 * await run(async () => {
 *   const slow = createTask(() => sleep(40, "slow"));
 *   const fast = createTask(() => sleep(20, "fast"));
 *   console.log(await slow, await fast); // slow fast
 * });
 * console.log(performance.now() - started < 60); // true: they overlapped
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
} from "./lib/task.ts";
export { run, type RunOptions } from "./lib/run.ts";
export { sleep } from "./lib/sleep.ts";
