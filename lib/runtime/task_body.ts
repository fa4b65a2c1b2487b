/**
 * Running a task's body and turning how it ended into the task's outcome:
 * a value, a failure, or a cancellation (also one the body never saw).
 */
import { InvalidStateError } from "../errors.ts";
import type { TaskFn } from "./create_task.ts";
import { taskContext } from "./context.ts";
import type { TaskState } from "./registry.ts";
import { anyShielded, isCancelledError } from "./scope_errors.ts";
import type { Task } from "./task.ts";
import { drainRun } from "./task_run_end.ts";
import { access } from "./_task_access.ts";

/**
 * Run `body` for `task`, in the task's context; the task ends when the body
 * returns, throws, or the thenable it returned settles.
 *
 * @param task The task, just started.
 * @param body Its body.
 */
export function runBody<T>(task: Task<T>, body: TaskFn<T>): void {
  let result: T | PromiseLike<T>;
  try {
    // Most bodies never use the signal: only a body that declares a
    // parameter gets one; everybody else can still read `task.signal`.
    result = body.length === 0 ? (body as () => T | PromiseLike<T>)() : body(task.signal);
  } catch (error) {
    bodyEnded(task, false, error);
    return;
  }
  if (result === null || (typeof result !== "object" && typeof result !== "function")) {
    bodyEnded(task, true, result);
    return;
  }
  // Reading `then` (or the constructor) may throw, from a getter or a
  // revoked proxy: the task then fails with that error, as an async
  // function's would.
  try {
    if (result instanceof Promise && result.constructor === Promise) {
      // A native promise's handlers run in the context they were registered
      // in: this task's. Shared handlers save two closures per task.
      result.then(onBodyFulfilled, onBodyRejected);
      return;
    }
    const then = (result as { then?: unknown }).then;
    if (typeof then !== "function") {
      bodyEnded(task, true, result);
      return;
    }
    then.call(
      result,
      (value: unknown) => bodyEnded(task, true, value),
      (error: unknown) => bodyEnded(task, false, error),
    );
  } catch (error) {
    bodyEnded(task, false, error);
  }
}

function onBodyFulfilled(value: unknown): void {
  bodyEnded(taskContext.getStore() as Task<unknown>, true, value);
}

function onBodyRejected(error: unknown): void {
  bodyEnded(taskContext.getStore() as Task<unknown>, false, error);
}

function bodyEnded(task: Task<unknown>, ok: boolean, outcome: unknown): void {
  if (task.done()) return;
  const extra = access.extra(task);
  let state: TaskState;
  if (extra === null) {
    state = ok ? "done" : isCancelledError(outcome) ? "cancelled" : "failed";
  } else {
    if (extra.draining) return;
    if (ok) {
      // A cancellation that never reached the body wins, as in asyncio, if
      // the body reached no library await at all. Once it has, a value it
      // returned before the cancellation could arrive (an item its last
      // await took from a queue, say) is kept: dropping it would lose data.
      if (extra.pending !== null && extra.cancelError !== null && !access.blockedOnce(task)) {
        state = "cancelled";
        outcome = extra.pending;
      } else {
        state = "done";
      }
    } else {
      state = isCancelledError(outcome) ? "cancelled" : "failed";
    }
    extra.pending = null;
    if (extra.held !== null) return;
    if (anyShielded(extra.scope)) {
      extra.held = { state, outcome };
      return;
    }
  }
  finish(task, state, outcome);
}

/**
 * End `task` with `state`; a run's root first cancels and awaits what its run
 * left over.
 *
 * @param task The task, whose body has ended.
 * @param state How it ended.
 * @param outcome Its value or error.
 */
export function finish(task: Task<unknown>, state: TaskState, outcome: unknown): void {
  const extra = access.extra(task);
  if (extra !== null && extra.ownedRun !== null) drainRun(task, state, outcome);
  else access.settle(task, state, outcome);
}

/**
 * `task.result()`.
 *
 * @param task The task.
 * @returns Its value.
 * @throws {unknown} What `result()` throws.
 */
export function resultOf(task: Task<unknown>): unknown {
  checkDone(task, "result");
  const state = access.state(task);
  if (state === "done") return access.slot(task);
  access.retrieve(task);
  throw access.slot(task);
}

/**
 * `task.exception()`.
 *
 * @param task The task.
 * @returns Its error, or `undefined`.
 * @throws {unknown} What `exception()` throws.
 */
export function exceptionOf(task: Task<unknown>): unknown {
  checkDone(task, "exception");
  const state = access.state(task);
  if (state === "cancelled") throw access.slot(task);
  if (state === "done") return undefined;
  access.retrieve(task);
  return access.slot(task);
}

/**
 * For `result()` and `exception()`.
 *
 * @param task The task.
 * @param method The method called.
 * @throws {InvalidStateError} If the task has not finished.
 */
export function checkDone(task: Task<unknown>, method: string): void {
  if (!task.done()) {
    throw new InvalidStateError(`${task.name} is not done yet: ${method}() needs a finished task`);
  }
}
