import assert from "node:assert/strict";
import { Barrier, BrokenBarrierError, CancelledError, createTask } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("Barrier rejects parties that are not an integer >= 1 with RangeError", () => {
  for (const bad of [0, -1, 1.5, NaN, "2" as unknown as number]) {
    assert.throws(() => new Barrier(bad), RangeError);
  }
});

Deno.test("Barrier lets everyone pass once all parties arrived, with arrival indices, and starts over", async () => {
  const barrier = new Barrier(3);
  for (let round = 0; round < 2; round++) {
    const a = createTask(() => barrier.wait());
    const b = createTask(() => barrier.wait());
    await settle();
    assert.equal(barrier.nWaiting, 2);
    assert.equal(waitingOn(a), "Barrier.wait");
    assert.equal(await barrier.wait(), 2);
    assert.deepEqual([await a, await b], [0, 1]);
    assert.equal(barrier.nWaiting, 0);
  }
});

Deno.test("Barrier.abort() fails the waiters and later calls with BrokenBarrierError until reset()", async () => {
  const barrier = new Barrier(2);
  const a = createTask(() => barrier.wait());
  await settle();
  await barrier.abort();
  await assert.rejects(a, BrokenBarrierError);
  assert.equal(barrier.broken, true);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  await barrier.reset();
  assert.deepEqual(barrier.stats(), { parties: 2, waiting: 0, broken: false });
  const b = createTask(() => barrier.wait());
  await settle();
  assert.equal(await barrier.wait(), 1);
  assert.equal(await b, 0);
});

Deno.test("Barrier.reset() fails the current waiters but leaves the barrier usable", async () => {
  const barrier = new Barrier(2);
  const a = createTask(() => barrier.wait());
  await settle();
  await barrier.reset();
  await assert.rejects(a, BrokenBarrierError);
  assert.equal(barrier.broken, false);
});

Deno.test("a task cancelled in Barrier.wait() no longer counts as arrived; the barrier is not broken", async () => {
  const barrier = new Barrier(3);
  const a = createTask(() => barrier.wait());
  const b = createTask(() => barrier.wait());
  await settle();
  a.cancel();
  await assert.rejects(a, CancelledError);
  assert.equal(barrier.nWaiting, 1);
  const c = createTask(() => barrier.wait());
  await settle();
  assert.equal(c.done(), false);
  assert.equal(await barrier.wait(), 2);
  assert.deepEqual([await b, await c], [0, 1]);
  assert.equal(barrier.broken, false);
});
