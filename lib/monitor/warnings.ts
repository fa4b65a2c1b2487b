/**
 * `taskWarnings()`: lints over a snapshot, in the manner of tokio-console's
 * warnings. A pure function of the infos and options, so the dashboard,
 * `corun ps`, `corun top` and the REPL all say the same thing.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import { formatDuration, resolve } from "./_format.ts";
import { FOREIGN_AWAIT } from "./snapshot.ts";

/** What a warning is about. */
export type WarningKind = "not-cancellable" | "long-wait" | "unretrieved-error" | "loop-blocked";

/** One warning: which task, what is wrong, what to do. */
export interface TaskWarning {
  /** What it is about. */
  kind: WarningKind;
  /** The task's id (for a loop block, the task that was running, if known). */
  taskId?: number;
  /** The task's name. */
  taskName?: string;
  /** One line naming the task, the problem and the fix. */
  message: string;
}

/** A block of the event loop seen by debug mode. */
export interface LoopBlock {
  /** How long the loop was blocked (milliseconds). */
  ms: number;
  /** The task that was running, if known. */
  taskId?: number;
  /** Its name. */
  taskName?: string;
}

/** Options for {@linkcode taskWarnings}. */
export interface WarningOptions {
  /**
   * The moment the infos describe (`performance.now()` milliseconds).
   * @default {performance.now()}
   */
  now?: number;
  /**
   * A task waiting on the same thing (other than a `sleep`) longer than this
   * is reported, as is a task in an await outside corun (milliseconds).
   * @default {10000}
   */
  longWaitMs?: number;
  /** Loop blocks reported by debug mode, most recent last. */
  loopBlocks?: readonly LoopBlock[];
}

/**
 * Lint a snapshot: tasks in an await outside corun (cancelling them waits
 * until they reach a corun await), tasks waiting on the same thing for
 * longer than `longWaitMs` (sleeps excepted), failed tasks whose error
 * nobody retrieved, and the event-loop blocks debug mode saw. Each warning
 * names the task and says what to do.
 *
 * @param infos A snapshot, e.g. `snapshot()` or the `tasks` of `/api/tasks`.
 * @param options `now`, `longWaitMs`, `loopBlocks`.
 * @returns The warnings, most serious first; empty when all is well.
 * @throws {TypeError} If `infos` is not an array.
 * @throws {RangeError} If `now` or `longWaitMs` is not a finite number.
 *
 * @example A queue nobody fills
 * ```ts
 * import assert from "node:assert/strict";
 * import { taskWarnings, type TaskInfo } from "@corun/corun/monitor";
 *
 * const stuck: TaskInfo = {
 *   id: 3, name: "consumer", state: "waiting", createdAt: 0, startedAt: 0,
 *   waitingOn: "Queue.get", waitingSince: 0,
 * };
 * const [warning] = taskWarnings([stuck], { now: 30_000 });
 * assert.equal(warning.kind, "long-wait");
 * assert.equal(
 *   warning.message,
 *   "task consumer #3 has waited on Queue.get for 30.0s: " +
 *     "check that something will wake it, or give it a timeout",
 * );
 * ```
 */
export function taskWarnings(
  infos: readonly TaskInfo[],
  options: WarningOptions = {},
): TaskWarning[] {
  const { now } = resolve(infos, { now: options.now });
  const longWaitMs = options.longWaitMs ?? 10_000;
  if (typeof longWaitMs !== "number" || !(longWaitMs >= 0) || !Number.isFinite(longWaitMs)) {
    throw new RangeError(
      `options.longWaitMs must be a non-negative number, got ${String(longWaitMs)}`,
    );
  }
  const warnings: TaskWarning[] = [];
  for (const block of options.loopBlocks ?? []) {
    const who = block.taskName === undefined
      ? "no task was running"
      : `task ${block.taskName} #${block.taskId} was running`;
    warnings.push({
      kind: "loop-blocked",
      taskId: block.taskId,
      taskName: block.taskName,
      message: `the event loop was blocked for ${formatDuration(block.ms)} (${who}): ` +
        "move blocking or CPU-bound work off the loop with toThread() or a WorkerPool",
    });
  }
  for (const info of infos) {
    const task = `task ${info.name} #${info.id}`;
    const since = info.waitingSince ?? info.startedAt ?? info.createdAt;
    const waited = now - since;
    if (info.endedAt === undefined && info.waitingOn === FOREIGN_AWAIT) {
      if (waited < longWaitMs / 10) continue;
      warnings.push({
        kind: "not-cancellable",
        taskId: info.id,
        taskName: info.name,
        message: `${task} has awaited a promise outside corun for ${formatDuration(waited)}; ` +
          "cancel() cannot interrupt it there: pass the task's signal to fetch()/Deno.Command, " +
          "or wrap the promise in waitFor()",
      });
    } else if (
      info.endedAt === undefined && info.waitingOn !== undefined &&
      !info.waitingOn.startsWith("sleep(") && waited >= longWaitMs
    ) {
      warnings.push({
        kind: "long-wait",
        taskId: info.id,
        taskName: info.name,
        message: `${task} has waited on ${info.waitingOn} for ${formatDuration(waited)}: ` +
          "check that something will wake it, or give it a timeout",
      });
    } else if (info.state === "failed" && info.unretrieved === true) {
      warnings.push({
        kind: "unretrieved-error",
        taskId: info.id,
        taskName: info.name,
        message: `${task} failed (${info.error ?? "error"}) and nobody retrieved its error: ` +
          "await it, or call .exception(), in the code that started it",
      });
    }
  }
  return warnings;
}
