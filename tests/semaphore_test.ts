import assert from "node:assert/strict";
import {
  BoundedSemaphore,
  CancelledError,
  createTask,
  InvalidStateError,
  Semaphore,
  sleep,
} from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("Semaphore rejects a negative, fractional or non-number value with RangeError", () => {
  for (const bad of [-1, 1.5, NaN, Infinity, "2" as unknown as number]) {
    assert.throws(() => new Semaphore(bad), RangeError, String(bad));
    assert.throws(() => new BoundedSemaphore(bad), RangeError, String(bad));
  }
  assert.equal(new Semaphore().value, 1);
  assert.equal(new Semaphore(0).locked(), true);
});

Deno.test("Semaphore(2) lets two of four in at once, in arrival order", async () => {
  const sem = new Semaphore(2);
  const entered: number[] = [];
  let inside = 0;
  let most = 0;
  const tasks = [1, 2, 3, 4].map((n) =>
    createTask(async () => {
      using _ = await sem.acquire();
      entered.push(n);
      most = Math.max(most, ++inside);
      await sleep(2);
      inside--;
    })
  );
  for (const task of tasks) await task;
  assert.equal(most, 2);
  assert.deepEqual(entered, [1, 2, 3, 4]);
  assert.deepEqual(sem.stats(), { value: 2, waiters: 0 });
});

Deno.test("using a semaphore permit releases it once, also when the block throws", async () => {
  const sem = new Semaphore(1);
  await assert.rejects(async () => {
    using _ = await sem.acquire();
    throw new Error("boom");
  }, /boom/);
  assert.equal(sem.value, 1);
  const permit = await sem.acquire();
  permit[Symbol.dispose]();
  permit[Symbol.dispose]();
  assert.equal(sem.value, 1);
});

Deno.test("BoundedSemaphore.release() above the initial value throws InvalidStateError", async () => {
  const sem = new BoundedSemaphore(2);
  assert.throws(() => sem.release(), InvalidStateError);
  await sem.acquire();
  sem.release();
  assert.throws(() => sem.release(), InvalidStateError);
  assert.equal(sem.value, 2);
  const plain = new Semaphore(1);
  plain.release();
  assert.equal(plain.value, 2); // an unbounded semaphore may grow, as in asyncio
});

Deno.test("Semaphore.acquire() cancelled while waiting takes no permit and shows as Semaphore.acquire", async () => {
  const sem = new Semaphore(0);
  const waiter = createTask(() => sem.acquire());
  await settle();
  assert.equal(waitingOn(waiter), "Semaphore.acquire");
  waiter.cancel();
  await assert.rejects(waiter, CancelledError);
  sem.release();
  assert.deepEqual(sem.stats(), { value: 1, waiters: 0 });
});

Deno.test("a permit handed to a waiter cancelled in the same instant passes on", async () => {
  const sem = new BoundedSemaphore(1);
  await sem.acquire();
  const b = createTask(() => sem.acquire());
  const c = createTask(async () => {
    using _ = await sem.acquire();
    return "c";
  });
  await settle();
  sem.release();
  b.cancel();
  await assert.rejects(b, CancelledError);
  assert.equal(await c, "c");
  assert.equal(sem.value, 1);
  // and with nobody else waiting, the permit goes back to the semaphore
  await sem.acquire();
  const d = createTask(() => sem.acquire());
  await settle();
  sem.release();
  d.cancel();
  await assert.rejects(d, CancelledError);
  assert.equal(sem.value, 1);
  assert.throws(() => sem.release(), InvalidStateError);
});
