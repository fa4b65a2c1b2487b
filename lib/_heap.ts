/**
 * A binary min-heap with an insertion counter, for `PriorityQueue`: O(log n)
 * push and pop, equal priorities in insertion order. Every comparison of a
 * push or pop is made before the array is touched, so a comparator that
 * throws leaves the heap exactly as it was: no item is ever lost.
 */
import { describe } from "./_validate.ts";

/** An item with the counter that keeps equal priorities first-in, first-out. */
export interface HeapEntry<T> {
  /** The item. */
  readonly value: T;
  /** Its place in insertion order, the tie-breaker. */
  readonly seq: number;
}

/** Orders two items: negative if `a` comes first, positive if `b` does. */
export type Compare<T> = (a: T, b: T) => number;

/** A min-heap of entries; `wrap` numbers a value, `restore` puts an entry back. */
export class Heap<T> {
  #items: HeapEntry<T>[] = [];
  #path: number[] = [];
  #seq = 0;
  readonly #compare: Compare<T>;

  /**
   * Create an empty heap.
   *
   * @param compare How two values are ordered.
   */
  constructor(compare: Compare<T>) {
    this.#compare = compare;
  }

  /** How many entries it holds. */
  get size(): number {
    return this.#items.length;
  }

  /** A new entry for `value`, numbered after every earlier one. */
  wrap(value: T): HeapEntry<T> {
    return { value, seq: this.#seq++ };
  }

  /** Insert an entry (new, or one taken earlier: it keeps its place). */
  push(entry: HeapEntry<T>): void {
    const items = this.#items;
    const n = items.length;
    let target = n;
    while (target > 0) {
      const parent = (target - 1) >>> 1;
      if (!this.#less(entry, items[parent])) break;
      target = parent;
    }
    items.push(entry);
    let hole = n;
    while (hole !== target) {
      const parent = (hole - 1) >>> 1;
      items[hole] = items[parent];
      hole = parent;
    }
    items[target] = entry;
  }

  /** Remove and return the first entry (`undefined` when empty). */
  pop(): HeapEntry<T> | undefined {
    const items = this.#items;
    const n = items.length - 1;
    if (n <= 0) return items.pop();
    const last = items[n];
    const path = this.#path;
    let steps = 0;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.#less(items[right], items[left]) ? right : left;
      if (!this.#less(items[child], last)) break;
      path[steps++] = child;
      index = child;
    }
    const top = items[0];
    items.pop();
    let hole = 0;
    for (let i = 0; i < steps; i++) {
      items[hole] = items[path[i]];
      hole = path[i];
    }
    items[hole] = last;
    return top;
  }

  /** The first `limit` values in pop order, the heap unchanged (for printing). */
  peek(limit: number): T[] {
    const out: T[] = [];
    const frontier = this.#items.length > 0 ? [0] : [];
    while (out.length < limit && frontier.length > 0) {
      let best = 0;
      for (let i = 1; i < frontier.length; i++) {
        if (this.#less(this.#items[frontier[i]], this.#items[frontier[best]])) best = i;
      }
      const index = frontier.splice(best, 1)[0];
      out.push(this.#items[index].value);
      for (const child of [2 * index + 1, 2 * index + 2]) {
        if (child < this.#items.length) frontier.push(child);
      }
    }
    return out;
  }

  /** Drop every entry. */
  clear(): void {
    this.#items = [];
  }

  #less(a: HeapEntry<T>, b: HeapEntry<T>): boolean {
    const order = this.#compare(a.value, b.value);
    if (typeof order !== "number" || Number.isNaN(order)) {
      throw new TypeError(`compare must return a number, got ${describe(order)}`);
    }
    return order < 0 || (order === 0 && a.seq < b.seq);
  }
}

/**
 * Python's ordering: numbers (and bigints) and strings ascending, arrays
 * element by element like tuples (a shorter prefix first). Values that have
 * no order (objects, booleans, `null`, ...) tie, so `[priority, payload]`
 * pairs never compare their payloads: ties keep insertion order.
 *
 * @throws {TypeError} For a number against a string (or array), as Python does.
 */
export function defaultCompare(a: unknown, b: unknown): number {
  const kindA = kindOf(a);
  const kindB = kindOf(b);
  if (kindA === 0 || kindB === 0) return 0;
  if (kindA !== kindB) {
    throw new TypeError(
      `PriorityQueue cannot order ${describe(a)} and ${describe(b)}: pass a compare function`,
    );
  }
  if (kindA === 3) {
    const x = a as unknown[];
    const y = b as unknown[];
    const length = Math.min(x.length, y.length);
    for (let i = 0; i < length; i++) {
      const order = defaultCompare(x[i], y[i]);
      if (order !== 0) return order;
    }
    return x.length - y.length;
  }
  // deno-lint-ignore no-explicit-any
  return (a as any) < (b as any) ? -1 : (a as any) > (b as any) ? 1 : 0;
}

/** 1 number/bigint, 2 string, 3 array, 0 no order. */
function kindOf(value: unknown): number {
  const type = typeof value;
  if (type === "number" || type === "bigint") return 1;
  if (type === "string") return 2;
  if (Array.isArray(value)) return 3;
  return 0;
}
