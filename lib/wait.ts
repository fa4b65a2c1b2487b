/**
 * `wait`: wait until some or all of a set of tasks have finished, and split
 * them into done and pending.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import { describe, toDurationMs } from "./_validate.ts";
import {
  type Blocker,
  cancelNextTurn,
  currentTask,
  detachable,
  setDeadline,
  type Task,
  taskInternals,
  type TaskLike,
  type TaskObserver,
  type TurnWaiter,
  waitNextTurn,
} from "./runtime/mod.ts";
import {
  cancelAndWait,
  checkOptions,
  checkTaskLikes,
  hasFailed,
  type TaskLikeValue,
  toTask,
} from "./_task_like.ts";

/**
 * `wait` returns as soon as any task finishes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FIRST_COMPLETED, sleep, wait } from "@corun/corun";
 *
 * const { done, pending } = await wait(
 *   [() => sleep(10, "fast"), () => sleep(60_000)],
 *   { returnWhen: FIRST_COMPLETED },
 * );
 * assert.deepEqual([...done].map((task) => task.result()), ["fast"]);
 * assert.equal(pending.size, 1);
 * for (const task of pending) task.cancel();
 * ```
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED" as const;

/**
 * `wait` returns as soon as any task fails with an error (a cancelled task
 * does not count), or when all have finished.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FIRST_EXCEPTION, sleep, wait } from "@corun/corun";
 *
 * const failing = async () => {
 *   await sleep(10);
 *   throw new Error("boom");
 * };
 * const { done, pending } = await wait([failing, () => sleep(60_000)], {
 *   returnWhen: FIRST_EXCEPTION,
 * });
 * const [failed] = done;
 * assert.equal((failed.exception() as Error).message, "boom");
 * assert.equal(pending.size, 1);
 * for (const task of pending) task.cancel();
 * ```
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION" as const;

/**
 * `wait` returns once every task has finished (the default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_COMPLETED, sleep, wait } from "@corun/corun";
 *
 * const { done, pending } = await wait([() => sleep(10), () => sleep(20)], {
 *   returnWhen: ALL_COMPLETED,
 * });
 * assert.equal(done.size, 2);
 * assert.equal(pending.size, 0);
 * ```
 */
export const ALL_COMPLETED = "ALL_COMPLETED" as const;

/** When {@linkcode wait} returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options for {@linkcode wait}. */
export interface WaitOptions {
  /**
   * Milliseconds after which `wait` returns whatever has finished by then
   * (it never throws `TimeoutError`); `null`/`undefined`/`Infinity` for none.
   * @default {undefined}
   */
  timeout?: number | null;
  /**
   * When to return: `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED`.
   * @default {ALL_COMPLETED}
   */
  returnWhen?: ReturnWhen;
}

/** What {@linkcode wait} resolves with; each set keeps the input order. */
export interface WaitResult<T> {
  /** The tasks that have finished (done, failed or cancelled). */
  done: Set<Task<T>>;
  /** The tasks still unfinished. */
  pending: Set<Task<T>>;
}

const RETURN_WHEN: readonly unknown[] = [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED];

/**
 * Wait until the tasks meet `returnWhen` or `timeout` passes, then resolve
 * with the finished and the unfinished ones, as asyncio's `wait`. Functions
 * and promises are wrapped in new tasks (named after the function, or
 * `wait(<caller>)[i]`). `wait` never cancels anything on its own and
 * never throws `TimeoutError`: on timeout it resolves with the split at that
 * moment; a task that finishes in the same instant as the timeout counts as
 * done. It retrieves no error: read each done task's `result()` or
 * `exception()`, or the run reports its failure.
 *
 * Cancelling the waiting task (or a `timeout()` around `wait` expiring)
 * cancels the tasks `wait` started from functions and promises (nobody else
 * holds them), waits until they have finished, then rejects with its
 * `CancelledError`; tasks passed in are left running.
 *
 * @param aws The tasks, promises and task functions to wait for; an empty
 *   input resolves with two empty sets.
 * @param options `timeout` and `returnWhen`.
 * @returns A promise for `{ done, pending }`.
 * @throws {TypeError} If `aws` is not iterable, an element is not `TaskLike`
 *   (the message names its index), or `options` is not an object.
 * @throws {RangeError} If `timeout` is `NaN` or not a number, or
 *   `returnWhen` is not one of the three constants.
 * @throws {CancelledError} If the waiting task is cancelled.
 *
 * @example Waiting with a timeout
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep, wait } from "@corun/corun";
 *
 * const quick = () => sleep(10, "quick");
 * const slow = () => sleep(60_000, "slow");
 * const { done, pending } = await wait([quick, slow], { timeout: 30 });
 * assert.deepEqual([...done].map((task) => task.result()), ["quick"]);
 * assert.equal(pending.size, 1);
 * for (const task of pending) task.cancel(); // wait itself cancels nothing
 * ```
 */
