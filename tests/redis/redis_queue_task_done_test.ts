import assert from "node:assert/strict";
import { CancelledError, createTask, Event, InvalidStateError, sleep } from "../../mod.ts";
import { RedisQueue, type RedisQueueOptions } from "../../redis.ts";
import { type RedisServer, startRedis } from "./_server.ts";

function queue<T>(server: RedisServer, name: string, options: RedisQueueOptions = {}) {
  return new RedisQueue<T>(name, { url: server.url, leaseMs: 500, ...options });
}

Deno.test("RedisQueue.taskDone() in one of two loops acks that loop's item, not the other's", async () => {
  await using server = await startRedis();
  await using w1 = queue<string>(server, "two-loops", { consumer: "w1" });
  await using w2 = queue<string>(server, "two-loops", { consumer: "w2" });
  await w1.put("slow");
  await w1.put("fast");
  const gotSlow = new Event();
  const a = createTask(async () => {
    const item = await w1.get();
    gotSlow.set();
    await new Event().wait(); // hangs, then dies
    return item;
  });
  await gotSlow.wait();
  const b = createTask(async () => {
    const item = await w1.get();
    await w1.taskDone();
    return item;
  });
  assert.equal(await b, "fast");
  assert.deepEqual((await w1.stats()).inFlight, { w1: 1 });
  a.cancel(); // as if loop A died with "slow" in hand
  await assert.rejects(a, CancelledError);
  const lease = await w2.getLease();
  assert.equal(lease.value, "slow"); // handed back: not lost, "fast" not redelivered
  assert.equal(lease.deliveries, 2); // the dead loop's delivery counts
  await lease.done();
  await w1.join();
  const stats = await w2.stats();
  assert.deepEqual([stats.unfinished, stats.size, stats.inFlight], [0, 0, {}]);
});
