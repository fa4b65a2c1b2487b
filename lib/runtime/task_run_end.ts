/**
 * The end of a run, seen from its root task: before it settles, the root
 * cancels and awaits every task its run left over, then reports the errors
 * nobody retrieved ("Task exception was never retrieved"). Outside any run,
 * an unretrieved error is reported when its task is garbage-collected.
 */
import { globalScope, markRetrieved, type RunScope, type TaskState } from "./registry.ts";
import {
  printUnretrieved,
  reportLeftovers,
  type Unretrieved,
  unwatch,
  watchUntilCollected,
} from "./report.ts";
import type { Task } from "./task.ts";
import { requestCancel } from "./task_cancel.ts";
import { access, tasksOf } from "./_task_access.ts";

/**
 * A run's root: cancel and await what its run left over, then settle.
 *
 * @param root The root task, whose body has ended.
 * @param state How it ended.
 * @param outcome Its value or error.
 */
export function drainRun(root: Task<unknown>, state: TaskState, outcome: unknown): void {
  const extra = access.more(root);
  const run = extra.ownedRun as RunScope;
  extra.draining = true;
  extra.moreBlockers = null;
  access.waitIn(root, { label: "run cleanup", cancel() {} });
  const step = (): void => {
    const leftovers = tasksOf(run);
    if (leftovers.length === 0) {
      run.closed = true;
      for (const task of run.unretrieved) printUnretrieved(unretrievedEntry(task));
      run.unretrieved.clear();
      extra.draining = false;
      access.settle(root, state, outcome);
      return;
    }
    if (run.debug) reportLeftovers(root, leftovers);
    let remaining = leftovers.length;
    const observer = { taskSettled: () => --remaining === 0 && step() };
    for (const task of leftovers) access.observe(task, observer);
    for (const task of leftovers) {
      if (!task.done()) requestCancel(task, "shutdown", `${root.name} finished`, null);
    }
  };
  step();
}

/**
 * Keep a task that has just failed, its error unretrieved, for the report:
 * its run's, or (outside any run) the one made when it is collected.
 *
 * @param task The task.
 */
export function noteUnretrieved(task: Task<unknown>): void {
  const run = access.run(task);
  if (run === globalScope) watchUntilCollected(task, unretrievedEntry(task));
  else run.unretrieved.add(task);
}

/**
 * Somebody retrieved the error of a failed task: no report for it.
 *
 * @param task The task.
 */
export function noteRetrieved(task: Task<unknown>): void {
  markRetrieved(task);
  const run = access.run(task);
  if (run === globalScope) unwatch(task);
  else run.unretrieved.delete(task);
}

function unretrievedEntry(task: Task<unknown>): Unretrieved {
  return { name: task.name, id: task.id, error: access.slot(task) };
}
