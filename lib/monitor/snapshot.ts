/**
 * `snapshot()` and `taskInfo()`: plain `TaskInfo` descriptions of the live
 * tasks and of the bounded history of finished ones.
 *
 * @module
 */
import { finishedTasks, type TaskInfo } from "../runtime/registry.ts";
import { allTasks, Task, taskInternals } from "../task.ts";

/** Finished tasks never change: their descriptions are built once. */
const finishedInfos = new WeakMap<Task<unknown>, TaskInfo>();

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
  if (info.endedAt !== undefined) finishedInfos.set(task, info);
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
  // The history holds each finished task once, and no live task.
  const infos = finishedTasks().map((entry) => entry.info());
  for (const task of allTasks()) infos.push(taskInfo(task));
  return infos.sort((a, b) => a.id - b.id);
}
