/**
 * A one-waiter wake-up call: the consumer of a stream helper (`mapLimitStream`,
 * `merge`, `tee`, the rate limiter's timer) waits here, producers `notify()`.
 * The wait is a library await: the waiting task shows `label` in the monitor
 * and a cancellation is delivered here.
 */
import type { CancelledError } from "./errors.ts";
import {
  type Blocker,
  currentTask,
  takePendingCancel,
  type Task,
  taskInternals,
} from "./runtime/mod.ts";

/** A wake-up call that one waiter at a time waits for. */
export class Wakeup implements Blocker {
  #resolve: (() => void) | null = null;
  #reject: ((error: unknown) => void) | null = null;
  #task: Task<unknown> | undefined = undefined;
  /** `notify()` was called while nobody waited: the next wait returns at once. */
  #pending = false;

  /**
   * A wake-up call shown in the monitor as `label`.
   *
   * @param label What the waiting task shows it waits on.
   */
  constructor(public label: string) {}

  /** Whether somebody waits now. */
  get waiting(): boolean {
    return this.#resolve !== null;
  }

  /**
   * Wait for the next `notify()` (or return at once if one came since the
   * last wait).
   *
   * @throws {CancelledError} If the waiting task is cancelled.
   */
  wait(): Promise<void> {
    const task = currentTask();
    if (this.#pending) {
      this.#pending = false;
      const cancelled = takePendingCancel(task);
      return cancelled === null ? Promise.resolve() : Promise.reject(cancelled);
    }
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#task = task;
      if (task !== undefined) taskInternals.block(task, this);
    });
  }

  /** Wake the waiter, or let the next wait return at once. */
  notify(): void {
    const resolve = this.#resolve;
    if (resolve === null) {
      this.#pending = true;
      return;
    }
    this.#release();
    resolve();
  }

  /** The blocker protocol: the waiting task was cancelled. */
  cancel(error: CancelledError): void {
    const reject = this.#reject;
    if (reject === null) return;
    this.#release();
    reject(error);
  }

  #release(): void {
    const task = this.#task;
    this.#resolve = this.#reject = null;
    this.#task = undefined;
    if (task !== undefined) taskInternals.unblock(task, this);
  }
}
