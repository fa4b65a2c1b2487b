/**
 * `import` and `export` in REPL input. A REPL script cannot contain module
 * declarations, so `import { a } from "m"` becomes `const { a } = <module>`
 * and `export const x` becomes `const x`. The modules themselves are loaded
 * by the REPL before the input's task starts: a dynamic `import()` must never
 * run inside a task context (it would leak the task into later code).
 *
 * @module
 */

/** One module an input imports, and how to load it. */
export interface ModuleRequest {
  /** The specifier as resolved against the input's base URL. */
  specifier: string;
  /** Index in the module table the rewritten code reads from. */
  slot: number;
  /** Import attributes (`with { type: "json" }`), when the declaration has any. */
  attributes?: Record<string, string>;
}

/** Input whose import declarations were turned into reads of a module table. */
export interface RewrittenInput {
  /** The code, still TypeScript if it was. */
  code: string;
  /** The modules to load before running `code`. */
  modules: ModuleRequest[];
}

// `import` at the start of a statement, not `import(` and not `import.meta`.
const IMPORT =
  /^([ \t]*)import(?:\s+(type\s+)?((?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)?)\s*from)?\s*(["'])([^"'\n]+)\4[ \t]*(?:(?:with|assert)\s*\{([^}]*)\})?[ \t]*;?/gm;
// `import(` as a call: not `.import(`, not part of a longer name.
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(/g;
const EXPORT_DECLARATION =
  /^([ \t]*)export\s+(?=(?:declare\s+|abstract\s+|async\s+)*(?:const|let|var|function|class|enum|interface|type|namespace)\b)/gm;
const EXPORT_LIST =
  /^([ \t]*)export\s*(?:type\s*)?\{[^}]*\}\s*(?:from\s*["'][^"']*["'])?[ \t]*;?/gm;

/**
 * Rewrite the import and export declarations of `source`.
 *
 * @param source REPL input or the text of a loaded file.
 * @param base URL that relative specifiers are resolved against.
 * @param table JavaScript expression for the module table.
 * @param firstSlot The first free index of the module table.
 * @param dynamicImport JavaScript expression for a function called as
 *   `f(base, specifier, options)` instead of `import(specifier, options)`,
 *   so that dynamic imports resolve against `base` as well (left alone when
 *   not given).
 * @returns The rewritten code and the modules it needs.
 */
export function rewriteImports(
  source: string,
  base: URL,
  table: string,
  firstSlot: number,
  dynamicImport?: string,
): RewrittenInput {
  const modules: ModuleRequest[] = [];
  let code = source.replace(IMPORT, (whole, indent, typeOnly, clause, _quote, specifier, attrs) => {
    if (typeOnly) return blank(whole);
    const slot = firstSlot + modules.length;
    const request: ModuleRequest = { specifier: resolveSpecifier(specifier, base), slot };
    const attributes = attributesOf(attrs);
    if (attributes !== undefined) request.attributes = attributes;
    modules.push(request);
    const bindings = bindingsOf(clause ?? "");
    const read = `${table}[${slot}]`;
    const parts: string[] = [];
    if (bindings.namespace !== undefined) parts.push(`const ${bindings.namespace} = ${read};`);
    const named = [...bindings.named];
    if (bindings.defaultName !== undefined) named.unshift(`default: ${bindings.defaultName}`);
    if (named.length > 0) parts.push(`const { ${named.join(", ")} } = ${read};`);
    return keepLines(whole, indent + parts.join(" "));
  });
  code = code.replace(EXPORT_LIST, (whole) => blank(whole));
  code = code.replace(EXPORT_DECLARATION, (_whole, indent) => indent);
  if (dynamicImport !== undefined) {
    code = code.replace(DYNAMIC_IMPORT, `${dynamicImport}(${JSON.stringify(base.href)}, `);
  }
  return { code, modules };
}

/**
 * Resolve a specifier the way an import in a file at `base` would: relative
 * and absolute paths against `base`, everything else as written.
 *
 * @param specifier What the code imports.
 * @param base The URL it is resolved against.
 * @returns The specifier to import.
 *
 * @example Paths against the working directory, packages as written
 * ```ts
 * import { resolveSpecifier } from "./imports.ts";
 *
 * const cwd = new URL("file:///work/app/");
 * if (resolveSpecifier("./mod.ts", cwd) !== "file:///work/app/mod.ts") throw new Error();
 * if (resolveSpecifier("npm:chalk", cwd) !== "npm:chalk") throw new Error();
 * ```
 */
export function resolveSpecifier(specifier: string, base: URL): string {
  if (/^\.{0,2}\//.test(specifier)) return new URL(specifier, base).href;
  return specifier;
}

/** `type: "json"` as `{ type: "json" }`. */
function attributesOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const attributes: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/["']?([\w$-]+)["']?\s*:\s*["']([^"']*)["']/g)) {
    attributes[key] = value;
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

function bindingsOf(clause: string): {
  defaultName?: string;
  namespace?: string;
  named: string[];
} {
  const result: { defaultName?: string; namespace?: string; named: string[] } = { named: [] };
  const namespace = clause.match(/\*\s*as\s+([\w$]+)/);
  if (namespace) result.namespace = namespace[1];
  const first = clause.match(/^\s*([\w$]+)\s*(?:,|$)/);
  if (first) result.defaultName = first[1];
  const braces = clause.match(/\{([^}]*)\}/);
  if (braces) {
    for (const raw of braces[1].split(",")) {
      const item = raw.trim();
      if (item === "" || /^type\s/.test(item)) continue;
      const renamed = item.match(/^([\w$]+|"[^"]*"|'[^']*')\s+as\s+([\w$]+)$/);
      result.named.push(renamed ? `${renamed[1]}: ${renamed[2]}` : item);
    }
  }
  return result;
}

/** Replace `text` by spaces, keeping its newlines. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, " ");
}

/** `replacement`, followed by as many newlines as `original` had. */
function keepLines(original: string, replacement: string): string {
  return replacement + "\n".repeat(original.split("\n").length - 1);
}
