/**
 * Effection (v4) doing the workloads it has a primitive for: `spawn`/`all`,
 * `race` against `sleep` as the timeout, `withResolvers` as the event. It has
 * no bounded queue and no semaphore. Its "yield once" is `sleep(0)` (a
 * `setTimeout(0)`: Effection has no cheaper yield to the event loop).
 *
 * @module
 */
import {
  all,
  call,
  type Operation,
  race,
  run,
  sleep,
  spawn,
  withResolvers,
} from "npm:effection@4.1.1";
import {
  CALLS,
  dispatch,
  fastWork,
  heapAfterGc,
  report,
  TASKS,
  timed,
  TIMEOUT_MS,
} from "./_common.ts";

function spawnAndGather(): Promise<number> {
  return run(function* () {
    const ops: Operation<number>[] = [];
    for (let i = 0; i < TASKS; i++) {
      ops.push(function* () {
        yield* sleep(0);
        return i;
      }());
    }
    const results = yield* all(ops);
    return results.reduce((a, b) => a + b, 0);
  });
}

function* expire(ms: number): Operation<never> {
  yield* sleep(ms);
  throw new Error("timed out");
}

function timeouts(): Promise<number> {
  return run(function* () {
    let total = 0;
    for (let i = 0; i < CALLS; i++) {
      total += yield* race([call(() => fastWork(i)), expire(TIMEOUT_MS)]);
    }
    return total;
  });
}

async function event(): Promise<void> {
  const before = heapAfterGc();
  let ms = 0;
  let bytesPerTask = 0;
  const check = await run(function* () {
    const started = performance.now();
    const ready = withResolvers<void>();
    const tasks = [];
    for (let i = 0; i < TASKS; i++) {
      tasks.push(
        yield* spawn(function* () {
          yield* ready.operation;
          return 1;
        }),
      );
    }
    yield* sleep(0);
    const blocked = performance.now();
    bytesPerTask = (heapAfterGc() - before) / TASKS;
    const releasing = performance.now();
    ready.resolve();
    let done = 0;
    for (const task of tasks) done += yield* task;
    ms = blocked - started + performance.now() - releasing;
    return done;
  });
  report({ ms, bytesPerTask, check });
}

await dispatch({
  W1: () => timed(spawnAndGather),
  W4: () => timed(timeouts),
  W5: event,
});
