/**
 * Awaiting a task, or a plain promise, as a library await of the current
 * task: the awaiting task shows what it waits on, and its cancellation
 * reaches the wait.
 */
import { type CancelledError, InvalidStateError } from "../errors.ts";
import { currentTask } from "./create_task.ts";
import { Task } from "./task.ts";
import type { Blocker, TaskObserver } from "./blocker.ts";
import { taskInternals } from "./internals.ts";
import { preferCancel, type ScopeHandle } from "./scope_errors.ts";

/** `await task` as a library await of the current task (see `Task.then`). */
export function awaitTask<T>(task: Task<T>): Promise<T> {
  const awaiter = currentTask();
  if (awaiter === task) {
    return Promise.reject(new InvalidStateError(`${task.name} cannot await itself`));
  }
  return new Promise<T>((resolve, reject) => {
    waitOnTask(task, new TaskWaiter(task, awaiter, resolve, reject), awaiter);
  });
}

/**
 * The last step of a wait on `task`: observe it with `wait`, which is also
 * what `awaiter` (if any) is blocked in; if `task` has already ended, settle
 * `wait` at once instead.
 */
export function waitOnTask(
  task: Task<unknown>,
  wait: Blocker & TaskObserver,
  awaiter: Task<unknown> | undefined,
): void {
  if (!taskInternals.observe(task, wait)) {
    wait.taskSettled(task);
    return;
  }
  if (awaiter !== undefined) taskInternals.block(awaiter, wait);
}

/**
 * One task (or code outside any task) awaiting another task: the blocker of
 * the awaiting task and the observer of the awaited one. Cancelling the
 * awaiting task cancels the awaited one and rejects, once it has finished,
 * with the awaiting task's `CancelledError`. `shield` and `waitFor` extend it.
 */
export class TaskWaiter<T> implements Blocker, TaskObserver {
  #cancelError: CancelledError | null = null;
  /** Its index in the blocked task's `BlockerSet`, when it is one of several. */
  blockSlot: number = -1;

  /**
   * `awaiter` waits for `task`.
   *
   * @param task The awaited task.
   * @param awaiter The waiting task, or `undefined` outside any task.
   * @param resolve Resumes the waiter with the result.
   * @param reject Resumes the waiter with an error.
   */
  constructor(
    readonly task: Task<T>,
    readonly awaiter: Task<unknown> | undefined,
    readonly resolve: (value: T) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** What the monitor shows: the awaited task's name. */
  get label(): string {
    return this.task.name;
  }

  /**
   * The awaiting task was cancelled: pass it on (once: a second cancel would
   * interrupt the awaited task's cleanup), settle when the task has. If this
   * very cancellation has already reached the awaited task, the two await
   * each other: settle now, or neither would ever finish.
   */
  cancel(error: CancelledError): void {
    const first = this.#cancelError === null;
    this.#cancelError = preferCancel(this.#cancelError, error);
    if (!first) return;
    if (taskInternals.reachedByThisCancel(this.task)) {
      taskInternals.unobserve(this.task, this);
      this.taskSettled();
      return;
    }
    taskInternals.cancelWith(this.task, "parent", error.message);
  }

  /** The awaited task finished. */
  taskSettled(): void {
    if (this.awaiter !== undefined) taskInternals.unblock(this.awaiter, this);
    if (this.#cancelError !== null) {
      // The awaiting task was cancelled: it gets its CancelledError, and an
      // error the task failed with while cleaning up stays unretrieved, so
      // its run reports it.
      this.reject(this.#cancelError);
      return;
    }
    const { state, value, error } = taskInternals.outcome(this.task);
    if (state === "done") this.resolve(value as T);
    else this.reject(this.failure(state === "cancelled", error));
  }

  /** What to reject with when the task failed or was cancelled on its own. */
  protected failure(_cancelled: boolean, error: unknown): unknown {
    return error;
  }
}

/**
 * Await a plain promise as a library await of the current task: cancelling
 * the task rejects at once with its `CancelledError` and abandons the promise.
 * `shielded` lists scopes the await is made outside of, though they are
 * still open (the promise is the work of a scope `shield()` shielded).
 */
export function awaitPromise<T>(
  promise: PromiseLike<T>,
  label: string,
  shielded: readonly ScopeHandle[] = [],
): Promise<T> {
  if (promise instanceof Task) return awaitTask(promise);
  const task = currentTask();
  if (task === undefined) return Promise.resolve(promise);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const blocker: Blocker = {
      label,
      cancel(error) {
        if (settled) return;
        settled = true;
        taskInternals.unblock(task, blocker);
        reject(error);
      },
    };
    const finish = (ok: boolean, result: unknown) => {
      if (settled) return;
      settled = true;
      taskInternals.unblock(task, blocker);
      if (ok) resolve(result as T);
      else reject(result);
    };
    promise.then((value) => finish(true, value), (error) => finish(false, error));
    if (shielded.length !== 0) blocker.outside = shielded;
    taskInternals.block(task, blocker);
  });
}
