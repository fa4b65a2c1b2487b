/**
 * `asCompleted`: iterate over tasks in the order they finish.
 *
 * @module
 */
import { type CancelledError, TimeoutError } from "./errors.ts";
import { toDurationMs } from "./_validate.ts";
import {
  type Blocker,
  currentTask,
  preferCancel,
  setDeadline,
  type Task,
  taskInternals,
  type TaskLike,
  type TaskObserver,
} from "./runtime/mod.ts";
import {
  cancelAndWait,
  checkOptions,
  checkTaskLikes,
  type TaskLikeValue,
  toTask,
} from "./_task_like.ts";
import { Deque } from "./_deque.ts";
import { checkProgressOptions, ProgressBar, type ProgressOptions } from "./progress.ts";

/** Options for {@linkcode asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Milliseconds, counted from the `asCompleted` call, after which the
   * iterator throws `TimeoutError`; `null`/`undefined`/`Infinity` for none.
   * @default {undefined}
   */
  timeout?: number | null;
  /**
   * Show a progress bar on stderr (when it is a terminal) counting the
   * tasks as they finish: its label, or its options.
   * @default {undefined}
   */
  progress?: string | ProgressOptions;
}

/**
 * Iterate over the inputs in the order they finish, as asyncio's
 * `as_completed`: each step yields the next finished task (functions and
 * promises are wrapped in new tasks, named after the function or
 * `asCompleted(<caller>)[i]`), so `await task` or `task.result()`
 * gives its value or throws its error.
 *
 * Past `timeout` the iterator throws `TimeoutError`. Leaving the loop early
 * (`break`, an error in the loop body, that `TimeoutError`, or the
 * consuming task being cancelled while it waits for the next task) cancels
 * the tasks `asCompleted` created itself (from functions; promise wrappers
 * are abandoned) and waits for them to finish; tasks passed in are left
 * alone.
 *
 * In `for await (const task of asCompleted(...))` TypeScript types `task`
 * as the task's value (it awaits thenables in its types), while at run time
 * it is the `Task`; `await task` gives the value either way. Call `next()`
 * directly where the `Task` type is needed.
 *
 * @param aws The tasks, promises and task functions to watch.
 * @param options `timeout`.
 * @returns An async iterator of the input tasks, in completion order.
 * @throws {TypeError} If `aws` is not iterable or an element is not
 *   `TaskLike` (the message names its index), or `options` is not an object.
 * @throws {RangeError} If `timeout` is `NaN` or not a number.
 *
 * @example Fastest first
 * ```ts
 * import assert from "node:assert/strict";
 * import { asCompleted, sleep } from "@corun/corun";
 *
 * const order: string[] = [];
 * for await (const task of asCompleted([() => sleep(30, "slow"), () => sleep(10, "fast")])) {
 *   order.push(await task);
 * }
 * assert.deepEqual(order, ["fast", "slow"]);
 * ```
 *
 * @example Giving up
 * ```ts
 * import assert from "node:assert/strict";
 * import { asCompleted, sleep, TimeoutError } from "@corun/corun";
 *
 * let sleeper: AbortSignal | undefined;
 * function nap(signal: AbortSignal): Promise<void> {
 *   sleeper = signal;
 *   return sleep(60_000);
 * }
 * await assert.rejects(async () => {
 *   for await (const task of asCompleted([nap], { timeout: 10 })) await task;
 * }, TimeoutError);
 * assert.equal(sleeper?.aborted, true); // the task it started was cancelled
 * ```
 */
export function asCompleted<A extends TaskLike<unknown>>(
  aws: Iterable<A>,
  options: AsCompletedOptions = {},
): AsyncIterableIterator<Task<TaskLikeValue<A>>> {
  const started = performance.now();
  const list = checkTaskLikes<TaskLikeValue<A>>(aws, "aws");
  const opts = checkOptions<AsCompletedOptions>(options, "options", ["timeout", "progress"]);
  const ms = toDurationMs(opts.timeout, "options.timeout");
  const bar = opts.progress === undefined
    ? null
    : new ProgressBar(checkProgressOptions(opts.progress, "options.progress", list.length));
  return new AsCompleted(list, started + ms, ms, bar);
}

/** A `next()` or `return()` call being served; they are served one at a time. */
interface Request<T> {
  kind: "next" | "return";
  consumer: Task<unknown> | undefined;
  resolve: (result: IteratorResult<Task<T>, undefined>) => void;
  reject: (error: unknown) => void;
}

class AsCompleted<T> implements AsyncIterableIterator<Task<T>>, Blocker, TaskObserver {
  /** Settled tasks not handed out yet, in the order they settled. */
  readonly #ready = new Deque<Task<T>>();
  readonly #unsettled = new Set<Task<T>>();
  readonly #owned = new Set<Task<T>>();
  readonly #backlog: Request<T>[] = [];
  #request: Request<T> | null = null;
  /** The current request's consumer is blocked on this iterator. */
  #blocked = false;
  #clearTimer: (() => void) | null = null;
  #finished = false;
  #leaving: "timeout" | "return" | "cancel" | null = null;
  #cancelError: CancelledError | null = null;

