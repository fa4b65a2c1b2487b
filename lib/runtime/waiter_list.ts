/**
 * Waiters of the synchronisation primitives and queues, and how a wait ends.
 *
 * A `Waiter` is a node of an intrusive doubly linked `WaiterList` (O(1)
 * removal when its task is cancelled) and the `Blocker` its task is blocked
 * in. A wait ends in one of three ways:
 *
 * - granted: the primitive removes the node from its list and hands it what
 *   it waited for (a permit, an item, ...) at once, so the hand-over order is
 *   the arrival order. The task resumes in the next delivery batch (one
 *   microtask later), and until then it still waits on the node. If it is
 *   cancelled in between, the node gives what it was handed back to its
 *   owner (`giveBack`), which passes it on: nothing is lost, nothing stuck.
 * - failed: the primitive rejects a waiting node (`QueueShutDown`, ...).
 * - cancelled while waiting: the node leaves its list and rejects with
 *   exactly the task's `CancelledError`.
 */
import type { CancelledError } from "../errors.ts";
import type { Blocker } from "./blocker.ts";
import { currentTask } from "./create_task.ts";
import { taskInternals } from "./internals.ts";
import type { Task } from "./task.ts";

const WAITING = 0;
const GRANTED = 1;
const SETTLED = 2;

/** The primitive behind a node: told when a granted node resumes or is cancelled. */
export interface WaiterOwner {
  /** A granted node resumes now: book-keep; a throw rejects the wait with that error. */
  delivered(waiter: Waiter): void;
  /** A granted node was cancelled before it resumed: pass `waiter.value` on. */
  giveBack(waiter: Waiter): void;
}

/** One waiting call: a list node and a `Blocker`. */
export class Waiter implements Blocker {
  /** The previous node in its list. */
  prev: Waiter | null = null;
  /** The next node in its list. */
  next: Waiter | null = null;
  /** The list it is in, or `null` once removed. */
  list: WaiterList | null = null;
  /** Waiting, granted or settled. */
  state: number = WAITING;
  /** Its index in the blocked task's `BlockerSet`, when it is one of several. */
  blockSlot: number = -1;
  /** What the node carries (an item to put) or was granted. */
  value: unknown;

  /**
   * A node for one waiting call.
   *
   * @param label What the monitor shows it waits on (`Queue.get`, ...).
   * @param owner The primitive told when a granted node resumes or is cancelled.
   * @param task The waiting task, if any.
   * @param value What the node carries (an item to put), if anything.
   * @param resolve Resumes the waiting call.
   * @param reject Fails the waiting call.
   */
  constructor(
    readonly label: string,
    readonly owner: WaiterOwner | null,
    readonly task: Task<unknown> | undefined,
    value: unknown,
    readonly resolve: (value: never) => void,
    readonly reject: (error: unknown) => void,
  ) {
    this.value = value;
  }

  /** Hand `value` over; the caller has already taken the node off its list. */
  grant(value: unknown): void {
    this.state = GRANTED;
    this.value = value;
    deliveries.push(this);
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flushDeliveries);
    }
  }

  /** Reject a waiting node with `error` (shutdown, abort, reset). */
  fail(error: unknown): void {
    if (this.state !== WAITING) return;
    this.state = SETTLED;
    this.list?.remove(this);
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
    this.reject(error);
  }

  /** The blocker protocol: leave the list or give the grant back, then reject. */
  cancel(error: CancelledError): void {
    const state = this.state;
    if (state === SETTLED) return;
    this.state = SETTLED;
    try {
      if (state === WAITING) this.list?.remove(this);
      else this.owner?.giveBack(this);
    } finally {
      if (this.task !== undefined) taskInternals.unblock(this.task, this);
      this.reject(error);
    }
  }
}

let deliveries: Waiter[] = [];
let flushScheduled = false;

function flushDeliveries(): void {
  const batch = deliveries;
  // Grants made while delivering land in the same batch, in order.
  for (let i = 0; i < batch.length; i++) {
    const waiter = batch[i];
    if (waiter.state !== GRANTED) continue;
    waiter.state = SETTLED;
    if (waiter.task !== undefined) taskInternals.unblock(waiter.task, waiter);
    const owner = waiter.owner;
    if (owner !== null) {
      try {
        owner.delivered(waiter);
      } catch (error) {
        waiter.reject(error);
        continue;
      }
    }
    waiter.resolve(waiter.value as never);
  }
  deliveries = [];
  flushScheduled = false;
}

/** A FIFO of waiters with O(1) push, shift and removal of any node. */
export class WaiterList {
  /** The longest waiter. */
  head: Waiter | null = null;
  /** The newest waiter. */
  tail: Waiter | null = null;
  /** How many nodes it holds. */
  size = 0;

  /** Append `waiter`. */
  push(waiter: Waiter): void {
    waiter.list = this;
    waiter.prev = this.tail;
    waiter.next = null;
    if (this.tail === null) this.head = waiter;
    else this.tail.next = waiter;
    this.tail = waiter;
    this.size++;
  }

  /** Remove and return the first waiter. */
  shift(): Waiter | null {
    const waiter = this.head;
    if (waiter !== null) this.remove(waiter);
    return waiter;
  }

  /** Remove `waiter` (which must be in this list). */
  remove(waiter: Waiter): void {
    if (waiter.list !== this) return;
    if (waiter.prev === null) this.head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === null) this.tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = null;
    waiter.list = null;
    this.size--;
  }

  /** Reject every waiter with a fresh error from `makeError`. */
  failAll(makeError: () => unknown): void {
    for (let waiter = this.shift(); waiter !== null; waiter = this.shift()) {
      waiter.fail(makeError());
    }
  }
}

/**
 * Wait in `list`: append a node, then (last) block the current task on it.
 * Resolves with what the node is granted (after `owner.delivered`).
 */
export function enqueue<T>(
  list: WaiterList,
  label: string,
  owner: WaiterOwner | null,
  value: unknown,
  task: Task<unknown> | undefined = currentTask(),
): Promise<T> {
  // One shared executor: no closure per wait.
  const promise = new Promise<T>(captureResolvers);
  const waiter = new Waiter(label, owner, task, value, capturedResolve, capturedReject);
  list.push(waiter);
  if (task !== undefined) taskInternals.block(task, waiter);
  return promise;
}

let capturedResolve: (value: never) => void = () => {};
let capturedReject: (error: unknown) => void = () => {};

function captureResolvers(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * The cancellation `task` has pending, taken now, or `null`. Called on the
 * fast paths (a free lock, a non-empty queue), which do not wait, so that a
 * cancelled task does not take a lock or an item before its cancellation is
 * delivered: they are library awaits like the others.
 */
export function takePendingCancel(task: Task<unknown> | undefined): CancelledError | null {
  return task === undefined ? null : taskInternals.takePending(task);
}
