/**
 * A cancellable wait on Redis work, seen by the monitor as what the task is
 * blocked in (the blocker protocol of lib/runtime/blocker.ts).
 */
import type { CancelledError } from "../errors.ts";
import { type Blocker, currentTask, takePendingCancel, taskInternals } from "../runtime/mod.ts";

/**
 * Run `work(signal)` as a library await labelled `label`. If the task is
 * cancelled first, `signal` aborts and the call rejects with the task's
 * `CancelledError` at once; whatever `work` still produces then goes to
 * `late` (to hand an item back, or undo a write), never to the caller.
 */
export function waitOn<T>(
  label: string,
  work: (signal: AbortSignal) => Promise<T>,
  late: (value: T) => void | Promise<void> = () => {},
): Promise<T> {
  const task = currentTask();
  const pending = takePendingCancel(task);
  if (pending !== null) return Promise.reject(pending);
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    let settled = false;
    const blocker: Blocker = {
      label,
      cancel(error: CancelledError): void {
        if (settled) return;
        settled = true;
        controller.abort(error);
        if (task !== undefined) taskInternals.unblock(task, blocker);
        reject(error);
      },
    };
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (task !== undefined) taskInternals.unblock(task, blocker);
      return true;
    };
    work(controller.signal).then(
      (value) => {
        if (finish()) resolve(value);
        else {
          try {
            Promise.resolve(late(value)).catch(() => {});
          } catch {
            // nothing more can be done for a value nobody waits for
          }
        }
      },
      (error) => {
        if (finish()) reject(error);
      },
    );
    if (task !== undefined) taskInternals.block(task, blocker);
  });
}

/** Resolve after `ms`, or reject with the abort reason when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
