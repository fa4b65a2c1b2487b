/**
 * Debug mode's blocked-loop detector: while at least one debug run is
 * active, a short timer measures its own lateness. A late tick means the
 * event loop could not run anything for that long: some code blocked it (a
 * busy loop, a synchronous read, a huge JSON.parse). One warning per block
 * names the duration and the task that was running, found from task events:
 * the task that held the loop longest since the previous tick (the time
 * before a task's own "waiting" or "ended" event is its), else the task most
 * recently resumed.
 *
 * Nothing here runs, and no listener is registered, unless a debug run is
 * active; the timer ticks only while tasks show activity (a block that
 * starts after a second without any task event goes unreported) and is
 * cleared when the last debug run ends.
 */
import { addTaskListener, type Task, type TaskEvent, taskInternals } from "./runtime/mod.ts";

const active = new Map<object, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
let unsubscribe: (() => void) | undefined;
let interval = 10;
let due = 0;
let tickAt = 0;
let lastEventAt = 0;
/** With no task event for this long, the timer stops until the next one. */
const IDLE_STOP_MS = 1000;
/** The last blocks reported, for the monitor's warnings (most recent last). */
const blocks: { ms: number; taskId?: number; taskName?: string; at: number }[] = [];
/** How long a reported block stays among the monitor's warnings (milliseconds). */
export const LOOP_BLOCK_WARNING_MS = 60_000;

/**
 * The last few (at most 5) event-loop blocks debug mode reported in the
 * last {@linkcode LOOP_BLOCK_WARNING_MS}, most recent last.
 *
 * @param now The present (`performance.now()`), for tests.
 */
export function recentLoopBlocks(
  now: number = performance.now(),
): readonly { ms: number; taskId?: number; taskName?: string }[] {
  while (blocks.length !== 0 && now - blocks[0].at > LOOP_BLOCK_WARNING_MS) blocks.shift();
  return blocks.map(({ ms, taskId, taskName }) => ({ ms, taskId, taskName }));
}

/** The task holding the loop now (`undefined` once it yielded), since when. */
let current: Task<unknown> | undefined;
let turnStart = 0;
/** The longest turn since the last tick, and whose it was. */
let longest = 0;
let longestTask: Task<unknown> | undefined;

/**
 * Watch the event loop while the debug run whose root is `root` is alive.
 *
 * @param root The run's root task; watching stops when it settles.
 * @param slowStepMs A block at least this long is reported.
 */
export function watchBlockedLoop(root: Task<unknown>, slowStepMs: number): void {
  const watch = {};
  const observing = taskInternals.observe(root, {
    taskSettled() {
      active.delete(watch);
      if (active.size === 0) stop();
      else configure();
    },
  });
  if (!observing) return;
  active.set(watch, slowStepMs);
  configure();
  if (timer === undefined) start();
}

/** Whether the detector is on, i.e. a debug run is alive (for tests). */
export function isWatching(): boolean {
  return unsubscribe !== undefined;
}

function threshold(): number {
  return Math.min(...active.values());
}

function configure(): void {
  interval = Math.min(10, Math.max(1, threshold() / 10));
}

function start(): void {
  unsubscribe = addTaskListener(onTaskEvent);
  tickAt = turnStart = lastEventAt = performance.now();
  current = undefined;
  longest = 0;
  longestTask = undefined;
  schedule(tickAt);
}

function stop(): void {
  clearTimeout(timer);
  timer = undefined;
  unsubscribe?.();
  unsubscribe = undefined;
  current = longestTask = undefined;
}

function schedule(now: number): void {
  due = now + interval;
  timer = setTimeout(tick, interval);
}

/**
 * Charge the time since the last event (or tick) to `owner`, the task that
 * was executing, if known.
 */
function charge(owner: Task<unknown> | undefined, now: number): void {
  const spent = now - Math.max(turnStart, tickAt);
  if (owner !== undefined && spent > longest) {
    longest = spent;
    longestTask = owner;
  }
  turnStart = now;
}

function onTaskEvent(event: TaskEvent): void {
  const type = event.type;
  const now = performance.now();
  lastEventAt = now;
  if (timer === undefined) {
    // Activity after an idle pause: watch again, from now.
    tickAt = turnStart = now;
    schedule(now);
  }
  // A task emits "waiting" (a library await) and "ended" itself, while it
  // executes: the time before belongs to it. "running" is emitted by whoever
  // woke the task (a timer, another task), several at once after a batch of
  // timers, so the time before it belongs to the task known to execute, if
  // any; a task executes right after its "started".
  const owner = type === "waiting" || type === "ended" ? event.task : current;
  charge(owner, now);
  current = type === "started" ? event.task : undefined;
}

function tick(): void {
  const now = performance.now();
  charge(current, now);
  // The block lasted between `lateness` and `lateness + interval`.
  const blocked = now - due + interval / 2;
  const limit = threshold();
  if (blocked >= limit) {
    const culprit = longestTask ?? current ?? taskInternals.lastResumed();
    if (
      blocks.push({
        ms: Math.round(blocked),
        taskId: culprit?.id,
        taskName: culprit?.name,
        at: now,
      }) >
        5
    ) {
      blocks.shift();
    }
    const who = culprit === undefined
      ? "no task was running (code outside any task?)"
      : `task "${culprit.name}" (id ${culprit.id}) was running`;
    console.error(
      `corun debug: the event loop was blocked for ${
        Math.round(blocked)
      } ms (slowStepMs ${limit}); ${who}. Blocking or CPU-bound code stalls every task: move it off the loop with toThread() or a WorkerPool.`,
    );
  }
  tickAt = now;
  longest = 0;
  longestTask = undefined;
  // Tick only while tasks are active: a timer that re-arms forever would
  // keep the process alive, and a deadlocked program must end ("promise
  // never resolved"), not hang. (`unref()` does not help on Deno 2.9: an
  // unref'd timer still delays the exit until it fires.) The next task
  // event arms the timer again.
  if (now - lastEventAt < IDLE_STOP_MS) schedule(now);
  else timer = undefined;
}
