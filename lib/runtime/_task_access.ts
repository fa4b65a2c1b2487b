/**
 * How the files beside `task.ts` reach a task's private state. `Task` keeps
 * its state in `#private` fields (no second object per task, nothing users
 * can reach); its static block hands these accessors out once, so that the
 * cold parts of a task's life (cancellation plumbing, descriptions, done
 * callbacks, the end of a run) live in files of their own.
 */
import type { CancelledError } from "../errors.ts";
import type { TaskFn } from "./create_task.ts";
import type { Task } from "./task.ts";
import type { Blocker, TaskObserver } from "./blocker.ts";
import type { BlockerSet } from "./blocker_set.ts";
import type { RunScope, TaskState } from "./registry.ts";
import type { ScopeHandle } from "./scope_errors.ts";

/** State most tasks never need, allocated on first use. */
export interface TaskExtra {
  /** The task-level cancellation, once requested (what `signal` aborts with). */
  cancelError: CancelledError | null;
  /** A cancellation not yet delivered at a library await. */
  pending: CancelledError | null;
  /**
   * Blockers beyond the first slot: one task can be blocked in 100,000
   * awaits at once (a `Promise.all` of async functions), each leaving on its
   * own; the task is blocked while its first blocker or this is non-empty.
   */
  moreBlockers: BlockerSet | null;
  /** The cancellation (see `task_cancel.ts`) that last reached the task. */
  wave: number;
  /** The cancellation `pending` belongs to. */
  pendingWave: number;
  /** Done callbacks, until the task finishes. */
  // Typed loosely so that Task<T> stays assignable to Task<unknown>.
  // deno-lint-ignore no-explicit-any
  callbacks: ((task: any) => void)[] | null;
  /** The innermost active cancel scope. */
  scope: ScopeHandle | null;
  /** For a run's root task: the scope of that run. */
  ownedRun: RunScope | null;
  /** Set while a run's root cancels and awaits its leftovers. */
  draining: boolean;
  /**
   * How the body ended, while work it started in a shielded scope still
   * runs in the task: the task settles when the last such scope closes.
   */
  held: { state: TaskState; outcome: unknown } | null;
  /** Where the task was created (debug runs only). */
  createdStack: string | undefined;
}

/**
 * A task's `TaskExtra`, empty.
 *
 * @returns A new one.
 */
export function newExtra(): TaskExtra {
  return {
    cancelError: null,
    pending: null,
    moreBlockers: null,
    wave: 0,
    pendingWave: 0,
    callbacks: null,
    scope: null,
    ownedRun: null,
    draining: false,
    held: null,
    createdStack: undefined,
  };
}

/**
 * The controller behind a task's `signal`, aborted already if the task's
 * cancellation has been requested.
 *
 * @param extra The task's rarely used state, if any.
 * @returns A new controller.
 */
export function newController(extra: TaskExtra | null): AbortController {
  const controller = new AbortController();
  const cancelError = extra?.cancelError;
  if (cancelError) controller.abort(cancelError);
  return controller;
}

/** Reads and moves of a task's private state, for the files beside `task.ts`. */
export interface TaskAccess {
  /** The next unfinished task of the same run (see `RunScope.first`). */
  nextInRun(task: Task<unknown>): Task<unknown> | null;
  /** A new task (the constructor is private). */
  create<T>(
    body: TaskFn<T>,
    name: string | undefined,
    parent: Task<unknown> | undefined,
    run: RunScope,
  ): Task<T>;
  /** Start the body now (nothing unless pending). */
  begin(task: Task<unknown>, now?: number): void;
  /** The task's state. */
  state(task: Task<unknown>): TaskState;
  /** Put a run's root in `waiting` on `blocker`, while it cleans up. */
  waitIn(task: Task<unknown>, blocker: Blocker): void;
  /** The body until it starts, then the value or the error. */
  slot(task: Task<unknown>): unknown;
  /** The name given at creation, if any. */
  givenName(task: Task<unknown>): string | undefined;
  /** The rarely used state, if allocated. */
  extra(task: Task<unknown>): TaskExtra | null;
  /** The rarely used state, allocated if need be. */
  more(task: Task<unknown>): TaskExtra;
  /** The first blocker the task waits in. */
  blocker(task: Task<unknown>): Blocker | null;
  /** The controller behind `signal`, if somebody asked for it. */
  controller(task: Task<unknown>): AbortController | null;
  /** The run the task belongs to. */
  run(task: Task<unknown>): RunScope;
  /** When the task was created, started and ended, in ticks (see `clock.ts`). */
  createdAt(task: Task<unknown>): number;
  /** See `createdAt`. */
  startedAt(task: Task<unknown>): number;
  /** See `createdAt`. */
  endedAt(task: Task<unknown>): number;
  /** Mark the task's error retrieved. */
  retrieve(task: Task<unknown>): void;
  /** Observe the task's end (it is not done). */
  observe(task: Task<unknown>, observer: TaskObserver): void;
  /** Stop observing the task's end. */
  unobserve(task: Task<unknown>, observer: TaskObserver): void;
  /** Register a blocker (see `TaskInternals.block`). */
  block(task: Task<unknown>, blocker: Blocker): boolean;
  /** Unregister a blocker. */
  unblock(task: Task<unknown>, blocker: Blocker): void;
  /** Note that the body has reached a library await. */
  markBlocked(task: Task<unknown>): void;
  /** Whether the task failed and nobody has retrieved its error. */
  unretrieved(task: Task<unknown>): boolean;
  /** Whether the body has reached a library await. */
  blockedOnce(task: Task<unknown>): boolean;
  /** End the task with `state`, now. */
  settle(task: Task<unknown>, state: TaskState, outcome: unknown): void;
  /** The task most recently started or resumed from a library await. */
  lastResumed(): { id: number; name: string } | undefined;
}

/** Set once, by `Task`'s static block. */
export let access: TaskAccess;

/**
 * Called once by `Task`'s static block, which can reach its private fields.
 *
 * @param accessors The accessors.
 */
export function installTaskAccess(accessors: TaskAccess): void {
  access = accessors;
}

/**
 * The unfinished tasks of `run`, in creation order.
 *
 * @param run A run's scope.
 * @returns A new array of its tasks.
 */
export function tasksOf(run: RunScope): Task<unknown>[] {
  const tasks: Task<unknown>[] = [];
  for (let task = run.first; task !== null; task = access.nextInRun(task)) tasks.push(task);
  return tasks;
}
