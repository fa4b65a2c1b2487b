/**
 * Deadlines for a block of code in the current task: `timeout`, `timeoutAt`
 * and `moveOnAfter`, asyncio's `asyncio.timeout`/`asyncio.timeout_at` and
 * trio's `move_on_after`.
 *
 * @module
 */
import { InvalidStateError, TimeoutError } from "./errors.ts";
import { checkFunction, toDeadline, toDurationMs } from "./_validate.ts";
import {
  awaitTask,
  CancelScope,
  currentTask,
  isCancelledError,
  isThenable,
  shieldable,
  type Task,
  taskInternals,
} from "./runtime/mod.ts";

/**
 * The deadline of a running {@linkcode timeout}, {@linkcode timeoutAt} or
 * {@linkcode moveOnAfter}, handed to its function (asyncio's `Timeout`).
 *
 * @example Giving a slow step more time
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep, timeout } from "@corun/corun";
 *
 * const value = await timeout(20, async (_signal, scope) => {
 *   scope.reschedule(performance.now() + 1_000);
 *   await sleep(40);
 *   return scope.expired();
 * });
 * assert.equal(value, false);
 * ```
 */
export interface TimeoutScope {
  /** The deadline, on the `performance.now()` clock; `Infinity` when none. */
  readonly deadline: number;
  /**
   * Move the deadline; `null` (or `Infinity`) removes it. A deadline already
   * passed expires the scope at once: the work is cancelled at its next
   * library await.
   *
   * @param deadline A `performance.now()` time, or `null` for none.
   * @throws {InvalidStateError} Once the deadline has passed or the
   *   function has settled.
   * @throws {RangeError} If `deadline` is `NaN` or not a number.
   */
  reschedule(deadline: number | null): void;
  /**
   * Whether the deadline has passed (and the work was cancelled).
   *
   * @returns `true` once the scope expired.
   */
  expired(): boolean;
}

/**
 * The function {@linkcode timeout}, {@linkcode timeoutAt} and
 * {@linkcode moveOnAfter} run: it gets the scope's `AbortSignal` (aborted when
 * the deadline passes or the task is cancelled) and the {@linkcode TimeoutScope}.
 *
 * @example Passing the signal on
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeout, type TimeoutFn } from "@corun/corun";
 *
 * const check: TimeoutFn<boolean> = (signal) => signal.aborted;
 * assert.equal(await timeout(1_000, check), false);
 * ```
 */
export type TimeoutFn<T> = (signal: AbortSignal, scope: TimeoutScope) => T | PromiseLike<T>;

/**
 * Run `fn(signal, scope)` in the current task with a deadline `ms`
 * milliseconds from now (asyncio's `async with asyncio.timeout(delay)`).
 * When the deadline passes, the work inside is cancelled: the
 * `CancelledError` reaches the library await `fn` is blocked in (or its next
 * one) and `signal` aborts; once `fn` has settled (its `finally` blocks
 * included) the call rejects with `TimeoutError`, whose `cause` is that
 * `CancelledError`.
 *
 * No task is created: `currentTask()` inside `fn` is the caller's task.
 * Outside any task, `fn` runs as the body of a new task instead, so this also
 * works at a script's top level. Once the cancellation has reached the work
 * (a library await in it was interrupted, it listened for its `signal`'s
 * abort or read `signal.aborted` as `true`, or `fn` settled in a later
 * event-loop turn than the abort), the call rejects with `TimeoutError`
 * also when `fn` then returns a value: JavaScript APIs often resolve on
 * abort (a `Deno.Command(..., { signal })` resolves with its SIGTERM
 * status). A value that `fn` completed before the cancellation reached it
 * (settling in the same turn as the deadline) is returned, never dropped: a
 * `queue.get()` under a timeout cannot lose its item. A deadline of 0, negative or already passed expires at
 * once: `fn`'s first library await (`sleep(0)` included) is cancelled, and
 * an `fn` that returns synchronously wins. Cancelling the task itself, or an
 * enclosing timeout expiring, passes through as that `CancelledError`.
 * A scope cancels whatever its task is blocked in, so run timeouts that must
 * run concurrently in separate tasks (`createTask`, `gather`), not in one
 * task's `Promise.all`.
 *
 * @param ms How long, in milliseconds; negative counts as 0; `null`,
 *   `undefined` or `Infinity` for no limit.
 * @param fn Called at once with an `AbortSignal` and the {@linkcode TimeoutScope}.
 * @returns What `fn` returns.
 * @throws {TimeoutError} If the deadline passed before `fn` settled.
 * @throws {CancelledError} If the task was cancelled otherwise.
 * @throws {RangeError} If `ms` is `NaN` or not a number.
 * @throws {TypeError} If `fn` is not a function.
 *
 * @example A slow step gives up
 * ```ts
 * import assert from "node:assert/strict";
 * import { run, sleep, timeout, TimeoutError } from "@corun/corun";
 *
 * await run(async () => {
 *   await assert.rejects(timeout(10, () => sleep(1_000)), TimeoutError);
 * });
 * ```
 */
