/**
 * Task events and the size of the finished-task history.
 *
 * @module
 */
import {
  addTaskListener,
  finishedCounts,
  getHistoryLimit as registryHistoryLimit,
  setHistoryLimit as registrySetHistoryLimit,
  type TaskEvent,
} from "../runtime/mod.ts";
import { describe } from "../_validate.ts";

/**
 * Call `listener` synchronously each time a task is created, starts, starts
 * waiting, resumes or ends (`event.type` is `created`, `started`, `waiting`,
 * `running` or `ended`). `event.task` is the live task: read what you need
 * right away (`taskInfo(event.task)` describes it). A listener that throws is
 * reported on stderr and never disturbs the task. While nobody listens, tasks
 * build no events at all.
 *
 * @param listener Called with each event.
 * @returns A function that unsubscribes (calling it again does nothing).
 * @throws {TypeError} If `listener` is not a function.
 *
 * @example Counting how tasks end
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask } from "@corun/corun";
 * import { onTaskEvent } from "@corun/corun/monitor";
 *
 * const ended: string[] = [];
 * const unsubscribe = onTaskEvent((event) => {
 *   if (event.type === "ended") ended.push(event.task.name);
 * });
 * await createTask(() => "hi", { name: "greeter" });
 * unsubscribe();
 * assert.deepEqual(ended, ["greeter"]);
 * ```
 */
export function onTaskEvent(listener: (event: TaskEvent) => void): () => void {
  if (typeof listener !== "function") {
    throw new TypeError(`listener must be a function, got ${describe(listener)}`);
  }
  // A fresh wrapper, so the same function can subscribe twice independently.
  return addTaskListener((event) => listener(event));
}

/**
 * Change how many finished tasks `snapshot()` remembers (the oldest are
 * dropped first). `0` keeps none.
 *
 * @param limit A non-negative integer.
 * @throws {RangeError} If `limit` is not a non-negative integer.
 *
 * @example Remembering more
 * ```ts
 * import assert from "node:assert/strict";
 * import { getHistoryLimit, setHistoryLimit } from "@corun/corun/monitor";
 *
 * setHistoryLimit(5_000);
 * assert.equal(getHistoryLimit(), 5000);
 * setHistoryLimit(1_000);
 * ```
 */
export function setHistoryLimit(limit: number): void {
  registrySetHistoryLimit(limit);
}

/**
 * How many finished tasks `snapshot()` remembers at most.
 *
 * @returns The limit; 1,000 unless changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getHistoryLimit } from "@corun/corun/monitor";
 *
 * assert.equal(getHistoryLimit(), 1_000); // the default
 * ```
 */
export function getHistoryLimit(): number {
  return registryHistoryLimit();
}

/**
 * How many finished tasks the history has dropped so far (pushed out past
 * the limit, or not kept with a limit of 0): the part of the past that
 * `snapshot()` no longer shows.
 *
 * @returns A count that only grows.
 *
 * @example Seeing the history forget
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask } from "@corun/corun";
 * import { droppedTaskCount, getHistoryLimit, setHistoryLimit } from "@corun/corun/monitor";
 *
 * const limit = getHistoryLimit();
 * setHistoryLimit(0); // keep none: every finished task is dropped
 * const before = droppedTaskCount();
 * await createTask(() => 1);
 * await createTask(() => 2);
 * assert.equal(droppedTaskCount() - before, 2);
 * setHistoryLimit(limit);
 * ```
 */
export function droppedTaskCount(): number {
  return finishedCounts().dropped;
}
