/**
 * `gather`: run several things at once and collect their results in order.
 *
 * @module
 */
import { InvalidStateError } from "./errors.ts";
import { describe } from "./_validate.ts";
import {
  currentTask,
  detachable,
  Task,
  type TaskFn,
  taskInternals,
  type TaskLike,
} from "./runtime/mod.ts";
import {
  checkOptions,
  checkTaskLikes,
  isTaskLike,
  type TaskLikeValue,
  taskNameFor,
} from "./_task_like.ts";
import {
  type GatherKeyedResults,
  type GatherKeyedResultsWithExceptions,
  isKeyedInput,
  splitKeyed,
  zipKeyed,
} from "./gather_keyed.ts";
import { Gathering, type PromiseSlot } from "./_gathering.ts";

/** Options for {@linkcode gather}. */
export interface GatherOptions {
  /**
   * Place errors (`CancelledError` included) in the result array instead of
   * rejecting; a failure then cancels nothing.
   * @default {false}
   */
  returnExceptions?: boolean;
}

/** The result tuple of {@linkcode gather}: one value per input, in input order. */
export type GatherResults<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: TaskLikeValue<T[K]>;
};

/**
 * The result tuple of `gather(aws, { returnExceptions: true })`: a value or
 * the error it failed with (a thrown non-`Error` value is placed as it is).
 */
export type GatherResultsWithExceptions<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: TaskLikeValue<T[K]> | Error;
};

/**
 * Run every awaitable at once and resolve with their results in input
 * order, as asyncio's `gather`. Task functions start as new tasks (children
 * of the current task, named after the function, or `gather(<caller>)[i]`
 * for an anonymous one), tasks are used as they are, promises are awaited
 * (they cannot be cancelled, only abandoned).
 *
 * On the first failure (a child's `CancelledError` counts) every input task
 * still running is cancelled, `gather` waits until they have all finished,
 * then rejects with that first error: unlike CPython, nothing is left
 * running. Errors that siblings raise while being cancelled are not hidden:
 * they stay unretrieved, so the run reports them.
 *
 * Cancelling the task awaiting `gather` cancels every unfinished input task,
 * waits for them, and rejects with the awaiting task's `CancelledError`.
 *
 * @param aws The awaitables (`gather(a, b, c)`), or one array of them
 *   (`gather([a, b], options)`).
 * @returns A promise for the results, typed as a tuple.
 * @throws {TypeError} If an input is not a task, a promise or a function
 *   (the message names its index), or the options are malformed.
 * @throws {InvalidStateError} If the awaiting task is among the inputs.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example Results in input order
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, gather, sleep } from "@corun/corun";
 *
 * const count = createTask(() => sleep(20, 3));
 * const [n, word] = await gather(count, () => sleep(10, "three"));
 * assert.equal(n, 3);
 * assert.equal(word, "three");
 * ```
 */
export function gather(): Promise<[]>;
/**
 * The array form with `returnExceptions: true`: errors are placed in the
 * results and nothing is cancelled because of them.
 *
 * @param aws The awaitables.
 * @param options `{ returnExceptions: true }`.
 * @returns A promise for one value or error per input, in input order.
 * @throws {TypeError} If an input is not `TaskLike` or the options are malformed.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example Collecting failures
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather } from "@corun/corun";
 *
 * const results = await gather([
 *   () => 1,
 *   () => Promise.reject(new Error("boom")),
 * ], { returnExceptions: true });
 * assert.equal(results[0], 1);
 * assert.equal((results[1] as Error).message, "boom");
 * ```
 */
export function gather<const T extends readonly TaskLike<unknown>[]>(
  aws: T,
  options: GatherOptions & { returnExceptions: true },
): Promise<GatherResultsWithExceptions<T>>;
/**
 * The array form: `gather([a, b, c])`.
 *
 * @param aws The awaitables.
 * @param options `returnExceptions`.
 * @returns A promise for the results, in input order.
 * @throws {TypeError} If an input is not `TaskLike` or the options are malformed.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example A list of jobs
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather, sleep } from "@corun/corun";
 *
 * const jobs = [30, 10, 20].map((ms) => () => sleep(ms, ms));
 * assert.deepEqual(await gather(jobs), [30, 10, 20]);
 * ```
 */
export function gather<const T extends readonly TaskLike<unknown>[]>(
  aws: T,
  options?: GatherOptions & { returnExceptions?: false },
): Promise<GatherResults<T>>;
/**
 * The array form with a `returnExceptions` known only at run time.
 *
 * @param aws The awaitables.
 * @param options `returnExceptions`.
 * @returns A promise for one value (or error) per input, in input order.
 * @throws {TypeError} If an input is not `TaskLike` or the options are malformed.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gather } from "@corun/corun";
 *
 * async function collect(tolerant: boolean): Promise<unknown[]> {
 *   return await gather([() => "ok"], { returnExceptions: tolerant });
 * }
 * assert.deepEqual(await collect(false), ["ok"]);
 * ```
 */