export function timeout<T>(ms: number | null | undefined, fn: TimeoutFn<T>): Promise<T> {
  return moveOn(ms, fn, "ms", tooSlow) as Promise<T>;
}

/**
 * {@linkcode timeout} with an absolute deadline on the `performance.now()`
 * clock (asyncio's `asyncio.timeout_at`); a deadline already passed cancels
 * the work at its first library await.
 *
 * @param deadline A `performance.now()` time; `null`, `undefined` or
 *   `Infinity` for none.
 * @param fn Called at once with an `AbortSignal` and the {@linkcode TimeoutScope}.
 * @returns What `fn` returns.
 * @throws {TimeoutError} If the deadline passed before `fn` settled.
 * @throws {CancelledError} If the task was cancelled otherwise.
 * @throws {RangeError} If `deadline` is `NaN` or not a number.
 * @throws {TypeError} If `fn` is not a function.
 *
 * @example One deadline for several steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep, timeoutAt } from "@corun/corun";
 *
 * const deadline = performance.now() + 1_000;
 * const steps = await timeoutAt(deadline, async () => {
 *   await sleep(5);
 *   await sleep(5);
 *   return 2;
 * });
 * assert.equal(steps, 2);
 * ```
 */
export function timeoutAt<T>(deadline: number | null | undefined, fn: TimeoutFn<T>): Promise<T> {
  return moveOn(deadline, fn, "deadline", tooSlow) as Promise<T>;
}

/**
 * Like {@linkcode timeout}, but resolves `undefined` instead of rejecting
 * with `TimeoutError` when the deadline passes (trio's `move_on_after`).
 *
 * @param ms How long, in milliseconds; negative counts as 0; `null`,
 *   `undefined` or `Infinity` for no limit.
 * @param fn Called at once with an `AbortSignal` and the {@linkcode TimeoutScope}.
 * @returns What `fn` returns, or `undefined` if the deadline passed.
 * @throws {CancelledError} If the task was cancelled otherwise.
 * @throws {RangeError} If `ms` is `NaN` or not a number.
 * @throws {TypeError} If `fn` is not a function.
 *
 * @example Use what is ready in time
 * ```ts
 * import assert from "node:assert/strict";
 * import { moveOnAfter, sleep } from "@corun/corun";
 *
 * const fast = await moveOnAfter(1_000, () => sleep(5, "fast"));
 * const slow = await moveOnAfter(10, () => sleep(1_000, "slow"));
 * assert.equal(fast, "fast");
 * assert.equal(slow, undefined);
 * ```
 */
export function moveOnAfter<T>(
  ms: number | null | undefined,
  fn: TimeoutFn<T>,
): Promise<T | undefined> {
  return moveOn(ms, fn, "ms", giveUp);
}

/**
 * What becomes of a call whose deadline passed and whose work the
 * cancellation reached: `moveOnAfter` gives up quietly, `timeout` and
 * `timeoutAt` throw (trio's `fail_after` on `move_on_after`). `cause` is
 * what the work ended with (the scope's `CancelledError`, or the value it
 * returned after the cancellation reached it).
 */
