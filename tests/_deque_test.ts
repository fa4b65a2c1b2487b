import assert from "node:assert/strict";
import { Deque } from "../lib/_deque.ts";
import { seededRandom } from "./_sync_helpers.ts";

Deno.test("Deque matches an array model under random pushes and pops at both ends", () => {
  const random = seededRandom(7);
  const deque = new Deque<number>();
  const model: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    const r = random();
    if (r < 0.3) (deque.pushBack(i), model.push(i));
    else if (r < 0.5) (deque.pushFront(i), model.unshift(i));
    else if (r < 0.75) assert.equal(deque.popFront(), model.shift());
    else assert.equal(deque.popBack(), model.pop());
    assert.equal(deque.size, model.length);
  }
  assert.deepEqual(deque.toArray(), model);
});

Deno.test("Deque grows and shrinks back after a burst", () => {
  const deque = new Deque<number>();
  for (let i = 0; i < 10_000; i++) deque.pushBack(i);
  assert.ok(deque.capacity >= 10_000);
  for (let i = 0; i < 9_990; i++) deque.popFront();
  assert.ok(deque.capacity <= 64, `capacity ${deque.capacity}`);
  assert.deepEqual(deque.toArray(), [9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
});
