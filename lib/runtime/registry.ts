/**
 * The always-on task registry: which tasks are alive, grouped by the `run`
 * they belong to, the listeners of task events, and a bounded history of
 * finished tasks. Live tasks are kept by reference, and described only when
 * somebody reads (`snapshot()`); a finished task is kept as its description
 * (a `TaskInfo` with a bounded preview of its value or error), never the task
 * itself, so the history never keeps a value or an error alive.
 */
import { fromTicks } from "./clock.ts";
import type { CancelReason } from "../errors.ts";
import type { Task } from "./task.ts";
import { describe } from "./describe.ts";

/**
 * What a task is doing, as the monitor shows it: the `Task` state machine
 * (`task.ts`), drawn once here.
 *
 * ```text
 *              cancel() before the start: the body never runs
 *   pending ──────────────────────────────────────────────────┐
 *      │ the scheduler starts the body (next microtask batch,  │
 *      │ or inside createTask with eager: true)                │
 *      ▼                                                       │
 *   running ──── a library await blocks (sleep, queue, lock, ──┤
 *      ▲  │       gather, awaiting a Task, ...) ──► waiting    │
 *      │  │                                          │         │
 *      └──┼──── its last blocker lets go: a value, ◄─┘         │
 *         │     or the CancelledError handed to it             │
 *         │                                                    │
 *         │ the body returns or throws (a run's root first     │
 *         │ waits as "run cleanup" for the tasks its run left) │
 *         ▼                                                    ▼
 *       done (returned)   failed (threw)   cancelled (threw CancelledError,
 *                                           or never reached a library await
 *                                           after a cancel request)
 * ```
 *
 * Who causes each move: `createTask` (pending), the scheduler (running),
 * the primitive the body awaits, through `taskInternals.block`/`unblock`
 * (waiting and back), `cancel()` and what passes cancellation on (awaiting
 * tasks, `gather`, `TaskGroup`, cancel scopes, the end of a run), and the
 * body itself (its outcome). `cancel()` on a started task changes no state
 * by itself: it hands the `CancelledError` to the blocker the task waits in,
 * or keeps it for the task's next library await. The last three states are
 * final.
 */
export type TaskState = "pending" | "running" | "waiting" | "done" | "failed" | "cancelled";

/** A plain, serialisable description of one task at one moment. */
export interface TaskInfo {
  /** The task's id. */
  id: number;
  /** The task's name. */
  name: string;
  /** Its state at the moment of the snapshot. */
  state: TaskState;
  /** The id of the task that created it, if any. */
  parentId?: number;
  /** When it was created (`performance.now()` milliseconds). */
  createdAt: number;
  /** When its body started. */
  startedAt?: number;
  /** When it finished. */
  endedAt?: number;
  /** The library await it is blocked in, e.g. `sleep(500)`, `Queue.get`, `Task-7`. */
  waitingOn?: string;
  /**
   * For a failed task: `Name: message` (or the value it failed with, described), at most 200
   * characters; for a cancelled one: `CancelledError(reason): message`.
   */
  error?: string;
  /** For a cancelled task: why (`explicit`, `timeout`, `parent`, `shutdown`). */
  cancelReason?: CancelReason;
  /** For a done task: a preview of its value of at most 60 characters, e.g. `42` or `"ok"`. */
  result?: string;
  /**
   * Since when (at the latest) it has waited on `waitingOn`: the first
   * snapshot that saw it waiting there. Filled in by the monitor.
   */
  waitingSince?: number;
  /** For a failed task of a live `run`: nobody has retrieved its error yet. Filled in by the monitor. */
  unretrieved?: boolean;
}

/** What happened to a task. */
export type TaskEventType = "created" | "started" | "waiting" | "running" | "ended";

/** A task event; `task` is live, read what you need synchronously. */
export interface TaskEvent {
  /** What happened. */
  type: TaskEventType;
  /** The task it happened to. */
  task: Task<unknown>;
}

/** Listener of task events. */
export type TaskEventListener = (event: TaskEvent) => void;

const listeners = new Set<TaskEventListener>();

/** Whether anybody listens; checked before building an event. */
export function hasListeners(): boolean {
  return listeners.size !== 0;
}

/** Tell every listener; a throwing listener is reported, never propagated. */
export function emit(type: TaskEventType, task: Task<unknown>): void {
  const event: TaskEvent = { type, task };
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error(`corun: a task event listener threw: ${describe(error, { stack: true })}`);
    }
  }
}

