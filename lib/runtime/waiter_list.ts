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
 *
 * A node keeps only its promise's `resolve` (a reject function per blocked
 * wait would cost 64 bytes): it fails by resolving with a rejected promise,
 * so the awaiting code sees the error two microtasks later than a direct
 * rejection. Nothing in between can change what the wait did: the node is
 * settled and out of its list at once.
 */
import type { CancelledError } from "../errors.ts";
import type { Blocker } from "./blocker.ts";
import { currentTask } from "./create_task.ts";
import { taskInternals } from "./internals.ts";
import type { Task } from "./task.ts";

/** Waiting, in its list. */
const QUEUED = 0;
/** Waiting, taken off its list (about to be granted or failed). */
const WAITING = 1;
const GRANTED = 2;
const SETTLED = 3;

/** The primitive behind a node: told when a granted node resumes or is cancelled. */
export interface WaiterOwner {
  /** A granted node resumes now: book-keep; a throw rejects the wait with that error. */
  delivered(waiter: Waiter): void;
  /** A granted node was cancelled before it resumed: pass `waiter.value` on. */
  giveBack(waiter: Waiter): void;
}

/**
 * Where a node waits: what every node of one list shares, so that a node
 * keeps one pointer instead of three. A `WaiterList` is its own home; a
 * list whose nodes wait under two labels (`Lock`) has a second home.
 */
export interface WaiterHome {
  /** The list the node is appended to. */
  readonly list: WaiterList;
  /** What the monitor shows its nodes wait on (`Queue.get`, ...). */
  readonly label: string;
  /** The primitive told when a granted node resumes or is cancelled. */
  readonly owner: WaiterOwner | null;
}

/** One waiting call: a list node and a `Blocker`. */
export class Waiter implements Blocker {
  /** The previous node in its list. */
  prev: Waiter | null = null;
  /** The next node in its list. */
  next: Waiter | null = null;
  /** Queued, waiting off the list, granted or settled. */
  state: number = QUEUED;
  /** Its index in the blocked task's `BlockerSet`, when it is one of several. */
  blockSlot: number = -1;
  /** What the node carries (an item to put) or was granted. */
  value: unknown;

  /**
   * A node for one waiting call.
   *
   * @param home Its list, label and owner, for its whole life.
   * @param task The waiting task, if any.
   * @param value What the node carries (an item to put), if anything.
   * @param resolve Resumes the waiting call (and fails it, given a rejected promise).
   */
  constructor(
    readonly home: WaiterHome,
    readonly task: Task<unknown> | undefined,
    value: unknown,
    readonly resolve: (value: never) => void,
  ) {
    this.value = value;
  }

  /** What the monitor shows it waits on (`Queue.get`, ...). */
  get label(): string {
    return this.home.label;
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
    const state = this.state;
    if (state >= GRANTED) return;
    if (state === QUEUED) this.home.list.remove(this);
    this.state = SETTLED;
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
    this.resolve(rejection(error) as never);
  }

  /** The blocker protocol: leave the list or give the grant back, then reject. */
  cancel(error: CancelledError): void {
    const state = this.state;
    if (state === SETTLED) return;
    if (state === QUEUED) this.home.list.remove(this);
    this.state = SETTLED;
    try {
      if (state === GRANTED) this.home.owner?.giveBack(this);
    } finally {
      if (this.task !== undefined) taskInternals.unblock(this.task, this);
      this.resolve(rejection(error) as never);
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
    const owner = waiter.home.owner;
    if (owner !== null) {
      try {
        owner.delivered(waiter);
      } catch (error) {
        waiter.resolve(rejection(error) as never);
        continue;
      }
    }
    waiter.resolve(waiter.value as never);
  }
  deliveries = [];
  flushScheduled = false;
}

/** A FIFO of waiters with O(1) push, shift and removal of any node. */
export class WaiterList implements WaiterHome {
  /** The longest waiter. */
  head: Waiter | null = null;
  /** The newest waiter. */
  tail: Waiter | null = null;
  /** How many nodes it holds. */
  size = 0;
  /** A list is its own home. */
  readonly list: WaiterList = this;

  /**
   * An empty list.
   *
   * @param label What the monitor shows its nodes wait on (`Queue.get`, ...).
   * @param owner The primitive told when a granted node resumes or is cancelled.
   */
  constructor(public label: string, readonly owner: WaiterOwner | null) {}

  /** Append `waiter`. */
  push(waiter: Waiter): void {
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

  /** Remove `waiter` if it is still queued (in this list: its home's). */
  remove(waiter: Waiter): void {
    if (waiter.state !== QUEUED) return;
    waiter.state = WAITING;
    if (waiter.prev === null) this.head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === null) this.tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = null;
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
 * Wait in `home`'s list: append a node, then (last) block the current task
 * on it. Resolves with what the node is granted (after `owner.delivered`).
 */
export function enqueue<T>(
  home: WaiterHome,
  value: unknown,
  task: Task<unknown> | undefined = currentTask(),
): Promise<T> {
  // One shared executor: no closure per wait.
  const promise = new Promise<T>(captureResolvers);
  const waiter = new Waiter(home, task, value, capturedResolve);
  home.list.push(waiter);
  if (task !== undefined) taskInternals.block(task, waiter);
  return promise;
}

let capturedResolve: (value: never) => void = () => {};

function captureResolvers(resolve: (value: never) => void): void {
  capturedResolve = resolve;
}

function ignore(): void {}

/** A rejected promise that is never an unhandled rejection on its own. */
function rejection(error: unknown): Promise<never> {
  const promise = Promise.reject(error);
  promise.then(undefined, ignore);
  return promise;
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
