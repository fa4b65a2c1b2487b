/**
 * `snapshot()` and `taskInfo()`: plain `TaskInfo` descriptions of the live
 * tasks and of the bounded history of finished ones.
 *
 * @module
 */
import {
  allTasks,
  currentTask,
  finishedTasks,
  Task,
  type TaskInfo,
  taskInternals,
} from "../runtime/mod.ts";

/** Finished tasks never change: their descriptions are built once. */
const finishedInfos = new WeakMap<Task<unknown>, TaskInfo>();

/** What a task in a non-corun await shows as `waitingOn`. */
export const FOREIGN_AWAIT = "a promise outside corun (not cancellable)";

/** What each waiting task was first seen waiting on, and when. */
const waits = new WeakMap<Task<unknown>, { label: string; since: number }>();

/**
 * Describe one task as it is now: what `snapshot()` lists for it, plus, once
 * it has ended, how (`result` preview, `error`, `cancelReason`). Reading a
 * task's outcome this way never counts as retrieving its error.
 *
 * @param task Any task, live or finished.
 * @returns A new plain object, safe to serialise.
 * @throws {TypeError} If `task` is not a `Task`.
 *
 * @example Describing a finished task
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask } from "@corun/corun";
 * import { taskInfo } from "@corun/corun/monitor";
 *
 * const task = createTask(() => 42, { name: "answer" });
 * await task;
 * const info = taskInfo(task);
 * assert.equal(info.name, "answer");
 * assert.equal(info.state, "done");
 * assert.equal(info.result, "42"); // a one-line description, not the value
 * ```
 */
export function taskInfo(task: Task<unknown>): TaskInfo {
  if (!(task instanceof Task)) throw new TypeError("task must be a Task");
  const cached = finishedInfos.get(task);
  if (cached !== undefined) return { ...cached };
  const info = taskInternals.info(task);
  if (info.state === "running" && task !== currentTask()) {
    // Only the current task executes; a "running" one that is not it is
    // suspended in an await corun does not know (a fetch, a plain promise).
    info.state = "waiting";
    info.waitingOn = FOREIGN_AWAIT;
  }
  if (info.waitingOn !== undefined) {
    const now = performance.now();
    let wait = waits.get(task);
    if (wait === undefined || wait.label !== info.waitingOn) {
      wait = { label: info.waitingOn, since: now };
      waits.set(task, wait);
    }
    info.waitingSince = wait.since;
  } else if (info.endedAt === undefined) {
    waits.delete(task);
  }
  if (info.endedAt !== undefined) {
    delete info.waitingSince;
    finishedInfos.set(task, info);
  }
  return { ...info };
}

/**
 * Every live task and the recently finished ones (the history keeps the last
 * 1,000 by default, see `setHistoryLimit`), ordered by id. Live tasks show
 * their state at this moment and what they wait on; finished ones show how
 * they ended.
 *
 * @returns A new array of new plain objects.
 *
 * @example Seeing a task wait
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 * import { snapshot } from "@corun/corun/monitor";
 *
 * const task = createTask(() => sleep(50), { name: "napper" });
 * await sleep(10);
 * const info = snapshot().find((t) => t.id === task.id);
 * assert.equal(info?.state, "waiting");
 * assert.equal(info?.waitingOn, "sleep(50)");
 * task.cancel();
 * await task.catch(() => {});
 * ```
 */
export function snapshot(): TaskInfo[] {
  return recentTasks(Infinity);
}

/**
 * Like {@linkcode snapshot}, with only the last `finishedLimit` finished
 * tasks of the history: what the monitor's event stream sends, so that
 * what one client is sent does not grow with `setHistoryLimit`.
 *
 * @param finishedLimit How many finished tasks at most (the most recent).
 * @returns Every live task and those finished ones, ordered by id.
 * @throws {RangeError} If `finishedLimit` is negative or not a number.
 *
 * @example The live tasks and the last finished one
 * ```ts
 * import { createTask, sleep } from "@corun/corun";
 * import { recentTasks } from "./snapshot.ts";
 *
 * await createTask(() => 1);
 * await createTask(() => 2, { name: "last" });
 * const finished = recentTasks(1).filter((t) => t.endedAt !== undefined);
 * if (finished.length !== 1 || finished[0].name !== "last") throw new Error();
 * await sleep(0);
 * ```
 */
export function recentTasks(finishedLimit: number): TaskInfo[] {
  if (typeof finishedLimit !== "number" || !(finishedLimit >= 0)) {
    throw new RangeError(
      `finishedLimit must be a non-negative number, got ${String(finishedLimit)}`,
    );
  }
  // The history holds each finished task once, and no live task.
  const history = finishedTasks();
  const kept = finishedLimit >= history.length ? history : history.slice(-finishedLimit);
  const infos = kept.map((entry) => entry.info());
  for (const task of allTasks()) infos.push(taskInfo(task));
  return infos.sort((a, b) => a.id - b.id);
}
