/**
 * The errors corun throws. Each has its own `name`, so `err.name` tells them
 * apart across realms and after structured cloning.
 *
 * @module
 */

/** Why a task or a cancel scope was cancelled. */
export type CancelReason =
  /** `task.cancel()` was called. */
  | "explicit"
  /** A deadline passed (`waitFor`, `timeout`, `timeoutAt`, `moveOnAfter`). */
  | "timeout"
  /** The task awaiting it, its task group or a failing sibling cancelled it. */
  | "parent"
  /** Its `run` ended while it was still unfinished. */
  | "shutdown";

/** Options for {@linkcode CancelledError}. */
export interface CancelledErrorOptions {
  /**
   * Why the work was cancelled.
   * @default {"explicit"}
   */
  reason?: CancelReason;
  /** The name of the cancelled task, when a task was cancelled. */
  taskName?: string;
  /** The id of the cancelled task, when a task was cancelled. */
  taskId?: number;
}

/**
 * Thrown into a task at the library await it is blocked in (or its next one)
 * when the task is cancelled; awaiting a cancelled task rejects with it.
 *
 * Catch it only to clean up, then rethrow: a body that swallows it and
 * returns ends `done`, not `cancelled`.
 *
 * @example Telling why a task stopped
 * ```ts
 * import assert from "node:assert/strict";
 * import { CancelledError, createTask, sleep } from "@corun/corun";
 *
 * const task = createTask(() => sleep(10_000), { name: "slow" });
 * task.cancel("no longer needed");
 * try {
 *   await task;
 * } catch (error) {
 *   if (!(error instanceof CancelledError)) throw error;
 *   assert.equal(error.reason, "explicit");
 *   assert.equal(error.taskName, "slow");
 *   assert.equal(error.message, "no longer needed");
 * }
 * ```
 */
export class CancelledError extends Error {
  /** Always `"CancelledError"`. */
  override name = "CancelledError";
  /** Why the work was cancelled. */
  readonly reason: CancelReason;
  /** The name of the cancelled task, if a task was cancelled. */
  readonly taskName: string | undefined;
  /** The id of the cancelled task, if a task was cancelled. */
  readonly taskId: number | undefined;

  /**
   * Make a cancellation error; corun makes them for you when it cancels.
   *
   * @param message What the canceller said; `task.cancel(message)` passes it on.
   * @param options Why, and which task.
   */
  constructor(message = "", options: CancelledErrorOptions = {}) {
    super(message);
    this.reason = options.reason ?? "explicit";
    this.taskName = options.taskName;
    this.taskId = options.taskId;
  }
}

/**
 * Thrown when a deadline passes: by `waitFor`, `timeout`, `timeoutAt` and
 * `asCompleted`. Its `cause` is the `CancelledError` that stopped the work,
 * when there was one.
 *
 * @example Catching a timeout
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep, TimeoutError, waitFor } from "@corun/corun";
 *
 * await assert.rejects(waitFor(() => sleep(1_000), 10), TimeoutError);
 * ```
 */
export class TimeoutError extends Error {
  /** Always `"TimeoutError"`. */
  override name = "TimeoutError";

  /**
   * Make a timeout error.
   *
   * @param message What timed out.
   * @param options `cause`: the error that ended the work, if any.
   */
  constructor(message = "the deadline passed", options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Thrown when an operation does not fit the object's current state: the
 * result of an unfinished task, `release()` of an unlocked lock, a task
 * added to a finished `TaskGroup`, ...
 *
 * @example Asking an unfinished task for its result
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, InvalidStateError, sleep } from "@corun/corun";
 *
 * const task = createTask(() => sleep(1, "late"));
 * assert.throws(() => task.result(), InvalidStateError);
 * await task;
 * ```
 */
export class InvalidStateError extends Error {
  /** Always `"InvalidStateError"`. */
  override name = "InvalidStateError";
}

/**
 * Thrown by `getNowait()` on an empty queue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QueueEmpty } from "@corun/corun";
 *
 * assert.equal(new QueueEmpty().name, "QueueEmpty");
 * ```
 */
export class QueueEmpty extends Error {
  /** Always `"QueueEmpty"`. */
  override name = "QueueEmpty";

  /**
   * Make the error.
   *
   * @param message What was empty.
   */
  constructor(message = "the queue is empty") {
    super(message);
  }
}

/**
 * Thrown by `putNowait()` on a full queue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QueueFull } from "@corun/corun";
 *
 * assert.equal(new QueueFull().name, "QueueFull");
 * ```
 */
export class QueueFull extends Error {
  /** Always `"QueueFull"`. */
  override name = "QueueFull";

  /**
   * Make the error.
   *
   * @param message What was full.
   */
  constructor(message = "the queue is full") {
    super(message);
  }
}

/**
 * Thrown by `put()` after `shutdown()`, and by `get()` once a shut-down queue
 * is empty (at once after `shutdown(true)`); blocked getters and putters wake
 * with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QueueShutDown } from "@corun/corun";
 *
 * assert.equal(new QueueShutDown().name, "QueueShutDown");
 * ```
 */
export class QueueShutDown extends Error {
  /** Always `"QueueShutDown"`. */
  override name = "QueueShutDown";

  /**
   * Make the error.
   *
   * @param message What was shut down.
   */
  constructor(message = "the queue is shut down") {
    super(message);
  }
}

/**
 * Thrown by `Barrier.wait()` when the barrier is aborted or reset while
 * tasks wait on it, or is already broken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BrokenBarrierError } from "@corun/corun";
 *
 * assert.equal(new BrokenBarrierError().name, "BrokenBarrierError");
 * ```
 */
export class BrokenBarrierError extends Error {
  /** Always `"BrokenBarrierError"`. */
  override name = "BrokenBarrierError";

  /**
   * Make the error.
   *
   * @param message How the barrier broke.
   */
  constructor(message = "the barrier is broken") {
    super(message);
  }
}
