/**
 * Describing a task: the monitor's `TaskInfo`, the finished-task history's
 * entry (a description, never the value or the error itself) and the
 * inspect hook (`console.log(task)`).
 */
import type { CancelReason } from "../errors.ts";
import { describe } from "./describe.ts";
import { fromTicks } from "./clock.ts";
import { FinishedEntry, type TaskInfo } from "./registry.ts";
import { isCancelledError } from "./scope_errors.ts";
import { inspectable, quote } from "../_inspect.ts";
import type { Task } from "./task.ts";
import { access } from "./_task_access.ts";

/** Longest `result` preview of a done task, in characters. */
const PREVIEW_LENGTH = 60;

/**
 * The history's description of a task that has just finished.
 *
 * @param task A finished task.
 * @returns Its entry.
 */
export function finishedEntry(task: Task<unknown>): FinishedEntry {
  const state = access.state(task);
  let outcome = access.slot(task);
  let cancelReason: CancelReason | undefined;
  if (state !== "done") {
    if (isCancelledError(outcome)) cancelReason = outcome.reason;
    outcome = describe(outcome);
  } else if (
    outcome !== null && typeof outcome !== "number" && typeof outcome !== "boolean" &&
    outcome !== undefined
  ) {
    outcome = describe(outcome, { maxLength: PREVIEW_LENGTH });
  }
  return new FinishedEntry(
    task.id,
    access.givenName(task),
    task.parent === undefined ? 0 : task.parent.id,
    state,
    access.createdAt(task),
    access.startedAt(task),
    access.endedAt(task),
    outcome as string | number | boolean | null | undefined,
    cancelReason,
  );
}

/**
 * The monitor's description of a task, now.
 *
 * @param task Any task.
 * @returns Its `TaskInfo`.
 */
export function taskInfo(task: Task<unknown>): TaskInfo {
  const state = access.state(task);
  const info: TaskInfo = {
    id: task.id,
    name: task.name,
    state,
    createdAt: fromTicks(access.createdAt(task)),
  };
  if (task.parent !== undefined) info.parentId = task.parent.id;
  if (state !== "pending") info.startedAt = fromTicks(access.startedAt(task));
  if (task.done()) info.endedAt = fromTicks(access.endedAt(task));
  const blocker = access.blocker(task) ?? access.extra(task)?.moreBlockers?.any();
  if (blocker !== undefined) info.waitingOn = blocker.label;
  if (state === "done") {
    info.result = describe(access.slot(task), { maxLength: PREVIEW_LENGTH });
  } else if (state === "failed" || state === "cancelled") {
    const outcome = access.slot(task);
    info.error = describe(outcome);
    if (isCancelledError(outcome)) info.cancelReason = outcome.reason;
  }
  return info;
}

/**
 * Give `Task` its inspect hooks (Deno's and Node's).
 *
 * @param taskClass The `Task` class.
 */
export function installTaskInspect(taskClass: { prototype: Task<unknown> }): void {
  inspectable(taskClass, "Task", (task) => {
    const info = taskInfo(task);
    return {
      id: info.id,
      name: quote(info.name),
      state: info.state,
      waitingOn: info.waitingOn === undefined ? undefined : quote(info.waitingOn),
      error: info.error === undefined ? undefined : quote(info.error),
    };
  });
}
