/**
 * Tasks: `createTask`, `Task`, `currentTask`, `allTasks`.
 *
 * @module
 */
import { CancelledError, type CancelReason, InvalidStateError } from "../errors.ts";
import { checkOptionalString, describe } from "../_validate.ts";
import { fromTicks, ticks } from "./clock.ts";
import { currentTask, type TaskFn } from "./create_task.ts";
import { taskContext } from "./context.ts";
import type { Blocker, TaskObserver } from "./blocker.ts";
import { BlockerSet } from "./blocker_set.ts";
import { scheduleStart, setStarter } from "./scheduler.ts";
import { noteResumed } from "./deadlines.ts";
import {
  emit,
  FinishedEntry,
  globalScope,
  hasListeners,
  keepsHistory,
  liveScopes,
  markRetrieved,
  markUnretrieved,
  recordFinished,
  RunScope,
  type TaskInfo,
  type TaskState,
} from "./registry.ts";
import { printUnretrieved, reportLeftovers, unwatch, watchUntilCollected } from "./report.ts";
import { installTaskInternals } from "./internals.ts";
import { inspectable, quote } from "../_inspect.ts";
import {
  abortScopes,
  anyShielded,
  isCancelledError,
  markDelivered,
  preferCancel,
  recordBlockScope,
  type ScopeHandle,
  scopeOf,
  shieldedFrom,
  tieToScope,
} from "./scope_errors.ts";
import { awaitTask } from "./await_task.ts";

/** Longest `result` preview of a done task, in characters. */
const PREVIEW_LENGTH = 60;

/** `#flags` bits: the error was retrieved; the body reached a library await. */
const RETRIEVED = 1;
const BLOCKED_ONCE = 2;

let nextId = 1;
/** Set by `Task`'s static block: a private-field brand check (see `isTask`). */
let isTaskBrand: (value: unknown) => boolean;

