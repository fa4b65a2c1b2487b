/**
 * Producers and consumers around a bounded queue, after the asyncio queue
 * tutorial: two producers put 6 items each into a `Queue` of size 5 faster
 * than two consumers can take them, so `put` waits while the queue is full.
 * `join()` waits until every item is processed, then `shutdown()` ends the
 * consumers' `for await` loops.
 *
 *     deno run examples/producer_consumer.ts
 */
import { createTask, Queue, run, sleep } from "@corun/corun";
import { scaled } from "./_scale.ts";

await run(async () => {
  const queue = new Queue<string>(5);
  let consumed = 0;

  async function producer(name: string, count: number): Promise<void> {
    for (let i = 1; i <= count; i++) {
      const item = `${name}-item${i}`;
      await queue.put(item); // waits while the queue is full
      console.log(`${name} produced ${item} (queue size ${queue.qsize()})`);
      await sleep(scaled(50));
    }
  }

  async function consumer(name: string): Promise<void> {
    for await (const item of queue) {
      await sleep(scaled(200)); // slower than the producers
      consumed++;
      console.log(`${name} consumed ${item}`);
      queue.taskDone();
    }
    console.log(`${name} stops: the queue is shut down`);
  }

  const producers = ["p1", "p2"].map((name) => createTask(() => producer(name, 6), { name }));
  const consumers = ["c1", "c2"].map((name) => createTask(() => consumer(name), { name }));
  for (const task of producers) await task;
  console.log("producers done; waiting for the queue to be processed");
  await queue.join();
  console.log("every item processed; shutting the queue down");
  queue.shutdown();
  for (const task of consumers) await task;
  console.log(`done: 12 produced, ${consumed} consumed`);
});
