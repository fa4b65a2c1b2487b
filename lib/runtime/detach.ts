/**
 * Library promises whose wait can be taken off the awaiting task: what
 * `shield(promise)` does to a `gather(...)`, `wait(...)`, `waitFor(...)`,
 * `mapLimit(...)`, `taskGroup(...)` or `pool.run(...)` created in the task
 * being cancelled, so that the work inside keeps running instead of being
 * cancelled with it.
 *
 * Detaching is transitive: a wait made of other library promises
 * (`gather(gather(fn))`, `wait([gather(...)])`, `waitFor(gather(...), ms)`)
 * detaches them too, one after the other (no recursion, however deep).
 */
import type { Task } from "./task.ts";
import type { Blocker } from "./blocker.ts";
import { taskInternals } from "./internals.ts";

/** How to take one wait off its task. */
interface Wait {
  task: Task<unknown>;
  /** The blocker to unblock, if the wait has one yet. */
  blocker: Blocker | null;
  /** The promises the wait is made of, detached with it. */
  parts: (() => Iterable<unknown>) | null;
  /** Called on detach (a wait that blocks later must then not block). */
  onDetach: (() => void) | null;
}

// On the promise itself (not enumerable, so inspecting it shows nothing),
// not in a WeakMap: 100,000 `waitFor` calls made the WeakMap's ephemeron
// table a third of the garbage collector's work.
const WAIT = Symbol("corun.detachable");

type Holder = { [WAIT]?: Wait | null };

function record(promise: object, wait: Wait): void {
  Object.defineProperty(promise, WAIT, { value: wait, writable: true });
}

/**
 * Record that `promise` is the wait of `task` in `blocker`; `parts`, if
 * given, lists the promises it waits on (those that are library waits are
 * detached with it).
 *
 * @returns `promise`.
 */
export function detachable<P extends object>(
  promise: P,
  task: Task<unknown> | undefined,
  blocker: Blocker,
  parts: (() => Iterable<unknown>) | null = null,
): P {
  if (task !== undefined) record(promise, { task, blocker, parts, onDetach: null });
  return promise;
}

/**
 * Record that `promise` is a wait of `task` whose blocker comes later (a
 * `taskGroup` waits for its children once its body is done): `onDetach`
 * must unblock it and keep it from blocking.
 *
 * @returns `promise`.
 */
export function detachableLater<P extends object>(
  promise: P,
  task: Task<unknown> | undefined,
  onDetach: () => void,
  parts: (() => Iterable<unknown>) | null = null,
): P {
  if (task !== undefined) record(promise, { task, blocker: null, parts, onDetach });
  return promise;
}

/**
 * Take the wait behind `promise` off its task, and the waits it is made of:
 * the task's cancellation no longer reaches them (nor the work they wait
 * for). A promise that is no library wait is left alone.
 */
export function detach(promise: object): void {
  const todo: unknown[] = [promise];
  while (todo.length !== 0) {
    const next = todo.pop();
    if (next === null || (typeof next !== "object" && typeof next !== "function")) continue;
    const holder = next as Holder;
    const wait = holder[WAIT];
    if (wait === undefined || wait === null) continue;
    holder[WAIT] = null;
    if (wait.blocker !== null) taskInternals.unblock(wait.task, wait.blocker);
    wait.onDetach?.();
    if (wait.parts !== null) { for (const part of wait.parts()) todo.push(part); }
  }
}