export function gather<const T extends readonly TaskLike<unknown>[]>(
  aws: T,
  options: GatherOptions,
): Promise<GatherResultsWithExceptions<T>>;
/**
 * The keyed form, as std's `allKeyed`: an object of awaitables resolves to
 * an object of their results under the same keys. The same rules as the
 * array form (the first failure cancels the rest).
 *
 * @param aws An object whose values are the awaitables.
 * @param options `returnExceptions`.
 * @returns A promise for the results, typed by key.
 * @throws {TypeError} If a value is not `TaskLike` (the message names its key).
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example Results by name
 * ```ts
 * import { gather, sleep } from "@corun/corun";
 *
 * const { user, posts } = await gather({
 *   user: () => sleep(20, { name: "ada" }),
 *   posts: async () => ["hello"],
 * });
 * if (user.name !== "ada" || posts[0] !== "hello") throw new Error();
 * ```
 */
export function gather<const T extends Record<string, TaskLike<unknown>>>(
  aws: T,
  options?: GatherOptions & { returnExceptions?: false },
): Promise<GatherKeyedResults<T>>;
/**
 * The keyed form with `returnExceptions: true` (std's `allSettledKeyed`,
 * with errors in place of values).
 *
 * @param aws An object whose values are the awaitables.
 * @param options `{ returnExceptions: true }`.
 * @returns A promise for one value or error per key.
 * @throws {TypeError} If a value is not `TaskLike`.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example Failures by name
 * ```ts
 * import { gather } from "@corun/corun";
 *
 * const got = await gather({ ok: () => 1, bad: () => Promise.reject(new Error("no")) }, {
 *   returnExceptions: true,
 * });
 * if (got.ok !== 1 || !(got.bad instanceof Error)) throw new Error();
 * ```
 */
export function gather<const T extends Record<string, TaskLike<unknown>>>(
  aws: T,
  options: GatherOptions & { returnExceptions: true },
): Promise<GatherKeyedResultsWithExceptions<T>>;
/**
 * The variadic form: `gather(a, b, c)`.
 *
 * @param aws The awaitables.
 * @returns A promise for the results, typed as a tuple.
 * @throws {TypeError} If an input is not `TaskLike`.
 * @throws {CancelledError} If the awaiting task is cancelled.
 *
 * @example Typed results
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, gather } from "@corun/corun";
 *
 * const a = createTask(() => 1);
 * const [x, y]: [number, string] = await gather(a, async () => "two");
 * assert.equal(x, 1);
 * assert.equal(y, "two");
 * ```
 */
export function gather<T extends readonly TaskLike<unknown>[]>(
  ...aws: T
): Promise<GatherResults<T>>;
export function gather(...args: unknown[]): Promise<unknown> {
  let inputs: TaskLike<unknown>[];
  let returnExceptions = false;
  const awaiter = currentTask();
  try {
    // A hostile argument (a revoked Proxy) is a TypeError naming it, as a rejection.
    if (args.length <= 2 && isKeyedInput(args[0]) && !isTaskLike(args[1], "options")) {
      const keyed = splitKeyed(args[0]);
      return gather(keyed.values, (args[1] as GatherOptions | undefined) ?? {})
        .then((values) => zipKeyed(keyed.keys, values));
    }
    let list: unknown = args;
    const arrayForm = Array.isArray(args[0]) && args.length <= 2;
    if (arrayForm && !isTaskLike(args[1], "options")) {
      list = args[0];
      const options = checkOptions<GatherOptions>(args[1], "options", ["returnExceptions"]);
      const flag = options.returnExceptions;
      if (flag !== undefined && typeof flag !== "boolean") {
        throw new TypeError(`options.returnExceptions must be a boolean, got ${describe(flag)}`);
      }
      returnExceptions = flag ?? false;
    }
    inputs = checkTaskLikes(list, "aws");
    if (awaiter !== undefined && inputs.includes(awaiter)) {
      throw new InvalidStateError(`${awaiter.name} cannot gather itself`);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  const count = inputs.length;
  if (count === 0) return Promise.resolve([]);
  // In place: `inputs` is already our own copy.
  const slots = inputs as (Task<unknown> | PromiseSlot)[];
  let promises: PromiseLike<unknown>[] | null = null;
  for (let i = 0; i < count; i++) {
    const aw = inputs[i];
    if (aw instanceof Task) continue;
    if (typeof aw === "function") {
      slots[i] = taskInternals.spawn(aw as TaskFn<unknown>, { name: taskNameFor(aw, "gather", i) });
    } else {
      slots[i] = { promise: aw as PromiseLike<unknown>, ok: undefined, value: undefined };
      (promises ??= []).push(aw as PromiseLike<unknown>);
    }
  }
  let gathering!: Gathering;
  const promise = new Promise<unknown[]>((resolve, reject) => {
    gathering = new Gathering(slots, awaiter, returnExceptions, resolve, reject);
    gathering.start();
  });
  // `shield(gather(gather(fn)))`: the inner gather is detached with this one.
  return detachable(promise, awaiter, gathering, promises === null ? null : () => promises);
}
