/**
 * Private helpers shared by `gather`, `asCompleted` and `wait`: checking
 * `TaskLike` inputs, turning them into tasks, cancelling a set of tasks and
 * waiting for them.
 */
import type { CancelReason } from "./errors.ts";
import {
  awaitableKind,
  checkOptionsObject,
  describe,
  readOptions,
  unreadable,
} from "./_validate.ts";
import {
  createTask,
  currentTask,
  isTask,
  type Task,
  taskInternals,
  type TaskLike,
} from "./runtime/mod.ts";

/**
 * What a `TaskLike` gives when awaited: a task's or a promise's value, a
 * task function's awaited return value.
 */
export type TaskLikeValue<A> = A extends PromiseLike<unknown> ? Awaited<A>
  : A extends (...args: never[]) => infer R ? Awaited<R>
  : never;

/**
 * Whether `value` is a `Task`, a promise (any thenable) or a task function.
 *
 * @throws {TypeError} Naming `argument` if `value` cannot be read (a revoked
 *   `Proxy`, a `then` getter that throws).
 */
export function isTaskLike(
  value: unknown,
  argument = "aw",
  index?: number,
): value is TaskLike<unknown> {
  return isTask(value) || awaitableKind(value, argument, index) !== "other";
}

/**
 * The elements of `values` as an array, each checked to be `TaskLike`.
 * Nothing is started here, so a bad element leaves no task behind.
 *
 * @throws {TypeError} If `values` is not iterable, or naming the index of
 *   the first element that is not `TaskLike`.
 */
export function checkTaskLikes<T>(values: unknown, argument: string): TaskLike<T>[] {
  let iterable: boolean;
  try {
    iterable = values !== null && values !== undefined && typeof values !== "string" &&
      typeof (values as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
  } catch (error) {
    throw unreadable(argument, values, error);
  }
  if (!iterable) {
    throw new TypeError(
      `${argument} must be an iterable of tasks, promises or task functions, got ${
        describe(values)
      }`,
    );
  }
  const list = [...(values as Iterable<unknown>)];
  for (let i = 0; i < list.length; i++) {
    if (!isTaskLike(list[i], argument, i)) {
      throw new TypeError(
        `${argument}[${i}] must be a Task, a promise or a task function, got ${describe(list[i])}`,
      );
    }
  }
  return list as TaskLike<T>[];
}

/**
 * A `TypeError` unless `options` is `undefined` or an object; given `keys`,
 * those fields are read once each (see `readOptions`), so a getter that
 * throws is a `TypeError` naming it.
 *
 * @returns `options` (a copy of the `keys` fields, given keys), or `{}` for `undefined`.
 */
export function checkOptions<O extends object>(
  options: unknown,
  argument: string,
  keys?: readonly (keyof O & string)[],
): Partial<O> {
  if (keys !== undefined) return readOptions<O>(options, argument, keys);
  checkOptionsObject(options, argument);
  return options === undefined ? {} : options as Partial<O>;
}

/**
 * The name of a task that `api` starts from `fn`: the function's own name
 * (`fetchPage`), or for an anonymous one `api(<caller>)` (`gather(main)`),
 * then `[index]` when `api` starts several.
 */
export function taskNameFor(fn: unknown, api: string, index?: number): string {
  const own = typeof fn === "function" ? safeName(fn) : "";
  if (own !== "") return own;
  const base = `${api}(${currentTask()?.name ?? "top level"})`;
  return index === undefined ? base : `${base}[${index}]`;
}

function safeName(fn: object): string {
  try {
    const name = (fn as { name?: unknown }).name;
    if (typeof name !== "string") return "";
    return name.length > 80 ? name.slice(0, 80) : name;
  } catch {
    return "";
  }
}

/**
 * `aw` as a task: a `Task` as it is; a function started, or a promise
 * wrapped, as a new child of the current task, named for `api` (see
 * `taskNameFor`). `owned` tells whether it was created here.
 */
export function toTask<T>(
  aw: TaskLike<T>,
  api: string,
  index?: number,
): { task: Task<T>; owned: boolean } {
  if (isTask(aw)) return { task: aw as Task<T>, owned: false };
  return { task: createTask(aw, { name: taskNameFor(aw, api, index) }), owned: true };
}

/**
 * Cancel every unfinished task of `tasks` (each once) and call `onSettled`
 * once all of them have finished: synchronously, before returning `false`,
 * if they already have (a task that never started ends inside its cancel).
 *
 * @returns `true` if `onSettled` will be called later.
 */
export function cancelAndWait(
  tasks: Iterable<Task<unknown>>,
  reason: CancelReason,
  message: string,
  onSettled: () => void,
): boolean {
  let remaining = 1;
  const observer = {
    taskSettled(): void {
      if (--remaining === 0) onSettled();
    },
  };
  const live: Task<unknown>[] = [];
  for (const task of tasks) {
    if (taskInternals.observe(task, observer)) {
      remaining++;
      live.push(task);
    }
  }
  for (const task of live) taskInternals.cancelWith(task, reason, message);
  observer.taskSettled();
  return remaining !== 0;
}

/** Whether a finished task failed with an error (not cancelled, not done). */
export function hasFailed(task: Task<unknown>): boolean {
  return taskInternals.state(task) === "failed";
}
