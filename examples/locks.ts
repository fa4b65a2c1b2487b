/**
 * Locks, semaphores and events, after the asyncio synchronisation tutorial:
 * a `Lock` lets A, B and C in one at a time; a `Semaphore(2)` lets 2 of 4
 * workers in at once; an `Event` wakes two readers when the data is ready.
 *
 *     deno run examples/locks.ts
 */
import { createTask, Event, Lock, run, Semaphore, sleep } from "@corun/corun";
import { scaled } from "./_scale.ts";

await run(async () => {
  console.log("-- Lock: one at a time");
  const lock = new Lock();
  const holders = ["A", "B", "C"].map((name) =>
    createTask(async () => {
      using _ = await lock.acquire(); // released at the end of the block
      console.log(`${name} has the lock`);
      await sleep(scaled(100));
      console.log(`${name} releases the lock`);
    }, { name })
  );
  for (const task of holders) await task;

  console.log("-- Semaphore(2): two at a time");
  const semaphore = new Semaphore(2);
  let inside = 0;
  const workers = [1, 2, 3, 4].map((n) =>
    createTask(async () => {
      using _ = await semaphore.acquire();
      inside++;
      console.log(`worker ${n} enters (${inside} inside)`);
      await sleep(scaled(100));
      inside--;
      console.log(`worker ${n} leaves`);
    }, { name: `worker ${n}` })
  );
  for (const task of workers) await task;

  console.log("-- Event: wake the readers");
  const ready = new Event();
  const readers = [1, 2].map((n) =>
    createTask(async () => {
      console.log(`reader ${n} waits for the data`);
      await ready.wait();
      console.log(`reader ${n} woke up`);
    }, { name: `reader ${n}` })
  );
  await sleep(scaled(100));
  console.log("writer: data ready, setting the event");
  ready.set();
  for (const task of readers) await task;
});
