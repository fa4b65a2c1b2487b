/**
 * Structured concurrency: `taskGroup` and `TaskGroup`, asyncio's
 * `asyncio.TaskGroup`.
 *
 * @module
 */
import { type CancelledError, InvalidStateError } from "./errors.ts";
import { checkFunction } from "./_validate.ts";
import {
  awaitTask,
  type Blocker,
  CancelScope,
  createTask,
  type CreateTaskOptions,
  currentTask,
  detachableLater,
  isCancelledError,
  isThenable,
  preferCancel,
  shieldable,
  type Task,
  type TaskFn,
  taskInternals,
  type TaskObserver,
} from "./runtime/mod.ts";
import { inspectable, Items, MAX_ITEMS, taskRef } from "./_inspect.ts";

/** What {@linkcode TaskGroup.stats} reports. */
export interface TaskGroupStats {
  /**
   * `open` (accepting tasks), `closing` (its body is done and it waits for
   * its children), `aborting` (a failure or a cancellation is cancelling
   * the children) or `finished`.
   */
  state: "open" | "closing" | "aborting" | "finished";
  /** Children still running, oldest first. */
  children: Task<unknown>[];
  /** Failures collected so far (not `CancelledError`s). */
  failures: number;
}

let closeGroup: <T>(group: TaskGroup, ok: boolean, outcome: unknown) => Promise<T>;
let detachGroup: (group: TaskGroup) => void;
let bodyScope: (group: TaskGroup) => CancelScope | null;

/**
 * A set of child tasks that ends only when all of them have ended (asyncio's
 * `asyncio.TaskGroup`). Prefer {@linkcode taskGroup}; this class also gives
 * the `await using tg = new TaskGroup()` form, which enters the group in the
 * current task at construction and leaves it at the end of the block.
 *
 * The first child that fails with an error other than `CancelledError`
 * cancels every other child (reason `"parent"`) and the body (its
 * `CancelledError` arrives at the body's next library await); once all
 * children have ended the group rejects with an `AggregateError` of every
 * failure. Cancelled children are not failures.
 *
 * The `await using` form has two limits, because JavaScript does not pass the
 * block's error to `[Symbol.asyncDispose]`: a block that throws does not
 * cancel the children (the group still waits for them; they are cancelled
 * only if the owning task was cancelled while the group was open), and when
 * a failing child cancelled the block, the language reports a
 * `SuppressedError` whose `error` is the group's `AggregateError` and whose
 * `suppressed` is the block's `CancelledError`. {@linkcode taskGroup} has
 * neither limit. Outside any task the group has no body to cancel: children
 * are still cancelled and awaited.
 *
 * @example The `await using` form
 * ```ts
 * import assert from "node:assert/strict";
 * import { run, sleep, TaskGroup } from "@corun/corun";
 *
 * await run(async () => {
 *   let finished = 0;
 *   async function child(): Promise<void> {
 *     await sleep(20);
 *     finished++;
 *   }
 *   {
 *     await using tg = new TaskGroup();
 *     tg.createTask(child);
 *     tg.createTask(child);
 *   } // both children are awaited here
 *   assert.equal(finished, 2);
 * });
 * ```
 */