  constructor(
    list: TaskLike<T>[],
    readonly deadline: number,
    readonly ms: number,
    readonly bar: ProgressBar | null = null,
  ) {
    const seen = new Set<Task<T>>();
    for (let i = 0; i < list.length; i++) {
      const { task, owned } = toTask(list[i], "asCompleted", i);
      if (seen.has(task)) continue;
      seen.add(task);
      if (owned) this.#owned.add(task);
      if (taskInternals.observe(task, this)) {
        this.#unsettled.add(task);
        bar?.start();
      } else {
        this.#ready.pushBack(task);
        bar?.finish(taskInternals.state(task) === "done");
      }
    }
    if (this.#unsettled.size === 0) bar?.close();
  }

  get label(): string {
    return "asCompleted";
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Task<T>> {
    return this;
  }

  next(): Promise<IteratorResult<Task<T>, undefined>> {
    return this.#enqueue("next");
  }

  return(): Promise<IteratorResult<Task<T>, undefined>> {
    return this.#enqueue("return");
  }

  taskSettled(settled: object): void {
    const task = settled as Task<T>;
    if (!this.#unsettled.delete(task)) return;
    this.bar?.finish(taskInternals.state(task) === "done");
    if (this.#unsettled.size === 0) this.bar?.close();
    this.#ready.pushBack(task);
    if (this.#blocked && this.#leaving === null) {
      this.#release();
      this.#respond({ value: this.#ready.popFront() as Task<T>, done: false });
    }
  }

  cancel(error: CancelledError): void {
    this.#cancelError = preferCancel(this.#cancelError, error);
    if (this.#leaving === null) this.#leave("cancel");
  }

  #enqueue(kind: "next" | "return"): Promise<IteratorResult<Task<T>, undefined>> {
    return new Promise((resolve, reject) => {
      const request = { kind, consumer: currentTask(), resolve, reject };
      if (this.#request === null) this.#serve(request);
      else this.#backlog.push(request);
    });
  }

  #serve(request: Request<T>): void {
    this.#request = request;
    if (this.#finished) return this.#respond({ value: undefined, done: true });
    if (request.kind === "return") return this.#leave("return");
    if (this.#ready.size > 0) {
      return this.#respond({ value: this.#ready.popFront() as Task<T>, done: false });
    }
    if (this.#unsettled.size === 0) {
      this.#finished = true;
      this.bar?.close();
      return this.#respond({ value: undefined, done: true });
    }
    if (performance.now() >= this.deadline) return this.#leave("timeout");
    if (this.deadline !== Infinity) {
      this.#clearTimer = setDeadline(this.deadline, () => {
        this.#clearTimer = null;
        this.#leave("timeout");
      });
    }
    this.#block();
  }

  /** End the iteration: cancel the tasks created here, answer once they have finished. */
  #leave(kind: "timeout" | "return" | "cancel"): void {
    this.#leaving = kind;
    this.#finished = true;
    this.bar?.close();
    this.#clearTimer?.();
    this.#clearTimer = null;
    const unfinished = this.#unsettled.size;
    const owned: Task<T>[] = [];
    for (const task of this.#unsettled) {
      taskInternals.unobserve(task, this);
      if (this.#owned.has(task)) owned.push(task);
    }
    this.#unsettled.clear();
    this.#ready.clear();
    const message = kind === "cancel"
      ? (this.#cancelError as CancelledError).message
      : kind === "timeout"
      ? "asCompleted() timed out"
      : "asCompleted() loop left early";
    const waiting = cancelAndWait(owned, kind === "timeout" ? "timeout" : "parent", message, () => {
      this.#release();
      if (this.#cancelError !== null) this.#respond(this.#cancelError);
      else if (kind === "timeout") {
        this.#respond(
          new TimeoutError(`asCompleted(): ${unfinished} task(s) unfinished after ${this.ms} ms`),
        );
      } else this.#respond({ value: undefined, done: true });
    });
    if (waiting && !this.#blocked) this.#block();
  }

  #block(): void {
    const consumer = (this.#request as Request<T>).consumer;
    this.#blocked = true;
    if (consumer !== undefined) taskInternals.block(consumer, this);
  }

  #release(): void {
    this.#clearTimer?.();
    this.#clearTimer = null;
    if (!this.#blocked) return;
    this.#blocked = false;
    const consumer = (this.#request as Request<T>).consumer;
    if (consumer !== undefined) taskInternals.unblock(consumer, this);
  }

  /** Settle the current request with a result or an error, then serve the next. */
  #respond(outcome: IteratorResult<Task<T>, undefined> | Error): void {
    const request = this.#request as Request<T>;
    this.#request = null;
    if (outcome instanceof Error) request.reject(outcome);
    else request.resolve(outcome);
    const next = this.#backlog.shift();
    if (next !== undefined) this.#serve(next);
  }
}
