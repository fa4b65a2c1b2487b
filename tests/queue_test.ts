import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  InvalidStateError,
  LifoQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  sleep,
} from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("Queue rejects a NaN or fractional maxsize with RangeError; <= 0 is unbounded", () => {
  for (const bad of [NaN, 1.5, Infinity, "3" as unknown as number]) {
    assert.throws(() => new Queue(bad), RangeError);
  }
  assert.equal(new Queue(-3).maxsize, 0);
  const q = new Queue<number>();
  for (let i = 0; i < 1000; i++) q.putNowait(i);
  assert.equal(q.full(), false);
});

Deno.test("Queue is first in, first out; LifoQueue last in, first out", async () => {
  const fifo = new Queue<number>();
  const lifo = new LifoQueue<number>();
  for (const n of [1, 2, 3]) {
    await fifo.put(n);
    await lifo.put(n);
  }
  assert.deepEqual([await fifo.get(), fifo.getNowait(), await fifo.get()], [1, 2, 3]);
  assert.deepEqual([await lifo.get(), lifo.getNowait(), await lifo.get()], [3, 2, 1]);
  assert.ok(lifo instanceof Queue);
});

Deno.test("getNowait() on an empty queue throws QueueEmpty, putNowait() on a full one QueueFull", () => {
  const q = new Queue<number>(1);
  assert.throws(() => q.getNowait(), QueueEmpty);
  q.putNowait(1);
  assert.throws(() => q.putNowait(2), QueueFull);
  assert.deepEqual(q.stats(), {
    size: 1,
    maxsize: 1,
    getters: 0,
    putters: 0,
    unfinished: 1,
    shutDown: false,
  });
});

Deno.test("put() waits while full and get() while empty, both first come, first served", async () => {
  const q = new Queue<string>(1);
  q.putNowait("x");
  const putters = ["a", "b"].map((item) => createTask(() => q.put(item), { name: `put ${item}` }));
  await settle();
  assert.equal(waitingOn(putters[0]), "Queue.put");
  assert.equal(q.stats().putters, 2);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ["x", "a", "b"]);
  for (const task of putters) await task;
  const getters = [1, 2].map(() => createTask(() => q.get()));
  await settle();
  assert.equal(waitingOn(getters[0]), "Queue.get");
  await q.put("first");
  await q.put("second");
  assert.deepEqual([await getters[0], await getters[1]], ["first", "second"]);
});

Deno.test("taskDone() once too often throws InvalidStateError; join() waits for every taskDone()", async () => {
  const q = new Queue<number>();
  assert.throws(() => q.taskDone(), InvalidStateError);
  q.putNowait(1);
  q.putNowait(2);
  const joiner = createTask(() => q.join());
  await settle();
  assert.equal(waitingOn(joiner), "Queue.join");
  q.getNowait();
  q.taskDone();
  await settle();
  assert.equal(joiner.done(), false);
  q.getNowait();
  q.taskDone();
  await joiner;
  assert.throws(() => q.taskDone(), InvalidStateError);
  await q.join();
});

Deno.test("Queue.get() cancelled while waiting never consumes an item", async () => {
  const q = new Queue<string>();
  const getter = createTask(() => q.get());
  await settle();
  getter.cancel();
  await assert.rejects(getter, CancelledError);
  q.putNowait("kept");
  assert.equal(q.qsize(), 1);
  assert.equal(q.getNowait(), "kept");
});

Deno.test("an item handed to a getter cancelled in the same instant goes to the next getter", async () => {
  const q = new Queue<string>();
  const a = createTask(() => q.get(), { name: "a" });
  const b = createTask(() => q.get(), { name: "b" });
  await settle();
  q.putNowait("item");
  a.cancel();
  await assert.rejects(a, CancelledError);
  assert.equal(await b, "item");
  assert.equal(q.qsize(), 0);
});

Deno.test("an item handed to a getter cancelled in the same instant goes back to the front", async () => {
  const q = new Queue<number>(2);
  const a = createTask(() => q.get());
  await settle();
  q.putNowait(1);
  q.putNowait(2);
  a.cancel();
  await assert.rejects(a, CancelledError);
  assert.deepEqual([q.getNowait(), q.getNowait()], [1, 2]);
  const lifo = new LifoQueue<number>();
  const b = createTask(() => lifo.get());
  await settle();
  lifo.putNowait(1);
  b.cancel();
  await assert.rejects(b, CancelledError);
  assert.equal(lifo.getNowait(), 1);
});

