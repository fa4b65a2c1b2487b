/**
 * When task bodies start, and how `sleep(0)` yields to the event loop.
 *
 * Bodies start in one microtask per synchronous batch, in creation order.
 * `sleep(0)` waits for one macrotask turn on a `MessageChannel`: unlike nested
 * `setTimeout(0)` (clamped to ~4 ms) it is not throttled, and the channel is
 * closed whenever nobody waits, so it never keeps the process alive and never
 * trips the op sanitizer.
 */

let startQueue: object[] = [];
let startScheduled = false;
let starter: (task: object) => void = () => {};

/** Set what starting a task means (done once, by the task module). */
export function setStarter(start: (task: object) => void): void {
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
  for (let i = 0; i < batch.length; i++) starter(batch[i]);
}

/** One waiter for the next macrotask turn; `cancelled` ones are skipped. */
export interface TurnWaiter {
  cancelled: boolean;
  wake(): void;
}

let turnWaiters: TurnWaiter[] = [];
let liveTurnWaiters = 0;
let channel: MessageChannel | null = null;
let turnPosted = false;

/** Call `waiter.wake()` on the next macrotask turn, unless cancelled first. */
export function waitNextTurn(waiter: TurnWaiter): void {
  turnWaiters.push(waiter);
  liveTurnWaiters++;
  if (!turnPosted) {
    if (channel === null) {
      const created = new MessageChannel();
      // A closed channel may still deliver its last message: ignore it.
      created.port1.onmessage = () => created === channel && flushTurn();
      channel = created;
    }
    channel.port2.postMessage(0);
    turnPosted = true;
  }
}

/** Forget a waiter registered with `waitNextTurn`. */
export function cancelNextTurn(waiter: TurnWaiter): void {
  if (waiter.cancelled) return;
  waiter.cancelled = true;
  if (--liveTurnWaiters <= 0) {
    liveTurnWaiters = 0;
    closeChannel();
  }
}

function flushTurn(): void {
  turnPosted = false;
  const batch = turnWaiters;
  turnWaiters = [];
  liveTurnWaiters = 0;
  for (let i = 0; i < batch.length; i++) {
    const waiter = batch[i];
    if (!waiter.cancelled) {
      waiter.cancelled = true;
      waiter.wake();
    }
  }
  if (liveTurnWaiters === 0) closeChannel();
}

function closeChannel(): void {
  const closing = channel;
  if (closing === null) return;
  // Detach first: closing a port can dispatch its pending message at once.
  channel = null;
  turnPosted = false;
  turnWaiters = [];
  closing.port1.close();
  closing.port2.close();
}
