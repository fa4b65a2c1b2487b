/**
 * When task bodies start, and how `sleep(0)` yields to the event loop.
 *
 * Bodies start in one microtask per synchronous batch, in creation order.
 * `sleep(0)` waits for one macrotask turn (`setImmediate`): unlike nested
 * `setTimeout(0)` (clamped to ~4 ms) it is not throttled, all `sleep(0)` calls
 * of one turn share it, and it is cleared when nobody waits any more.
 */
import { cancelTurn, nextTurn } from "./clock.ts";

let startQueue: object[] = [];
let startScheduled = false;
let starter: (task: object, now: number) => void = () => {};

/**
 * Set what starting a task means (done once, by the task module); `now` is
 * the start time, read once per batch.
 */
export function setStarter(start: (task: object, now: number) => void): void {
  starter = start;
}

/** Start `task` after the current synchronous code, in creation order. */
export function scheduleStart(task: object): void {
  startQueue.push(task);
  if (!startScheduled) {
    startScheduled = true;
    queueMicrotask(flushStarts);
  }
}

function flushStarts(): void {
  startScheduled = false;
  const batch = startQueue;
  startQueue = [];
  const now = performance.now();
  for (let i = 0; i < batch.length; i++) starter(batch[i], now);
}

/** One waiter for the next macrotask turn; `cancelled` ones are skipped. */
export interface TurnWaiter {
  /** Set instead of removing the waiter from the turn's list. */
  cancelled: boolean;
  /** Called on the next turn unless cancelled. */
  wake(): void;
}

let turnWaiters: TurnWaiter[] = [];
let liveTurnWaiters = 0;
let turnHandle: unknown = undefined;

/** Call `waiter.wake()` on the next macrotask turn, unless cancelled first. */
export function waitNextTurn(waiter: TurnWaiter): void {
  turnWaiters.push(waiter);
  liveTurnWaiters++;
  if (turnHandle === undefined) turnHandle = nextTurn(flushTurn);
}

/** Forget a waiter registered with `waitNextTurn`. */
export function cancelNextTurn(waiter: TurnWaiter): void {
  if (waiter.cancelled) return;
  waiter.cancelled = true;
  if (--liveTurnWaiters <= 0) {
    // Nobody waits any more: drop the pending turn so it leaks no op.
    liveTurnWaiters = 0;
    turnWaiters = [];
    if (turnHandle !== undefined) cancelTurn(turnHandle);
    turnHandle = undefined;
  }
}

function flushTurn(): void {
  turnHandle = undefined;
  const batch = turnWaiters;
  turnWaiters = [];
  liveTurnWaiters = 0;
  // Claim the whole batch before waking anyone, so that a waiter cancelled
  // by code running during the flush cannot touch the next turn's waiters.
  const woken: TurnWaiter[] = [];
  for (let i = 0; i < batch.length; i++) {
    const waiter = batch[i];
    if (!waiter.cancelled) {
      waiter.cancelled = true;
      woken.push(waiter);
    }
  }
  for (let i = 0; i < woken.length; i++) woken[i].wake();
}
