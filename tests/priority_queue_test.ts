import assert from "node:assert/strict";
import { CancelledError, createTask, PriorityQueue, Queue } from "../mod.ts";
import { settle, waitingOn } from "./_sync_helpers.ts";

Deno.test("PriorityQueue hands out the smallest first: numbers, strings, arrays like tuples", () => {
  const numbers = new PriorityQueue<number>();
  for (const n of [5, 1, 4, 2, 3]) numbers.putNowait(n);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => numbers.getNowait()), [1, 2, 3, 4, 5]);
  const tuples = new PriorityQueue<unknown[]>();
  for (const t of [[2, "b"], [1, "z"], [2, "a"], [1], [2]]) tuples.putNowait(t);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => tuples.getNowait()), [[1], [1, "z"], [2], [2, "a"], [
    2,
    "b",
  ]]);
  assert.ok(numbers instanceof Queue);
});

Deno.test("PriorityQueue keeps equal priorities in insertion order, payloads never compared", () => {
  const q = new PriorityQueue<[number, { id: number }]>();
  for (let id = 0; id < 100; id++) q.putNowait([id % 3, { id }]);
  const out = Array.from({ length: 100 }, () => q.getNowait());
  for (let i = 1; i < out.length; i++) {
    const [pa, a] = out[i - 1];
    const [pb, b] = out[i];
    assert.ok(pa < pb || (pa === pb && a.id < b.id));
  }
});

Deno.test("PriorityQueue takes a compare function; a number against a string is a TypeError and is not put", () => {
  const q = new PriorityQueue<number>(0, (a, b) => b - a);
  for (const n of [1, 3, 2]) q.putNowait(n);
  assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], [3, 2, 1]);
  const mixed = new PriorityQueue<unknown>();
  mixed.putNowait(1);
  assert.throws(() => mixed.putNowait("a"), TypeError);
  assert.deepEqual(mixed.stats().size, 1);
  assert.equal(mixed.stats().unfinished, 1);
  assert.throws(() => new PriorityQueue(0, 5 as never), TypeError);
});

Deno.test("PriorityQueue: an item handed to a getter cancelled in the same instant keeps its place", async () => {
  const q = new PriorityQueue<[number, string]>();
  const getter = createTask(() => q.get());
  await settle();
  assert.equal(waitingOn(getter), "PriorityQueue.get");
  q.putNowait([1, "first"]);
  q.putNowait([1, "second"]);
  q.putNowait([0, "urgent"]);
  getter.cancel();
  await assert.rejects(getter, CancelledError);
  assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()].map(([, s]) => s), [
    "urgent",
    "first",
    "second",
  ]);
});
