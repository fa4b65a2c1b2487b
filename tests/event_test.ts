import assert from "node:assert/strict";
import { CancelledError, createTask, Event } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

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
