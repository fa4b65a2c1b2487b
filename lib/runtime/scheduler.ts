/**
 * When task bodies start, and how `sleep(0)` yields to the event loop.
 *
 * Bodies start after the current synchronous code, in creation order, each
 * in its creator's async context.
 * `sleep(0)` waits for one macrotask turn (`setImmediate`): unlike nested
 * `setTimeout(0)` (clamped to ~4 ms) it is not throttled, all `sleep(0)` calls
 * of one turn share it, and it is cleared when nobody waits any more.
 */
import { cancelTurn, nextTurn } from "./clock.ts";

let startQueue: (object | undefined)[] = [];
let startHead = 0;
/** The start time given to the tasks starting now (see `setStarter`). */
let batchNow = -Infinity;
let starter: (task: object, now: number) => number = () => -Infinity;

/**
 * Set what starting a task means (done once, by the task module). `now` is a
 * start time read for an earlier task; the starter reads the clock again if
 * its task was created after that, and returns the time it used: one clock
 * read for all the tasks created in one synchronous stretch.
 */
export function setStarter(start: (task: object, now: number) => number): void {
  starter = start;
}

/**
 * Start `task` after the current synchronous code, in creation order. Each
 * start is its own microtask, queued where the task is created: a microtask
 * runs in the async context it was queued in, so the body inherits its
 * creator's `AsyncLocalStorage` values, as an asyncio task copies its
 * creator's context (one microtask per batch would start every task of the
 * batch in the first creator's context).
 */
export function scheduleStart(task: object): void {
  startQueue.push(task);
  queueMicrotask(startNext);
}

// Microtasks run in the order they were queued: the n-th start is the n-th task.
function startNext(): void {
  const task = startQueue[startHead] as object;
  startQueue[startHead++] = undefined;
  if (startHead === startQueue.length) {
    startQueue = [];
    startHead = 0;
  }
  start(task);
}

function start(task: object): void {
  try {
    batchNow = starter(task, batchNow);
  } catch (error) {
    console.error("corun: internal error starting a task:", error);
  }
}

let childBatch: object[] | null = null;
let childBatchHelper: object | null = null;

/**
 * Start `task`, which `helper` (a `mapLimit`, a stream, `merge`, `tee`)
 * starts for the task it serves, after the current synchronous code: the
 * starts one helper makes in one stretch share one microtask, queued by the
 * first. A helper starts its calls from where it was called, or from the end
 * of an earlier call (which began there), so they share that context; a
 * microtask per call cost `mapLimit` about 5%.
 */
export function scheduleChildStart(task: object, helper: object): void {
  if (childBatch !== null && childBatchHelper === helper) {
    childBatch.push(task);
    return;
  }
  const batch = childBatch = [task];
  childBatchHelper = helper;
  queueMicrotask(() => {
    if (childBatch === batch) childBatch = childBatchHelper = null;
    for (let i = 0; i < batch.length; i++) start(batch[i]);
  });
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
