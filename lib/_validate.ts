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

/**
 * The error for an argument that cannot even be looked at: a revoked
 * `Proxy`, a getter or a proxy trap that throws. It names the argument, like
 * every other bad-argument error; what reading it threw is its `cause`.
 */
export function unreadable(argument: string, value: unknown, error: unknown): TypeError {
  return new TypeError(
    `${argument} cannot be read, got ${describe(value)} (reading it threw ${describe(error)})`,
    { cause: error },
  );
}

/**
 * `value[key]`, read without trusting `value`.
 *
 * @throws {TypeError} Naming `argument.key` if reading it throws.
 */
export function readField(value: object, key: string, argument: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (error) {
    throw unreadable(`${argument}.${key}`, value, error);
  }
}

/**
 * What an argument that should be awaitable is, looked at without trusting
 * it: a function, a thenable (a `Task` or any object with a callable
 * `then`), or something else.
 *
 * @throws {TypeError} Naming `argument` (`argument[index]`, given an
 *   index) if reading its `then` throws.
 */
export function awaitableKind(
  value: unknown,
  argument: string,
  index?: number,
): "function" | "thenable" | "other" {
  if (typeof value === "function") return "function";
  if (value === null || typeof value !== "object") return "other";
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch (error) {
    throw unreadable(index === undefined ? argument : `${argument}[${index}]`, value, error);
  }
  return typeof then === "function" ? "thenable" : "other";
}

/**
 * An options argument, checked to be `undefined` or a non-array object, and
 * the fields `keys` of it read once each, without trusting it.
 *
 * @returns A plain copy holding the fields that are not `undefined` (`{}` for `undefined`).
 * @throws {TypeError} If `options` is not an object, or naming the field
 *   whose getter throws (or `options` itself, for a revoked `Proxy`).
 */
export function readOptions<O extends object>(
  options: unknown,
  argument: string,
  keys: readonly (keyof O & string)[],
): Partial<O> {
  checkOptionsObject(options, argument);
  const copy: Partial<O> = {};
  if (options === undefined) return copy;
  for (const key of keys) {
    const value = readField(options as object, key, argument);
    if (value !== undefined) copy[key] = value as O[typeof key];
  }
  return copy;
}

/** A `TypeError` unless `options` is `undefined` or a non-array object (never an engine error). */
export function checkOptionsObject(options: unknown, argument: string): void {
  if (options === undefined) return;
  let array: boolean;
  try {
    array = typeof options === "object" && options !== null && Array.isArray(options);
  } catch (error) {
    throw unreadable(argument, options, error);
  }
  if (options === null || typeof options !== "object" || array) {
    throw new TypeError(`${argument} must be an object, got ${describe(options)}`);
  }
}

/** A duration for a label (`sleep(1730)`): whole milliseconds, one decimal below 10 ms. */
export function labelMs(ms: number): string {
  if (!Number.isFinite(ms) || Number.isInteger(ms)) return String(ms);
  return ms < 10 ? String(Math.round(ms * 10) / 10) : String(Math.round(ms));
}
