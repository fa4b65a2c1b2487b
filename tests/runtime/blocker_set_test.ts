import assert from "node:assert/strict";
import { BlockerSet } from "../../lib/runtime/blocker_set.ts";
import type { Blocker } from "../../lib/runtime/blocker.ts";
import { createTask, Semaphore } from "../../mod.ts";
import { snapshot } from "../../monitor.ts";

function blocker(label: string): Blocker {
  return { label, blockSlot: -1, cancel() {} };
}

Deno.test("BlockerSet adds each blocker once and removes any of them, in any order", () => {
  const set = new BlockerSet();
  const blockers = Array.from({ length: 5 }, (_, i) => blocker(`b${i}`));
  for (const b of blockers) set.add(b);
  set.add(blockers[2]);
  assert.equal(set.size, 5);
  assert.equal(set.any(), blockers[0]);
  set.delete(blockers[0]);
  set.delete(blockers[0]);
  set.delete(blockers[3]);
  assert.equal(set.size, 3);
  assert.deepEqual(set.toArray().map((b) => b.label).sort(), ["b1", "b2", "b4"]);
  for (const b of blockers) assert.equal(set.has(b), !["b0", "b3"].includes(b.label));
});

Deno.test("BlockerSet ignores a blocker that belongs to another set", () => {
  const a = new BlockerSet();
  const b = new BlockerSet();
  const x = blocker("x");
  const y = blocker("y");
  a.add(x);
  b.add(y);
  b.delete(x); // x's slot (0) is y's slot in b: y must stay
  assert.equal(b.size, 1);
  assert.equal(b.any(), y);
});

Deno.test("a task waiting in many semaphore acquires at once is released from each, whatever the order", async () => {
  const sem = new Semaphore(0);
  const task = createTask(async () => {
    await Promise.all(Array.from({ length: 1000 }, () => sem.acquire()));
    return "all acquired";
  });
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(snapshot().find((info) => info.id === task.id)?.waitingOn, "Semaphore.acquire");
  for (let i = 0; i < 1000; i++) sem.release();
  assert.equal(await task, "all acquired");
  const cancelled = createTask(() => Promise.all([sem.acquire(), sem.acquire(), sem.acquire()]));
  await Promise.resolve();
  await Promise.resolve();
  cancelled.cancel();
  await assert.rejects(() => cancelled.then(), { name: "CancelledError" });
  assert.deepEqual(sem.stats(), { value: 0, waiters: 0 });
});
