/**
 * The mechanism of one `gather` call: waits for its inputs, fails fast or
 * collects exceptions, and cancels what is left.
 *
 * @module
 */
import type { CancelledError } from "./errors.ts";
import {
  type Blocker,
  preferCancel,
  Task,
  taskInternals,
  type TaskObserver,
} from "./runtime/mod.ts";
import { hasFailed } from "./_task_like.ts";

/** A plain promise among the inputs; `ok` stays `undefined` until it settles. */
export interface PromiseSlot {
  /** The input promise. */
  promise: PromiseLike<unknown>;
  /** Whether it fulfilled; `undefined` while pending. */
  ok: boolean | undefined;
  /** Its value or reason, once settled. */
  value: unknown;
}

/**
 * One `gather` call: the blocker of the awaiting task and the observer of its
 * inputs. A task given twice is observed twice, so counting observations
 * needs no set of distinct tasks.
 */
export class Gathering implements Blocker, TaskObserver {
  /** Observations and promises whose outcome is still awaited. */
  #unsettled: number;
  /** Observations of input tasks not finished yet. */
  #liveTasks: number;
  #failure: { error: unknown; task: Task<unknown> | undefined } | null = null;
  #cancelError: CancelledError | null = null;
  /** Cancelling the inputs and waiting for them, after a failure or a cancel. */
  #stopping = false;
  #ended = false;

  /**
   * The state of one call; nothing is observed until {@linkcode Gathering.start}.
   *
   * @param slots The inputs: tasks, and plain promises in slots.
   * @param awaiter The task awaiting the call, if any.
   * @param returnExceptions Place errors in the results instead of failing fast.
   * @param resolve Settles the call with the results.
   * @param reject Settles the call with the first failure.
   */
  constructor(
    readonly slots: (Task<unknown> | PromiseSlot)[],
    readonly awaiter: Task<unknown> | undefined,
    readonly returnExceptions: boolean,
    readonly resolve: (results: unknown[]) => void,
    readonly reject: (error: unknown) => void,
  ) {
    let tasks = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i] instanceof Task) tasks++;
    this.#liveTasks = tasks;
    this.#unsettled = slots.length;
  }

  get label(): string {
    return `gather(${this.slots.length})`;
  }

  /** Observe every input (finished tasks count at once). */
  start(): void {
    const slots = this.slots;
    let finished: Task<unknown>[] | null = null;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (slot instanceof Task) {
        if (!taskInternals.observe(slot, this)) (finished ??= []).push(slot);
      } else {
        Promise.resolve(slot.promise).then(
          (value) => this.#promiseSettled(slot, true, value),
          (error) => this.#promiseSettled(slot, false, error),
        );
      }
    }
    if (finished !== null) { for (const task of finished) this.taskSettled(task); }
    if (!this.#ended && this.awaiter !== undefined) taskInternals.block(this.awaiter, this);
  }

  taskSettled(settled: object): void {
    const task = settled as Task<unknown>;
    this.#liveTasks--;
    if (this.#stopping) {
      if (this.#liveTasks === 0) this.#end();
    } else if (!this.returnExceptions && (task.cancelled() || hasFailed(task))) {
      this.#failure = { error: taskInternals.peekError(task), task };
      this.#stop(`${task.name} failed in gather(${this.slots.length})`);
    } else if (--this.#unsettled === 0) {
      this.#end();
    }
  }

  cancel(error: CancelledError): void {
    this.#cancelError = preferCancel(this.#cancelError, error);
    if (!this.#stopping) this.#stop(error.message);
  }

  #promiseSettled(slot: PromiseSlot, ok: boolean, value: unknown): void {
    if (this.#ended || this.#stopping) return; // abandoned
    slot.ok = ok;
    slot.value = value;
    if (!ok && !this.returnExceptions) {
      this.#failure = { error: value, task: undefined };
      this.#stop(`a promise failed in gather(${this.slots.length})`);
    } else if (--this.#unsettled === 0) {
      this.#end();
    }
  }

  /**
   * Cancel every unfinished input task (once) and end when all have finished.
   * An input this very cancellation has already reached is not waited for:
   * it may be waiting for us (tasks awaiting each other in a cycle).
   */
  #stop(message: string): void {
    this.#stopping = true;
    // Once each, even when given twice: a second cancel would interrupt the
    // task's cleanup.
    const cancelled = new Set<Task<unknown>>();
    let abandoned: Set<Task<unknown>> | null = null;
    for (const slot of this.slots) {
      if (slot instanceof Task && !slot.done() && !cancelled.has(slot)) {
        cancelled.add(slot);
        if (taskInternals.reachedByThisCancel(slot)) (abandoned ??= new Set()).add(slot);
        else taskInternals.cancelWith(slot, "parent", message);
      }
    }
    if (abandoned !== null) {
      for (const slot of this.slots) {
        if (slot instanceof Task && abandoned.has(slot) && !slot.done()) {
          taskInternals.unobserve(slot, this);
          this.#liveTasks--;
        }
      }
    }
    if (this.#liveTasks === 0) this.#end();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.awaiter !== undefined) taskInternals.unblock(this.awaiter, this);
    const failure = this.#failure;
    if (this.#cancelError !== null) {
      // Neither the first failure nor later ones are retrieved: the run reports them.
      this.reject(this.#cancelError);
    } else if (failure !== null) {
      if (failure.task !== undefined) taskInternals.outcome(failure.task);
      this.reject(failure.error);
    } else {
      this.resolve(this.slots.map((slot) => {
        if (!(slot instanceof Task)) return slot.value;
        const { state, value, error } = taskInternals.outcome(slot);
        return state === "done" ? value : error;
      }));
    }
  }
}
