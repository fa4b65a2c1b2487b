/**
 * Tasks from outside: `createTask`, `currentTask`, `allTasks`, and the types
 * of task bodies (the `Task` class itself is in `task.ts`).
 *
 * @module
 */
import { describe } from "./describe.ts";
import { awaitableKind, checkOptionalString, readField } from "../_validate.ts";
import { awaitPromise } from "./await_task.ts";
import { taskContext } from "./context.ts";
import { taskInternals } from "./internals.ts";
import { liveScopes } from "./registry.ts";
import type { Task } from "./task.ts";
import { tasksOf } from "./_task_access.ts";

/**
 * The body of a task: it receives an `AbortSignal` that aborts, with the
 * task's `CancelledError` as its reason, when the task is cancelled.
 *
 * The signal is created only for a function that declares a parameter
 * (`(signal) => ...`): most bodies never use it, and skipping it makes a task
 * about 130 bytes lighter. A function declared without parameters, rest
 * parameters (`(...args) => ...`) included, is called with none; it can still
 * read `currentTask()!.signal`.
 */
export type TaskFn<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * What the waiting functions accept: a task, any promise, or a task function
 * (started as a new task, which can be cancelled; a plain promise can only be
 * abandoned).
 */
export type TaskLike<T> = Task<T> | PromiseLike<T> | TaskFn<T>;

/** The default options of `createTask` (shared: nothing to check or allocate). */
const NO_OPTIONS: CreateTaskOptions = Object.freeze({});

/** Options for {@linkcode createTask}. */
export interface CreateTaskOptions {
  /**
   * The task's name, shown by the monitor and in errors.
   * @default {`Task-<id>`}
   */
  name?: string;
  /**
   * Start the body synchronously inside `createTask`, up to its first await.
   * @default {false}
   */
  eager?: boolean;
}

/**
 * Start `fn` as a new task, or wrap a promise in one. The body starts after
 * the current synchronous code (never inside `createTask`) unless
 * `eager: true`, in creation order, and in the async context `createTask`
 * was called in: it sees the caller's `AsyncLocalStorage` values, as an
 * asyncio task copies its creator's context. Works inside and outside
 * `run`; the task is not cancelled when its creator finishes (use
 * `TaskGroup` for that).
 *
 * @param fn A task function, called with the task's `AbortSignal`, or a
 *   promise to await (a wrapped promise can be abandoned, not interrupted).
 * @param options `name` and `eager`.
 * @returns The new task.
 * @throws {TypeError} If `fn` is neither a function nor a promise.
 *
 * @example A task in the background
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 *
 * const task = createTask(async () => {
 *   await sleep(10);
 *   return 42;
 * }, { name: "answer" });
 * assert.equal(task.name, "answer");
 * assert.equal(await task, 42);
 * ```
 */
export function createTask<T>(
  fn: TaskFn<T> | PromiseLike<T>,
  options: CreateTaskOptions = NO_OPTIONS,
): Task<T> {
  if (options !== NO_OPTIONS) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    }
    // Read once here, so that a revoked Proxy or a throwing getter is a
    // TypeError naming it (spawn reads them again).
    checkOptionalString(readField(options, "name", "options"), "options.name");
    readField(options, "eager", "options");
  }
  if (typeof fn === "function") return taskInternals.spawn(fn, options);
  if (awaitableKind(fn, "fn") === "thenable") {
    const promise = fn;
    // If the task is cancelled before it starts, nobody ever awaits the
    // promise: its rejection must not become an unhandled one.
    if (promise instanceof Promise) Promise.prototype.then.call(promise, undefined, ignore);
    return taskInternals.spawn(() => awaitPromise(promise, "promise"), options);
  }
  throw new TypeError(`fn must be a task function or a promise, got ${describe(fn)}`);
}

/**
 * The task whose body is running now.
 *
 * @returns The current task, or `undefined` outside any task.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, currentTask } from "@corun/corun";
 *
 * const task = createTask(() => currentTask()?.name, { name: "me" });
 * assert.equal(await task, "me");
 * ```
 */
export function currentTask(): Task<unknown> | undefined {
  return taskContext.getStore() as Task<unknown> | undefined;
}

/**
 * Every unfinished task, in every run and outside any.
 *
 * @returns A new set of the tasks that have not finished.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allTasks, createTask, sleep } from "@corun/corun";
 *
 * const task = createTask(() => sleep(10));
 * assert.ok(allTasks().has(task));
 * await task;
 * assert.ok(!allTasks().has(task));
 * ```
 */
export function allTasks(): Set<Task<unknown>> {
  const tasks = new Set<Task<unknown>>();
  for (const scope of liveScopes) for (const task of tasksOf(scope)) tasks.add(task);
  return tasks;
}

/** Whether `value` has a callable `then`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

function ignore(): void {}
