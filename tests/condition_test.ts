import assert from "node:assert/strict";
import { CancelledError, Condition, createTask, InvalidStateError, Lock } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("Condition.wait(), notify() and notifyAll() without the lock throw InvalidStateError", async () => {
  const cond = new Condition();
  await assert.rejects(cond.wait(), InvalidStateError);
  assert.throws(() => cond.notify(), InvalidStateError);
  assert.throws(() => cond.notifyAll(), InvalidStateError);
  assert.throws(() => new Condition({} as Lock), TypeError);
  await cond.acquire();
  assert.throws(() => cond.notify(-1), RangeError);
  assert.throws(() => cond.notify(1.5), RangeError);
  cond.release();
});

Deno.test("Condition.notify(n) wakes n waiters first come, first served, each holding the lock again", async () => {
  const lock = new Lock();
  const cond = new Condition(lock);
  const woke: string[] = [];
  const waiter = (name: string) =>
    createTask(async () => {
      using _ = await cond.acquire();
      await cond.wait();
      assert.equal(lock.locked(), true);
      woke.push(name);
    }, { name });
  const tasks = ["a", "b", "c"].map(waiter);
  await settle();
  assert.equal(cond.stats().waiters, 3);
  assert.equal(waitingOn(tasks[0]), "Condition.wait");
  {
    using _ = await cond.acquire();
    cond.notify(2);
  }
  await settle();
  assert.deepEqual(woke, ["a", "b"]);
  {
    using _ = await cond.acquire();
    cond.notifyAll();
  }
  for (const task of tasks) await task;
  assert.deepEqual(woke, ["a", "b", "c"]);
  assert.equal(lock.locked(), false);
});

Deno.test("Condition.waitFor() resolves with the predicate's truthy value", async () => {
  const cond = new Condition();
  let stock = 0;
  const consumer = createTask(async () => {
    using _ = await cond.acquire();
    return await cond.waitFor(() => stock >= 2 && `stock ${stock}`);
  });
  for (let i = 0; i < 2; i++) {
    await settle();
    using _ = await cond.acquire();
    stock++;
    cond.notifyAll();
  }
  assert.equal(await consumer, "stock 2");
});

Deno.test("Condition.wait() cancelled takes the lock back before the CancelledError arrives", async () => {
  const cond = new Condition();
  let heldWhenCancelled: boolean | undefined;
  const waiter = createTask(async () => {
    using _ = await cond.acquire();
    try {
      await cond.wait();
    } catch (error) {
      heldWhenCancelled = cond.locked();
      throw error;
    }
  });
  await settle();
  const blocker = await cond.acquire(); // the waiter must wait for this to re-acquire
  waiter.cancel();
  await settle();
  assert.equal(waiter.done(), false);
  assert.equal(waitingOn(waiter), "Condition.wait");
  blocker[Symbol.dispose]();
  await assert.rejects(waiter, CancelledError);
  assert.equal(heldWhenCancelled, true);
  assert.equal(cond.locked(), false);
});

Deno.test("a notification received by a waiter cancelled in the same instant is passed on", async () => {
  const cond = new Condition();
  const start = (name: string) =>
    createTask(async () => {
      using _ = await cond.acquire();
      await cond.wait();
      return name;
    }, { name });
  const a = start("a");
  const b = start("b");
  await settle();
  {
    using _ = await cond.acquire();
    cond.notify(1);
    a.cancel();
  }
  await assert.rejects(a, CancelledError);
  assert.equal(await b, "b");
  assert.deepEqual(cond.stats(), { locked: false, waiters: 0 });
});
