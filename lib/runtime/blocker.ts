/**
 * The protocol between a task and the library await it is blocked in.
 *
 * A primitive that makes a task wait (sleep, a queue, a lock, awaiting another
 * task, ...) registers a `Blocker` with `block()` as the last step of setting
 * up its wait, and removes it with `unblock()` when the wait ends. If the task
 * is cancelled meanwhile, the task calls `cancel(error)` exactly once: the
 * primitive removes its timers and listeners and rejects its promise with that
 * very `error` object (or, for task-like waits, passes the cancellation on and
 * rejects with it once the inner work has finished).
 */
import type { CancelledError } from "../errors.ts";
import type { ScopeHandle } from "./scope_errors.ts";
import type { Task } from "./task.ts";

/** Something a task is blocked in. */
export interface Blocker {
  /** What the monitor shows in `waitingOn`, e.g. `sleep(500)` or `Task-7`. */
  readonly label: string;
  /**
   * Set on a wait for work running in the same task (`retry` awaiting the
   * call under way): shown by the monitor, but never handed a cancellation.
   * That goes to the library awaits of the work itself, or stays pending for
   * its next one, so the wrapper sees how the work ended (a `TimeoutError`
   * of a `timeout()` inside it, say) instead of abandoning it.
   */
  readonly passive?: boolean;
  /**
   * Set on `shield()`'s own await: the scopes it shielded, still open (the
   * work inside runs on) though the await is made outside them.
   */
  outside?: readonly ScopeHandle[];
  /**
   * The blocked task was cancelled: undo the wait and reject with `error`.
   * `task` tells a blocker shared by several tasks (an `Event`'s group of
   * waiters) which of them it is.
   */
  cancel(error: CancelledError, task: Task<unknown>): void;
  /**
   * Set by the task while it waits in this and other blockers at once (see
   * `BlockerSet`); a blocker class declares it (`blockSlot = -1`) to keep
   * its objects' shape stable.
   */
  blockSlot?: number;
}

/** Notified, synchronously, when an observed task settles. */
export interface TaskObserver {
  /** The observed task has just become done, failed or cancelled. */
  taskSettled(task: object): void;
}
