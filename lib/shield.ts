/**
 * `shield`: asyncio's `asyncio.shield`, await work without passing the
 * awaiting task's cancellation on to it.
 *
 * @module
 */
import { type CancelledError, InvalidStateError } from "./errors.ts";
import { awaitableKind, describe } from "./_validate.ts";
import {
  awaitPromise,
  currentTask,
  detach,
  isTask,
  type Task,
  type TaskFn,
  taskInternals,
  type TaskLike,
  TaskWaiter,
  waitOnTask,
} from "./runtime/mod.ts";

/**
 * Await `aw` without letting a cancellation of the awaiting task reach it
 * (asyncio's `asyncio.shield`). A function is started as a new task; a
 * `Task` is awaited as it is; a promise is awaited as it is. A promise of
 * corun's waiting functions created in the task being cancelled
 * (`shield(gather(a, b))`, `wait`, `waitFor`, `mapLimit`, `taskGroup`,
 * `WorkerPool.run`) is taken off that task first, so the tasks it waits for
 * keep running too, and so are the library waits it is made of
 * (`shield(gather(gather(fn)))`, `shield(wait([gather(fn)]))`).
 *
 * The promise of a call that runs its work in this very task, inside a
 * cancel scope (`timeout`, `timeoutAt`, `moveOnAfter`, `retry`, the body of
 * a `taskGroup`), has that scope shielded, as trio's `shield = True`: the
 * task's cancellation (or an enclosing timeout's) no longer reaches the
 * library awaits made inside it, nor its signal, while the scope's own
 * deadline still does; nothing of that cancellation is replayed into the
 * work later. The task then ends (cancelled, if its body rethrew) once that
 * work has ended too: it runs in the task.
 *
 * One case is not covered: the promise of an async function already
 * running in this task (`shield(work())`). Unlike a Python coroutine, it
 * started at once, and its awaits are the task's own, with no scope
 * telling them apart from the task's other awaits; it is cancelled with the
 * task. Pass a function instead, which runs as a task of its own:
 * `shield(() => work())`. A queue's `get()` cannot be detached without
 * risking its item: in `shield(queue.get())` the get is cancelled with the
 * task and the item stays queued (never lost).
 *
 * Cancelling the awaiting task rejects this await at once with that task's
 * `CancelledError`, while the inner work keeps running. Unlike asyncio, an
 * error the inner task fails with later is not marked as retrieved: the run
 * reports it ("Task exception was never retrieved") unless someone awaits
 * the task. Keep a reference to the task if you want its outcome later.
 * Cancelling the inner task itself (`task.cancel()`) still cancels it.
 *
 * @param aw A task function, a `Task` or a promise.
 * @returns The value of `aw`.
 * @throws {CancelledError} If the awaiting task was cancelled, or the inner
 *   task was cancelled by someone else.
 * @throws {TypeError} If `aw` is not a function, a task or a promise.
 * @throws {InvalidStateError} If a task shields itself.
 *
 * @example Saving a result even if the caller gives up
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, run, shield, sleep } from "@corun/corun";
 *
 * await run(async () => {
 *   const save = createTask(() => sleep(20, "saved"), { name: "save" });
 *   const caller = createTask(() => shield(save));
 *   await sleep(5);
 *   caller.cancel();
 *   await caller.then(() => {}, () => {});
 *   assert.equal(caller.cancelled(), true);
 *   assert.equal(save.done(), false); // still running
 *   assert.equal(await save, "saved");
 * });
 * ```
 *
 * @example Finishing a write in the task, under its own deadline
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, run, shield, sleep, timeout } from "@corun/corun";
 *
 * await run(async () => {
 *   const writes: Promise<string>[] = [];
 *   const caller = createTask(() => {
 *     const write = timeout(1_000, () => sleep(20, "written"));
 *     writes.push(write);
 *     return shield(write);
 *   });
 *   await sleep(5);
 *   caller.cancel();
 *   assert.equal(await writes[0], "written"); // not cancelled with the task
 *   await caller.then(() => {}, () => {});
 *   assert.equal(caller.cancelled(), true);
 * });
 * ```
 */
export function shield<T>(aw: TaskLike<T>): Promise<T> {
  const awaiter = currentTask();
  let task: Task<T>;
  let kind: "function" | "thenable" | "other";
  try {
    kind = awaitableKind(aw, "aw");
  } catch (error) {
    return Promise.reject(error);
  }
  if (isTask(aw)) {
    if (aw === awaiter) {
      return Promise.reject(new InvalidStateError(`${aw.name} cannot shield itself`));
    }
    task = aw as Task<T>;
  } else if (kind === "function") {
    task = taskInternals.spawn(aw as TaskFn<T>, {});
  } else if (kind === "thenable") {
    // A library wait created in this task (`shield(gather(a, b))`) is taken
    // off it first, so the cancellation does not reach the work inside.
    const scopes = detach(aw as PromiseLike<T>);
    return awaitPromise(aw as PromiseLike<T>, "shield(promise)", scopes);
  } else {
    return Promise.reject(
      new TypeError(`aw must be a task function, a Task or a promise, got ${describe(aw)}`),
    );
  }
  return new Promise<T>((resolve, reject) => {
    waitOnTask(task, new ShieldWait(task, awaiter, resolve, reject), awaiter);
  });
}

/** One task awaiting another without passing cancellation on. */
class ShieldWait<T> extends TaskWaiter<T> {
  override get label(): string {
    return `shield(${this.task.name})`;
  }

  /** Reject at once; the shielded task keeps running. */
  override cancel(error: CancelledError): void {
    taskInternals.unobserve(this.task, this);
    if (this.awaiter !== undefined) taskInternals.unblock(this.awaiter, this);
    this.reject(error);
  }
}
