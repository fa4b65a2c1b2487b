/**
 * The extra blockers of one task (beyond its first slot): one task can be
 * blocked in 100,000 awaits at once (a `Promise.all` of async functions,
 * each waiting for a semaphore), each leaving on its own and in any order.
 *
 * An array with swap-removal: each blocker remembers its index in
 * `blockSlot`, so adding and removing are O(1) without hashing (a `Set` cost
 * W3 a tenth of its time). Order is insertion order until removals reorder it.
 */
import type { Blocker } from "./blocker.ts";

/** A set of blockers with O(1) add and delete. */
export class BlockerSet {
  readonly #items: Blocker[] = [];

  /** How many blockers are in the set. */
  get size(): number {
    return this.#items.length;
  }

  /** Add `blocker` (once: adding it again does nothing). */
  add(blocker: Blocker): void {
    if (this.has(blocker)) return;
    blocker.blockSlot = this.#items.length;
    this.#items.push(blocker);
  }

  /** Whether `blocker` is in the set. */
  has(blocker: Blocker): boolean {
    const slot = blocker.blockSlot;
    return slot !== undefined && this.#items[slot] === blocker;
  }

  /** Remove `blocker`, if it is in the set. */
  delete(blocker: Blocker): void {
    if (!this.has(blocker)) return;
    const items = this.#items;
    const slot = blocker.blockSlot as number;
    const last = items.pop() as Blocker;
    if (last !== blocker) {
      items[slot] = last;
      last.blockSlot = slot;
    }
    blocker.blockSlot = -1;
  }

  /** Some blocker of the set, for display. */
  any(): Blocker | undefined {
    return this.#items[0];
  }

  /** A copy of the blockers. */
  toArray(): Blocker[] {
    return this.#items.slice();
  }
}
