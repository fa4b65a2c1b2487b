/**
 * Cancel scopes: a region of one task's body that can be cancelled on its
 * own, by a deadline (`timeout`, `timeoutAt`, `moveOnAfter`) or by its owner
 * (`TaskGroup` cancelling its body when a child fails). The task sees them
 * through `ScopeHandle` (`taskInternals.enterScope`/`exitScope`/
 * `cancelScope`); the scope's `CancelledError` is delivered like a task
 * cancellation, and `taskInternals.scopeOf(error)` tells whose it is.
 *
 * The task keeps its innermost scope (`taskInternals.currentScope`); scopes
 * chain through `parent`, and a scope may leave out of order (two
 * `timeout()` calls raced with `Promise.all` in one task).
 */
import type { CancelledError, CancelReason } from "../errors.ts";
import type { Task } from "./task.ts";
import { taskInternals } from "./internals.ts";
import type { ScopeHandle } from "./scope_errors.ts";
import { addDeadline, type DeadlineEntry, removeDeadline, resumedThisTurn } from "./deadlines.ts";
import { cancelNextTurn, type TurnWaiter, waitNextTurn } from "./scheduler.ts";

/** Lets a subclass add private fields to an object it did not create. */
class Stampable {
  constructor(target: object) {
    return target;
  }
}

/**
 * The scope of a watched signal (see `CancelScope.watchedSignal`), in a
 * private field added to the signal: invisible to reflection, spread and
 * printing, unlike a property.
 */
class ScopeStamp extends Stampable {
  #scope: CancelScope;

  constructor(signal: AbortSignal, scope: CancelScope) {
    super(signal);
    this.#scope = scope;
  }

  static of(signal: object): CancelScope | undefined {
    return #scope in signal ? (signal as ScopeStamp).#scope : undefined;
  }
}
/** The prototype of watched signals: `AbortSignal.prototype` plus the watching. */
let watchedSignalPrototype: AbortSignal;

/** A cancellable region of one task's body, with an optional deadline. */
export class CancelScope implements ScopeHandle, DeadlineEntry {
  /** The enclosing open scope of the same task. */
  parent: CancelScope | null = null;
  /** Set by the task when this scope's cancellation reached the body. */
  delivered = false;
  /** Set by `shield()`: only this scope's own cancellation reaches inside. */
  shielded = false;
  /** When the scope was entered (`performance.now()`). */
  readonly startedAt: number = performance.now();

  #deadline: number;
  /** Managed by the deadline heap (lib/runtime/deadlines.ts). */
  dueAt = 0;
  /** Managed by the deadline heap. */
  heapIndex: number = -1;
  /** Managed by the deadline heap. */
  heapSeq = 0;
  #controller: AbortController | null = null;
  /** What the signal aborts (or aborted) with. */
  #abortReason: CancelledError | undefined = undefined;
  /** A task-level or enclosing-scope cancellation received while open. */
  #outerError: CancelledError | undefined = undefined;
  /** This scope's own cancellation, once it was cancelled. */
  #ownError: CancelledError | undefined = undefined;
  #cancelled = false;
  #expired = false;
  /** Waits for the turn after expiry; `null` before expiry and once it came. */
  #expiryTurn: TurnWaiter | null = null;
  #closed = false;
  /** The work listened for the abort on the signal `watchedSignal()` handed out. */
  #listened = false;
  #observed = false;
  /** The task resumed from a library await in the turn of the deadline, before it. */
  #resumedFirst = false;

  /**
   * Enter a new scope in `task`, innermost. Its signal starts aborted if the
   * task or an enclosing scope was already cancelled.
   *
   * @param task The task whose body the scope belongs to.
   * @param deadline When to cancel it (`performance.now()` time), or
   *   `Infinity` for never.
   */
  constructor(readonly task: Task<unknown>, deadline = Infinity) {
    const parent = taskInternals.currentScope(task) as CancelScope | null;
    this.parent = parent;
    this.#abortReason = parent !== null
      ? parent.#abortReason
      : taskInternals.isCancelRequested(task)
      ? (task.signal.reason as CancelledError)
      : undefined;
    taskInternals.enterScope(task, this);
    this.#deadline = deadline;
    this.#arm();
  }

  /** The deadline (`performance.now()` time); `Infinity` when none. */
  get deadline(): number {
    return this.#deadline;
  }

  /** Aborts when this scope, an enclosing one, or the task is cancelled. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /**
   * The signal, handed to the work so that the scope can tell whether the
   * work saw the abort: it listened for it (`addEventListener("abort")`,
   * `onabort`) before it came, or read `aborted` as `true` afterwards. A
   * value the work returns after that is its reaction to the abort (many
   * JavaScript APIs resolve on abort), even when it comes in the same turn.
   */
  watchedSignal(): AbortSignal {
    const signal = this.signal;
    if (ScopeStamp.of(signal) === undefined) {
      // One shared prototype instead of per-signal closures: watching costs
      // a prototype switch and a hidden field, not a dictionary-mode object.
      Object.setPrototypeOf(signal, watchedSignalPrototype);
      new ScopeStamp(signal, this);
    }
    return signal;
  }

