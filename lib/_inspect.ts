/**
 * How corun's primitives print their state, as asyncio's reprs do:
 * `console.log(queue)` shows `Queue { size: 2/10, items: [1, 2], getters: 0,
 * putters: 0, unfinished: 2 }`. One format for every primitive: the class
 * name, then `field: value` pairs read from its `stats()`; enum-like words
 * bare, user strings quoted, tasks as `#id "name"`, at most `MAX_ITEMS`
 * items of at most `MAX_ITEM_CHARS` characters. Printing never throws,
 * whatever the items are (a revoked `Proxy`, a throwing getter, ...).
 */

/** How many items a printed container shows. */
export const MAX_ITEMS = 5;
const MAX_ITEM_CHARS = 40;

/** A field's value: text printed as is, a number, a boolean, items, or absent. */
export type FieldValue = string | number | boolean | Items | undefined;

/** Items of a container, printed with the runtime's inspector (or as given, if `formatted`), bounded. */
export class Items {
  /**
   * Describe a container's items.
   *
   * @param shown The items to print (at most a few).
   * @param total How many the container holds.
   * @param formatted Whether `shown` is already text to print as is.
   */
  constructor(
    readonly shown: readonly unknown[],
    readonly total: number,
    readonly formatted = false,
  ) {}
}

type Inspect = (value: unknown, options?: Record<string, unknown>) => string;

/**
 * Give `target`'s instances Deno's and Node's custom inspect hooks, printing
 * `fields(instance)` under the instance's class name (`base` if unreadable).
 */
export function inspectable<T extends object>(
  target: { prototype: T },
  base: string,
  fields: (self: T) => Record<string, FieldValue>,
): void {
  const render = (self: T, inspect: unknown): string => {
    let described: Record<string, FieldValue>;
    try {
      described = fields(self);
    } catch {
      return `${base} { <state unavailable> }`;
    }
    const parts: string[] = [];
    for (const [key, value] of Object.entries(described)) {
      if (value !== undefined) parts.push(`${key}: ${formatValue(value, inspect)}`);
    }
    return `${className(self, base)} { ${parts.join(", ")} }`;
  };
  Object.defineProperties(target.prototype, {
    [Symbol.for("Deno.customInspect")]: {
      value(this: T, inspect: unknown): string {
        return render(this, inspect);
      },
      configurable: true,
      writable: true,
    },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value(this: T, _depth: unknown, _options: unknown, inspect: unknown): string {
        return render(this, inspect);
      },
      configurable: true,
      writable: true,
    },
  });
}

/** A task as a field value: `#3 "worker"`. */
export function taskRef(task: { id: number; name: string } | undefined): string | undefined {
  if (task === undefined) return undefined;
  return `#${task.id} ${quote(task.name)}`;
}

/** A user string as a field value (quoted, bounded). */
export function quote(text: string): string {
  return JSON.stringify(text.length > MAX_ITEM_CHARS ? `${text.slice(0, MAX_ITEM_CHARS)}…` : text);
}

function formatValue(value: Exclude<FieldValue, undefined>, inspect: unknown): string {
  if (!(value instanceof Items)) return String(value);
  const shown = value.shown.slice(0, MAX_ITEMS).map((item) =>
    value.formatted ? String(item) : formatItem(item, inspect)
  );
  const more = value.total - shown.length;
  if (more > 0) shown.push(`… ${more} more`);
  return `[${shown.join(", ")}]`;
}

function formatItem(item: unknown, inspect: unknown): string {
  let text: string;
  try {
    text = typeof inspect === "function"
      ? String((inspect as Inspect)(item, {
        depth: 1,
        colors: false,
        compact: 3,
        breakLength: Infinity,
        iterableLimit: MAX_ITEMS,
        maxArrayLength: MAX_ITEMS,
        maxStringLength: MAX_ITEM_CHARS,
        strAbbreviateSize: MAX_ITEM_CHARS,
      }))
      : brief(item);
  } catch {
    text = "<uninspectable>";
  }
  text = text.replace(/\s*\n\s*/g, " ");
  return text.length > MAX_ITEM_CHARS ? `${text.slice(0, MAX_ITEM_CHARS - 1)}…` : text;
}

/** Without an inspector: primitives as literals, anything else by kind. */
function brief(item: unknown): string {
  switch (typeof item) {
    case "string":
      return JSON.stringify(item);
    case "bigint":
      return `${item}n`;
    case "function":
      return "[Function]";
    case "object":
      if (item === null) return "null";
      return Array.isArray(item) ? `[Array(${item.length})]` : "[Object]";
    default:
      return String(item);
  }
}

function className(self: object, base: string): string {
  try {
    const name = (self.constructor as { name?: unknown } | undefined)?.name;
    return typeof name === "string" && /^[\w$]{1,40}$/.test(name) ? name : base;
  } catch {
    return base;
  }
}