/** Cancellations waiting to be handled by the outermost `#cancelWith` (see there). */
let cancelQueue: {
  task: Task<unknown>;
  reason: CancelReason;
  message: string;
  scope: ScopeHandle | null;
  wave: number;
}[] = [];
let cancelling = false;
/** Counts outermost cancellations, so that one can tell which tasks it has reached. */
let cancelWaves = 0;
/** The cancellation being handled now (see `cancelWaves`). */
let cancelWave = 0;
/** Set while a pending cancellation is handed to the library await that met it. */
let deliveringPending = false;
// The task most recently started or resumed (debug mode names it when the
// loop blocks). Kept as id and name so a finished task can be collected.
let lastResumedId = 0;
let lastResumedName: string | undefined;

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

  // Kept small: every live task pays for each field. Rarely used state lives
  // in #extra, allocated on first need.
  #name: string | undefined;
  #state: TaskState = "pending";
  /**
   * The body until it starts, then the value when done or the error when
   * failed or cancelled (one field: a task never needs both).
   */
  #slot: unknown;
  #controller: AbortController | null = null;
  /** RETRIEVED and BLOCKED_ONCE bits. */
  #flags = 0;
  #blocker: Blocker | null = null;
  #observers: TaskObserver | TaskObserver[] | null = null;
  #run: RunScope;
  #extra: TaskExtra | null = null;
  // Times in ticks (see `ticks`): integers, stored in place.
  #createdAt: number;
  #startedAt = 0;
  #endedAt = 0;

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
    run.tasks.add(this);
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
    if (this.#controller === null) {
      this.#controller = new AbortController();
      const cancelError = this.#extra?.cancelError;
      if (cancelError) this.#controller.abort(cancelError);
    }
    return this.#controller.signal;
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
    this.#checkDone("result");
    if (this.#state === "done") return this.#slot as T;
    this.#retrieve();
    throw this.#slot;
  }

  /**
   * The task's error.
   *
   * @returns The error it failed with, or `undefined` if it succeeded.
   * @throws {InvalidStateError} If the task has not finished.
   * @throws {CancelledError} If it was cancelled.
   */
  exception(): unknown {
    this.#checkDone("exception");
    if (this.#state === "cancelled") throw this.#slot;
    if (this.#state === "done") return undefined;
    this.#retrieve();
    return this.#slot;
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
    return this.#cancelWith("explicit", message ?? "");
  }

  /**
   * Call `callback(task)` once the task finishes (soon, if it already has).
   *
   * @param callback Called with this task; an error it throws is printed.
   */
  addDoneCallback(callback: (task: Task<T>) => void): void {
    if (typeof callback !== "function") {
      throw new TypeError(`callback must be a function, got ${describe(callback)}`);
    }
    if (this.done()) queueMicrotask(() => callDone(callback, this));
    else (this.#more().callbacks ??= []).push(callback);
  }

  /**
   * Forget a callback added with `addDoneCallback`.
   *
   * @param callback The callback to remove, every time it was added.
   * @returns How many registrations were removed.
   */
  removeDoneCallback(callback: (task: Task<T>) => void): number {
    const extra = this.#extra;
    const callbacks = extra?.callbacks;
    if (!extra || !callbacks) return 0;
    const kept = callbacks.filter((c) => c !== callback);
    extra.callbacks = kept;
    return callbacks.length - kept.length;
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
    if (this.done()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#observe({ taskSettled: () => resolve() });
    });
  }

  #more(): TaskExtra {
    return this.#extra ??= {
      cancelError: null,
      pending: null,
      moreBlockers: null,
      wave: 0,
      pendingWave: 0,
      callbacks: null,
      scope: null,
      ownedRun: null,
      draining: false,
      held: null,
      createdStack: undefined,
    };
  }

  #checkDone(method: string): void {
    if (!this.done()) {
      throw new InvalidStateError(
        `${this.name} is not done yet: ${method}() needs a finished task`,
      );
    }
  }

  #retrieve(): void {
    if ((this.#flags & RETRIEVED) !== 0) return;
    this.#flags |= RETRIEVED;
    if (this.#state !== "failed") return;
    markRetrieved(this);
    if (this.#run === globalScope) unwatch(this);
    else this.#run.unretrieved.delete(this);
  }

  #observe(observer: TaskObserver): void {
    const observers = this.#observers;
    if (observers === null) this.#observers = observer;
    else if (Array.isArray(observers)) observers.push(observer);
    else this.#observers = [observers, observer];
  }

  #begin(now: number = performance.now()): void {
    if (this.#state !== "pending") return;
    this.#state = "running";
    this.#startedAt = ticks(now);
    lastResumedId = this.id;
    lastResumedName = this.#name;
    if (hasListeners()) emit("started", this);
    const body = this.#slot as TaskFn<T>;
    this.#slot = null;
    taskContext.run(this, Task.#runBody, this, body);
  }

  static #runBody<T>(task: Task<T>, body: TaskFn<T>): void {
    let result: T | PromiseLike<T>;
    try {
      // Most bodies never use the signal: only a body that declares a
      // parameter gets one; everybody else can still read `task.signal`.
      result = body.length === 0 ? (body as () => T | PromiseLike<T>)() : body(task.signal);
    } catch (error) {
      task.#bodyEnded(false, error);
      return;
    }
    if (result === null || (typeof result !== "object" && typeof result !== "function")) {
      task.#bodyEnded(true, result);
      return;
    }
    // Reading `then` (or the constructor) may throw, from a getter or a
    // revoked proxy: the task then fails with that error, as an async
    // function's would.
    try {
      if (result instanceof Promise && result.constructor === Promise) {
        // A native promise's handlers run in the context they were registered
        // in: this task's. Shared handlers save two closures per task.
        result.then(Task.#onBodyFulfilled, Task.#onBodyRejected);
        return;
      }
      const then = (result as { then?: unknown }).then;
      if (typeof then !== "function") {
        task.#bodyEnded(true, result);
        return;
      }
      then.call(
        result,
        (value: unknown) => task.#bodyEnded(true, value),
        (error: unknown) => task.#bodyEnded(false, error),
      );
    } catch (error) {
      task.#bodyEnded(false, error);
    }
  }

  static #onBodyFulfilled(value: unknown): void {
    (taskContext.getStore() as Task<unknown>).#bodyEnded(true, value);
  }

  static #onBodyRejected(error: unknown): void {
    (taskContext.getStore() as Task<unknown>).#bodyEnded(false, error);
  }

  #bodyEnded(ok: boolean, outcome: unknown): void {
    if (this.done()) return;
    const extra = this.#extra;
    let state: TaskState;
    if (extra === null) {
      state = ok ? "done" : isCancelledError(outcome) ? "cancelled" : "failed";
    } else {
      if (extra.draining) return;
      if (ok) {
        // A cancellation that never reached the body wins, as in asyncio, if
        // the body reached no library await at all. Once it has, a value it
        // returned before the cancellation could arrive (an item its last
        // await took from a queue, say) is kept: dropping it would lose data.
        if (
          extra.pending !== null && extra.cancelError !== null && (this.#flags & BLOCKED_ONCE) === 0
        ) {
          state = "cancelled";
          outcome = extra.pending;
        } else {
          state = "done";
        }
      } else {
        state = isCancelledError(outcome) ? "cancelled" : "failed";
      }
      extra.pending = null;
      if (extra.held !== null) return;
      if (anyShielded(extra.scope)) {
        extra.held = { state, outcome };
        return;
      }
    }
    this.#finish(state, outcome);
  }

  #finish(state: TaskState, outcome: unknown): void {
    const extra = this.#extra;
    if (extra !== null && extra.ownedRun !== null) this.#drain(state, outcome);
    else this.#settle(state, outcome);
  }

  /** A run's root: cancel and await what its run left over, then settle. */
  #drain(state: TaskState, outcome: unknown): void {
    const extra = this.#more();
    const run = extra.ownedRun as RunScope;
    extra.draining = true;
    this.#state = "waiting";
    extra.moreBlockers = null;
    this.#blocker = { label: "run cleanup", cancel() {} };
    const step = (): void => {
      const leftovers = [...run.tasks];
      if (leftovers.length === 0) {
        run.closed = true;
        for (const task of run.unretrieved) printUnretrieved(task.#unretrievedEntry());
        run.unretrieved.clear();
        extra.draining = false;
        this.#settle(state, outcome);
        return;
      }
      if (run.debug) reportLeftovers(this, leftovers);
      let remaining = leftovers.length;
      const observer = { taskSettled: () => --remaining === 0 && step() };
      for (const task of leftovers) task.#observe(observer);
      for (const task of leftovers) task.#cancelWith("shutdown", `${this.name} finished`);
    };
    step();
  }

  #settle(state: TaskState, outcome: unknown): void {
    this.#state = state;
    this.#slot = outcome;
    this.#endedAt = ticks(performance.now());
    this.#blocker = null;
    this.#run.tasks.delete(this);
    const extra = this.#extra;
    if (extra !== null) {
      extra.moreBlockers = null;
      if (extra.ownedRun !== null) liveScopes.delete(extra.ownedRun);
    }
    if (hasListeners()) emit("ended", this);
    const observers = this.#observers;
    if (observers !== null) {
      this.#observers = null;
      if (Array.isArray(observers)) {
        for (let i = 0; i < observers.length; i++) notify(observers[i], this);
      } else {
        notify(observers, this);
      }
    }
    if (state === "failed" && (this.#flags & RETRIEVED) === 0) {
      if (this.#run === globalScope) watchUntilCollected(this, this.#unretrievedEntry());
      else this.#run.unretrieved.add(this);
    }
    // A description only: keeping the task would keep its value or error.
    if (keepsHistory()) {
      const entry = this.#finishedEntry();
      recordFinished(entry);
      if (state === "failed" && (this.#flags & RETRIEVED) === 0) markUnretrieved(this, entry);
    }
    const callbacks = extra?.callbacks;
    if (extra && callbacks) {
      extra.callbacks = null;
      queueMicrotask(() => {
        for (const callback of callbacks) callDone(callback, this);
      });
    }
  }

  #unretrievedEntry(): { name: string; id: number; error: unknown } {
    return { name: this.name, id: this.id, error: this.#slot };
  }

  /**
   * Cancel this task. Cancelling one task can cancel others (an awaited task,
   * a gather's inputs, ...), which can cancel more: those are queued and
   * handled one after the other by the outermost call, never by recursion,
   * so a chain of 100,000 tasks awaiting each other cannot overflow the stack.
   * Everything is delivered before the outermost call returns.
   */
  #cancelWith(reason: CancelReason, message: string): boolean {
    if (this.done()) return false;
    Task.#request(this, reason, message, null);
    return true;
  }

  static #request(
    task: Task<unknown>,
    reason: CancelReason,
    message: string,
    scope: ScopeHandle | null,
  ): void {
    if (cancelling) {
      cancelQueue.push({ task, reason, message, scope, wave: cancelWave });
      return;
    }
    cancelQueue.push({ task, reason, message, scope, wave: ++cancelWaves });
    cancelling = true;
    Task.#drainCancels();
  }

  /**
   * A library await met a pending cancellation: hand it over as part of the
   * cancellation that left it pending, so that passing it on (to an awaited
   * task, a gather's inputs) sees which tasks that cancellation already
   * reached. Otherwise a cycle of tasks that is still forming (one of them
   * was running when the cancellation came by, and only now awaits the next)
   * would wait on itself.
   */
  static #deliverPending(blocker: Blocker, error: CancelledError, wave: number): void {
    const outer = cancelling;
    const savedWave = cancelWave;
    const savedDelivering = deliveringPending;
    cancelling = true;
    cancelWave = wave;
    deliveringPending = true;
    try {
      blocker.cancel(error);
    } finally {
      deliveringPending = savedDelivering;
      cancelWave = savedWave;
      if (!outer) Task.#drainCancels();
    }
  }

  /** Handle the queued cancellations, each as part of its wave (cancelling is set). */
  static #drainCancels(): void {
    try {
      for (let i = 0; i < cancelQueue.length; i++) {
        const request = cancelQueue[i];
        cancelWave = request.wave;
        try {
          if (request.scope === null) request.task.#applyCancel(request.reason, request.message);
          else request.task.#applyScopeCancel(request.scope, request.reason);
        } catch (failure) {
          console.error(
            `corun: internal error cancelling ${request.task.name}: ${
              describe(failure, { stack: true })
            }`,
          );
        }
      }
    } finally {
      cancelQueue = [];
      cancelling = false;
    }
  }

  #applyCancel(reason: CancelReason, message: string): void {
    if (this.done()) return;
    const error = new CancelledError(message, { reason, taskName: this.name, taskId: this.id });
    const extra = this.#more();
    if (this.#state === "pending") {
      extra.cancelError = error;
      this.#controller?.abort(error);
      this.#slot = null;
      this.#settle("cancelled", error);
      return;
    }
    extra.wave = cancelWave;
    if (extra.cancelError === null) {
      extra.cancelError = error;
      this.#controller?.abort(error);
    }
    // Every cancel reaches the open scopes (they ignore a second abort): a
    // scope opened after an earlier, caught cancel must see this one.
    abortScopes(extra.scope, null, error);
    if (!extra.draining) this.#deliver(error);
  }

  #applyScopeCancel(scope: ScopeHandle, reason: CancelReason): void {
    if (this.done()) return;
    const error = new CancelledError("", { reason, taskName: this.name, taskId: this.id });
    tieToScope(error, scope);
    const extra = this.#more();
    extra.wave = cancelWave;
    abortScopes(extra.scope, scope, error);
    if (!extra.draining) this.#deliver(error);
  }

  /** Hand `error` to every blocker, or keep it for the next library await. */
  #deliver(error: CancelledError): void {
    const extra = this.#more();
    if (anyShielded(extra.scope)) {
      this.#deliverAround(extra, error);
      return;
    }
    const first = this.#blocker;
    const more = extra.moreBlockers;
    if (more === null || more.size === 0) {
      if (first === null || first.passive === true) {
        this.#keepPending(extra, error);
        return;
      }
      markDelivered(error);
      first.cancel(error);
      return;
    }
    const all = more.toArray().filter((b) => b.passive !== true);
    if (first !== null && first.passive !== true) all.unshift(first);
    if (all.length === 0) {
      this.#keepPending(extra, error);
      return;
    }
    markDelivered(error);
    for (const blocker of all) blocker.cancel(error);
  }

  /**
   * `#deliver` while a scope of the task is shielded: the awaits made inside
   * it (see `shieldedFrom`) are left out.
   */
  #deliverAround(extra: TaskExtra, error: CancelledError): void {
    const all = extra.moreBlockers?.toArray() ?? [];
    if (this.#blocker !== null) all.unshift(this.#blocker);
    const reached = all.filter((b) => b.passive !== true && !shieldedFrom(b, error));
    if (reached.length === 0) {
      this.#keepPending(extra, error);
      return;
    }
    markDelivered(error);
    for (const blocker of reached) blocker.cancel(error);
  }

  /** Keep `error` for the next library await, with the cancellation it belongs to. */
  #keepPending(extra: TaskExtra, error: CancelledError): void {
    const pending = preferCancel(extra.pending, error);
    if (pending === extra.pending) return;
    extra.pending = pending;
    extra.pendingWave = cancelWave;
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
    // A passive wait leaves a pending cancellation to the work it waits on.
    if (
      this.#extra?.pending != null && blocker.passive !== true &&
      !shieldedFrom(blocker, this.#extra.pending)
    ) {
      const wave = this.#extra.pendingWave;
      Task.#deliverPending(blocker, this.#takePending() as CancelledError, wave);
    }
    return true;
  }

  /** Deliver the pending cancellation, if any, at the library await calling this. */
  #takePending(): CancelledError | null {
    const extra = this.#extra;
    const pending = extra?.pending ?? null;
    if (pending === null) return null;
    (extra as TaskExtra).pending = null;
    this.#flags |= BLOCKED_ONCE;
    markDelivered(pending);
    return pending;
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
      lastResumedId = this.id;
      lastResumedName = this.#name;
      noteResumed(this);
      if (hasListeners()) emit("running", this);
    }
  }

  #finishedEntry(): FinishedEntry {
    const state = this.#state;
    let outcome = this.#slot;
    let cancelReason: CancelReason | undefined;
    if (state !== "done") {
      if (isCancelledError(outcome)) cancelReason = outcome.reason;
      outcome = describe(outcome);
    } else if (
      outcome !== null && typeof outcome !== "number" && typeof outcome !== "boolean" &&
      outcome !== undefined
    ) {
      outcome = describe(outcome, { maxLength: PREVIEW_LENGTH });
    }
    return new FinishedEntry(
      this.id,
      this.#name,
      this.parent === undefined ? 0 : this.parent.id,
      state,
      fromTicks(this.#createdAt),
      fromTicks(this.#startedAt),
      fromTicks(this.#endedAt),
      outcome as string | number | boolean | null | undefined,
      cancelReason,
    );
  }

  #info(): TaskInfo {
    const state = this.#state;
    const info: TaskInfo = {
      id: this.id,
      name: this.name,
      state,
      createdAt: fromTicks(this.#createdAt),
    };
    if (this.parent !== undefined) info.parentId = this.parent.id;
    if (state !== "pending") info.startedAt = fromTicks(this.#startedAt);
    if (this.done()) info.endedAt = fromTicks(this.#endedAt);
    const blocker = this.#blocker ?? this.#extra?.moreBlockers?.any();
    if (blocker !== undefined) info.waitingOn = blocker.label;
    if (state === "done") {
      info.result = describe(this.#slot, { maxLength: PREVIEW_LENGTH });
    } else if (state === "failed" || state === "cancelled") {
      const outcome = this.#slot;
      info.error = describe(outcome);
      if (isCancelledError(outcome)) info.cancelReason = outcome.reason;
    }
    return info;
  }

  static {
    inspectable(this, "Task", (task) => {
      const info = task.#info();
      return {
        id: info.id,
        name: quote(info.name),
        state: info.state,
        waitingOn: info.waitingOn === undefined ? undefined : quote(info.waitingOn),
        error: info.error === undefined ? undefined : quote(info.error),
      };
    });
    setStarter((task, now) => (task as Task<unknown>).#begin(now));
    /** The run a new task of `parent` joins: its own run's, or the nearest one still open. */
    const runFor = (parent: Task<unknown> | undefined): RunScope => {
      let run = parent === undefined ? globalScope : (parent.#extra?.ownedRun ?? parent.#run);
      while (run.closed && run.parent !== null) run = run.parent;
      return run;
    };
    isTaskBrand = (value) => typeof value === "object" && value !== null && #state in value;
    installTaskInternals({
      spawn(body, options, ownedRun) {
        const parent = currentTask();
        const run = runFor(parent);
        const task = new Task(body, options.name, parent, run);
        if (ownedRun) {
          const scope = new RunScope(run, ownedRun.debug);
          liveScopes.add(scope);
          task.#more().ownedRun = scope;
        }
        if (options.eager && !ownedRun) task.#begin();
        else scheduleStart(task);
        return task;
      },
      spawnChild(parent, body, options) {
        const task = new Task(body, options.name, parent, runFor(parent));
        scheduleStart(task);
        return task;
      },
      block: (task, blocker) => task.#block(blocker),
      unblock: (task, blocker) => task.#unblock(blocker),
      observe(task, observer) {
        if (task.done()) return false;
        task.#observe(observer);
        return true;
      },
      unobserve(task, observer) {
        const observers = task.#observers;
        if (observers === observer) {
          task.#observers = null;
        } else if (Array.isArray(observers)) {
          const index = observers.indexOf(observer);
          if (index !== -1) observers.splice(index, 1);
        }
      },
      cancelWith: (task, reason, message = "") => task.#cancelWith(reason, message),
      outcome(task) {
        task.#retrieve();
        const state = task.#state;
        if (state === "done") return { state, value: task.#slot as never, error: undefined };
        return { state, value: undefined, error: task.done() ? task.#slot : undefined };
      },
      state: (task) => task.#state,
      peekError: (task) => task.#state === "done" || !task.done() ? undefined : task.#slot,
      takePending: (task) => task.#takePending(),
      isCancelRequested: (task) => (task.#extra?.cancelError ?? null) !== null,
      currentScope: (task) => task.#extra?.scope ?? null,
      enterScope(task, scope) {
        task.#more().scope = scope;
      },
      exitScope(task, scope) {
        const extra = task.#more();
        if (extra.scope === scope) extra.scope = scope.parent;
        const pending = extra.pending;
        if (pending !== null && scopeOf(pending) === scope) extra.pending = null;
        const held = extra.held;
        if (held !== null && !anyShielded(extra.scope)) {
          extra.held = null;
          extra.pending = null;
          task.#finish(held.state, held.outcome);
        }
      },
      cancelScope(task, scope, reason) {
        if (!task.done()) Task.#request(task, reason, "", scope);
      },
      reachedByThisCancel(task) {
        if (!cancelling) return false;
        const extra = task.#extra;
        if (extra === null) return false;
        if (extra.wave === cancelWave) return true;
        // A pending cancellation met at a new await must not wait on a task
        // that is being cancelled itself: it may be waiting for us.
        return deliveringPending && extra.cancelError !== null && !task.done();
      },
      scopeOf,
      info: (task) => task.#info(),
      createdStack: (task) => task.#extra?.createdStack,
      runOf: (task) => task.#run,
      ownedRunOf: (task) => task.#extra?.ownedRun ?? null,
      lastResumed: () =>
        lastResumedId === 0 ? undefined : {
          id: lastResumedId,
          name: lastResumedName ?? `Task-${lastResumedId}`,
        },
    });
  }
}

/** State most tasks never need, allocated on first use. */
interface TaskExtra {
  /** The task-level cancellation, once requested (what `signal` aborts with). */
  cancelError: CancelledError | null;
  /** A cancellation not yet delivered at a library await. */
  pending: CancelledError | null;
  /**
   * Blockers beyond the first slot: one task can be blocked in 100,000
   * awaits at once (a `Promise.all` of async functions), each leaving on its
   * own; the task is blocked while `#blocker` or this is non-empty.
   */
  moreBlockers: BlockerSet | null;
  /** The cancellation (see `cancelWave`) that last reached the task. */
  wave: number;
  /** The cancellation `pending` belongs to. */
  pendingWave: number;
  // Typed loosely so that Task<T> stays assignable to Task<unknown>.
  // deno-lint-ignore no-explicit-any
  callbacks: ((task: any) => void)[] | null;
  /** The innermost active cancel scope. */
  scope: ScopeHandle | null;
  /** For a run's root task: the scope of that run. */
  ownedRun: RunScope | null;
  /** Set while a run's root cancels and awaits its leftovers. */
  draining: boolean;
  /**
   * How the body ended, while work it started in a shielded scope still
   * runs in the task: the task settles when the last such scope closes.
   */
  held: { state: TaskState; outcome: unknown } | null;
  /** Where the task was created (debug runs only). */
  createdStack: string | undefined;
}

/**
 * Whether `value` is a `Task`, checked without reading anything off it (a
 * revoked `Proxy` or a throwing `getPrototypeOf` trap cannot make it throw,
 * as `instanceof` would).
 *
 * @param value Anything.
 * @returns `true` for a `Task`.
 */
export function isTask(value: unknown): value is Task<unknown> {
  return isTaskBrand(value);
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
