import assert from "node:assert/strict";
import { CancelledError, createTask, InvalidStateError, QueueShutDown, sleep } from "../../mod.ts";
import { RedisQueue, type RedisQueueOptions } from "../../redis.ts";
import { waitingOn } from "../_sync_helpers.ts";
import { type RedisServer, startRedis } from "./_server.ts";

/** Wait (really: Redis runs in another process) until `check` holds. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function queue<T>(server: RedisServer, name: string, options: RedisQueueOptions = {}) {
  return new RedisQueue<T>(name, { url: server.url, ...options });
}

Deno.test("RedisQueue items put in one process are taken first in, first out in another", async () => {
  await using server = await startRedis();
  await using producer = queue<{ n: number }>(server, "fifo");
  await using consumer = queue<{ n: number }>(server, "fifo");
  for (const n of [1, 2, 3]) await producer.put({ n });
  assert.equal(await producer.qsize(), 3);
  const seen = [await consumer.get(), await consumer.get(), await consumer.get()];
  assert.deepEqual(seen, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  const stats = await producer.stats();
  assert.equal(stats.size, 0);
  assert.equal(stats.unfinished, 3);
  assert.deepEqual(stats.inFlight, { [consumer.consumer]: 3 });
  for (let i = 0; i < 3; i++) await consumer.taskDone();
  await producer.join();
  assert.equal((await producer.stats()).unfinished, 0);
});

Deno.test("RedisQueue.join() in one process waits until a consumer elsewhere is done", async () => {
  await using server = await startRedis();
  await using producer = queue<string>(server, "join");
  await using consumer = queue<string>(server, "join");
  await producer.put("job");
  let joined = false;
  const joining = producer.join().then(() => (joined = true));
  assert.equal(await consumer.get(), "job");
  await sleep(50);
  assert.equal(joined, false);
  await consumer.taskDone();
  await joining;
  assert.equal(joined, true);
});

Deno.test("RedisQueue.join() cancelled while waiting rejects with CancelledError", async () => {
  await using server = await startRedis();
  await using q = queue<number>(server, "join-cancel");
  await q.put(1);
  const joiner = createTask(() => q.join());
  await eventually(() => waitingOn(joiner) === "redis queue join-cancel", "the joiner to wait");
  joiner.cancel();
  await assert.rejects(joiner, CancelledError);
  assert.equal((await q.stats()).unfinished, 1);
});

Deno.test("RedisQueue.get() cancelled while waiting consumes nothing and shows in the monitor", async () => {
  await using server = await startRedis();
  await using a = queue<number>(server, "cancel");
  await using b = queue<number>(server, "cancel");
  const getter = createTask(() => a.get());
  await eventually(() => waitingOn(getter) === "redis queue cancel", "the getter to wait");
  getter.cancel();
  await assert.rejects(getter, CancelledError);
  await b.put(1);
  const lease = await b.getLease();
  assert.equal(lease.value, 1);
  assert.equal(lease.deliveries, 1);
  await lease.done();
  assert.equal((await b.stats()).redeliveries, 0);
});

Deno.test("RedisQueue.get() cancelled as its item arrives hands the item back, uncounted", async () => {
  await using server = await startRedis();
  await using a = queue<number>(server, "race");
  await using b = queue<number>(server, "race");
  for (let round = 0; round < 10; round++) {
    const getter = createTask(() => a.get());
    await eventually(() => waitingOn(getter) === "redis queue race", "the getter to wait");
    await b.put(round);
    await sleep(round % 3); // cancel before, as or after the item reaches the getter
    getter.cancel();
    const got = await getter.then((value) => ({ value }), (error) => ({ error }));
    if ("value" in got) {
      assert.equal(got.value, round);
      await a.taskDone();
      continue;
    }
    assert.ok(got.error instanceof CancelledError);
    const lease = await b.getLease();
    assert.deepEqual([lease.value, lease.deliveries], [round, 1]);
    await lease.done();
  }
  const stats = await b.stats();
  assert.deepEqual([stats.unfinished, stats.redeliveries, stats.size], [0, 0, 0]);
});

Deno.test("RedisQueue item whose lease runs out goes to another consumer", async () => {
  await using server = await startRedis();
  await using slow = queue<string>(server, "lease", { leaseMs: 150 });
  await using other = queue<string>(server, "lease", { leaseMs: 150 });
  await slow.put("job");
  assert.equal(await slow.get(), "job");
  const lease = await other.getLease(); // waits until the lease has run out
  assert.deepEqual([lease.value, lease.deliveries], ["job", 2]);
  assert.equal((await other.stats()).redeliveries, 1);
  await lease.done();
  await slow.taskDone(); // late: harmless, already done
  assert.equal((await other.stats()).unfinished, 0);
});

Deno.test("RedisQueue Lease.extend() keeps an item past leaseMs", async () => {
  await using server = await startRedis();
  await using holder = queue<string>(server, "extend", { leaseMs: 300 });
  await using other = queue<string>(server, "extend", { leaseMs: 300 });
  await holder.put("long job");
  const lease = await holder.getLease();
  const stolen = other.getLease();
  for (let i = 0; i < 6; i++) {
    await sleep(100);
    assert.equal(await lease.extend(), true);
  }
  await lease.done();
  await other.put("next");
  assert.equal((await stolen).value, "next");
  assert.equal((await other.stats()).redeliveries, 0);
  await other.taskDone();
});

Deno.test("RedisQueue moves an item to the dead-letter stream after maxDeliveries", async () => {
  await using server = await startRedis();
  const options = { leaseMs: 100, maxDeliveries: 2 };
  await using a = queue<{ id: number }>(server, "dead", { ...options, consumer: "a" });
  await using b = queue<{ id: number }>(server, "dead", { ...options, consumer: "b" });
  await a.put({ id: 7 });
  assert.equal((await a.getLease()).deliveries, 1); // never done
  assert.equal((await b.getLease()).deliveries, 2); // never done either
  // The next consumer to look for work moves it instead of taking it.
  const looking = createTask(() => a.get());
  await eventually(async () => (await a.stats()).deadLetters === 1, "the dead letter");
  await a.join(); // a dead letter counts as done
  looking.cancel();
  await assert.rejects(looking, CancelledError);
  const [dead] = await a.deadLetters();
  assert.deepEqual(dead, { id: dead.id, value: { id: 7 }, deliveries: 2, consumer: "b" });
  const stats = await a.stats();
  assert.deepEqual([stats.deadLetters, stats.redeliveries, stats.unfinished], [1, 1, 0]);
  await assert.rejects(() => a.deadLetters(0), RangeError);
});

Deno.test("RedisQueue maxsize makes a producer wait until a consumer elsewhere takes an item", async () => {
  await using server = await startRedis();
  await using producer = queue<number>(server, "bounded", { maxsize: 2 });
  await using consumer = queue<number>(server, "bounded");
  await producer.put(1);
  await producer.put(2);
  let third = false;
  const putting = producer.put(3).then(() => (third = true));
  await sleep(100);
  assert.equal(third, false);
  assert.equal(await producer.qsize(), 2);
  assert.equal(await consumer.get(), 1);
  await putting;
  assert.equal(await producer.qsize(), 2); // 2 and 3; 1 is in flight
});

Deno.test("RedisQueue.put() cancelled while the queue is full inserts nothing", async () => {
  await using server = await startRedis();
  await using producer = queue<number>(server, "cancel-put", { maxsize: 1 });
  await producer.put(1);
  const putter = createTask(() => producer.put(2));
  await eventually(() => waitingOn(putter) === "redis queue cancel-put", "the putter to wait");
  putter.cancel();
  await assert.rejects(putter, CancelledError);
  assert.equal(await producer.get(), 1);
  await producer.taskDone();
  await sleep(50);
  const stats = await producer.stats();
  assert.deepEqual([stats.size, stats.unfinished], [0, 0]);
});

Deno.test("RedisQueue.shutdown() ends every process's loop once the items are done", async () => {
  await using server = await startRedis();
  await using producer = queue<number>(server, "shutdown");
  const workers = [queue<number>(server, "shutdown"), queue<number>(server, "shutdown")];
  const done: number[] = [];
  const loops = workers.map((worker) =>
    createTask(async () => {
      for await (const n of worker) {
        await sleep(5);
        done.push(n);
        await worker.taskDone();
      }
    })
  );
  for (let n = 0; n < 20; n++) await producer.put(n);
  await producer.shutdown();
  await assert.rejects(() => producer.put(99), QueueShutDown);
  await Promise.all(loops);
  assert.deepEqual(done.sort((x, y) => x - y), Array.from({ length: 20 }, (_, n) => n));
  for (const worker of workers) await worker.close();
});

Deno.test("RedisQueue.shutdown(true) drops the queued items, counted as done", async () => {
  await using server = await startRedis();
  await using q = queue<number>(server, "immediate");
  for (let n = 0; n < 5; n++) await q.put(n);
  assert.equal(await q.get(), 0);
  await q.shutdown(true);
  await assert.rejects(() => q.get(), QueueShutDown);
  assert.equal(await q.qsize(), 0);
  assert.equal((await q.stats()).unfinished, 1);
  await q.taskDone();
  await q.join();
});

Deno.test("RedisQueue.destroy() starts the queue over, shut down or not", async () => {
  await using server = await startRedis();
  await using q = queue<number>(server, "destroy");
  await q.put(1);
  await q.shutdown();
  await assert.rejects(() => q.put(2), QueueShutDown);
  await q.destroy();
  const stats = await q.stats();
  assert.deepEqual([stats.size, stats.unfinished, stats.shutDown], [0, 0, false]);
  await q.put(3);
  assert.equal(await q.get(), 3);
  await q.taskDone();
});

Deno.test("RedisQueue.close() hands back the items it holds, to another consumer at once", async () => {
  await using server = await startRedis();
  await using stays = queue<string>(server, "close");
  const leaves = queue<string>(server, "close");
  await stays.put("held");
  assert.equal(await leaves.get(), "held");
  await leaves.close();
  await assert.rejects(() => leaves.get(), QueueShutDown);
  const lease = await stays.getLease();
  assert.deepEqual([lease.value, lease.deliveries], ["held", 1]);
  await lease.done();
});

Deno.test("RedisQueue.close() ends this instance's waiting get() with QueueShutDown", async () => {
  await using server = await startRedis();
  const q = queue<string>(server, "close-wait");
  const getter = createTask(() => q.get());
  await eventually(() => waitingOn(getter) === "redis queue close-wait", "the getter to wait");
  await q.close();
  await assert.rejects(getter, QueueShutDown);
});

Deno.test("RedisQueue leases finish in any order; misuse is InvalidStateError", async () => {
  await using server = await startRedis();
  await using q = queue<string>(server, "leases");
  assert.throws(() => q.taskDone(), InvalidStateError);
  await q.put("a");
  await q.put("b");
  const a = await q.getLease();
  const b = await q.getLease();
  await b.done();
  assert.throws(() => b.done(), InvalidStateError);
  await assert.rejects(() => b.extend(), InvalidStateError);
  await a.release();
  assert.throws(() => a.release(), InvalidStateError);
  const again = await q.getLease();
  assert.deepEqual([again.value, again.deliveries], ["a", 1]);
  await q.taskDone(); // the oldest held: again
  assert.equal(again.state, "done");
  await q.join();
});

Deno.test("RedisQueue.put() of a value JSON cannot carry is a TypeError and writes nothing", async () => {
  await using server = await startRedis();
  await using q = queue<unknown>(server, "encode");
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const bad = [undefined, () => 1, 1n, NaN, new Date(), new Map(), { a: [1, Symbol()] }, cyclic];
  for (const item of bad) {
    await assert.rejects(() => q.put(item), TypeError);
  }
  await assert.rejects(() => q.put({ a: [1, undefined] }), /item\.a\[1\] is a undefined/);
  const stats = await q.stats();
  assert.deepEqual([stats.size, stats.unfinished], [0, 0]);
  await q.put({ ok: [1, "two", null, true, { nested: 3.5 }] });
  assert.deepEqual(await q.get(), { ok: [1, "two", null, true, { nested: 3.5 }] });
  await q.taskDone();
});

Deno.test("RedisQueue rejects bad arguments naming them", () => {
  assert.throws(() => new RedisQueue(""), /name must be a non-empty string/);
  assert.throws(() => new RedisQueue("q", { url: "http://127.0.0.1" }), TypeError);
  assert.throws(() => new RedisQueue("q", { url: "not a url" }), /url must be a redis:/);
  assert.throws(() => new RedisQueue("q", { leaseMs: 0 }), /leaseMs must be an integer >= 1/);
  assert.throws(() => new RedisQueue("q", { maxDeliveries: 1.5 }), RangeError);
  assert.throws(() => new RedisQueue("q", { maxsize: NaN }), /maxsize must be an integer/);
});

Deno.test("RedisQueue on an unreachable server fails with a clear error within the timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await using q = new RedisQueue<number>("nowhere", {
    url: `redis://127.0.0.1:${port}`,
    connectTimeoutMs: 300,
  });
  const started = performance.now();
  await assert.rejects(
    () => q.put(1),
    /cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+ within 300 ms/,
  );
  assert.ok(performance.now() - started < 5_000);
  await assert.rejects(() => q.get(), /cannot connect/);
});

Deno.test("RedisQueue survives a server restart: retried with backoff, said once", async () => {
  await using server = await startRedis();
  const said: string[] = [];
  await using q = queue<number>(server, "restart", { log: (line) => said.push(line) });
  const saidToo: string[] = []; // a second queue, with a blocking connection as well
  await using waiting = queue<number>(server, "restart", { log: (line) => saidToo.push(line) });
  await q.put(1);
  assert.equal(await q.get(), 1);
  await q.taskDone();
  const getter = createTask(() => waiting.get());
  await eventually(() => waitingOn(getter) === "redis queue restart", "the getter to wait");
  await sleep(50); // blocked in its read when the server goes
  await server.restart(); // the data is gone too: no persistence
  await q.put(2);
  assert.equal(await getter, 2);
  await waiting.taskDone();
  await q.join();
  assert.equal(said.length, 1);
  assert.equal(saidToo.length, 1);
  assert.match(said[0], /lost the connection to redis:\/\/127\.0\.0\.1:\d+.*retrying with backoff/);
});

Deno.test("RedisQueue.get() started while the server is down waits until it is back", async () => {
  await using server = await startRedis();
  const said: string[] = [];
  await using q = queue<number>(server, "outage", { log: (line) => said.push(line) });
  await q.put(1);
  assert.equal(await q.get(), 1);
  await q.taskDone();
  await server.stop();
  const getter = createTask(() => q.get());
  await sleep(300);
  assert.equal(getter.done(), false);
  await server.restart();
  await using producer = queue<number>(server, "outage");
  await producer.put(2);
  assert.equal(await getter, 2);
  await q.taskDone();
  assert.equal(said.length, 1);
});
