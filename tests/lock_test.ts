import assert from "node:assert/strict";
import { CancelledError, createTask, currentTask, InvalidStateError, Lock, sleep } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("Lock serves waiters first come, first served and never lets two in", async () => {
  const lock = new Lock();
  const log: string[] = [];
  let inside = 0;
  const worker = async (name: string) => {
    using _ = await lock.acquire();
    assert.equal(++inside, 1);
    log.push(name);
    await sleep(1);
    inside--;
  };
  const tasks = ["a", "b", "c", "d"].map((name) => createTask(() => worker(name)));
  for (const task of tasks) await task;
  assert.deepEqual(log, ["a", "b", "c", "d"]);
  assert.equal(lock.locked(), false);
});

Deno.test("using _ = await lock.acquire() releases at block end, also when the block throws", async () => {
  const lock = new Lock();
  {
    using _ = await lock.acquire();
    assert.equal(lock.locked(), true);
  }
  assert.equal(lock.locked(), false);
  await assert.rejects(async () => {
    using _ = await lock.acquire();
    throw new Error("boom");
  }, /boom/);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock.release() of an unlocked lock throws InvalidStateError", () => {
  assert.throws(() => new Lock().release(), InvalidStateError);
});

Deno.test("disposing after a manual release() does not release the next holder's lock", async () => {
  const lock = new Lock();
  const first = await lock.acquire();
  lock.release();
  const second = await lock.acquire();
  first[Symbol.dispose]();
  assert.equal(lock.locked(), true);
  second[Symbol.dispose]();
  assert.equal(lock.locked(), false);
});

Deno.test("Lock.acquire() cancelled while waiting never acquires and shows as Lock.acquire", async () => {
  const lock = new Lock();
  await lock.acquire();
  const b = createTask(() => lock.acquire(), { name: "b" });
  const c = createTask(async () => {
    using _ = await lock.acquire();
    return "c had it";
  });
  await settle();
  assert.equal(waitingOn(b), "Lock.acquire");
  assert.equal(lock.stats().waiters, 2);
  b.cancel();
  await assert.rejects(b, CancelledError);
  assert.equal(lock.stats().waiters, 1);
  lock.release();
  assert.equal(await c, "c had it");
  assert.equal(lock.locked(), false);
});

Deno.test("a lock handed to a waiter cancelled in the same instant passes on to the next", async () => {
  const lock = new Lock();
  await lock.acquire();
  // b's body ends right after acquire(): if b kept the lock, nobody would release it.
  const b = createTask(() => lock.acquire(), { name: "b" });
  const c = createTask(async () => {
    using _ = await lock.acquire();
    return lock.stats().holder?.name;
  }, { name: "c" });
  await settle();
  lock.release();
  b.cancel();
  await assert.rejects(b, CancelledError);
  assert.equal(await c, "c");
  assert.equal(lock.locked(), false);
});

Deno.test("a lock handed over and cancelled with no other waiter becomes free", async () => {
  const lock = new Lock();
  await lock.acquire();
  const b = createTask(() => lock.acquire());
  await settle();
  lock.release();
  assert.equal(lock.locked(), true); // handed to b, which has not resumed yet
  b.cancel();
  await assert.rejects(b, CancelledError);
  assert.equal(lock.locked(), false);
  assert.deepEqual(lock.stats(), { locked: false, holder: undefined, waiters: 0 });
});

Deno.test("a task with a pending cancellation does not take a free lock", async () => {
  const lock = new Lock();
  const task = createTask(async () => {
    currentTask()?.cancel(); // pending: this body has not reached a library await yet
    await lock.acquire();
  });
  await assert.rejects(task, CancelledError);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock.stats() names the holding task and counts the waiters", async () => {
  const lock = new Lock();
  const holder = createTask(async () => {
    using _ = await lock.acquire();
    await sleep(5);
  }, { name: "holder" });
  const waiter = createTask(async () => {
    using _ = await lock.acquire();
  });
  await settle();
  const stats = lock.stats();
  assert.equal(stats.locked, true);
  assert.equal(stats.holder, holder);
  assert.equal(stats.waiters, 1);
  await holder;
  await waiter;
  assert.equal(lock.stats().locked, false);
});
