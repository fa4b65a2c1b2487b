/**
 * Every deadline of the library (sleeps, cancel scopes, `waitFor`, ...) in
 * one min-heap behind a single `setTimeout`, armed for the earliest.
 *
 * - 100,000 sleeping tasks cost one timer, not 100,000.
 * - A loop of fast calls each under a timeout adds and removes an entry per
 *   call; the timer stays armed. When the heap empties, the timer is cleared
 *   on the next macrotask turn (not at once, so the loop's next call can
 *   reuse it), so nothing keeps the process alive and the op sanitizer of
 *   `deno test` stays green.
 * - Equal deadlines fire in the order they were added, like timers.
 * - Nothing fires early: a timer that fires before the earliest deadline (timers
 *   round their delay) re-arms for the rest, so a deadline is only ever late.
 */
import { fromTicks, nextTurn, nowInTicks, ticksAtLeast } from "./clock.ts";

/** Something waiting for a time on the `performance.now()` clock. */
export interface DeadlineEntry {
  /**
   * When it is due, in integer hundredths of a millisecond (a small integer
   * is stored in place; a double field would cost each entry a heap number);
   * managed here, start it at 0.
   */
  dueAt: number;
  /** Its place in the heap, -1 when not scheduled; managed here. */
  heapIndex: number;
  /** Tie-breaker for equal deadlines; managed here. */
  heapSeq: number;
  /** Called once when the deadline passes (unless removed first). */
  deadlinePassed(): void;
}

/** Longest delay one `setTimeout` can take; later deadlines re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const heap: DeadlineEntry[] = [];
/**
 * The tasks that resumed from a library await (a sleep falling due, ...)
 * during the deadline callbacks being run now; empty between timer turns. A
 * cancel scope expiring in the same turn tells by it that the work's last
 * await completed before the deadline: what it returns next is no reaction
 * to the abort.
 */
export const resumedThisTurn: Set<object> = new Set();
let firing = false;

/** Note that `task` resumed from a library await (cheap outside timer turns). */
export function noteResumed(task: object): void {
  if (firing) resumedThisTurn.add(task);
}
let nextSeq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Infinity;
let disarmPending = false;

/** Call `entry.deadlinePassed()` once `performance.now()` reaches `at`. */
export function addDeadline(entry: DeadlineEntry, at: number): void {
  if (entry.heapIndex !== -1) removeDeadline(entry);
  entry.dueAt = ticksAtLeast(at);
  entry.heapSeq = nextSeq++;
  entry.heapIndex = heap.length;
  heap.push(entry);
  siftUp(entry.heapIndex);
  if (entry.dueAt < timerAt) arm(entry.dueAt);
}

/** Forget `entry`; nothing happens if it is not scheduled. */
export function removeDeadline(entry: DeadlineEntry): void {
  const index = entry.heapIndex;
  if (index === -1) return;
  entry.heapIndex = -1;
  const last = heap.pop() as DeadlineEntry;
  if (last !== entry) {
    heap[index] = last;
    last.heapIndex = index;
    siftDown(index);
    siftUp(last.heapIndex);
  }
  if (heap.length === 0 && timer !== undefined && !disarmPending) {
    disarmPending = true;
    nextTurn(disarmIfIdle);
  }
}

/**
 * Call `onPassed` at `at` (`performance.now()` time); for code off the hot
 * paths that would rather pass a closure.
 *
 * @returns A function that cancels the deadline.
 */
export function setDeadline(at: number, onPassed: () => void): () => void {
  const entry: DeadlineEntry = { dueAt: 0, heapIndex: -1, heapSeq: 0, deadlinePassed: onPassed };
  addDeadline(entry, at);
  return () => removeDeadline(entry);
}

/** Arm the timer for `due` (ticks). */
function arm(due: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = due;
  const delay = Math.ceil(fromTicks(due) - performance.now());
  timer = setTimeout(onTimer, delay <= 0 ? 0 : Math.min(delay, MAX_TIMER_MS));
}

function onTimer(): void {
  timer = undefined;
  timerAt = Infinity;
  const now = nowInTicks();
  firing = true;
  try {
    while (heap.length !== 0 && heap[0].dueAt <= now) {
      const due = heap[0];
      removeDeadline(due);
      try {
        due.deadlinePassed();
      } catch (error) {
        console.error("corun: a deadline callback threw:", error);
      }
    }
  } finally {
    firing = false;
    resumedThisTurn.clear();
  }
  if (heap.length !== 0) arm(heap[0].dueAt);
}

function disarmIfIdle(): void {
  disarmPending = false;
  if (heap.length === 0 && timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  }
}

function before(a: DeadlineEntry, b: DeadlineEntry): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.heapSeq < b.heapSeq);
}

function siftUp(index: number): void {
  const entry = heap[index];
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex];
    if (!before(entry, parent)) break;
    heap[index] = parent;
    parent.heapIndex = index;
    index = parentIndex;
  }
  heap[index] = entry;
  entry.heapIndex = index;
}

function siftDown(index: number): void {
  const entry = heap[index];
  const length = heap.length;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= length) break;
    if (child + 1 < length && before(heap[child + 1], heap[child])) child++;
    if (!before(heap[child], entry)) break;
    heap[index] = heap[child];
    heap[index].heapIndex = index;
    index = child;
  }
  heap[index] = entry;
  entry.heapIndex = index;
}
