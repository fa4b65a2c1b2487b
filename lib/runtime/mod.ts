/**
 * The engine's one way in: everything outside `lib/runtime/` (the
 * primitives, workers, the monitor, the REPL, the CLI) imports the engine
 * from here, never from a file of this folder. What is here is
 * library-internal unless `mod.ts` or `monitor.ts` re-exports it.
 *
 * The engine: `task.ts` (the `Task` state machine, see `TaskState` in
 * `registry.ts`), `scheduler.ts` (start order, next turn), `deadlines.ts`
 * (one timer for every deadline), `cancel_scope.ts`, `await_task.ts`
 * (awaiting a task or a promise from a task), `registry.ts` (runs, events,
 * history), `report.ts` (errors never retrieved), `internals.ts` (the
 * library's access to a task's private state), `clock.ts`.
 *
 * @module
 */
export { isTask, Task } from "./task.ts";
export {
  allTasks,
  createTask,
  type CreateTaskOptions,
  currentTask,
  isThenable,
  type TaskFn,
  type TaskLike,
} from "./create_task.ts";
export { awaitPromise, awaitTask, TaskWaiter, waitOnTask } from "./await_task.ts";
export { taskInternals } from "./internals.ts";
export { isCancelledError, preferCancel } from "./scope_errors.ts";
export type { Blocker, TaskObserver } from "./blocker.ts";
export { CancelScope } from "./cancel_scope.ts";
export { taskContext } from "./context.ts";
export { addDeadline, type DeadlineEntry, removeDeadline, setDeadline } from "./deadlines.ts";
export { describe } from "./describe.ts";
export { detach, detachable, detachableLater, shieldable } from "./detach.ts";
export {
  addTaskListener,
  corunCopies,
  finishedCounts,
  finishedTasks,
  getHistoryLimit,
  type RunScope,
  setHistoryLimit,
  type TaskEvent,
  type TaskEventType,
  type TaskInfo,
  type TaskState,
  unretrievedFinished,
} from "./registry.ts";
export { cancelNextTurn, type TurnWaiter, waitNextTurn } from "./scheduler.ts";
export { enqueue, takePendingCancel, Waiter, type WaiterHome, WaiterList } from "./waiter_list.ts";
