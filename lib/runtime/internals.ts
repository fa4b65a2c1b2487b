/**
 * Library-internal access to task state. `Task` keeps its state in private
 * fields and fills `taskInternals` in from its static block; library modules
 * use it, users never see it (it is not exported from `mod.ts`).
 */
import type { CancelledError, CancelReason } from "../errors.ts";
import type { CreateTaskOptions, TaskFn } from "./create_task.ts";
import type { Task } from "./task.ts";
import type { Blocker, TaskObserver } from "./blocker.ts";
import type { RunScope, TaskInfo, TaskState } from "./registry.ts";
import type { ScopeHandle } from "./scope_errors.ts";

/** What library modules may do with a task. */
export interface TaskInternals {
  /** Create a task (`ownedRun`: as the root task of a new run). */
  spawn<T>(
    body: TaskFn<T>,
    options: CreateTaskOptions,
    ownedRun?: { debug?: boolean },
  ): Task<T>;
  /**
   * `spawn` with the parent given (`undefined`: none) instead of read from
   * the context, which saves entering a context frame when work started from
   * one task's end belongs to another (mapLimit's next call). `helper`
   * (the `mapLimit` or stream serving the task) batches the starts: see
   * `scheduleChildStart`.
   */
  spawnChild<T>(
    parent: Task<unknown> | undefined,
    body: TaskFn<T>,
    options: CreateTaskOptions,
    helper: object,
  ): Task<T>;
  /**
   * Register a blocker; delivers a pending cancellation to it at once.
   * `unblock` of a blocker that is not registered does nothing, so a blocker
   * may always unblock when its wait ends.
   */
  block(task: Task<unknown>, blocker: Blocker): boolean;
  /**
   * Whether `task` may wait in a blocker it shares with other tasks (an
   * `Event`'s group of waiters): only in its first blocker slot, outside any
   * cancel scope, with no cancellation pending. Otherwise its wait needs a
   * blocker of its own.
   */
  canShareBlocker(task: Task<unknown>): boolean;
  /** Unregister a blocker (nothing if it is not registered). */
  unblock(task: Task<unknown>, blocker: Blocker): void;
  /** Observe a task's end; `false` (and no call) if it has already ended. */
  observe(task: Task<unknown>, observer: TaskObserver): boolean;
  /** Stop observing a task's end. */
  unobserve(task: Task<unknown>, observer: TaskObserver): void;
  /** Cancel with a given reason (`timeout`, `parent`, ...); `false` if already done. */
  cancelWith(task: Task<unknown>, reason: CancelReason, message?: string): boolean;
  /** The outcome of a finished task; marks its error as retrieved. */
  outcome<T>(task: Task<T>): { state: TaskState; value: T | undefined; error: unknown };
  /** The task's state, without building a TaskInfo. */
  state(task: Task<unknown>): TaskState;
  /** The task's error or `CancelledError`, without marking it retrieved. */
  peekError(task: Task<unknown>): unknown;
  /** Whether a cancellation is requested and not yet delivered. */
  isCancelRequested(task: Task<unknown>): boolean;
  /**
   * Deliver a pending cancellation here and now: for a library await that
   * completes without waiting (a free lock, a non-empty queue), which must
   * still not succeed for a cancelled task.
   *
   * @returns The pending `CancelledError`, now delivered, or `null`.
   */
  takePending(task: Task<unknown>): CancelledError | null;
  /** The task's innermost open cancel scope. */
  currentScope(task: Task<unknown>): ScopeHandle | null;
  /** Open a cancel scope inside the task. */
  enterScope(task: Task<unknown>, scope: ScopeHandle): void;
  /**
   * Close a cancel scope (innermost or, already unlinked, not); drops its
   * pending cancellation. A task whose body ended while a shielded scope
   * was open settles once the last one is closed.
   */
  exitScope(task: Task<unknown>, scope: ScopeHandle): void;
  /** Cancel what runs inside `scope` (the task keeps running outside it). */
  cancelScope(task: Task<unknown>, scope: ScopeHandle, reason: CancelReason): void;
  /**
   * Whether the cancellation being handled now has already reached `task`:
   * passing it on to `task` again means the tasks await each other in a cycle
   * (or two of them await `task`).
   */
  reachedByThisCancel(task: Task<unknown>): boolean;
  /** The scope a `CancelledError` was raised for, if any. */
  scopeOf(error: CancelledError): ScopeHandle | undefined;
  /** The monitor's description of the task. */
  info(task: Task<unknown>): TaskInfo;
  /** Where the task was created (debug mode only). */
  createdStack(task: Task<unknown>): string | undefined;
  /** The run a task belongs to (the global scope outside any run). */
  runOf(task: Task<unknown>): RunScope;
  /** For a run's root task, the scope of that run. */
  ownedRunOf(task: Task<unknown>): RunScope | null;
  /** The task most recently started or resumed from a library await. */
  lastResumed(): { id: number; name: string } | undefined;
}

/** Set once, by `Task`'s static block. */
export let taskInternals: TaskInternals;

/** Called once by `Task`'s static block, which can reach its private fields. */
export function installTaskInternals(internals: TaskInternals): void {
  taskInternals = internals;
}
