/**
 * A worker process of bench/redis_queue_bench.ts: four loops take items and
 * mark them done (after `workMs` of waiting, as on I/O), until the queue is shut down.
 *
 * Usage: _redis_worker.ts <redis-url> <queue> [workMs]
 */
import { createTask, run, sleep } from "../mod.ts";
import { RedisQueue } from "../redis.ts";

const [url, name, workMs = "0"] = Deno.args;
await run(async () => {
  await using queue = new RedisQueue<number>(name, { url });
  await queue.stats(); // connected
  console.log("ready");
  const loop = async () => {
    for await (const _ of queue) {
      if (workMs !== "0") await sleep(Number(workMs)); // waiting on I/O
      await queue.taskDone();
    }
  };
  await Promise.all([1, 2, 3, 4].map(() => createTask(loop)));
});
