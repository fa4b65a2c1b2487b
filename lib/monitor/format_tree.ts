/**
 * `formatTree`: tasks under the task that created them, like `pstree`.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import {
  ageOf,
  detailOf,
  fit,
  formatDuration,
  type FormatOptions,
  oneLine,
  paint,
  resolve,
  shortName,
} from "./_format.ts";

/**
 * Render tasks as a tree: each task under the task that created it, siblings
 * by id. A task whose parent is not among `infos` is a root. Each line reads
 * `name #id state age` and then what the task waits on (or how it ended), and
 * fits in `options.width` columns. A pure function of its arguments.
 *
 * @param infos Task descriptions, e.g. from `snapshot()`.
 * @param options `width`, `color` and `now` (the moment ages are measured to).
 * @returns The tree, lines joined with `\n`, no trailing newline.
 * @throws {TypeError} If `infos` is not an array.
 * @throws {RangeError} If `width` is not an integer >= 20 or `now` is not finite.
 *
 * @example A parent and two children
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTree, type TaskInfo } from "@corun/corun/monitor";
 *
 * const infos: TaskInfo[] = [
 *   { id: 1, name: "main", state: "waiting", createdAt: 0, waitingOn: "gather(2)" },
 *   { id: 2, name: "fetch", state: "waiting", parentId: 1, createdAt: 0, waitingOn: "sleep(900)" },
 *   { id: 3, name: "parse", state: "done", parentId: 1, createdAt: 0, endedAt: 40, result: "3" },
 * ];
 * const tree = formatTree(infos, { now: 100 });
 * console.log(tree);
 * assert.deepEqual(tree.split("\n"), [
 *   "main #1 waiting 100ms gather(2)",
 *   "├─ fetch #2 waiting 100ms sleep(900)",
 *   "└─ parse #3 done 40ms = 3",
 * ]);
 * ```
 */
export function formatTree(infos: readonly TaskInfo[], options: FormatOptions = {}): string {
  const { width, color, now } = resolve(infos, options);
  const ids = new Set(infos.map((info) => info.id));
  const children = new Map<number | undefined, TaskInfo[]>();
  for (const info of infos) {
    const parent = info.parentId !== undefined && ids.has(info.parentId)
      ? info.parentId
      : undefined;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [info]);
    else siblings.push(info);
  }
  for (const siblings of children.values()) siblings.sort((a, b) => a.id - b.id);
  const lines: string[] = [];
  const visit = (info: TaskInfo, prefix: string, branch: string, depth: number) => {
    const age = formatDuration(ageOf(info, now));
    const detail = oneLine(detailOf(info));
    const head = `${prefix}${branch}${shortName(info.name)} #${info.id} `;
    const rest = `${info.state} ${age}${detail === "" ? "" : ` ${detail}`}`;
    const text = fit(head + rest, width);
    lines.push(color && text.length > head.length ? colorState(text, head, info) : text);
    const kids = children.get(info.id) ?? [];
    // Deeper than this, a tree is unreadable anyway; avoids runaway recursion.
    if (depth > 200) return;
    const childPrefix = prefix + (branch === "" ? "" : branch === "├─ " ? "│  " : "   ");
    kids.forEach((kid, i) =>
      visit(kid, childPrefix, i === kids.length - 1 ? "└─ " : "├─ ", depth + 1)
    );
  };
  for (const root of children.get(undefined) ?? []) visit(root, "", "", 0);
  if (lines.length === 0) lines.push("(no tasks)");
  return lines.join("\n");
}

function colorState(text: string, head: string, info: TaskInfo): string {
  const rest = text.slice(head.length);
  const state = rest.slice(0, info.state.length);
  return head + paint(state, info.state, true) + rest.slice(state.length);
}
