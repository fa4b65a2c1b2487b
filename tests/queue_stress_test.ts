/**
 * Randomized stress: producers and consumers move thousands of items through
 * a small queue while waiters are cancelled at random moments, including the
 * instant an item, a slot or a permit is handed to them. Every item must be
 * delivered exactly once and every primitive must end free and empty.
 * Seeds are fixed; set CORUN_STRESS_SEED to try another one. A failure names
 * its seed.
 */
import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  QueueShutDown,
  run,
  Semaphore,
  sleep,
  type Task,
} from "../mod.ts";
import { seededRandom } from "./_sync_helpers.ts";

type Kind = "Queue" | "LifoQueue" | "PriorityQueue";

const envSeed = Deno.env.get("CORUN_STRESS_SEED");
const seeds = envSeed === undefined ? [1, 20240611, 987654321] : [Number(envSeed)];

interface Result {
  received: number[];
  cancels: number;
  failures: unknown[];
  queue: Queue<number>;
  lock: Lock;
  sem: Semaphore;
}

async function stress(seed: number, kind: Kind, items: number): Promise<Result> {
  const random = seededRandom(seed);
  const maxsize = 1 + Math.floor(random() * 6);
  const queue = kind === "Queue"
    ? new Queue<number>(maxsize)
    : kind === "LifoQueue"
    ? new LifoQueue<number>(maxsize)
    : new PriorityQueue<number>(maxsize);
  const lock = new Lock();
  const sem = new Semaphore(2);
  const received: number[] = [];
  const failures: unknown[] = [];
  const workers: Task<unknown>[] = [];
  let cancels = 0;
  let inLock = 0;
  let inSem = 0;

  /** Cancel a random worker, right now (often the instant something was handed over). */
  const chaos = () => {
    if (random() >= 0.2) return;
    const victim = workers[Math.floor(random() * workers.length)];
    if (!victim.done() && victim.cancel()) cancels++;
  };
  const fail = (error: unknown) => {
    failures.push(error);
    queue.shutdown(true);
  };
  const isCancel = (error: unknown) => error instanceof CancelledError;

  const producer = (first: number, step: number) => async () => {
    try {
      for (let item = first; item < items; item += step) {
        for (;;) {
          try {
            await queue.put(item);
            break;
          } catch (error) {
            if (error instanceof QueueShutDown) return;
            if (!isCancel(error)) throw error;
          }
        }
        chaos();
        if (random() < 0.1) await sleep(0).catch((e) => assert.ok(isCancel(e)));
      }
    } catch (error) {
      fail(error);
    }
  };

  const consumer = async () => {
    try {
      for (;;) {
        let item: number;
        try {
          item = await queue.get();
        } catch (error) {
          if (error instanceof QueueShutDown) return;
          if (isCancel(error) && error.reason !== "shutdown") continue;
          throw error;
        }
        received.push(item);
        queue.taskDone();
        chaos();
        try {
          const r = random();
          if (r < 0.3) {
            using _ = await lock.acquire();
            inLock++;
            try {
              assert.equal(inLock, 1, "two tasks inside the lock");
              if (random() < 0.5) await sleep(0);
            } finally {
              inLock--;
            }
          } else if (r < 0.6) {
            using _ = await sem.acquire();
            inSem++;
            try {
              assert.ok(inSem <= 2, "three tasks inside Semaphore(2)");
              chaos();
              if (random() < 0.5) await sleep(0);
            } finally {
              inSem--;
            }
          }
        } catch (error) {
          if (!isCancel(error)) throw error;
        }
      }
    } catch (error) {
      fail(error);
    }
  };

  await run(async () => {
    const producers = [0, 1, 2, 3].map((p) =>
      createTask(producer(p, 4), { name: `producer-${p}` })
    );
    const consumers = [0, 1, 2, 3].map((c) => createTask(consumer, { name: `consumer-${c}` }));
    workers.push(...producers, ...consumers);
    // A worker cancelled just as its body returns ends cancelled, as in asyncio.
    const finished = (task: Task<unknown>) => task.then(() => {}, (e) => assert.ok(isCancel(e)));
    for (const task of producers) await finished(task);
    await queue.join();
    queue.shutdown();
    for (const task of consumers) await finished(task);
  });
  return { received, cancels, failures, queue, lock, sem };
}

for (const kind of ["Queue", "LifoQueue", "PriorityQueue"] as const) {
  Deno.test(`${kind}: thousands of items under random cancellations, each delivered exactly once`, async () => {
    const items = 3000;
    for (const seed of seeds) {
      const { received, cancels, failures, queue, lock, sem } = await stress(seed, kind, items);
      const where = `${kind} seed ${seed} (rerun with CORUN_STRESS_SEED=${seed})`;
      assert.deepEqual(failures, [], where);
      assert.ok(cancels > 100, `${where}: only ${cancels} cancellations`);
      const sorted = [...received].sort((a, b) => a - b);
      const missing = sorted.length === items && sorted.every((v, i) => v === i);
      assert.ok(missing, `${where}: ${received.length} received of ${items}, not each once`);
      assert.deepEqual(queue.stats(), {
        size: 0,
        maxsize: queue.maxsize,
        getters: 0,
        putters: 0,
        unfinished: 0,
        shutDown: true,
      }, where);
      assert.deepEqual([lock.locked(), lock.stats().waiters], [false, 0], where);
      assert.deepEqual(sem.stats(), { value: 2, waiters: 0 }, where);
    }
  });
}
