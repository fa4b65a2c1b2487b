/**
 * What library modules may do with a task (`taskInternals`, see
 * `internals.ts`), built on the accessors `Task` hands out.
 */
import { currentTask } from "./create_task.ts";
import { scheduleChildStart, scheduleStart } from "./scheduler.ts";
import { globalScope, liveScopes, RunScope } from "./registry.ts";
import { anyShielded, scopeOf } from "./scope_errors.ts";
import { installTaskInternals } from "./internals.ts";
import type { Task } from "./task.ts";
import { reachedByThisCancel, requestCancel, takePending } from "./task_cancel.ts";
import { finish } from "./task_body.ts";
import { taskInfo } from "./task_info.ts";
import { access } from "./_task_access.ts";

/** The run a new task of `parent` joins: its own run's, or the nearest one still open. */
function runFor(parent: Task<unknown> | undefined): RunScope {
  let run = parent === undefined
    ? globalScope
    : (access.extra(parent)?.ownedRun ?? access.run(parent));
  while (run.closed && run.parent !== null) run = run.parent;
  return run;
}

/** Fill `taskInternals` in; called once, by `Task`'s static block. */
export function installInternals(): void {
  installTaskInternals({
    spawn(body, options, ownedRun) {
      const parent = currentTask();
      const run = runFor(parent);
      const task = access.create(body, options.name, parent, run);
      if (ownedRun) {
        const scope = new RunScope(run, ownedRun.debug);
        liveScopes.add(scope);
        access.more(task).ownedRun = scope;
      }
      if (options.eager && !ownedRun) access.begin(task);
      else scheduleStart(task);
      return task;
    },
    spawnChild(parent, body, options, helper) {
      const task = access.create(body, options.name, parent, runFor(parent));
      scheduleChildStart(task, helper);
      return task;
    },
    block: access.block,
    canShareBlocker(task) {
      if (access.blocker(task) !== null) return false;
      const extra = access.extra(task);
      return extra === null ||
        (extra.scope === null && extra.pending === null && !extra.draining);
    },
    unblock: access.unblock,
    observe(task, observer) {
      if (task.done()) return false;
      access.observe(task, observer);
      return true;
    },
    unobserve: access.unobserve,
    cancelWith(task, reason, message = "") {
      if (task.done()) return false;
      requestCancel(task, reason, message, null);
      return true;
    },
    outcome<T>(task: Task<T>) {
      access.retrieve(task);
      const state = access.state(task);
      if (state === "done") return { state, value: access.slot(task) as T, error: undefined };
      return { state, value: undefined, error: task.done() ? access.slot(task) : undefined };
    },
    state: access.state,
    peekError: (task) =>
      access.state(task) === "done" || !task.done() ? undefined : access.slot(task),
    takePending,
    isCancelRequested: (task) => (access.extra(task)?.cancelError ?? null) !== null,
    currentScope: (task) => access.extra(task)?.scope ?? null,
    enterScope(task, scope) {
      access.more(task).scope = scope;
    },
    exitScope(task, scope) {
      const extra = access.more(task);
      if (extra.scope === scope) extra.scope = scope.parent;
      const pending = extra.pending;
      if (pending !== null && scopeOf(pending) === scope) extra.pending = null;
      const held = extra.held;
      if (held !== null && !anyShielded(extra.scope)) {
        extra.held = null;
        extra.pending = null;
        finish(task, held.state, held.outcome);
      }
    },
    cancelScope(task, scope, reason) {
      if (!task.done()) requestCancel(task, reason, "", scope);
    },
    reachedByThisCancel,
    scopeOf,
    info: taskInfo,
    createdStack: (task) => access.extra(task)?.createdStack,
    runOf: access.run,
    ownedRunOf: (task) => access.extra(task)?.ownedRun ?? null,
    lastResumed: access.lastResumed,
  });
}
