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
 * and wakes the group with a "cancelled" token: the others find no error and
 * wait on the group's next promise, in the same place in line. One
 * cancellation costs at most `GROUP_SIZE` wake-ups. A task waits in a shared
 * group only where that is exact (see `canShareBlocker`); any other wait
 * gets a group of its own.
 *
 * Arrival order on `set()`: a member resumes two microtasks after its group
 * is released, plus one for each time it waited on again (its promise then
 * follows one more). `set()` first lets members still on their way to wait
 * again get there (two microtasks, only if there are any), then releases
 * each group held back by how much sooner than the slowest it would resume,
 * and never sooner than the members of an earlier `set()`.
 */
import type { CancelledError } from "./errors.ts";
import { currentTask, type Task, taskInternals } from "./runtime/mod.ts";

/** How many waiting calls share one promise at most. */
const GROUP_SIZE = 32;

/** What a group's promise resolves with when a member was cancelled. */
export interface CancelWake {
  /** The group woken. */
  readonly group: WaitGroup;
}

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
  /** `set()` came: the group leaves the line and its members resume (a cancellation still wins). */
  releasing = false;
  /** Takes no new members (its own task's group, or woken by a cancellation). */
  sealed: boolean;
  /** Members that joined, for the size limit. */
  joined = 0;
  /** Members still waiting here. */
  live = 0;
  /** What the members wait on now. */
  promise!: Promise<WaitGroup | CancelWake>;
  /** Settles `promise`. */
  resolve!: (value: WaitGroup | CancelWake) => void;
  /** Reactions on `promise`. */
  attached = 0;
  /** Reactions on earlier promises, woken by a cancellation, not yet run. */
  inFlight = 0;
  /**
   * How many times the members waited on again: each time, their promise
   * follows one more, which makes them resume one microtask later.
   */
  depth = 0;
  /** The promise the members last waited on again for. */
  rejoined: Promise<WaitGroup | CancelWake> | null = null;
  /** The errors of members cancelled here, until their reaction throws them. */
  errors: Map<Task<unknown>, CancelledError> | null = null;
  /** What a cancellation resolves the promise with. */
  readonly #cancelWake: CancelWake = { group: this };

  /**
   * A group in `waits`' line.
   *
   * @param waits The event's waits.
   * @param sealed Whether the group is one task's alone.
   */
  constructor(readonly waits: EventWaits, sealed: boolean) {
    this.sealed = sealed;
    this.#renew();
  }

  /** Microtasks from the release to the members' resumption. */
  get latency(): number {
    return 2 + this.depth;
  }

  /**
   * Wait on the current promise: a member's first wait, or again after a
   * cancellation woke the group.
   *
   * @returns What the waiting call awaits.
   */
  attach(): Promise<true> {
    this.attached++;
    return this.promise.then(onWake) as Promise<true>;
  }

  /** Let the members resume. */
  release(): void {
    this.resolve(this);
  }

  /**
   * The blocker protocol: `task`'s wait here rejects with `error`.
   *
   * @param error The task's `CancelledError`.
   * @param task The cancelled member.
   */
  cancel(error: CancelledError, task: Task<unknown>): void {
    (this.errors ??= new Map()).set(task, error);
    taskInternals.unblock(task, this);
    if (this.releasing) return; // set() came first: the error still wins
    this.waits.size--;
    this.live--;
    const wake = this.resolve;
    this.inFlight += this.attached;
    if (this.live === 0) this.waits.unlink(this);
    else {
      this.sealed = true;
      this.#renew();
    }
    wake(this.#cancelWake);
  }

  #renew(): void {
    this.promise = new Promise((resolve) => this.resolve = resolve);
    this.attached = 0;
  }
}

/** The reaction of one waiting call: runs in its task's context. */
function onWake(woken: WaitGroup | CancelWake): true | Promise<true> {
  const released = woken instanceof WaitGroup;
  const group = released ? woken : woken.group;
  if (!released) group.inFlight--;
  const task = currentTask();
  if (task !== undefined) {
    const error = group.errors?.get(task);
    if (error !== undefined) {
      group.errors!.delete(task);
      throw error;
    }
  }
  if (released) {
    if (task !== undefined) taskInternals.unblock(task, group);
    return true;
  }
  // Woken for a member that was cancelled: wait on, in the same group.
  if (group.rejoined !== group.promise) {
    group.rejoined = group.promise;
    group.depth++;
  }
  return group.attach();
}

/** Call `then` after `microtasks` microtasks. */
function after(microtasks: number, then: () => void): void {
  if (microtasks <= 0) then();
  else queueMicrotask(() => after(microtasks - 1, then));
}

/** The waiting calls of one `Event`. */
export class EventWaits {
  #head: WaitGroup | null = null;
  #tail: WaitGroup | null = null;
  /** Waiting calls. */
  size = 0;
  /** Groups of `set()` calls whose release is held back (see `releaseAll`). */
  #held: WaitGroup[] | null = null;
  /** Microtasks until every member released so far has resumed. */
  #horizon = 0;

  /**
   * Wait until `releaseAll()`.
   *
   * @param task The waiting task, if any.
   * @returns A promise for `true`, rejected with the task's `CancelledError`
   *   if it is cancelled first.
   */
  wait(task: Task<unknown> | undefined): Promise<true> {
    let group = this.#tail;
    if (task !== undefined && !taskInternals.canShareBlocker(task)) {
      group = this.#append(new WaitGroup(this, true));
    } else if (group === null || group.sealed || group.joined === GROUP_SIZE) {
      group = this.#append(new WaitGroup(this, false));
    }
    group.joined++;
    group.live++;
    this.size++;
    const promise = group.attach();
    // Last: a pending cancellation is delivered here, at once.
    if (task !== undefined) taskInternals.block(task, group);
    return promise;
  }

  /** Release every waiting call (`set()`), to resume in arrival order (see the module doc). */
  releaseAll(): void {
    const groups = this.#held ?? [];
    let settling = false;
    for (let group = this.#head; group !== null;) {
      const next = group.next;
      group.prev = group.next = null;
      group.releasing = true;
      if (group.inFlight > 0) settling = true;
      groups.push(group);
      group = next;
    }
    this.#head = this.#tail = null;
    this.size = 0;
    // A release still held back takes these groups along, behind its own.
    if (this.#held !== null || groups.length === 0) return;
    this.#held = groups;
    after(settling ? 2 : 0, () => this.#release());
  }

  #release(): void {
    const groups = this.#held ?? [];
    this.#held = null;
    let slowest = 0;
    for (const group of groups) slowest = Math.max(slowest, group.latency);
    // Whoever an earlier release woke resumes first: never sooner than them.
    const extra = Math.max(0, this.#horizon - slowest);
    for (const group of groups) after(extra + slowest - group.latency, () => group.release());
    this.#startCountdown(extra + slowest);
  }

  /** Count down, one a microtask, how long until everyone released so far has resumed. */
  #startCountdown(microtasks: number): void {
    const running = this.#horizon > 0;
    this.#horizon = Math.max(this.#horizon, microtasks);
    if (running) return;
    const tick = (): void => {
      if (--this.#horizon > 0) queueMicrotask(tick);
    };
    queueMicrotask(tick);
  }

  /** Take `group` out of the line (its last member was cancelled). */
  unlink(group: WaitGroup): void {
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