/** Subscribe to task events; returns the unsubscribe function. */
export function addTaskListener(listener: TaskEventListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * The tasks of one `run` (or, for `globalScope`, of no run at all) and its
 * settings. A nested run's root task belongs to the outer run's scope and owns
 * its own.
 */
export class RunScope {
  /**
   * Unfinished tasks created inside this run, in creation order: a list
   * linked through the tasks themselves (see `Task`), cheaper than a `Set`
   * on every task's way in and out.
   */
  first: Task<unknown> | null = null;
  /** The newest unfinished task of the run. */
  last: Task<unknown> | null = null;
  /** Tasks that failed here and whose error nobody retrieved yet. */
  readonly unretrieved: Set<Task<unknown>> = new Set();
  /** Set once the run has ended; later tasks go to the enclosing scope. */
  closed = false;
  /**
   * Debug mode (`run(main, { debug: true })` or `CORUN_DEBUG=1`), inherited
   * by nested runs: tasks remember where they were created.
   */
  readonly debug: boolean;

  /**
   * A run scope inside `parent` (`null`: the global scope).
   *
   * @param parent The enclosing run's scope.
   * @param debug Debug mode; inherited from `parent` when omitted.
   */
  constructor(readonly parent: RunScope | null, debug?: boolean) {
    this.debug = debug ?? parent?.debug ?? false;
  }
}

/** Tasks created outside any `run`. */
export const globalScope: RunScope = new RunScope(null);

/** Every run still going, and the global scope. */
export const liveScopes: Set<RunScope> = new Set([globalScope]);

/**
 * A finished task's description, as it was when the task ended: built on
 * every task's hot path, so it is one small object and its `TaskInfo` is
 * made only when read. The outcome is kept only as a primitive too small to
 * matter (a number, a boolean, `null`, `undefined`) or as its description.
 */
export class FinishedEntry {
  /** A task's description, taken as it ends (fields as in `TaskInfo`). */
  constructor(
    readonly id: number,
    /** The name given, or `undefined` for `Task-<id>`. */
    readonly givenName: string | undefined,
    /** 0 when the task had no parent (ids start at 1). */
    readonly parentId: number,
    readonly state: TaskState,
    /** The times in ticks (see `ticks`): integers, so no number is boxed per entry. */
    readonly createdTicks: number,
    readonly startedTicks: number,
    readonly endedTicks: number,
    /** The value's preview, or the error's one-line description. */
    readonly outcome: string | number | boolean | null | undefined,
    readonly cancelReason: CancelReason | undefined,
  ) {}

  /** A failed task whose error nobody has retrieved (yet): see `markUnretrieved`. */
  unretrieved = false;

  /** The `TaskInfo` that `snapshot()` shows. */
  info(): TaskInfo {
    const info: TaskInfo = {
      id: this.id,
      name: this.givenName ?? `Task-${this.id}`,
      state: this.state,
      createdAt: fromTicks(this.createdTicks),
    };
    if (this.parentId !== 0) info.parentId = this.parentId;
    info.startedAt = fromTicks(this.startedTicks);
    info.endedAt = fromTicks(this.endedTicks);
    const outcome = this.outcome;
    if (this.state === "done") {
      info.result = typeof outcome === "string" ? outcome : String(outcome);
    } else {
      info.error = outcome as string;
      if (this.cancelReason !== undefined) info.cancelReason = this.cancelReason;
      if (this.unretrieved) info.unretrieved = true;
    }
    return info;
  }
}

let historyLimit = 1000;
let history: FinishedEntry[] = [];
let historyStart = 0;
/** Finished tasks so far, and how many of them the history dropped. */
const counts = { finished: 0, dropped: 0 };

/**
 * Each copy of corun loaded in this process (two import paths of the same
 * library are two copies, each with its own registry) adds its counts here,
 * so a monitor can tell that tasks ran in a copy it cannot see.
 */
const COPIES = Symbol.for("corun.runtime");
((globalThis as { [COPIES]?: { finished: number }[] })[COPIES] ??= []).push(counts);

/** The counts of every copy of corun in this process, this one included. */
export function corunCopies(): readonly { readonly finished: number }[] {
  return (globalThis as { [COPIES]?: { finished: number }[] })[COPIES] ?? [counts];
}

/** How many tasks have finished, and how many of them the history dropped. */
export function finishedCounts(): { readonly finished: number; readonly dropped: number } {
  return counts;
}

/**
 * Whether finished tasks are remembered at all (so describing them is worth
 * it). Asked once per finished task: with no history, the task is counted
 * here as finished and dropped.
 */
export function keepsHistory(): boolean {
  if (historyLimit !== 0) return true;
  counts.finished++;
  counts.dropped++;
  return false;
}

/** The history's failed tasks whose error nobody has retrieved, oldest first. */
const unretrievedEntries = new Set<FinishedEntry>();
/** The same entries by task, while the task is held, so a later retrieval updates the record. */
const entriesByTask = new WeakMap<object, FinishedEntry>();

/**
 * The failed `task` described by `entry` (in the history) has not had its
 * error retrieved: `snapshot()` and the warnings say so, inside a run or not,
 * until `markRetrieved(task)`.
 */
export function markUnretrieved(task: object, entry: FinishedEntry): void {
  entry.unretrieved = true;
  unretrievedEntries.add(entry);
  entriesByTask.set(task, entry);
}

/** Someone retrieved `task`'s error (awaited it, `result()`, `exception()`). */
export function markRetrieved(task: object): void {
  const entry = entriesByTask.get(task);
  if (entry === undefined) return;
  entry.unretrieved = false;
  unretrievedEntries.delete(entry);
  entriesByTask.delete(task);
}

/** The finished tasks in the history whose error nobody has retrieved. */
export function unretrievedFinished(): Iterable<FinishedEntry> {
  return unretrievedEntries;
}

/** Remember a finished task, dropping the oldest past the limit. */
export function recordFinished(task: FinishedEntry): void {
  if (historyLimit === 0) return;
  counts.finished++;
  if (history.length < historyLimit) {
    history.push(task);
  } else {
    counts.dropped++;
    unretrievedEntries.delete(history[historyStart]);
    history[historyStart] = task;
    historyStart = (historyStart + 1) % historyLimit;
  }
}

/** The remembered finished tasks, oldest first. */
export function finishedTasks(): FinishedEntry[] {
  return history.slice(historyStart).concat(history.slice(0, historyStart));
}

/** Change how many finished tasks are remembered (0 turns history off). */
export function setHistoryLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const kept = limit === 0 ? [] : finishedTasks().slice(-limit);
  counts.dropped += history.length - kept.length;
  const still = new Set(kept);
  for (const entry of unretrievedEntries) if (!still.has(entry)) unretrievedEntries.delete(entry);
  history = kept;
  historyStart = 0;
  historyLimit = limit;
}

/** How many finished tasks are remembered at most. */
export function getHistoryLimit(): number {
  return historyLimit;
}
