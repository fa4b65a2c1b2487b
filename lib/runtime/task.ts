/**
 * Tasks: `createTask`, `Task`, `currentTask`, `allTasks`.
 *
 * @module
 */
import { checkOptionalString } from "../_validate.ts";
import { ticks } from "./clock.ts";
import type { TaskFn } from "./create_task.ts";
import { taskContext } from "./context.ts";
import type { Blocker, TaskObserver } from "./blocker.ts";
import { BlockerSet } from "./blocker_set.ts";
import { setStarter } from "./scheduler.ts";
import { noteResumed } from "./deadlines.ts";
import { emit, hasListeners, liveScopes, type RunScope, type TaskState } from "./registry.ts";
import { recordBlockScope } from "./scope_errors.ts";
import { awaitTask } from "./await_task.ts";
import { installTaskAccess, newController, newExtra, type TaskExtra } from "./_task_access.ts";
import { exceptionOf, resultOf, runBody } from "./task_body.ts";
import { meetPending, requestCancel } from "./task_cancel.ts";
import { installTaskInspect } from "./task_info.ts";
import {
  addDoneCallback,
  ended,
  removeDoneCallback,
  taskEnded,
  withoutObserver,
} from "./task_callbacks.ts";
import { noteRetrieved } from "./task_run_end.ts";
import { installInternals } from "./task_internals.ts";
import { lastResumedTask, noteResumedTask } from "./last_resumed.ts";

/** `#flags` bits: the error was retrieved; the body reached a library await. */
const RETRIEVED = 1;
const BLOCKED_ONCE = 2;

let nextId = 1;
/** Set by `Task`'s static block: a private-field brand check (see `isTask`). */
let isTaskBrand: (value: unknown) => boolean;

/**
 * A unit of concurrent work, like asyncio's `Task`: created by
 * {@linkcode createTask}, awaitable (`await task`), cancellable, and visible
 * to the monitor from creation to end.
 *
 * Awaiting a task from inside another task passes cancellation on: if the
 * awaiting task is cancelled, the awaited one is cancelled too and the await
 * rejects with `CancelledError` once it has finished. Use `shield()` to stop
 * that.
 *
 * @example Running two things at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, sleep } from "@corun/corun";
 *
 * const a = createTask(() => sleep(20, "a"), { name: "a" });
 * const b = createTask(() => sleep(10, "b"), { name: "b" });
 * assert.equal(await a, "a");
 * assert.ok(b.done()); // it finished while `a` slept
 * assert.equal(await b, "b");
 * ```
 */
export class Task<T = unknown> implements PromiseLike<T>, AsyncDisposable {
  /** Unique, increasing. */
  readonly id: number;
  /** The task that created this one, if it was created inside a task. */
  readonly parent: Task<unknown> | undefined;

  // Kept small: every live task pays for each field. Rare state: #extra.
  #name: string | undefined;
  #state: TaskState = "pending";
  /** The body until it starts, then the value or the error (a task never needs both). */
  #slot: unknown;
  #controller: AbortController | null = null;
  /** RETRIEVED and BLOCKED_ONCE bits. */
  #flags = 0;
  #blocker: Blocker | null = null;
  #observers: TaskObserver | TaskObserver[] | null = null;
  #run: RunScope;
  #extra: TaskExtra | null = null;
  // Times in ticks (see `ticks`): integers, stored in place. Then the run-list links.
  #createdAt: number;
  #startedAt = 0;
  #endedAt = 0;
  #prevInRun: Task<unknown> | null = null;
  #nextInRun: Task<unknown> | null = null;

  private constructor(
    body: TaskFn<T>,
    name: string | undefined,
    parent: Task<unknown> | undefined,
    run: RunScope,
  ) {
    this.id = nextId++;
    this.#name = name;
    this.parent = parent;
    this.#slot = body;
    this.#run = run;
    this.#createdAt = ticks(performance.now());
    if (run.debug) {
      this.#more().createdStack = new Error().stack?.split("\n").slice(3).join("\n");
    }
    const last = run.last;
    this.#prevInRun = last;
    if (last === null) run.first = this;
    else last.#nextInRun = this;
    run.last = this;
    if (hasListeners()) emit("created", this);
  }

  /** `Task-<id>` unless a name was given. */
  get name(): string {
    return this.#name ??= `Task-${this.id}`;
  }

