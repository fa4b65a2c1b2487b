/**
 * Cancellations that belong to a cancel scope (a `timeout()` deadline, a
 * `TaskGroup` cancelling its body) rather than to the whole task: which scope
 * each one belongs to, and which of two to report.
 */
import { CancelledError } from "../errors.ts";

/** A cancel scope, as the task sees it (see `lib/runtime/cancel_scope.ts`). */
export interface ScopeHandle {
  /** The enclosing scope of the same task. */
  readonly parent: ScopeHandle | null;
  /** Set when this scope's cancellation reached the task's body. */
  delivered: boolean;
  /** Abort the signal this scope handed out, if it handed one out. */
  abortSignal(error: CancelledError): void;
}

/** Which scope a scope-level `CancelledError` belongs to. */
const errorScopes = new WeakMap<CancelledError, ScopeHandle>();

/** Record that `error` is the cancellation of `scope`. */
export function tieToScope(error: CancelledError, scope: ScopeHandle): void {
  errorScopes.set(error, scope);
}

/** The scope a cancellation belongs to; `undefined` for a task-level one. */
export function scopeOf(error: CancelledError): ScopeHandle | undefined {
  return errorScopes.get(error);
}

/**
 * Of two cancellations of the same task, the one to report: a task-level
 * cancellation wins over a cancel scope's (a timeout must not turn an
 * explicit cancel into a TimeoutError), an enclosing scope's over an inner
 * one's; otherwise the first stays.
 */
export function preferCancel(
  current: CancelledError | null,
  next: CancelledError,
): CancelledError {
  if (current === null) return next;
  const currentScope = errorScopes.get(current);
  if (currentScope === undefined) return current;
  const nextScope = errorScopes.get(next);
  if (nextScope === undefined) return next;
  // Both belong to scopes: the enclosing scope's wins, or the inner scope
  // would drop it on exit and the outer deadline would never fire.
  for (let scope = currentScope.parent; scope !== null; scope = scope.parent) {
    if (scope === nextScope) return next;
  }
  return current;
}

/** The cancellation reached the body: tell its scope, if it has one. */
export function markDelivered(error: CancelledError): void {
  const scope = errorScopes.get(error);
  if (scope !== undefined) scope.delivered = true;
}

/**
 * `value instanceof CancelledError`, except that it never throws: `instanceof`
 * on a revoked `Proxy` (or one whose `getPrototypeOf` trap throws) does, and a
 * task may fail with any value.
 */
export function isCancelledError(value: unknown): value is CancelledError {
  if (typeof value !== "object" || value === null) return false;
  try {
    return value instanceof CancelledError;
  } catch {
    return false;
  }
}