Deno.test("Queue.put() cancelled never inserts, even when space came in the same instant", async () => {
  const q = new Queue<string>(1);
  q.putNowait("x");
  const waiting = createTask(() => q.put("cancelled while waiting"));
  await settle();
  waiting.cancel();
  await assert.rejects(waiting, CancelledError);
  const p = createTask(() => q.put("cancelled when granted"));
  const next = createTask(() => q.put("next"));
  await settle();
  assert.equal(q.getNowait(), "x");
  p.cancel();
  await assert.rejects(p, CancelledError);
  await next;
  assert.equal(q.getNowait(), "next");
  assert.equal(q.qsize(), 0);
  assert.equal(q.stats().unfinished, 2);
});

Deno.test("shutdown() wakes blocked getters and putters with QueueShutDown; items already queued can still be read", async () => {
  const q = new Queue<number>(1);
  const getter = createTask(() => q.get());
  await settle();
  q.shutdown();
  await assert.rejects(getter, QueueShutDown);
  const full = new Queue<number>(1);
  full.putNowait(1);
  const putter = createTask(() => full.put(2));
  await settle();
  full.shutdown();
  await assert.rejects(putter, QueueShutDown);
  await assert.rejects(full.put(3), QueueShutDown);
  assert.throws(() => full.putNowait(3), QueueShutDown);
  assert.equal(await full.get(), 1);
  await assert.rejects(full.get(), QueueShutDown);
  assert.throws(() => full.getNowait(), QueueShutDown);
});

Deno.test("shutdown(true) drops the queued items, counts them done, and join() returns", async () => {
  const q = new Queue<number>();
  for (const n of [1, 2, 3]) q.putNowait(n);
  q.getNowait(); // taken, not done yet
  const joiner = createTask(() => q.join());
  await settle();
  q.shutdown(true);
  assert.equal(q.qsize(), 0);
  await assert.rejects(q.get(), QueueShutDown);
  await settle();
  assert.equal(joiner.done(), false); // the taken item is not done
  q.taskDone();
  await joiner;
});

Deno.test("shutdown(true) after taskDone() ran ahead of get() leaves nothing unfinished", async () => {
  const q = new Queue<number>();
  q.putNowait(1);
  q.putNowait(2);
  q.taskDone(); // marked done before anyone took it
  q.shutdown(true);
  assert.deepEqual([q.qsize(), q.stats().unfinished], [0, 0]);
  assert.throws(() => q.taskDone(), InvalidStateError);
  await q.join();
});

Deno.test("for await (const item of queue) ends after the last item once shut down", async () => {
  const q = new Queue<number>(2);
  const consumer = createTask(async () => {
    const seen: number[] = [];
    for await (const item of q) {
      seen.push(item);
      q.taskDone();
    }
    return seen;
  });
  for (let i = 0; i < 10; i++) await q.put(i);
  await q.join();
  q.shutdown();
  assert.deepEqual(await consumer, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("Queue get/put stay O(1) on a large queue (draining 10x the items takes about 10x, not 100x)", () => {
  const drain = (n: number) => {
    const q = new Queue<number>();
    for (let i = 0; i < n; i++) q.putNowait(i);
    const start = performance.now();
    for (let i = 0; i < n; i++) q.getNowait();
    return performance.now() - start;
  };
  drain(20_000); // warm up
  const small = Math.max(drain(20_000), 0.5);
  const large = drain(200_000);
  assert.ok(large / small < 40, `20k: ${small} ms, 200k: ${large} ms`);
});

Deno.test("a task cancelled at any moment after its get() was handed the item never loses it", async () => {
  for (let hops = 0; hops < 8; hops++) {
    const queue = new Queue<string>();
    const task = createTask(() => queue.get());
    await sleep(0);
    queue.putNowait("item");
    let cancelAt: Promise<void> = Promise.resolve();
    for (let i = 0; i < hops; i++) cancelAt = cancelAt.then(() => {});
    await cancelAt.then(() => task.cancel());
    const outcome = await task.then((value) => ({ value }), (error) => ({ error }));
    if ("value" in outcome) {
      assert.equal(outcome.value, "item", `after ${hops} hops`);
      assert.equal(queue.qsize(), 0, `after ${hops} hops`);
    } else {
      assert.ok(outcome.error instanceof CancelledError, `after ${hops} hops`);
      assert.equal(queue.getNowait(), "item", `after ${hops} hops: the item must be back`);
    }
  }
});
