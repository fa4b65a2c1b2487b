/**
 * A worker of the distributed fetch: takes URLs from the Redis queue
 * `fetch`, three at a time, fetches each (retrying a 503) and marks it
 * done; ends when the producer shuts the queue down. Start as many as you
 * like, on as many machines as reach the Redis server.
 *
 *   deno run --allow-net examples/distributed/worker.ts worker-1 [redis://127.0.0.1:6379]
 */
import { createTask, retry, run } from "../../mod.ts";
import { RedisQueue } from "../../redis.ts";

const name = Deno.args[0] ?? "worker";
const redisUrl = Deno.args[1] ?? "redis://127.0.0.1:6379";

await run(async () => {
  await using queue = new RedisQueue<string>("fetch", { url: redisUrl, consumer: name });
  let fetched = 0;
  const loop = async () => {
    for await (const url of queue) {
      let attempts = 0;
      const body = await retry(async (signal) => {
        attempts++;
        const response = await fetch(url, { signal, headers: { "x-worker": name } });
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status}`);
        }
        return await response.text();
      }, { minDelayMs: 50 });
      await queue.taskDone();
      fetched++;
      console.log(`${name}: ${new URL(url).pathname} "${body}" (${attempts} attempt(s))`);
    }
  };
  await Promise.all([createTask(loop), createTask(loop), createTask(loop)]);
  console.log(`${name}: queue shut down, ${fetched} URLs fetched`);
});
