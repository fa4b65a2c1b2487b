/**
 * Cancelling tasks: the queue that hands cancellations out one after the
 * other (never by recursion), the waves that tell which tasks one
 * cancellation has already reached, and delivery to the awaits a task is
 * blocked in.
 */
import { CancelledError, type CancelReason } from "../errors.ts";
import { describe } from "./describe.ts";
import type { Task } from "./task.ts";
import type { Blocker } from "./blocker.ts";
import {
  abortScopes,
  anyShielded,
  markDelivered,
  preferCancel,
  type ScopeHandle,
  shieldedFrom,
  tieToScope,
} from "./scope_errors.ts";
import { access, type TaskExtra } from "./_task_access.ts";

/** Cancellations waiting to be handled by the outermost `requestCancel`. */
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

/**
 * Cancel `task` (or, with `scope`, what runs in that scope of it).
 * Cancelling one task can cancel others (an awaited task, a gather's inputs,
 * ...), which can cancel more: those are queued and handled one after the
 * other by the outermost call, never by recursion, so a chain of 100,000
 * tasks awaiting each other cannot overflow the stack. Everything is
 * delivered before the outermost call returns.
 *
 * @param task A task that is not done.
 * @param reason Why.
 * @param message The `CancelledError`'s message.
 * @param scope The cancel scope to cancel, or `null` for the whole task.
 */
export function requestCancel(
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
  drainCancels();
}

/**
 * Whether the cancellation being handled now has already reached `task`.
 *
 * @param task Any task.
 * @returns `true` if passing it on to `task` again would go round a cycle.
 */
export function reachedByThisCancel(task: Task<unknown>): boolean {
  if (!cancelling) return false;
  const extra = access.extra(task);
  if (extra === null) return false;
  if (extra.wave === cancelWave) return true;
  // A pending cancellation met at a new await must not wait on a task
  // that is being cancelled itself: it may be waiting for us.
  return deliveringPending && extra.cancelError !== null && !task.done();
}

/**
 * A library await met a pending cancellation: hand it over as part of the
 * cancellation that left it pending, so that passing it on (to an awaited
 * task, a gather's inputs) sees which tasks that cancellation already
 * reached. Otherwise a cycle of tasks that is still forming (one of them
 * was running when the cancellation came by, and only now awaits the next)
 * would wait on itself.
 *
 * @param task The task.
 * @param blocker The await.
 * @param error The pending cancellation.
 * @param wave The cancellation it belongs to.
 */
function deliverPending(
  task: Task<unknown>,
  blocker: Blocker,
  error: CancelledError,
  wave: number,
): void {
  const outer = cancelling;
  const savedWave = cancelWave;
  const savedDelivering = deliveringPending;
  cancelling = true;
  cancelWave = wave;
  deliveringPending = true;
  try {
    blocker.cancel(error, task);
  } finally {
    deliveringPending = savedDelivering;
    cancelWave = savedWave;
    if (!outer) drainCancels();
  }
}

/**
 * A library await met the pending cancellation of its task: deliver it
 * there, unless the await is passive (it leaves the cancellation to the work
 * it waits on) or shielded from it.
 *
 * @param task The task, with a pending cancellation.
 * @param extra Its rarely used state.
 * @param blocker The await.
 */
export function meetPending(task: Task<unknown>, extra: TaskExtra, blocker: Blocker): void {
  if (blocker.passive === true || shieldedFrom(blocker, extra.pending as CancelledError)) return;
  const wave = extra.pendingWave;
  deliverPending(task, blocker, takePending(task) as CancelledError, wave);
}

/**
 * Deliver the pending cancellation, if any, at the library await calling this.
 *
 * @param task Any task.
 * @returns The pending `CancelledError`, now delivered, or `null`.
 */
export function takePending(task: Task<unknown>): CancelledError | null {
  const extra = access.extra(task);
  const pending = extra?.pending ?? null;
  if (pending === null) return null;
  (extra as TaskExtra).pending = null;
  access.markBlocked(task);
  markDelivered(pending);
  return pending;
}

/** Handle the queued cancellations, each as part of its wave (cancelling is set). */
function drainCancels(): void {
  try {
    for (let i = 0; i < cancelQueue.length; i++) {
      const request = cancelQueue[i];
      cancelWave = request.wave;
      try {
        if (request.scope === null) applyCancel(request.task, request.reason, request.message);
        else applyScopeCancel(request.task, request.scope, request.reason);
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

function applyCancel(task: Task<unknown>, reason: CancelReason, message: string): void {
  if (task.done()) return;
  const error = new CancelledError(message, { reason, taskName: task.name, taskId: task.id });
  const extra = access.more(task);
  if (access.state(task) === "pending") {
    extra.cancelError = error;
    access.controller(task)?.abort(error);
    access.settle(task, "cancelled", error);
    return;
  }
  extra.wave = cancelWave;
  if (extra.cancelError === null) {
    extra.cancelError = error;
    access.controller(task)?.abort(error);
  }
  // Every cancel reaches the open scopes (they ignore a second abort): a
  // scope opened after an earlier, caught cancel must see this one.
  abortScopes(extra.scope, null, error);
  if (!extra.draining) deliver(task, extra, error);
}

function applyScopeCancel(task: Task<unknown>, scope: ScopeHandle, reason: CancelReason): void {
  if (task.done()) return;
  const error = new CancelledError("", { reason, taskName: task.name, taskId: task.id });
  tieToScope(error, scope);
  const extra = access.more(task);
  extra.wave = cancelWave;
  abortScopes(extra.scope, scope, error);
  if (!extra.draining) deliver(task, extra, error);
}

/** Hand `error` to every blocker of `task`, or keep it for the next library await. */
function deliver(task: Task<unknown>, extra: TaskExtra, error: CancelledError): void {
  const first = access.blocker(task);
  const shielded = anyShielded(extra.scope);
  const more = extra.moreBlockers;
  if (!shielded && (more === null || more.size === 0)) {
    if (first === null || first.passive === true) {
      keepPending(extra, error);
      return;
    }
    markDelivered(error);
    first.cancel(error, task);
    return;
  }
  const all = more?.toArray() ?? [];
  if (first !== null) all.unshift(first);
  // While a scope of the task is shielded, the awaits made inside it (see
  // `shieldedFrom`) are left out.
  const reached = all.filter((b) => b.passive !== true && !(shielded && shieldedFrom(b, error)));
  if (reached.length === 0) {
    keepPending(extra, error);
    return;
  }
  markDelivered(error);
  for (const blocker of reached) blocker.cancel(error, task);
}

/** Keep `error` for the next library await, with the cancellation it belongs to. */
function keepPending(extra: TaskExtra, error: CancelledError): void {
  const pending = preferCancel(extra.pending, error);
  if (pending === extra.pending) return;
  extra.pending = pending;
  extra.pendingWave = cancelWave;
}
