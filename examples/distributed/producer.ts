/**
 * The producer of the distributed fetch: starts a local web server (every
 * third item answers 503 the first time), clears the Redis queue `fetch`,
 * puts 40 URLs in it and waits until workers, in any number of processes,
 * have fetched them all; then shuts the queue down (the workers end) and
 * says which worker fetched how many.
 *
 *   deno run --allow-net examples/distributed/producer.ts [redis://127.0.0.1:6379]
 *   deno run --allow-net examples/distributed/worker.ts worker-1    # in other terminals
 */
import { run } from "../../mod.ts";
import { RedisQueue } from "../../redis.ts";

const redisUrl = Deno.args[0] ?? "redis://127.0.0.1:6379";
const asked = new Map<string, number>();
const byWorker = new Map<string, number>();
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  const path = new URL(request.url).pathname;
  const times = (asked.get(path) ?? 0) + 1;
  asked.set(path, times);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const item = Number(path.split("/").pop());
  if (item % 3 === 0 && times === 1) return new Response("busy, try again", { status: 503 });
  const worker = request.headers.get("x-worker") ?? "?";
  byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
  return new Response(`item ${item}`);
});

try {
  await run(async () => {
    await using queue = new RedisQueue<string>("fetch", { url: redisUrl });
    await queue.destroy(); // a fresh start, whatever a previous run left
    const base = `http://127.0.0.1:${server.addr.port}`;
    const started = performance.now();
    for (let i = 1; i <= 40; i++) await queue.put(`${base}/items/${i}`);
    console.log(`put 40 URLs in redis queue fetch; waiting for the workers`);
    await queue.join();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    await queue.shutdown();
    const stats = await queue.stats();
    console.log(
      `all done in ${seconds} s (${stats.redeliveries} redelivered, ${stats.deadLetters} dead)`,
    );
    for (const [worker, count] of [...byWorker].sort()) console.log(`  ${worker}: ${count} URLs`);
  });
} finally {
  await server.shutdown();
}
