import assert from "node:assert/strict";
import { CancelledError, createTask, Event, timeout, TimeoutError } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

/** A task per key, named `w<key>`, that waits for `event` and then adds its key to `woke`. */
function waitInOrder<K>(event: Event, keys: K[], woke: K[]) {
  return keys.map((key) =>
    createTask(async () => {
      await event.wait();
      woke.push(key);
    }, { name: `w${key}` })
  );
}

Deno.test("Event.set() wakes every waiter, in arrival order", async () => {
  const event = new Event();
  const woke: number[] = [];
  const tasks = [1, 2, 3].map((n) =>
    createTask(async () => woke.push(n, Number(await event.wait())))
  );
  await settle();
  assert.deepEqual(woke, []);
  assert.equal(event.stats().waiters, 3);
  event.set();
  for (const task of tasks) await task;
  assert.deepEqual(woke, [1, 1, 2, 1, 3, 1]);
});

Deno.test("Event.wait() returns at once while set, and waits again after clear()", async () => {
  const event = new Event();
  event.set();
  assert.equal(await event.wait(), true);
  event.clear();
  assert.equal(event.isSet(), false);
  const waiter = createTask(() => event.wait());
  await settle();
  assert.equal(waiter.done(), false);
  assert.equal(waitingOn(waiter), "Event.wait");
  event.set();
  assert.equal(await waiter, true);
});

Deno.test("Event.wait() cancelled leaves the other waiters waiting", async () => {
  const event = new Event();
  const a = createTask(() => event.wait());
  const b = createTask(() => event.wait());
  await settle();
  a.cancel();
  await assert.rejects(a, CancelledError);
  assert.deepEqual(event.stats(), { set: false, waiters: 1 });
  event.set();
  assert.equal(await b, true);
});

Deno.test("Event.wait() cancelled in a crowd: the others keep their place in line", async () => {
  const event = new Event();
  const woke: number[] = [];
  const tasks = waitInOrder(event, [...Array(100).keys()], woke);
  await settle();
  const cancelled = [5, 40, 41, 99];
  for (const n of cancelled) {
    tasks[n].cancel();
    await settle();
  }
  assert.equal(event.stats().waiters, 96);
  for (const n of cancelled) {
    const error = await tasks[n].then(() => null, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.taskName, `w${n}`);
  }
  assert.equal(woke.length, 0);
  event.set();
  await Promise.allSettled(tasks);
  assert.deepEqual(woke, [...Array(100).keys()].filter((n) => !cancelled.includes(n)));
});

Deno.test("Event.wait(): a cancellation after set(), before the waiter resumed, still wins", async () => {
  const event = new Event();
  const a = createTask(() => event.wait());
  const b = createTask(() => event.wait());
  await settle();
  event.set();
  a.cancel();
  await assert.rejects(a, CancelledError);
  assert.equal(await b, true);
});

Deno.test("Event.wait(): set() and clear() just after a neighbour's cancellation wake the rest", async () => {
  const event = new Event();
  const a = createTask(() => event.wait());
  const b = createTask(() => event.wait());
  const outside = event.wait();
  await settle();
  a.cancel();
  event.set();
  event.clear();
  await assert.rejects(a, CancelledError);
  assert.equal(await b, true);
  assert.equal(await outside, true);
});

Deno.test("Event.wait() twice in one task: cancelling the task rejects both", async () => {
  const event = new Event();
  const task = createTask(() => Promise.allSettled([event.wait(), event.wait(), event.wait()]));
  const other = createTask(() => event.wait());
  await settle();
  assert.equal(event.stats().waiters, 4);
  task.cancel();
  const results = await task.then((r) => r, () => "task rejected");
  assert.ok(Array.isArray(results));
  for (const result of results) {
    assert.equal(result.status, "rejected");
    assert.ok((result as PromiseRejectedResult).reason instanceof CancelledError);
  }
  assert.equal(event.stats().waiters, 1);
  event.set();
  assert.equal(await other, true);
});

Deno.test("Event.wait() in a timeout times out alone; the crowd waits on", async () => {
  const event = new Event();
  const crowd = Array.from({ length: 40 }, () => createTask(() => event.wait()));
  const timed = createTask(() => timeout(5, () => event.wait()));
  await assert.rejects(timed, TimeoutError);
  assert.equal(event.stats().waiters, 40);
  event.set();
  assert.deepEqual(await Promise.all(crowd), crowd.map(() => true));
});

Deno.test("Event.wait(): cancelling every waiter one by one leaves the event as new", async () => {
  const event = new Event();
  const tasks = Array.from({ length: 200 }, () => createTask(() => event.wait()));
  await settle();
  for (const task of tasks) {
    task.cancel();
    await settle();
  }
  for (const task of tasks) await assert.rejects(task, CancelledError);
  assert.deepEqual(event.stats(), { set: false, waiters: 0 });
  const late = createTask(() => event.wait());
  await settle();
  assert.equal(waitingOn(late), "Event.wait");
  event.set();
  assert.equal(await late, true);
});

Deno.test("Event.wait(): a cancellation just before set() keeps the others in arrival order", async () => {
  for (const gap of [0, 1, 2, 3, 4]) {
    const event = new Event();
    const order: number[] = [];
    const tasks = waitInOrder(event, [...Array(70).keys()], order);
    await settle();
    tasks[35].cancel(); // in the second group
    tasks[3].cancel(); // and in the first, one microtask apart
    for (let i = 0; i < gap; i++) await Promise.resolve();
    tasks[69].cancel();
    event.set();
    await Promise.allSettled(tasks);
    const expected = [...Array(70).keys()].filter((n) => ![3, 35, 69].includes(n));
    assert.deepEqual(order, expected, `${gap} microtasks between the cancellations and set()`);
  }
});

Deno.test("Event.wait(): the waiters of a second set() resume after those of the first", async () => {
  for (const settled of [false, true]) {
    const event = new Event();
    const order: string[] = [];
    const tasks = waitInOrder(event, ["a", "b", "c"], order);
    await settle();
    tasks[1].cancel();
    if (settled) await settle(); // the others have waited again: deeper than a new waiter
    event.set();
    event.clear();
    const late = event.wait().then(() => order.push("late"));
    event.set();
    await Promise.allSettled([...tasks, late]);
    assert.deepEqual(order, ["a", "c", "late"], settled ? "after a settled cancel" : "right after");
  }
});
