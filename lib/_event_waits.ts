/**
 * The waiting calls of one `Event`, in groups that share a promise.
 *
 * Waiters that arrive while the event is clear join the newest group (up to
 * `GROUP_SIZE` of them), and each awaits the group's promise through one
 * `then`: a waiting call keeps a reaction and the promise `then` made, about
 * 100 bytes, instead of a promise of its own with two resolving functions
 * and a list node (about 320). The reaction runs in the waiting task's
 * context, so it knows its task.
 *
 * A group is its members' blocker. Cancelling one member records its error
 * and wakes the group; the others find no error and no `set()` since they
 * joined, and wait again on the group's next promise, in the same place in
 * line: one cancellation costs at most `GROUP_SIZE` wake-ups. A task waits in
 * a shared group only where that is exact (see `canShareBlocker`); any other
 * wait gets a group of its own.
 */
import type { CancelledError } from "./errors.ts";
import { currentTask, type Task, taskInternals } from "./runtime/mod.ts";

/** How many waiting calls share one promise at most. */
const GROUP_SIZE = 32;

/** One group of waiting calls: a place in line, and the blocker of its members. */
export class WaitGroup {
  /** What the monitor shows its members wait on. */
  readonly label: string = "Event.wait";
  /** The blocker protocol's slot (see `BlockerSet`); a group is only ever a first blocker. */
  blockSlot: number = -1;
  /** The group ahead in line. */
  prev: WaitGroup | null = null;
  /** The group behind in line. */
  next: WaitGroup | null = null;
  /** In the event's line: not yet woken by `set()`, and some member still waits. */
  linked = true;
  /** Takes no new members (its own task's group, or woken by a cancellation). */
  sealed: boolean;
  /** Members that joined, for the size limit. */
  joined = 0;
  /** Members still waiting here. */
  live = 0;
  /** What the members wait on now. */
  promise!: Promise<WaitGroup>;
  /** Wakes the members waiting on `promise`. */
  resolve!: (group: WaitGroup) => void;
  /** The errors of members cancelled here, until their reaction throws them. */
  cancelled: Map<Task<unknown>, CancelledError> | null = null;
  /**
   * How many times the members waited on again: each time, their promise
   * follows one more, which makes them resume one microtask later.
   */
  depth = 0;
  /** The promise the members last waited on again for. */
  rejoined: Promise<WaitGroup> | null = null;

  /**
   * A group in `waits`' line.
   *
   * @param waits The event's waits.
   * @param sets `waits.sets` when the group was made: a member that finds it
   *   changed was woken by `set()`.
   * @param sealed Whether the group is one task's alone.
   */
  constructor(readonly waits: EventWaits, readonly sets: number, sealed: boolean) {
    this.sealed = sealed;
    this.renew();
  }

  /** A fresh promise for the members that wait on. */
  renew(): void {
    this.promise = new Promise<WaitGroup>((resolve) => this.resolve = resolve);
  }

  /**
   * The blocker protocol: `task`'s wait here rejects with `error`.
   *
   * @param error The task's `CancelledError`.
   * @param task The cancelled member.
   */
  cancel(error: CancelledError, task: Task<unknown>): void {
    (this.cancelled ??= new Map()).set(task, error);
    taskInternals.unblock(task, this);
    if (!this.linked) return; // already woken by set(): the error still wins
    this.waits.size--;
    this.live--;
    const woken = this.resolve;
    if (this.live === 0) this.waits.unlink(this);
    else {
      this.sealed = true;
      this.renew();
    }
    woken(this);
  }
}

/** The reaction of one waiting call: runs in its task's context. */
function onWake(group: WaitGroup): true | Promise<true> {
  const task = currentTask();
  if (task !== undefined) {
    const error = group.cancelled?.get(task);
    if (error !== undefined) {
      group.cancelled!.delete(task);
      throw error;
    }
  }
  if (group.waits.sets !== group.sets) {
    if (task !== undefined) taskInternals.unblock(task, group);
    return true;
  }
  // Woken for a member that was cancelled: wait on, in the same group.
  if (group.rejoined !== group.promise) {
    group.rejoined = group.promise;
    group.depth++;
  }
  return group.promise.then(onWake);
}

function wakeAfter(group: WaitGroup, microtasks: number): void {
  if (microtasks === 0) group.resolve(group);
  else queueMicrotask(() => wakeAfter(group, microtasks - 1));
}

/** The waiting calls of one `Event`. */
export class EventWaits {
  #head: WaitGroup | null = null;
  #tail: WaitGroup | null = null;
  /** How many `set()` calls woke the line. */
  sets = 0;
  /** Waiting calls. */
  size = 0;

  /**
   * Wait until `wakeAll()`.
   *
   * @param task The waiting task, if any.
   * @returns A promise for `true`, rejected with the task's `CancelledError`
   *   if it is cancelled first.
   */
  wait(task: Task<unknown> | undefined): Promise<true> {
    let group = this.#tail;
    if (task !== undefined && !taskInternals.canShareBlocker(task)) {
      group = this.#append(new WaitGroup(this, this.sets, true));
    } else if (group === null || group.sealed || group.joined === GROUP_SIZE) {
      group = this.#append(new WaitGroup(this, this.sets, false));
    }
    group.joined++;
    group.live++;
    this.size++;
    const promise = group.promise.then(onWake) as Promise<true>;
    // Last: a pending cancellation is delivered here, at once.
    if (task !== undefined) taskInternals.block(task, group);
    return promise;
  }

  /**
   * Wake every waiting call (`set()`), in arrival order: a group whose
   * members waited on again less often than the deepest is woken that many
   * microtasks later, so that everyone resumes in the same microtask round.
   */
  wakeAll(): void {
    this.sets++;
    this.size = 0;
    let deepest = 0;
    for (let group = this.#head; group !== null; group = group.next) {
      if (group.depth > deepest) deepest = group.depth;
    }
    for (let group = this.#head; group !== null;) {
      const next = group.next;
      group.linked = false;
      group.prev = group.next = null;
      wakeAfter(group, deepest - group.depth);
      group = next;
    }
    this.#head = this.#tail = null;
  }

  /** Take `group` out of the line (its last member was cancelled). */
  unlink(group: WaitGroup): void {
    group.linked = false;
    if (group.prev === null) this.#head = group.next;
    else group.prev.next = group.next;
    if (group.next === null) this.#tail = group.prev;
    else group.next.prev = group.prev;
    group.prev = group.next = null;
  }

  #append(group: WaitGroup): WaitGroup {
    group.prev = this.#tail;
    if (this.#tail === null) this.#head = group;
    else this.#tail.next = group;
    this.#tail = group;
    return group;
  }
}