type OnExpiry = {
  name: string;
  expired(scope: CancelScope, cause: unknown): Promise<undefined>;
};

const giveUp: OnExpiry = { name: "moveOnAfter", expired: () => Promise.resolve(undefined) };

const tooSlow: OnExpiry = {
  name: "timeout",
  expired(scope, cause) {
    const ms = Math.max(0, Math.round(performance.now() - scope.startedAt));
    return Promise.reject(new TimeoutError(`the deadline passed after ${ms} ms`, { cause }));
  },
};

/**
 * Run `fn` in a cancel scope whose deadline is `limit` (a duration if
 * `argument` is `"ms"`, else an absolute deadline), in the current task or,
 * outside tasks, in a new one; on expiry, `onExpiry` decides the outcome.
 */
function moveOn<T>(
  limit: unknown,
  fn: TimeoutFn<T>,
  argument: "ms" | "deadline",
  onExpiry: OnExpiry,
): Promise<T | undefined> {
  let deadline: number;
  try {
    deadline = argument === "ms"
      ? performance.now() + toDurationMs(limit, argument)
      : toDeadline(limit, argument);
    checkFunction(fn, "fn");
  } catch (error) {
    return Promise.reject(error);
  }
  const task = currentTask();
  if (task !== undefined) return inScope(task, deadline, fn, onExpiry);
  const name = argument === "ms" ? `${onExpiry.name}(${limit})` : "timeoutAt";
  return awaitTask(
    taskInternals.spawn(() => inScope(currentTask()!, deadline, fn, onExpiry), { name }),
  );
}

function inScope<T>(
  task: Task<unknown>,
  deadline: number,
  fn: TimeoutFn<T>,
  onExpiry: OnExpiry,
): Promise<T | undefined> {
  const scope = new CancelScope(task, deadline);
  let result: T | PromiseLike<T>;
  try {
    result = fn(scope.watchedSignal(), new ScopeView(scope));
  } catch (error) {
    return settle(scope, onExpiry, false, error);
  }
  if (!isThenable(result)) return settle(scope, onExpiry, true, result);
  return shieldable(
    Promise.resolve(result).then(
      (value) => settle(scope, onExpiry, true, value),
      (error) => settle(scope, onExpiry, false, error),
    ),
    scope,
  );
}

/**
 * `fn` settled: leave the scope and turn its own cancellation into a
 * timeout. Once the cancellation reached the work (a library await was
 * interrupted, the work listened for the abort or saw `signal.aborted`, or
 * it settled in a later turn than the one its signal aborted in), whatever
 * the work did next (return a value, as many
 * JavaScript APIs do on abort, or reject) is a timeout. A value completed
 * before that (settling in the very turn of the deadline: an item a
 * `queue.get()` took in the same instant) comes through: dropping it would
 * lose data.
 */
function settle<T>(
  scope: CancelScope,
  onExpiry: OnExpiry,
  ok: boolean,
  outcome: unknown,
): Promise<T | undefined> {
  const reached = scope.delivered || scope.expiredTurnsAgo || scope.abortObserved;
  scope.exit();
  let cause: unknown = outcome;
  if (ok) {
    const own = scope.ownError;
    if (!scope.expired || own === undefined || !reached) {
      return Promise.resolve(outcome as T);
    }
    cause = own;
  } else {
    const own = scope.expired && isCancelledError(outcome) &&
      taskInternals.scopeOf(outcome) === scope;
    if (!own) return Promise.reject(outcome);
  }
  return onExpiry.expired(scope, cause);
}

/** What `fn` sees of its scope. */
class ScopeView implements TimeoutScope {
  readonly #scope: CancelScope;

  constructor(scope: CancelScope) {
    this.#scope = scope;
  }

  get deadline(): number {
    return this.#scope.deadline;
  }

  reschedule(deadline: number | null): void {
    const scope = this.#scope;
    if (scope.expired) throw new InvalidStateError("cannot reschedule an expired timeout");
    if (scope.closed) throw new InvalidStateError("cannot reschedule a finished timeout");
    scope.reschedule(toDeadline(deadline, "deadline"));
  }

  expired(): boolean {
    return this.#scope.expired;
  }
}