  /**
   * Whether the work saw this scope's abort (see `watchedSignal`), unless
   * its last library await completed in the very turn of the deadline,
   * before it: the value it then returns is that await's, not a reaction.
   */
  get abortObserved(): boolean {
    return this.#observed && !this.#resumedFirst;
  }

  /** Whether the deadline passed (the scope was cancelled by it). */
  get expired(): boolean {
    return this.#expired;
  }

  /**
   * Whether a macrotask turn has passed since the deadline did: work that
   * settles later settled in reaction to the abort, not in the same instant.
   */
  get expiredTurnsAgo(): boolean {
    return this.#expired && this.#expiryTurn === null;
  }

  /** Whether the scope has been left. */
  get closed(): boolean {
    return this.#closed;
  }

  /** A task or enclosing-scope cancellation that arrived while open. */
  get outerError(): CancelledError | undefined {
    return this.#outerError;
  }

  /** This scope's own `CancelledError`, once it was cancelled. */
  get ownError(): CancelledError | undefined {
    return this.#ownError;
  }

  /** Called by the task: abort the signal (first reason wins). */
  abortSignal(error: CancelledError): void {
    if (taskInternals.scopeOf(error) === this) this.#ownError ??= error;
    else if (!this.#closed) this.#outerError ??= error;
    if (this.#abortReason !== undefined) return;
    this.#abortReason = error;
    if (this.#listened) this.#observed = true;
    this.#controller?.abort(error);
  }

  /**
   * Cancel the work inside the scope: its `CancelledError` reaches the
   * library await the task is blocked in, or its next one. Once only;
   * nothing after the scope was left.
   */
  cancel(reason: CancelReason): void {
    if (this.#cancelled || this.#closed) return;
    this.#cancelled = true;
    this.#clearTimer();
    taskInternals.cancelScope(this.task, this, reason);
  }

  /**
   * Move the deadline (`Infinity` removes it); a past one expires the scope
   * at once (the work sees it at its next library await). The caller checks
   * that the scope is still open and unexpired.
   */
  reschedule(deadline: number): void {
    this.#clearTimer();
    this.#deadline = deadline;
    this.#arm();
  }

  /**
   * Leave the scope: clear the timer and drop an undelivered cancellation of
   * this scope (the task keeps an enclosing scope's over it).
   */
  exit(): void {
    if (this.#closed) return;
    this.#closed = true;
    // A blocker that recorded this scope (see `Task.#block`) and blocks
    // again later must not stay shielded by it.
    this.shielded = false;
    this.#clearTimer();
    if (this.#expiryTurn !== null) {
      cancelNextTurn(this.#expiryTurn);
      this.#expiryTurn = null;
    }
    const task = this.task;
    const inner = taskInternals.currentScope(task) as CancelScope | null;
    if (inner !== this && inner !== null) {
      // Leaving out of order: unlink this scope and keep the innermost one.
      let child: CancelScope | null = inner;
      while (child !== null && child.parent !== this) child = child.parent;
      if (child !== null) child.parent = this.parent;
    }
    taskInternals.exitScope(task, this);
  }

  #arm(): void {
    const deadline = this.#deadline;
    if (deadline === Infinity) return;
    // A deadline already passed expires now, not on a timer turn: `sleep(0)`
    // (a macrotask turn) would otherwise run first and never be interrupted.
    if (deadline <= performance.now()) this.deadlinePassed();
    else addDeadline(this, deadline);
  }

  /** The deadline passed: cancel the work inside. */
  deadlinePassed(): void {
    if (this.#closed || this.#cancelled) return;
    this.#expired = true;
    this.#resumedFirst = resumedThisTurn.has(this.task);
    const turn: TurnWaiter = {
      cancelled: false,
      wake: () => {
        if (this.#expiryTurn === turn) this.#expiryTurn = null;
      },
    };
    this.#expiryTurn = turn;
    waitNextTurn(turn);
    this.cancel("timeout");
  }

  #clearTimer(): void {
    removeDeadline(this);
  }

  static {
    const base = AbortSignal.prototype;
    const addEventListener = base.addEventListener;
    const onabort = Object.getOwnPropertyDescriptor(base, "onabort");
    const aborted = Object.getOwnPropertyDescriptor(base, "aborted");
    type Watched = AbortSignal;
    watchedSignalPrototype = Object.create(base, {
      addEventListener: {
        configurable: true,
        writable: true,
        value: function (this: Watched, type: string, ...rest: unknown[]) {
          const scope = ScopeStamp.of(this);
          if (type === "abort" && scope !== undefined) scope.#listened = true;
          return Reflect.apply(addEventListener, this, [type, ...rest]);
        },
      },
      onabort: {
        configurable: true,
        get(this: Watched) {
          return onabort?.get?.call(this);
        },
        set(this: Watched, value: unknown) {
          const scope = ScopeStamp.of(this);
          if (value !== null && value !== undefined && scope !== undefined) scope.#listened = true;
          onabort?.set?.call(this, value);
        },
      },
      aborted: {
        configurable: true,
        get(this: Watched) {
          const value = aborted?.get?.call(this);
          const scope = ScopeStamp.of(this);
          if (value === true && scope !== undefined) scope.#observed = true;
          return value;
        },
      },
    });
  }
}