  /**
   * Aborts, with this task's `CancelledError` as `reason`, when the task is
   * cancelled; pass it to `fetch`, `Deno.open`, ... The body receives it as
   * its argument.
   */
  get signal(): AbortSignal {
    return (this.#controller ??= newController(this.#extra)).signal;
  }

  /**
   * Whether the task has finished: done, failed or cancelled.
   *
   * @returns `true` once the task has an outcome.
   */
  done(): boolean {
    const state = this.#state;
    return state === "done" || state === "failed" || state === "cancelled";
  }

  /**
   * Whether the task ended cancelled.
   *
   * @returns `true` if it finished by cancellation.
   */
  cancelled(): boolean {
    return this.#state === "cancelled";
  }

  /**
   * The task's value.
   *
   * @returns What the body returned.
   * @throws {InvalidStateError} If the task has not finished.
   * @throws {CancelledError} If it was cancelled.
   * @throws {unknown} The task's own error, if it failed.
   */
  result(): T {
    return resultOf(this) as T;
  }

  /**
   * The task's error.
   *
   * @returns The error it failed with, or `undefined` if it succeeded.
   * @throws {InvalidStateError} If the task has not finished.
   * @throws {CancelledError} If it was cancelled.
   */
  exception(): unknown {
    return exceptionOf(this);
  }

  /**
   * Ask the task to stop. A task that has not started never runs its body;
   * a running one gets a `CancelledError` (with `message`) at the library
   * await it is blocked in or at its next one, and its `signal` aborts.
   *
   * @param message Becomes the `CancelledError`'s message.
   * @returns `false` if the task had already finished.
   */
  cancel(message?: string): boolean {
    checkOptionalString(message, "message");
    if (this.done()) return false;
    requestCancel(this, "explicit", message ?? "", null);
    return true;
  }

  /**
   * Call `callback(task)` once the task finishes (soon, if it already has).
   *
   * @param callback Called with this task; an error it throws is printed.
   */
  addDoneCallback(callback: (task: Task<T>) => void): void {
    addDoneCallback(this, callback);
  }

  /**
   * Forget a callback added with `addDoneCallback`.
   *
   * @param callback The callback to remove, every time it was added.
   * @returns How many registrations were removed.
   */
  removeDoneCallback(callback: (task: Task<T>) => void): number {
    return removeDoneCallback(this, callback);
  }

  /**
   * `await task`: resolves with its value, rejects with its error or its
   * `CancelledError`. Inside a task, this is a library await: cancelling the
   * awaiting task cancels this one too.
   *
   * @param onfulfilled Called with the value.
   * @param onrejected Called with the error.
   * @returns A promise for what the callback returns.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // deno-lint-ignore no-explicit-any
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return awaitTask(this).then(onfulfilled, onrejected);
  }

  /**
   * Like `Promise.prototype.catch`; counts as awaiting the task.
   *
   * @param onrejected Called with the error.
   * @returns A promise for the value or what the callback returns.
   */
  // deno-lint-ignore no-explicit-any
  catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return awaitTask(this).catch(onrejected);
  }

