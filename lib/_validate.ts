/** Argument checks shared by the public functions. */
import { describe } from "./runtime/describe.ts";

// The one description function, safe for any value (see runtime/describe.ts).
export { describe };

/**
 * A duration in milliseconds: `null`, `undefined` and `Infinity` mean no
 * limit (returned as `Infinity`), a negative number counts as 0, and `NaN` or
 * a non-number is a `RangeError` that names the argument.
 */
export function toDurationMs(value: unknown, argument: string): number {
  if (value === null || value === undefined) return Infinity;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new RangeError(
      `${argument} must be a number of milliseconds, null or Infinity, got ${describe(value)}`,
    );
  }
  return value < 0 ? 0 : value;
}

/**
 * A deadline on the `performance.now()` clock: `null`, `undefined` and
 * `Infinity` mean none (returned as `Infinity`); `NaN` or a non-number is a
 * `RangeError`.
 */
export function toDeadline(value: unknown, argument: string): number {
  if (value === null || value === undefined) return Infinity;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new RangeError(
      `${argument} must be a performance.now() time, null or Infinity, got ${describe(value)}`,
    );
  }
  return value;
}

/** A `TypeError` unless `value` is a function. */
export function checkFunction(value: unknown, argument: string): void {
  if (typeof value !== "function") {
    throw new TypeError(`${argument} must be a function, got ${describe(value)}`);
  }
}

/** A `TypeError` unless `value` is a string or undefined. */
export function checkOptionalString(value: unknown, argument: string): void {
  if (value !== undefined && typeof value !== "string") {
    throw new TypeError(`${argument} must be a string, got ${describe(value)}`);
  }
}

/** A duration for a label (`sleep(1730)`): whole milliseconds, one decimal below 10 ms. */
export function labelMs(ms: number): string {
  if (!Number.isFinite(ms) || Number.isInteger(ms)) return String(ms);
  return ms < 10 ? String(Math.round(ms * 10) / 10) : String(Math.round(ms));
}
