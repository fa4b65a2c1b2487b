/**
 * Items per second through a `RedisQueue` with 1 and 4 worker processes
 * (each taking and finishing items with four loops) against the in-process
 * `Queue` (one producer task, four consumer tasks). The items are trivial,
 * so this is the queue's own cost: a round trip or three to Redis per item
 * against none. Then items that each wait 20 ms (as on I/O), where more
 * worker processes mean more items at once. Starts its own `redis-server` (Debian's), needs it on PATH.
 *
 *     deno task bench:redis
 *
 * Not a `deno bench` file: the workers are processes, timed end to end
 * (first put to the producer's `join()` returning).
 */
import { createTask, Queue, run } from "../mod.ts";
import { RedisQueue } from "../redis.ts";
import { startRedis } from "../tests/redis/_server.ts";

const LOCAL_ITEMS = 200_000;
const REDIS_ITEMS = 5_000;
const IO_ITEMS = 2_000;
const IO_MS = 20;
const WORKER = new URL("./_redis_worker.ts", import.meta.url).pathname;

async function local(): Promise<number> {
  return await run(async () => {
    const queue = new Queue<number>(100);
    const consumers = [1, 2, 3, 4].map(() =>
      createTask(async () => {
        for await (const _ of queue) queue.taskDone();
      })
    );
    const started = performance.now();
    for (let i = 0; i < LOCAL_ITEMS; i++) await queue.put(i);
    await queue.join();
    const seconds = (performance.now() - started) / 1000;
    queue.shutdown();
    await Promise.all(consumers);
    return LOCAL_ITEMS / seconds;
  });
}

async function redis(url: string, workers: number, items: number, workMs = 0): Promise<number> {
  const name = `bench-${workers}-${workMs}`;
  await using queue = new RedisQueue<number>(name, { url });
  await queue.destroy();
  const children = Array.from({ length: workers }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", WORKER, url, name, String(workMs)],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn());
  // Wait until every worker is connected and waiting.
  const outputs = children.map((child) => child.stdout.pipeThrough(new TextDecoderStream()));
  const readers = outputs.map((stream) => stream.getReader());
  for (const reader of readers) {
    let text = "";
    while (!text.includes("ready")) text += (await reader.read()).value ?? "";
  }
  const started = performance.now();
  let next = 0;
  // Eight concurrent putters, so that the producer is not the bottleneck.
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < items) await queue.put(next++);
  }));
  await queue.join();
  const seconds = (performance.now() - started) / 1000;
  await queue.shutdown();
  for (const reader of readers) {
    while (!(await reader.read()).done) { /* drain */ }
  }
  await Promise.all(children.map((child) => child.status));
  return items / seconds;
}

if (import.meta.main) {
  await using server = await startRedis();
  const inProcess = await local();
  const one = await redis(server.url, 1, REDIS_ITEMS);
  const four = await redis(server.url, 4, REDIS_ITEMS);
  const oneIo = await redis(server.url, 1, IO_ITEMS, IO_MS);
  const fourIo = await redis(server.url, 4, IO_ITEMS, IO_MS);
  const row = (label: string, perSecond: number) =>
    console.log(
      `${label.padEnd(34)} ${perSecond.toFixed(0).padStart(9)} items/s  ` +
        `(${(perSecond / inProcess).toPrecision(2)}x in-process Queue)`,
    );
  row("Queue, in process (4 consumers)", inProcess);
  row("RedisQueue, 1 worker process", one);
  row("RedisQueue, 4 worker processes", four);
  console.log(`RedisQueue 4 workers / 1 worker: ${(four / one).toFixed(2)}x`);
  console.log(`With items that each wait ${IO_MS} ms (I/O), ${IO_ITEMS} items:`);
  console.log(`RedisQueue, 1 worker process           ${oneIo.toFixed(0).padStart(9)} items/s`);
  console.log(`RedisQueue, 4 worker processes         ${fourIo.toFixed(0).padStart(9)} items/s`);
  console.log(`RedisQueue 4 workers / 1 worker: ${(fourIo / oneIo).toFixed(2)}x`);
}
