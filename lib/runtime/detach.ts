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
import type { ScopeHandle } from "./scope_errors.ts";

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

/** The cancel scope a library call runs its work in, in the calling task. */
const SCOPE = Symbol("corun.shieldable");

type Holder = { [WAIT]?: Wait | null; [SCOPE]?: ScopeHandle };

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
 * Record that `promise` is that of a library call running its work in the
 * calling task inside `scope` (`timeout`, `moveOnAfter`, `timeoutAt`,
 * `retry`, a `taskGroup` body): detaching it shields the scope, so the
 * task's cancellation no longer reaches the awaits made inside it.
 *
 * @returns `promise`.
 */
export function shieldable<P extends object>(promise: P, scope: ScopeHandle): P {
  Object.defineProperty(promise, SCOPE, { value: scope });
  return promise;
}

/**
 * Take the wait behind `promise` off its task, and the waits it is made of:
 * the task's cancellation no longer reaches them (nor the work they wait
 * for), nor the awaits inside a scope it runs its work in (see
 * `shieldable`). A promise that is no library wait is left alone.
 *
 * @returns The scopes it shielded.
 */
export function detach(promise: object): ScopeHandle[] {
  const shielded: ScopeHandle[] = [];
  const todo: unknown[] = [promise];
  while (todo.length !== 0) {
    const next = todo.pop();
    if (next === null || (typeof next !== "object" && typeof next !== "function")) continue;
    const holder = next as Holder;
    const scope = holder[SCOPE];
    if (scope !== undefined && !scope.closed) {
      scope.shielded = true;
      shielded.push(scope);
    }
    const wait = holder[WAIT];
    if (wait === undefined || wait === null) continue;
    holder[WAIT] = null;
    if (wait.blocker !== null) taskInternals.unblock(wait.task, wait.blocker);
    wait.onDetach?.();
    if (wait.parts !== null) { for (const part of wait.parts()) todo.push(part); }
  }
  return shielded;
}
