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

Deno.test("RedisQueue.taskDone() where only another task holds an item is InvalidStateError, that item untouched", async () => {
  await using server = await startRedis();
  await using q = queue<string>(server, "none-held");
  await q.put("theirs");
  const received = new Event();
  const loop = createTask(async () => {
    await q.get();
    received.set();
    await new Event().wait();
  });
  await received.wait();
  const sibling = createTask(() => q.taskDone());
  const refused = await sibling.then(() => null, (error) => error);
  assert.ok(refused instanceof InvalidStateError);
  assert.match(refused.message, /task .* holds no item of this queue/);
  assert.throws(() => q.taskDone(), /code outside any task holds no item/);
  assert.equal((await q.stats()).inFlight[q.consumer], 1);
  loop.cancel();
  await assert.rejects(loop, CancelledError);
  assert.equal(await q.get(), "theirs");
  await q.taskDone(); // the top level's own now
  await q.join();
});

Deno.test("RedisQueue.taskDone() in a child task finishes the item its parent received", async () => {
  await using server = await startRedis();
  await using q = queue<string>(server, "child");
  await q.put("first");
  await q.put("second");
  const received = new Event();
  const other = createTask(async () => {
    const item = await q.get();
    received.set();
    await new Event().wait();
    return item;
  });
  await received.wait();
  await createTask(async () => {
    const item = await createTask(() => q.get()); // a helper task's item passes to its creator
    assert.equal(item, "second");
    await createTask(() => q.taskDone()); // the work, in a child task
  });
  const stats = await q.stats();
  assert.deepEqual([stats.unfinished, stats.held], [1, 1]); // the other loop's item stays
  other.cancel();
  await assert.rejects(other, CancelledError);
  const lease = await q.getLease();
  assert.deepEqual([lease.value, lease.deliveries], ["first", 2]);
  await lease.done();
  await q.join();
});

Deno.test("RedisQueue item of a task that fails goes back at once, its delivery counted, and dies after maxDeliveries", async () => {
  await using server = await startRedis();
  await using q = queue<string>(server, "poison", { maxDeliveries: 2, leaseMs: 60_000 });
  await q.put("poison");
  for (let attempt = 1; attempt <= 2; attempt++) {
    const worker = createTask(async () => {
      const item = await q.get();
      throw new Error(`cannot handle ${item}`);
    });
    await assert.rejects(worker, /cannot handle poison/);
  }
  const looking = createTask(() => q.get());
  for (let i = 0; (await q.stats()).deadLetters === 0; i++) {
    if (i > 500) throw new Error("the item never became a dead letter");
    await sleep(10);
  }
  looking.cancel();
  await assert.rejects(looking, CancelledError);
  const [dead] = await q.deadLetters();
  assert.deepEqual([dead.value, dead.deliveries], ["poison", 2]);
  await q.join();
});
