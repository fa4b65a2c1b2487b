/**
 * Effect (v4) doing the same workloads with its own primitives: fibers,
 * `Queue.bounded`, `Semaphore`, `Effect.timeout`, `Latch`. Its "yield once"
 * is `Effect.yieldNow`, a batched macrotask on Effect's scheduler.
 *
 * @module
 */
import { Effect, Fiber, Latch, Queue, Semaphore } from "npm:effect@4.1.0";
import {
  CALLS,
  dispatch,
  fastWork,
  heapAfterGc,
  ITEMS,
  JOBS,
  PERMITS,
  QUEUE_SIZE,
  report,
  TASKS,
  timed,
} from "./_common.ts";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function spawnAndGather(): Promise<number> {
  return Effect.runPromise(
    Effect.forEach(range(TASKS), (i) => Effect.as(Effect.yieldNow, i), {
      concurrency: "unbounded",
    }).pipe(Effect.map(sum)),
  );
}

function queue(pairs: number): Promise<number> {
  const each = ITEMS / pairs;
  return Effect.runPromise(Effect.gen(function* () {
    const q = yield* Queue.bounded<number>(QUEUE_SIZE);
    const producer = (p: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < each; i++) yield* Queue.offer(q, p * each + i);
        return 0;
      });
    const consumer = Effect.gen(function* () {
      let total = 0;
      for (let i = 0; i < each; i++) total += yield* Queue.take(q);
      return total;
    });
    const work = range(pairs).flatMap((p) => [producer(p), consumer]);
    return sum(yield* Effect.all(work, { concurrency: "unbounded" }));
  }));
}

function semaphore(): Promise<number> {
  return Effect.runPromise(Effect.gen(function* () {
    const sem = yield* Semaphore.make(PERMITS);
    const results = yield* Effect.forEach(
      range(JOBS),
      (i) => Semaphore.withPermits(sem, 1)(Effect.as(Effect.yieldNow, i)),
      { concurrency: "unbounded" },
    );
    return sum(results);
  }));
}

function timeouts(): Promise<number> {
  return Effect.runPromise(Effect.gen(function* () {
    let total = 0;
    for (let i = 0; i < CALLS; i++) {
      total += yield* Effect.timeout(Effect.promise(() => fastWork(i)), "1 second");
    }
    return total;
  }));
}

async function event(): Promise<void> {
  const before = heapAfterGc();
  let ms = 0;
  let bytesPerTask = 0;
  const check = await Effect.runPromise(Effect.gen(function* () {
    const started = performance.now();
    const latch = yield* Latch.make(false);
    const fibers = yield* Effect.forEach(
      range(TASKS),
      () => Effect.forkChild(Effect.as(latch.await, 1)),
    );
    yield* Effect.yieldNow;
    const blocked = performance.now();
    bytesPerTask = (heapAfterGc() - before) / TASKS;
    const releasing = performance.now();
    yield* latch.open;
    const done = (yield* Fiber.joinAll(fibers)).length;
    ms = blocked - started + performance.now() - releasing;
    return done;
  }));
  report({ ms, bytesPerTask, check });
}

await dispatch({
  W1: () => timed(spawnAndGather),
  W2a: () => timed(() => queue(1)),
  W2b: () => timed(() => queue(4)),
  W3: () => timed(semaphore),
  W4: () => timed(timeouts),
  W5: event,
});
