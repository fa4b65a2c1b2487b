/**
 * Heap bytes each blocked waiting call keeps: 100,000 tasks each blocked in
 * `Semaphore.acquire()` of a `new Semaphore(0)`, or in `Queue.get()` of an
 * empty queue, or in `sleep(Infinity)` (the task alone, for reference).
 *
 *     deno run -A --v8-flags=--expose-gc bench/waiter_memory.ts
 *
 * Prints one line per wait: the heap growth divided by the number of tasks.
 * The figure includes the task itself; the difference between a wait and
 * `sleep` is the wait's own cost.
 */
import { createTask, gather, Queue, run, Semaphore, sleep, type Task } from "../mod.ts";
import { heapAfterGc } from "./compare/_common.ts";

const TASKS = 100_000;

/** Bytes per task blocked in `block()`, then `unblockAll()` ends every wait. */
async function measure(
  block: () => Promise<unknown>,
  unblockAll: (tasks: Task<unknown>[]) => void,
): Promise<number> {
  const before = heapAfterGc();
  const tasks: Task<unknown>[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push(createTask(block));
  await sleep(0);
  const after = heapAfterGc();
  unblockAll(tasks);
  await gather(tasks, { returnExceptions: true });
  return (after - before) / TASKS;
}

await run(async () => {
  const figures: Record<string, number> = {};
  for (let round = 0; round < 2; round++) { // the first round warms up
    const sem = new Semaphore(0);
    figures["Semaphore.acquire"] = await measure(() => sem.acquire(), () => {
      for (let i = 0; i < TASKS; i++) sem.release();
    });
    const queue = new Queue<number>();
    figures["Queue.get"] = await measure(() => queue.get(), () => {
      for (let i = 0; i < TASKS; i++) queue.putNowait(i);
    });
    figures["sleep(Infinity)"] = await measure(() => sleep(Infinity), (tasks) => {
      for (const task of tasks) task.cancel();
    });
  }
  for (const [wait, bytes] of Object.entries(figures)) {
    console.log(`${wait.padEnd(18)} ${bytes.toFixed(1)} B per blocked task`);
  }
});
