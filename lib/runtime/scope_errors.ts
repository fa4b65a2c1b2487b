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
  /**
   * Set by `shield()` while the scope is open: cancellations from outside it
   * (the task's, an enclosing scope's) no longer reach the awaits inside.
   */
  shielded: boolean;
  /** Whether the scope has been left. */
  readonly closed: boolean;
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

/**
 * The scope each library await was made in, for awaits made inside a scope
 * (a `WeakMap`, so that blockers keep their shape; awaits outside any scope,
 * the hot path, record nothing). A stale entry is harmless: its scope has
 * been left, and a closed scope is never shielded.
 */
const blockScopes = new WeakMap<object, ScopeHandle>();

/**
 * Record that `blocker` was made inside `scope`, the task's innermost one,
 * or, for `shield()`'s await, in the innermost enclosing none of `outside`.
 */
export function recordBlockScope(
  blocker: object,
  scope: ScopeHandle,
  outside: readonly ScopeHandle[] | undefined,
): void {
  let inside: ScopeHandle | null = scope;
  if (outside !== undefined) {
    for (let s: ScopeHandle | null = scope; s !== null; s = s.parent) {
      if (outside.includes(s)) inside = s.parent;
    }
  }
  if (inside !== null) blockScopes.set(blocker, inside);
  else blockScopes.delete(blocker);
}

/** Whether `scope` or one of its enclosing scopes is shielded. */
export function anyShielded(scope: ScopeHandle | null): boolean {
  for (let s = scope; s !== null; s = s.parent) if (s.shielded) return true;
  return false;
}

/**
 * Whether `error` must not reach `blocker`: a shielded scope lies between
 * the scope the await was made in and the scope `error` belongs to (the
 * whole task, for a task-level cancellation). A shielded scope's own
 * cancellation (its deadline) still reaches inside it.
 */
export function shieldedFrom(blocker: object, error: CancelledError): boolean {
  const origin = errorScopes.get(error);
  for (let s = blockScopes.get(blocker) ?? null; s !== null; s = s.parent) {
    if (s === origin) return false;
    if (s.shielded) return true;
  }
  return false;
}

/**
 * Abort the signals of the scopes from `innermost` out to `upTo` (included;
 * `null` for all of them), leaving out those at or inside a shielded scope
 * below `upTo`: a cancellation from outside a shielded scope does not reach
 * its signal.
 */
export function abortScopes(
  innermost: ScopeHandle | null,
  upTo: ScopeHandle | null,
  error: CancelledError,
): void {
  let from = innermost;
  for (let s = innermost; s !== null && s !== upTo; s = s.parent) if (s.shielded) from = s.parent;
  for (let s = from; s !== null; s = s.parent) {
    s.abortSignal(error);
    if (s === upTo) break;
  }
}
