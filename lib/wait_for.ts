/**
 * `waitFor`: asyncio's `asyncio.wait_for`, await something with a time
 * limit.
 *
 * @module
 */
import { type CancelledError, InvalidStateError, TimeoutError } from "./errors.ts";
import { awaitableKind, describe, toDurationMs } from "./_validate.ts";
import {
  addDeadline,
  type Blocker,
  currentTask,
  type DeadlineEntry,
  detachable,
  isTask,
  removeDeadline,
  type Task,
  type TaskFn,
  taskInternals,
  type TaskLike,
  TaskWaiter,
  waitOnTask,
} from "./runtime/mod.ts";
import { taskNameFor } from "./_task_like.ts";

/**
 * Await `aw` for at most `ms` milliseconds (asyncio's `asyncio.wait_for`).
 * A function is started as a new task; a `Task` is awaited as it is.
 *
 * On timeout the task is cancelled (reason `"timeout"`), `waitFor` waits
 * until it has finished cancelling (its `finally` blocks included), then
 * rejects with `TimeoutError` whose `cause` is the task's `CancelledError`.
 * If the task fails with another error while being cancelled, that error
 * rejects; if it swallows the cancellation and returns a value, `waitFor`
 * resolves with it (as asyncio does: no value is lost). A plain promise
 * cannot be interrupted: on timeout it is abandoned and `waitFor` rejects at
 * once. If the work is already done, its outcome wins even for `ms <= 0` (a
 * promise that is already settled too: it wins over the timer); with
 * `ms <= 0` a task function is never started (`TimeoutError` at once, as
 * CPython) and an unfinished task is cancelled at once. A task started from
 * a function is named after it (`fetchPage`, or `waitFor(<caller>)` for an
 * anonymous one).
 *
 * Cancelling the task that awaits `waitFor` cancels the inner task (reason
 * `"parent"`), waits for it, and rejects with the awaiting task's
 * `CancelledError`; an error the inner task then fails with is not lost, it
 * is reported as never retrieved. Works outside any task too.
 *
 * @param aw A task function, a `Task` or a promise.
 * @param ms The limit in milliseconds; negative counts as 0; `null`,
 *   `undefined` or `Infinity` for none.
 * @returns The value of `aw`.
 * @throws {TimeoutError} If the limit passed and the work ended cancelled.
 * @throws {CancelledError} If the awaiting task was cancelled.
 * @throws {RangeError} If `ms` is `NaN` or not a number.
 * @throws {TypeError} If `aw` is not a function, a task or a promise.
 * @throws {InvalidStateError} If a task waits for itself.
 *
 * @example Giving up on slow work
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep, TimeoutError, waitFor } from "@corun/corun";
 *
 * assert.equal(await waitFor(() => sleep(5, "quick"), 1_000), "quick");
 * await assert.rejects(waitFor(() => sleep(1_000, "slow"), 10), TimeoutError);
 * ```
 */
export function waitFor<T>(aw: TaskLike<T>, ms: number | null | undefined): Promise<T> {
  let limit: number;
  let kind: "function" | "thenable" | "other";
  try {
    limit = toDurationMs(ms, "ms");
    kind = awaitableKind(aw, "aw");
  } catch (error) {
    return Promise.reject(error);
  }
  const awaiter = currentTask();
  let task: Task<T>;
  if (isTask(aw)) {
    if (aw === awaiter) {
      return Promise.reject(new InvalidStateError(`${aw.name} cannot wait for itself`));
    }
    task = aw as Task<T>;
  } else if (kind === "function") {
    if (limit <= 0) {
      // Never started, as CPython's wait_for with a timeout <= 0.
      return Promise.reject(
        new TimeoutError(`waitFor(${taskNameFor(aw, "waitFor")}): the time limit is ${limit} ms`),
      );
    }
    task = taskInternals.spawn(aw as TaskFn<T>, { name: taskNameFor(aw, "waitFor") });
  } else if (kind === "thenable") {
    let wait!: PromiseWait<T>;
    const promise = new Promise<T>((resolve, reject) => {
      wait = new PromiseWait<T>(awaiter, resolve, reject);
      wait.start(aw as PromiseLike<T>, limit);
    });
    return detachable(promise, awaiter, wait, () => [aw]);
  } else {
    return Promise.reject(
      new TypeError(`aw must be a task function, a Task or a promise, got ${describe(aw)}`),
    );
  }
  let wait!: TaskWait<T>;
  const promise = new Promise<T>((resolve, reject) => {
    wait = new TaskWait(task, awaiter, resolve, reject);
    wait.start(limit);
  });
  return detachable(promise, awaiter, wait);
}

