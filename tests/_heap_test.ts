import assert from "node:assert/strict";
import { defaultCompare, Heap } from "../lib/_heap.ts";
import { seededRandom } from "./_sync_helpers.ts";

Deno.test("Heap pops in (priority, insertion) order under random pushes and pops", () => {
  const random = seededRandom(11);
  const heap = new Heap<number>((a, b) => a - b);
  const model: { value: number; seq: number }[] = [];
  for (let i = 0; i < 20_000; i++) {
    if (random() < 0.6 || model.length === 0) {
      const entry = heap.wrap(Math.floor(random() * 50));
      heap.push(entry);
      model.push(entry);
    } else {
      model.sort((a, b) => a.value - b.value || a.seq - b.seq);
      assert.equal(heap.pop(), model.shift());
    }
  }
  assert.equal(heap.size, model.length);
});

Deno.test("a throwing comparator leaves the heap unchanged: nothing lost", () => {
  let explode = false;
  const heap = new Heap<number>((a, b) => {
    if (explode) throw new Error("compare failed");
    return a - b;
  });
  for (const n of [5, 3, 8, 1, 9, 2]) heap.push(heap.wrap(n));
  explode = true;
  assert.throws(() => heap.push(heap.wrap(0)), /compare failed/);
  assert.throws(() => heap.pop(), /compare failed/);
  explode = false;
  const out: number[] = [];
  while (heap.size > 0) out.push(heap.pop()!.value);
  assert.deepEqual(out, [1, 2, 3, 5, 8, 9]);
});

Deno.test("defaultCompare orders like Python and ties unorderable payloads", () => {
  assert.ok(defaultCompare(1, 2) < 0);
  assert.ok(defaultCompare("b", "a") > 0);
  assert.ok(defaultCompare([1, 2], [1, 2, 0]) < 0);
  assert.equal(defaultCompare([1, {}], [1, {}]), 0);
  assert.throws(() => defaultCompare(1, "1"), TypeError);
});
