/**
 * The REPL session as tasks. The whole session is one `run` (root task
 * "repl"); every input is a task named `input-<n>` created under that root,
 * and the tasks an input creates belong to the same run, so:
 *
 * - Ctrl+C cancels the input's task: its library awaits get `CancelledError`,
 *   its `finally` blocks run, and tasks it started keep running (createTask
 *   semantics, as in `python -m asyncio`);
 * - a background task that fails with nobody to retrieve its error shows up
 *   in the run's unretrieved set, which we watch to print one line for it;
 * - leaving the session ends the run, which cancels and awaits every task
 *   left over.
 *
 * @module
 */
import { run } from "../run.ts";
import {
  addTaskListener,
  allTasks,
  createTask,
  currentTask,
  type RunScope,
  type Task,
  taskContext,
  taskInternals,
} from "../runtime/mod.ts";
import type { Evaluator, Outcome } from "./evaluator.ts";

/** The result of one input, once its task has finished (or was let go). */
export type InputResult =
  | Outcome
  | { ok: false; cancelled: true; error: unknown }
  | {
    ok: false;
    abandoned: true;
    task: Task<unknown>;
    /** It was cancelled before and went on: it caught the `CancelledError`. */
    swallowed: boolean;
  };

/** Runs inputs as tasks of one long-lived run. */
export class ReplSession {
  /** The root task of the session's run. */
  readonly root: Task<unknown>;
  #end: () => void;
  #done: Promise<unknown>;
  #inputs = 0;
  readonly #inputIds = new Set<number>();
  #running: Task<unknown> | null = null;
  #letGo: ((swallowed: boolean) => void) | null = null;
  #unsubscribe: () => void;
  /** The run scope of the session's tasks (the one the root task owns). */
  #scope: RunScope;

  private constructor(
    root: Task<unknown>,
    end: () => void,
    done: Promise<unknown>,
    onFailure: (task: Task<unknown>, error: unknown) => void,
  ) {
    this.root = root;
    this.#scope = taskInternals.ownedRunOf(root) as RunScope;
    this.#end = end;
    this.#done = done;
    this.#unsubscribe = addTaskListener(({ type, task }) => {
      if (type !== "ended" || task === this.#running) return;
      if (taskInternals.runOf(task) !== this.#scope) return;
      // Awaiters retrieve the error synchronously after this event: look later.
      queueMicrotask(() => {
        if (!this.#scope.unretrieved.has(task)) return;
        const { error } = taskInternals.outcome(task);
        onFailure(task, error);
      });
    });
  }

  /**
   * Start the session's run.
   *
   * @param onFailure Called once for each background task that failed with
   *   nobody retrieving its error.
   * @returns The session, once its root task runs.
   */
  static start(onFailure: (task: Task<unknown>, error: unknown) => void): Promise<ReplSession> {
    return new Promise((resolve) => {
      let end!: () => void;
      const ended = new Promise<void>((r) => end = r);
      const done = run(() => {
        const root = currentTask() as Task<unknown>;
        queueMicrotask(() => resolve(new ReplSession(root, end, done, onFailure)));
        return ended;
      }, { name: "repl" }).catch(() => {});
    });
  }

  /**
   * Whether the task with this id is one the session made to run an input.
   *
   * @param id A task id.
   * @returns `true` for an input's task.
   */
  isInput(id: number): boolean {
    return this.#inputIds.has(id);
  }

  /** The name the next input's task gets. */
  get nextInputName(): string {
    return `input-${this.#inputs + 1}`;
  }

  /** The input task running now, if any. */
  get running(): Task<unknown> | null {
    return this.#running;
  }

  /**
   * Evaluate `code` in a new input task and wait for it (or until it is let
   * go, see `interrupt`).
   *
   * @param evaluator Evaluates the code inside the task.
   * @param code JavaScript.
   * @returns How the input ended.
   */
  execute(evaluator: Evaluator, code: string): Promise<InputResult> {
    const name = `input-${++this.#inputs}`;
    const task = taskContext.run(this.root, () =>
      createTask(async () => {
        const outcome = await evaluator.evaluate(code);
        if (!outcome.ok) throw outcome.error;
        return { value: outcome.value };
      }, { name, eager: true }));
    this.#running = task;
    this.#inputIds.add(task.id);
    return new Promise<InputResult>((resolve) => {
      const finish = () => {
        this.#running = null;
        this.#letGo = null;
        const { state, value, error } = taskInternals.outcome(task);
        if (state === "done") resolve({ ok: true, value: (value as { value: unknown }).value });
        else if (state === "cancelled") resolve({ ok: false, cancelled: true, error });
        else resolve({ ok: false, error });
      };
      this.#letGo = (swallowed) => {
        taskInternals.unobserve(task, observer);
        this.#running = null;
        this.#letGo = null;
        resolve({ ok: false, abandoned: true, task, swallowed });
      };
      const observer = { taskSettled: finish };
      if (!taskInternals.observe(task, observer)) finish();
    });
  }

  /**
   * Ctrl+C: cancel the running input. If it is not blocked in a library
   * await (or this is the second Ctrl+C), stop waiting for it: it goes on in
   * the background and stops at its next library await.
   *
   * @returns `true` if an input was running.
   */
  interrupt(): boolean {
    const task = this.#running;
    if (task === null) return false;
    const again = taskInternals.isCancelRequested(task);
    // Blocked in a library await ("waiting"): the cancellation reaches it now.
    const blocked = taskInternals.info(task).state === "waiting";
    task.cancel("interrupted (Ctrl+C)");
    if (!task.done() && (again || !blocked)) this.#letGo?.(again);
    return true;
  }

  /** Every unfinished task of the session but its root. */
  liveTasks(): Task<unknown>[] {
    return [...allTasks()].filter((task) => task !== this.root).sort((a, b) => a.id - b.id);
  }

  /**
   * End the session: cancel every task left over, wait for them (at most
   * `graceMs`), then end the run.
   *
   * @param graceMs How long to wait for cancelled tasks to finish.
   * @returns The tasks that were cancelled, and those still not finished.
   */
  async close(graceMs = 2000): Promise<{ cancelled: Task<unknown>[]; stuck: Task<unknown>[] }> {
    this.#unsubscribe();
    const leftovers = this.liveTasks();
    for (const task of leftovers) taskInternals.cancelWith(task, "shutdown", "the REPL exited");
    const finished = Promise.all(leftovers.map((task) =>
      new Promise<void>((resolve) => {
        if (!taskInternals.observe(task, { taskSettled: () => resolve() })) resolve();
      })
    ));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([finished, new Promise<void>((r) => timer = setTimeout(r, graceMs))]);
    clearTimeout(timer);
    const stuck = leftovers.filter((task) => !task.done());
    for (const task of leftovers) if (task.done() && !task.cancelled()) taskInternals.outcome(task);
    this.#end();
    if (stuck.length === 0) await this.#done;
    return { cancelled: leftovers.filter((task) => task.cancelled()), stuck };
  }
}