/** A timer for `fire` after `ms` (finite), capped at the `setTimeout` limit. */
/** A task waiting for another task, with a limit. */
class TaskWait<T> extends TaskWaiter<T> implements DeadlineEntry {
  /** Managed by the deadline heap (lib/runtime/deadlines.ts). */
  dueAt = 0;
  /** Managed by the deadline heap. */
  heapIndex = -1;
  /** Managed by the deadline heap. */
  heapSeq = 0;
  #timedOut = false;

  /** `waitFor(<task>)`; a task named by waitFor itself already says so. */
  override get label(): string {
    const name = this.task.name;
    return name.startsWith("waitFor(") ? name : `waitFor(${name})`;
  }

  start(ms: number): void {
    if (ms <= 0) {
      // A finished task is returned as it is; else the limit has passed.
      waitOnTask(this.task, this, this.awaiter);
      if (!this.task.done()) this.deadlinePassed();
      return;
    }
    if (ms !== Infinity) addDeadline(this, performance.now() + ms);
    waitOnTask(this.task, this, this.awaiter);
  }

  /** The time limit passed: cancel the inner task and wait for it. */
  deadlinePassed(): void {
    this.#timedOut = true;
    taskInternals.cancelWith(this.task, "timeout", "waitFor: the time limit passed");
  }

  override cancel(error: CancelledError): void {
    removeDeadline(this);
    super.cancel(error);
  }

  override taskSettled(): void {
    removeDeadline(this);
    super.taskSettled();
  }

  /** Cancelled by the time limit: that is a TimeoutError. */
  protected override failure(cancelled: boolean, error: unknown): unknown {
    if (!cancelled || !this.#timedOut) return error;
    return new TimeoutError(`${this.label}: the time limit passed`, { cause: error });
  }
}

/** A task (or no task) waiting for a plain promise, with a limit. */
class PromiseWait<T> implements Blocker, DeadlineEntry {
  /** Managed by the deadline heap (lib/runtime/deadlines.ts). */
  dueAt = 0;
  /** Managed by the deadline heap. */
  heapIndex = -1;
  /** Managed by the deadline heap. */
  heapSeq = 0;
  #settled = false;

  constructor(
    readonly awaiter: Task<unknown> | undefined,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get label(): string {
    return "waitFor(promise)";
  }

  start(promise: PromiseLike<T>, ms: number): void {
    if (ms !== Infinity) addDeadline(this, performance.now() + ms);
    try {
      promise.then((value) => this.#finish(true, value), (error) => this.#finish(false, error));
    } catch (error) {
      this.#finish(false, error);
      return;
    }
    if (this.awaiter !== undefined && !this.#settled) taskInternals.block(this.awaiter, this);
  }

  /** The time limit passed: give up on the promise. */
  deadlinePassed(): void {
    this.#finish(false, new TimeoutError("waitFor(promise): the time limit passed"));
  }

  cancel(error: CancelledError): void {
    this.#finish(false, error);
  }

  #finish(ok: boolean, result: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    removeDeadline(this);
    if (this.awaiter !== undefined) taskInternals.unblock(this.awaiter, this);
    if (ok) this.resolve(result as T);
    else this.reject(result);
  }
}
