/**
 * What runs when a task ends: its done callbacks (user code, a microtask
 * later) and the library's observers (at once); a throwing one is printed,
 * never propagated.
 */
import { describe } from "./describe.ts";
import { checkFunction } from "../_validate.ts";
import type { TaskObserver } from "./blocker.ts";
import { emit, hasListeners, keepsHistory, markUnretrieved, recordFinished } from "./registry.ts";
import type { Task } from "./task.ts";
import { finishedEntry } from "./task_info.ts";
import { noteUnretrieved } from "./task_run_end.ts";
import { access, type TaskExtra } from "./_task_access.ts";

/**
 * Everything that follows the end of a task, once its state is final: the
 * `ended` event, its observers, the report of an unretrieved error, the
 * history entry and the done callbacks.
 *
 * @param task The task, just settled.
 * @param observers Its observers, taken off it.
 * @param extra Its rarely used state, if any.
 */
export function taskEnded(
  task: Task<unknown>,
  observers: TaskObserver | TaskObserver[] | null,
  extra: TaskExtra | null,
): void {
  if (hasListeners()) emit("ended", task);
  if (observers !== null) notifyObservers(task, observers);
  // Read after the observers: they may retrieve the error.
  const unretrieved = access.unretrieved(task);
  if (unretrieved) noteUnretrieved(task);
  // A description only: keeping the task would keep its value or error.
  if (keepsHistory()) {
    const entry = finishedEntry(task);
    recordFinished(entry);
    if (unretrieved) markUnretrieved(task, entry);
  }
  const callbacks = extra?.callbacks;
  if (extra && callbacks) {
    extra.callbacks = null;
    runDoneCallbacks(task, callbacks);
  }
}

/**
 * A promise that resolves once `task` has finished (never with its outcome).
 *
 * @param task The task.
 * @returns The promise.
 */
export function ended(task: Task<unknown>): Promise<void> {
  if (task.done()) return Promise.resolve();
  return new Promise((resolve) => access.observe(task, { taskSettled: () => resolve() }));
}

/**
 * `task.addDoneCallback(callback)`.
 *
 * @param task The task.
 * @param callback Called with the task once it has finished.
 * @throws {TypeError} If `callback` is not a function.
 */
export function addDoneCallback<T>(task: Task<T>, callback: (task: Task<T>) => void): void {
  checkFunction(callback, "callback");
  if (task.done()) queueMicrotask(() => callDone(callback, task));
  else (access.more(task).callbacks ??= []).push(callback);
}

/**
 * `task.removeDoneCallback(callback)`.
 *
 * @param task The task.
 * @param callback The callback to remove, every time it was added.
 * @returns How many registrations were removed.
 */
export function removeDoneCallback<T>(task: Task<T>, callback: (task: Task<T>) => void): number {
  const extra = access.extra(task);
  const callbacks = extra?.callbacks;
  if (!extra || !callbacks) return 0;
  const kept = callbacks.filter((c) => c !== callback);
  extra.callbacks = kept;
  return callbacks.length - kept.length;
}

/**
 * `observers` without `observer`.
 *
 * @param observers A task's observers.
 * @param observer The one to remove.
 * @returns What the task's observers are now.
 */
export function withoutObserver(
  observers: TaskObserver | TaskObserver[] | null,
  observer: TaskObserver,
): TaskObserver | TaskObserver[] | null {
  if (observers === observer) return null;
  if (Array.isArray(observers)) {
    const index = observers.indexOf(observer);
    if (index !== -1) observers.splice(index, 1);
  }
  return observers;
}

/** Call the done callbacks of a task that has just finished, a microtask later. */
// deno-lint-ignore no-explicit-any
function runDoneCallbacks(task: Task<unknown>, callbacks: ((task: any) => void)[]): void {
  queueMicrotask(() => {
    for (const callback of callbacks) callDone(callback, task);
  });
}

/** Tell the observers of a task that has just finished. */
function notifyObservers(
  task: Task<unknown>,
  observers: TaskObserver | TaskObserver[],
): void {
  if (Array.isArray(observers)) {
    for (let i = 0; i < observers.length; i++) notify(observers[i], task);
  } else {
    notify(observers, task);
  }
}

function notify(observer: TaskObserver, task: Task<unknown>): void {
  try {
    observer.taskSettled(task);
  } catch (failure) {
    console.error(`corun: internal observer failed: ${describe(failure, { stack: true })}`);
  }
}

function callDone<T>(callback: (task: Task<T>) => void, task: Task<T>): void {
  try {
    callback(task);
  } catch (error) {
    console.error(
      `corun: a done callback of ${task.name} threw: ${describe(error, { stack: true })}`,
    );
  }
}