  /**
   * Like `Promise.prototype.finally`; counts as awaiting the task.
   *
   * @param onfinally Called once the task has finished.
   * @returns A promise that settles like the task.
   */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return awaitTask(this).finally(onfinally);
  }

  /** `"Task"`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return "Task";
  }

  /**
   * `await using task = createTask(...)`: cancel the task at block end and
   * wait until it has finished. Never throws the task's outcome.
   *
   * @returns A promise that resolves once the task has finished.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
    return ended(this);
  }

  #more(): TaskExtra {
    return this.#extra ??= newExtra();
  }

  #retrieve(): void {
    if ((this.#flags & RETRIEVED) !== 0) return;
    this.#flags |= RETRIEVED;
    if (this.#state === "failed") noteRetrieved(this);
  }

  #observe(observer: TaskObserver): void {
    const observers = this.#observers;
    if (observers === null) this.#observers = observer;
    else if (Array.isArray(observers)) observers.push(observer);
    else this.#observers = [observers, observer];
  }

  /** Start the body; `now` may be a clock read for earlier tasks. Returns the start time used. */
  #begin(now: number = performance.now()): number {
    if (this.#state !== "pending") return now;
    // A clock read before the task existed would start it before it was created.
    if (ticks(now) < this.#createdAt) now = performance.now();
    this.#state = "running";
    this.#startedAt = ticks(now);
    noteResumedTask(this.id, this.#name);
    if (hasListeners()) emit("started", this);
    const body = this.#slot as TaskFn<T>;
    this.#slot = null;
    taskContext.run(this, runBody, this, body);
    return now;
  }

  #settle(state: TaskState, outcome: unknown): void {
    this.#state = state;
    this.#slot = outcome;
    this.#endedAt = ticks(performance.now());
    this.#blocker = null;
    this.#leaveRun();
    const extra = this.#extra;
    if (extra !== null) {
      extra.moreBlockers = null;
      if (extra.ownedRun !== null) liveScopes.delete(extra.ownedRun);
    }
    const observers = this.#observers;
    this.#observers = null;
    taskEnded(this, observers, extra);
  }

  #leaveRun(): void {
    const run = this.#run, prev = this.#prevInRun, next = this.#nextInRun;
    if (prev === null) run.first = next;
    else prev.#nextInRun = next;
    if (next === null) run.last = prev;
    else next.#prevInRun = prev;
    this.#prevInRun = this.#nextInRun = null; // a finished task keeps no other alive
  }

  #block(blocker: Blocker): boolean {
    const state = this.#state;
    if (state !== "running" && state !== "waiting") return false;
    const extra = this.#extra;
    if (extra !== null && extra.draining) return false;
    this.#flags |= BLOCKED_ONCE;
    if (extra !== null && extra.scope !== null) {
      recordBlockScope(blocker, extra.scope, blocker.outside);
    }
    if (this.#blocker === null) this.#blocker = blocker;
    else if (blocker !== this.#blocker) {
      (this.#more().moreBlockers ??= new BlockerSet()).add(blocker);
    }
    if (state === "running") {
      this.#state = "waiting";
      if (hasListeners()) emit("waiting", this);
    }
    const extraNow = this.#extra;
    if (extraNow !== null && extraNow.pending !== null) meetPending(this, extraNow, blocker);
    return true;
  }

  #unblock(blocker: Blocker): void {
    const extra = this.#extra;
    if (extra !== null && extra.draining) return;
    if (this.#blocker === blocker) this.#blocker = null;
    else if (extra !== null && extra.moreBlockers !== null) extra.moreBlockers.delete(blocker);
    if (
      this.#blocker === null && this.#state === "waiting" &&
      (extra === null || extra.moreBlockers === null || extra.moreBlockers.size === 0)
    ) {
      this.#state = "running";
      noteResumedTask(this.id, this.#name);
      noteResumed(this);
      if (hasListeners()) emit("running", this);
    }
  }

  static {
    isTaskBrand = (value) => typeof value === "object" && value !== null && #state in value;
    setStarter((task, now) => (task as Task<unknown>).#begin(now));
    installTaskAccess({
      create: (body, name, parent, run) => new Task(body, name, parent, run),
      begin: (task, now) => task.#begin(now),
      state: (task) => task.#state,
      waitIn(task, blocker) {
        task.#state = "waiting";
        task.#blocker = blocker;
      },
      slot: (task) => task.#slot,
      givenName: (task) => task.#name,
      extra: (task) => task.#extra,
      more: (task) => task.#more(),
      blocker: (task) => task.#blocker,
      controller: (task) => task.#controller,
      run: (task) => task.#run,
      nextInRun: (task) => task.#nextInRun,
      createdAt: (task) => task.#createdAt,
      startedAt: (task) => task.#startedAt,
      endedAt: (task) => task.#endedAt,
      retrieve: (task) => task.#retrieve(),
      observe: (task, observer) => task.#observe(observer),
      unobserve(task, observer) {
        task.#observers = withoutObserver(task.#observers, observer);
      },
      block: (task, blocker) => task.#block(blocker),
      unblock: (task, blocker) => task.#unblock(blocker),
      markBlocked: (task) => void (task.#flags |= BLOCKED_ONCE),
      unretrieved: (task) => task.#state === "failed" && (task.#flags & RETRIEVED) === 0,
      blockedOnce: (task) => (task.#flags & BLOCKED_ONCE) !== 0,
      settle: (task, state, outcome) => task.#settle(state, outcome),
      lastResumed: lastResumedTask,
    });
    installTaskInspect(this);
    installInternals();
  }
}

/**
 * Whether `value` is a `Task`, read off nothing: a revoked `Proxy` or a
 * throwing `getPrototypeOf` trap cannot make it throw, as `instanceof` would.
 *
 * @param value Anything.
 * @returns `true` for a `Task`.
 */
export function isTask(value: unknown): value is Task<unknown> {
  return isTaskBrand(value);
}
