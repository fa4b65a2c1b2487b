/**
 * Library promises whose wait can be taken off the awaiting task: what
 * `shield(promise)` does to a `gather(...)`, `wait(...)`, `waitFor(...)`,
 * `mapLimit(...)` or `pool.run(...)` created in the task being cancelled, so that the work
 * inside keeps running instead of being cancelled with it.
 */
import type { Task } from "./task.ts";
import type { Blocker } from "./blocker.ts";
import { taskInternals } from "./internals.ts";

const waits = new WeakMap<object, { task: Task<unknown>; blocker: Blocker }>();

/**
 * Record that `promise` is the wait of `task` in `blocker`.
 *
 * @returns `promise`.
 */
export function detachable<P extends object>(
  promise: P,
  task: Task<unknown> | undefined,
  blocker: Blocker,
): P {
  if (task !== undefined) waits.set(promise, { task, blocker });
  return promise;
}

/**
 * Take the wait behind `promise` off its task: the task's cancellation no
 * longer reaches it (nor the work it waits for).
 */
export function detach(promise: object): void {
  const wait = waits.get(promise);
  if (wait === undefined) return;
  waits.delete(promise);
  taskInternals.unblock(wait.task, wait.blocker);
}