export function wait<A extends TaskLike<unknown>>(
  aws: Iterable<A>,
  options: WaitOptions = {},
): Promise<WaitResult<TaskLikeValue<A>>> {
  type T = TaskLikeValue<A>;
  const started = performance.now();
  let tasks: Task<T>[];
  let list: TaskLike<T>[];
  const owned: Task<T>[] = [];
  let ms: number;
  let returnWhen: unknown;
  try {
    list = checkTaskLikes<T>(aws, "aws");
    const checked = checkOptions<WaitOptions>(options, "options", ["timeout", "returnWhen"]);
    ms = toDurationMs(checked.timeout, "options.timeout");
    returnWhen = checked.returnWhen ?? ALL_COMPLETED;
    if (!RETURN_WHEN.includes(returnWhen)) {
      throw new RangeError(
        `options.returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${
          describe(returnWhen)
        }`,
      );
    }
    const seen = new Set<Task<T>>();
    for (let i = 0; i < list.length; i++) {
      const { task, owned: mine } = toTask(list[i], "wait", i);
      seen.add(task);
      if (mine) owned.push(task);
    }
    tasks = [...seen];
  } catch (error) {
    return Promise.reject(error);
  }
  const awaiter = currentTask();
  let waiting!: Waiting<T>;
  const promise = new Promise<WaitResult<T>>((resolve, reject) => {
    waiting = new Waiting(tasks, owned, returnWhen as ReturnWhen, awaiter, resolve, reject);
    waiting.start(started + ms);
  });
  return detachable(promise, awaiter, waiting, () => list);
}

/** One `wait` call: the blocker of the waiting task and the observer of the tasks. */
class Waiting<T> implements Blocker, TaskObserver {
  #unsettled = 0;
  #clearTimer: (() => void) | null = null;
  #turn: TurnWaiter | null = null;
  #ended = false;

  constructor(
    readonly tasks: Task<T>[],
    /** The tasks `wait` started itself: cancelled with the waiting task. */
    readonly owned: Task<T>[],
    readonly returnWhen: ReturnWhen,
    readonly awaiter: Task<unknown> | undefined,
    readonly resolve: (result: WaitResult<T>) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get label(): string {
    return `wait(${this.tasks.length})`;
  }

  start(deadline: number): void {
    let anyDone = false;
    let anyFailed = false;
    for (const task of this.tasks) {
      if (taskInternals.observe(task, this)) {
        this.#unsettled++;
      } else {
        anyDone = true;
        anyFailed ||= this.returnWhen === FIRST_EXCEPTION && hasFailed(task);
      }
    }
    if (this.#satisfied(anyDone, anyFailed) || performance.now() >= deadline) {
      this.#end();
      return;
    }
    if (deadline !== Infinity) {
      this.#clearTimer = setDeadline(deadline, () => {
        this.#clearTimer = null;
        // What falls due in the same instant (a task's last sleep) finishes
        // within this turn: it counts as done, not pending.
        const turn: TurnWaiter = { cancelled: false, wake: () => this.#end() };
        this.#turn = turn;
        waitNextTurn(turn);
      });
    }
    if (this.awaiter !== undefined) taskInternals.block(this.awaiter, this);
  }

  taskSettled(task: object): void {
    this.#unsettled--;
    const failed = this.returnWhen === FIRST_EXCEPTION && hasFailed(task as Task<unknown>);
    if (this.#satisfied(true, failed)) this.#end();
  }

  cancel(error: CancelledError): void {
    if (this.#ended) return;
    this.#stop(false);
    const awaiter = this.awaiter;
    cancelAndWait(this.owned, "parent", error.message, () => {
      if (awaiter !== undefined) taskInternals.unblock(awaiter, this);
      this.reject(error);
    });
  }

  #satisfied(anyDone: boolean, anyFailed: boolean): boolean {
    if (this.#unsettled === 0) return true;
    if (this.returnWhen === FIRST_COMPLETED) return anyDone;
    return this.returnWhen === FIRST_EXCEPTION && anyFailed;
  }

  #stop(unblock: boolean): void {
    this.#ended = true;
    this.#clearTimer?.();
    this.#clearTimer = null;
    if (this.#turn !== null) cancelNextTurn(this.#turn);
    this.#turn = null;
    for (const task of this.tasks) {
      if (!task.done()) taskInternals.unobserve(task, this);
    }
    if (unblock && this.awaiter !== undefined) taskInternals.unblock(this.awaiter, this);
  }

  #end(): void {
    if (this.#ended) return;
    this.#stop(true);
    const done = new Set<Task<T>>();
    const pending = new Set<Task<T>>();
    for (const task of this.tasks) (task.done() ? done : pending).add(task);
    this.resolve({ done, pending });
  }
}
