/**
 * Items travel as JSON. Only values that come back equal are accepted:
 * JSON would silently turn `undefined`, functions, `NaN`, a `Map` or a
 * `Date` into something else, so they are a `TypeError` at `put()`.
 */

/**
 * Encode `item`, or throw a `TypeError` naming the first part that JSON
 * cannot carry unchanged.
 */
export function encodeItem(item: unknown, method: string): string {
  const problem = findProblem(item, "item", new Set());
  if (problem !== null) {
    throw new TypeError(`${method}: item must be JSON-encodable; ${problem}`);
  }
  return JSON.stringify(item);
}

/** Decode what `encodeItem` wrote. */
export function decodeItem<T>(text: string): T {
  return JSON.parse(text) as T;
}

function findProblem(value: unknown, path: string, seen: Set<object>): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${path} is ${value}`;
    case "object":
      break;
    default:
      return `${path} is a ${typeof value}`;
  }
  if (value === null) return null;
  if (seen.has(value)) return `${path} is a cycle`;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${path}[${i}] is a hole`;
      const problem = findProblem(value[i], `${path}[${i}]`, seen);
      if (problem !== null) return problem;
    }
    seen.delete(value);
    return null;
  }
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return `${path} is a ${typeof name === "string" && name !== "" ? name : "class instance"}`;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
  seen.add(value);
  for (const [key, field] of Object.entries(value)) {
    const problem = findProblem(field, `${path}.${key}`, seen);
    if (problem !== null) return problem;
  }
  seen.delete(value);
  return null;
}
