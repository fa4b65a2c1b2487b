/**
 * Library promises whose wait can be taken off the awaiting task: what
 * `shield(promise)` does to a `gather(...)`, `wait(...)`, `waitFor(...)`,
 * `mapLimit(...)` or `pool.run(...)` created in the task being cancelled, so that the work
 * inside keeps running instead of being cancelled with it.
 */
import type { Task } from "../task.ts";
import type { Blocker } from "./blocker.ts";
import { taskInternals } from "./internals.ts";

// On the promise itself (not enumerable, so inspecting it shows nothing),
// not in a WeakMap: 100,000 `waitFor` calls made the WeakMap's ephemeron
// table a third of the garbage collector's work.
const WAIT = Symbol("corun.detachable");

interface Wait {
  task: Task<unknown>;
  blocker: Blocker;
}

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
  if (task !== undefined) {
    const wait: Wait = { task, blocker };
    Object.defineProperty(promise, WAIT, { value: wait, writable: true });
  }
  return promise;
}

/**
 * Take the wait behind `promise` off its task: the task's cancellation no
 * longer reaches it (nor the work it waits for).
 */
export function detach(promise: object): void {
  const holder = promise as { [WAIT]?: Wait | null };
  const wait = holder[WAIT];
  if (wait === undefined || wait === null) return;
  holder[WAIT] = null;
  taskInternals.unblock(wait.task, wait.blocker);
}
