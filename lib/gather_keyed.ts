/**
 * The keyed form of `gather`: `gather({ user: getUser, posts: getPosts })`,
 * a thin layer over the array form.
 */
import { describe, readField, unreadable } from "./_validate.ts";
import { isTaskLike, type TaskLikeValue } from "./_task_like.ts";
import { gather, type GatherOptions } from "./gather.ts";
import type { TaskLike } from "./task.ts";

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

/** Gather the values of `record` with the array form, then zip the results back to its keys. */
export async function gatherKeyed(
  record: Record<string, TaskLike<unknown>>,
  options: GatherOptions | undefined,
): Promise<Record<string, unknown>> {
  const keys = Object.keys(record);
  const values = keys.map((key) => readField(record, key, "aws") as TaskLike<unknown>);
  for (let i = 0; i < keys.length; i++) {
    if (!isTaskLike(values[i], `aws.${keys[i]}`)) {
      throw new TypeError(
        `aws.${keys[i]} must be a Task, a promise or a task function, got ${describe(values[i])}`,
      );
    }
  }
  const results = await gather(values, options ?? {});
  const keyed: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) keyed[keys[i]] = results[i];
  return keyed;
}
