/**
 * The keyed form of `gather`: `gather({ user: getUser, posts: getPosts })`,
 * a thin layer over the array form.
 */
import { describe, readField, unreadable } from "./_validate.ts";
import { isTaskLike, type TaskLikeValue } from "./_task_like.ts";
import type { TaskLike } from "./runtime/mod.ts";

/** The result object of the keyed `gather`: one value per key. */
export type GatherKeyedResults<T extends Record<string, TaskLike<unknown>>> = {
  -readonly [K in keyof T]: TaskLikeValue<T[K]>;
};

/** The result object of the keyed `gather` with `returnExceptions: true`. */
export type GatherKeyedResultsWithExceptions<T extends Record<string, TaskLike<unknown>>> = {
  -readonly [K in keyof T]: TaskLikeValue<T[K]> | Error;
};

/** Whether `value` is a plain object (not a task, a promise, an array or a class instance). */
export function isKeyedInput(value: unknown): value is Record<string, TaskLike<unknown>> {
  if (value === null || typeof value !== "object" || isTaskLike(value, "aws")) return false;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch (error) {
    throw unreadable("aws", value, error);
  }
  return proto === Object.prototype || proto === null;
}

/**
 * The keys of `record` and its values in the same order, for the array form.
 *
 * @throws {TypeError} If a value is not a Task, a promise or a task function.
 */
export function splitKeyed(
  record: Record<string, TaskLike<unknown>>,
): { keys: string[]; values: TaskLike<unknown>[] } {
  const keys = Object.keys(record);
  const values = keys.map((key) => readField(record, key, "aws") as TaskLike<unknown>);
  for (let i = 0; i < keys.length; i++) {
    if (!isTaskLike(values[i], `aws.${keys[i]}`)) {
      throw new TypeError(
        `aws.${keys[i]} must be a Task, a promise or a task function, got ${describe(values[i])}`,
      );
    }
  }
  return { keys, values };
}

/** The array form's `results` zipped back to their `keys`. */
export function zipKeyed(keys: string[], results: readonly unknown[]): Record<string, unknown> {
  const keyed: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) keyed[keys[i]] = results[i];
  return keyed;
}