export class TaskGroup implements AsyncDisposable {
  readonly #scope: CancelScope | null;
  readonly #children = new Set<Task<unknown>>();
  readonly #errors: unknown[] = [];
  #aborting = false;
  #bodyDone = false;
  #finished = false;
  #closing: Promise<unknown> | null = null;
  #allDone: (() => void) | null = null;
  /** `shield(taskGroup(...))`: the owner's cancellation must not reach the wait. */
  #detached = false;
  #unblockWait: (() => void) | null = null;
  readonly #observer: TaskObserver = {
    taskSettled: (task) => this.#childSettled(task as Task<unknown>),
  };

  /** Open a group in the current task (no task is created). */
  constructor() {
    const owner = currentTask();
    this.#scope = owner === undefined ? null : new CancelScope(owner);
  }

  /**
   * Start a child task in the group: a child of the current task, awaited
   * by the group, cancelled if another child fails.
   *
   * @param fn A task function, or a promise to wrap in a task.
   * @param options `name` and `eager`, as for `createTask`.
   * @returns The child task.
   * @throws {InvalidStateError} If the group has finished, or is shutting
   *   down after a failure or a cancellation.
   * @throws {TypeError} If `fn` is neither a function nor a promise.
   */
  createTask<T>(fn: TaskFn<T> | PromiseLike<T>, options: CreateTaskOptions = {}): Task<T> {
    if (this.#finished || (this.#bodyDone && this.#children.size === 0)) {
      throw new InvalidStateError("the TaskGroup is finished");
    }
    if (this.#aborting) throw new InvalidStateError("the TaskGroup is shutting down");
    const child = createTask(fn, options);
    this.#children.add(child);
    if (!taskInternals.observe(child, this.#observer)) this.#childSettled(child);
    return child;
  }

  /**
   * End of an `await using` block: wait for every child, cancelling them
   * first if the owning task was cancelled while the group was open.
   *
   * @returns A promise that settles once every child has ended.
   * @throws {AggregateError} If any child failed.
   * @throws {CancelledError} If the owning task was cancelled while waiting.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return (this.#closing ??= this.#close(true, undefined, true)) as Promise<void>;
  }

  /**
   * A cheap, read-only description for monitors and printing.
   *
   * @returns The group's state, its running children and how many failed.
   *
   * @example
   * ```ts
   * import { sleep, taskGroup } from "@corun/corun";
   *
   * await taskGroup(async (tg) => {
   *   tg.createTask(() => sleep(10), { name: "child" });
   *   const stats = tg.stats();
   *   if (stats.state !== "open" || stats.children[0].name !== "child") throw new Error();
   * });
   * ```
   */
  stats(): TaskGroupStats {
    const state = this.#finished
      ? "finished"
      : this.#aborting
      ? "aborting"
      : this.#bodyDone
      ? "closing"
      : "open";
    return { state, children: [...this.#children], failures: this.#errors.length };
  }

  #childSettled(child: Task<unknown>): void {
    if (!this.#children.delete(child)) return;
    if (!child.cancelled()) {
      const { state, error } = taskInternals.outcome(child);
      if (state === "failed") {
        this.#errors.push(error);
        if (!this.#aborting) this.#abort("another task of its TaskGroup failed");
        if (!this.#bodyDone) this.#scope?.cancel("parent");
      }
    }
    if (this.#children.size === 0) this.#allDone?.();
  }

  #abort(message: string): void {
    this.#aborting = true;
    for (const child of [...this.#children]) taskInternals.cancelWith(child, "parent", message);
  }

  #close<T>(ok: boolean, outcome: unknown, disposing: boolean): Promise<T> {
    this.#bodyDone = true;
    const scope = this.#scope;
    scope?.exit();
    let propagate: CancelledError | null = null;
    if (!ok) {
      const own = isCancelledError(outcome) && scope !== null &&
        taskInternals.scopeOf(outcome) === scope;
      if (!own) {
        if (isCancelledError(outcome)) propagate = outcome;
        else this.#errors.push(outcome);
        if (!this.#aborting) this.#abort("the body of its TaskGroup failed");
      }
    } else if (disposing && scope?.outerError !== undefined && !this.#aborting) {
      this.#abort(scope.outerError.message);
    }
    const finish = (): T => {
      this.#finished = true;
      const errors = this.#errors;
      if (errors.length > 0) {
        // A cancellation of the owner that arrived meanwhile is not lost:
        // its next library await raises it (asyncio 3.13).
        if (propagate !== null && scope !== null) repend(scope.task, propagate);
        throw new AggregateError(errors, `${errors.length} error(s) in a TaskGroup`);
      }
      if (propagate !== null) throw propagate;
      return (ok ? outcome : undefined) as T;
    };
    if (this.#children.size === 0) return new Promise<T>((resolve) => resolve(finish()));
    const waiter = currentTask();
    const children = this.#children;
    return new Promise<T>((resolve, reject) => {
      const wait: Blocker = {
        get label(): string {
          return `TaskGroup(${children.size})`;
        },
        cancel: (error: CancelledError): void => {
          propagate = preferCancel(propagate, error);
          // Children already being cancelled are not cancelled again: that
          // would interrupt their cleanup.
          if (!this.#aborting) this.#abort(error.message);
        },
      };
      this.#unblockWait = () => {
        if (waiter !== undefined) taskInternals.unblock(waiter, wait);
      };
      this.#allDone = () => {
        this.#allDone = null;
        if (waiter !== undefined) taskInternals.unblock(waiter, wait);
        try {
          resolve(finish());
        } catch (error) {
          reject(error);
        }
      };
      if (waiter !== undefined && !this.#detached) taskInternals.block(waiter, wait);
    });
  }

  static {
    closeGroup = <T>(group: TaskGroup, ok: boolean, outcome: unknown): Promise<T> => {
      const closing = group.#close<T>(ok, outcome, false);
      group.#closing = closing;
      return closing;
    };
    bodyScope = (group: TaskGroup): CancelScope | null => group.#scope;
    detachGroup = (group: TaskGroup): void => {
      group.#detached = true;
      group.#unblockWait?.();
    };
  }
}

/**
 * Run `fn(tg)` in the current task with a {@linkcode TaskGroup}, wait for
 * every child it started, and return what `fn` returned (asyncio's
 * `async with asyncio.TaskGroup() as tg`).
 *
 * The first child failure that is not a `CancelledError` cancels the other
 * children and `fn` (at its next library await); the group then waits for
 * them all and rejects with an `AggregateError` of every failure, `fn`'s own
 * error included. If `fn` fails, the children are cancelled too. If the
 * owning task is cancelled, the children are cancelled and awaited, then the
 * `CancelledError` propagates (an `AggregateError` if there were failures).
 * While the group waits, the monitor shows the task waiting on
 * `TaskGroup(<live children>)`. Outside any task, `fn` runs as the body of a
 * new task instead, so this also works at a script's top level.
 *
 * @param fn The body: starts children with `tg.createTask(...)`.
 * @returns What `fn` returned, once every child has ended.
 * @throws {AggregateError} If a child or `fn` failed; `errors` lists them.
 * @throws {CancelledError} If the owning task was cancelled.
 * @throws {TypeError} If `fn` is not a function.
 *
 * @example One failure stops the others
 * ```ts
 * import assert from "node:assert/strict";
 * import { run, sleep, type Task, taskGroup } from "@corun/corun";
 *
 * await run(async () => {
 *   const children: Task<unknown>[] = [];
 *   const error = await taskGroup((tg) => {
 *     children.push(tg.createTask(() => sleep(1_000)));
 *     children.push(tg.createTask(async () => {
 *       await sleep(5);
 *       throw new Error("boom");
 *     }));
 *   }).catch((e) => e);
 *   assert.ok(error instanceof AggregateError);
 *   assert.deepEqual(error.errors.map((e: Error) => e.message), ["boom"]);
 *   assert.equal(children[0].cancelled(), true); // the slow one was stopped
 * });
 * ```
 */
export function taskGroup<T>(fn: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
  try {
    checkFunction(fn, "fn");
  } catch (error) {
    return Promise.reject(error);
  }
  if (currentTask() === undefined) {
    return awaitTask(taskInternals.spawn(() => taskGroup(fn), { name: "taskGroup" }));
  }
  const group = new TaskGroup();
  let result: T | PromiseLike<T>;
  try {
    result = fn(group);
  } catch (error) {
    return closeGroup(group, false, error);
  }
  const owner = currentTask();
  const detachWait = () => detachGroup(group);
  if (!isThenable(result)) {
    return detachableLater(closeGroup<T>(group, true, result), owner, detachWait);
  }
  const closed = Promise.resolve(result).then(
    (value) => closeGroup<T>(group, true, value),
    (error) => closeGroup<T>(group, false, error),
  );
  // The body runs in this task: the wait for the children is detached, and
  // the body's scope shielded.
  const scope = bodyScope(group);
  if (scope !== null) shieldable(closed, scope);
  return detachableLater(closed, owner, detachWait, () => [result]);
}

/**
 * Deliver `error` again at the owner's next library await: it reached the
 * group's wait, which ended with the children's failures instead.
 */
function repend(owner: Task<unknown>, error: CancelledError): void {
  const scope = taskInternals.scopeOf(error);
  if (scope === undefined) taskInternals.cancelWith(owner, error.reason, error.message);
  else taskInternals.cancelScope(owner, scope, error.reason);
}

inspectable(TaskGroup, "TaskGroup", (group) => {
  const stats = group.stats();
  const shown = stats.children.slice(0, MAX_ITEMS).map((child) => taskRef(child));
  return {
    state: stats.state,
    children: new Items(shown, stats.children.length, true),
    failures: stats.failures,
  };
});
