/**
 * `Event`: a flag tasks can wait for, like `asyncio.Event`.
 *
 * @module
 */
import { currentTask, takePendingCancel } from "./runtime/mod.ts";
import { EventWaits } from "./_event_waits.ts";
import { inspectable } from "./_inspect.ts";

/** What {@linkcode Event.stats} reports. */
export interface EventStats {
  /** Whether the flag is set. */
  set: boolean;
  /** How many calls wait in `wait()`. */
  waiters: number;
}

/**
 * An event flag, like `asyncio.Event`: `set()` wakes every waiter, and
 * `wait()` returns at once while the flag stays set; `clear()` resets it.
 *
 * Cancellation: a task cancelled in `wait()` rejects with its
 * `CancelledError` and leaves nothing behind; the other waiters are
 * unaffected.
 *
 * @example Waking two readers
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTask, Event, gather } from "@corun/corun";
 *
 * const ready = new Event();
 * const readers = [1, 2].map((n) => createTask(async () => (await ready.wait(), n)));
 * ready.set();
 * assert.deepEqual(await gather(...readers), [1, 2]);
 * ```
 */
export class Event {
  #set = false;
  #waits = new EventWaits();

  /**
   * Set the flag and wake every waiter.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Event } from "@corun/corun";
   *
   * const event = new Event();
   * event.set();
   * assert.equal(event.isSet(), true);
   * ```
   */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    this.#waits.releaseAll();
  }

  /**
   * Reset the flag: later `wait()` calls wait again.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Event } from "@corun/corun";
   *
   * const event = new Event();
   * event.set();
   * event.clear();
   * assert.equal(event.isSet(), false);
   * ```
   */
  clear(): void {
    this.#set = false;
  }

  /**
   * Whether the flag is set.
   *
   * @returns `true` between `set()` and `clear()`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Event } from "@corun/corun";
   *
   * assert.equal(new Event().isSet(), false);
   * ```
   */
  isSet(): boolean {
    return this.#set;
  }

  /**
   * Wait until the flag is set (at once if it is).
   *
   * @returns A promise for `true`.
   * @throws {CancelledError} If the task is cancelled while waiting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Event } from "@corun/corun";
   *
   * const event = new Event();
   * setTimeout(() => event.set(), 5);
   * assert.equal(await event.wait(), true);
   * ```
   */
  wait(): Promise<true> {
    const task = currentTask();
    if (!this.#set) return this.#waits.wait(task);
    const cancelled = takePendingCancel(task);
    return cancelled === null ? Promise.resolve(true) : Promise.reject(cancelled);
  }

  /**
   * A cheap, read-only description for monitors.
   *
   * @returns Whether it is set and how many wait.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Event } from "@corun/corun";
   *
   * assert.deepEqual(new Event().stats(), { set: false, waiters: 0 });
   * ```
   */
  stats(): EventStats {
    return { set: this.#set, waiters: this.#waits.size };
  }
}

inspectable(Event, "Event", (event) => ({ ...event.stats() }));
