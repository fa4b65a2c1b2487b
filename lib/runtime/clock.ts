/**
 * The engine's one clock: times as ticks (integer hundredths of a
 * millisecond of `performance.now()`) and the next macrotask turn.
 *
 * Ticks: V8 stores a small integer in the field itself, while a double field
 * costs every task or deadline an extra heap number (measured: a sixth of
 * spawning a task). They stay small integers for about six hours of
 * `performance.now()`, and correct (only boxed) after that.
 *
 * The next turn: `setImmediate`, a global on Deno, Node and Bun, else a
 * timer. (A MessageChannel is no good: once `node:worker_threads` is loaded,
 * Deno delivers its messages before pending microtasks.)
 *
 * @example
 * ```ts
 * import { fromTicks, ticks, ticksAtLeast } from "./clock.ts";
 *
 * if (ticks(1.234) !== 123 || ticksAtLeast(1.231) !== 124) throw new Error();
 * if (fromTicks(150) !== 1.5) throw new Error();
 * ```
 *
 * @module
 */

/** Ticks per millisecond. */
export const TICKS_PER_MS = 100;

/**
 * `ms` in ticks, rounded to the nearest.
 *
 * @param ms Milliseconds.
 * @returns Ticks.
 */
export function ticks(ms: number): number {
  return Math.round(ms * TICKS_PER_MS);
}

/**
 * `ms` in ticks, rounded up: a deadline kept this way never fires early.
 *
 * @param ms Milliseconds.
 * @returns Ticks.
 */
export function ticksAtLeast(ms: number): number {
  return Math.ceil(ms * TICKS_PER_MS);
}

/**
 * Ticks back in milliseconds.
 *
 * @param count Ticks.
 * @returns Milliseconds.
 */
export function fromTicks(count: number): number {
  return count / TICKS_PER_MS;
}

/** The time now in (fractional) ticks, to compare with tick deadlines. */
export function nowInTicks(): number {
  return performance.now() * TICKS_PER_MS;
}

/** Something that calls `callback` later and returns a handle. */
export type Schedule = (callback: () => void) => unknown;
const globals = globalThis as unknown as {
  setImmediate?: Schedule;
  clearImmediate?: (handle: unknown) => void;
};

/** Call `callback` on the next macrotask turn; returns a handle for {@linkcode cancelTurn}. */
export const nextTurn: Schedule = globals.setImmediate ?? ((callback) => setTimeout(callback, 0));

/** Cancel a call scheduled with {@linkcode nextTurn}. */
export const cancelTurn: (handle: unknown) => void = globals.clearImmediate ??
  ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
