import assert from "node:assert/strict";
import { debounce } from "../mod.ts";
import { captureConsoleError, withClock } from "./_helpers.ts";

Deno.test("debounce calls once, waitMs after the last call, with its arguments", async () => {
  await withClock(async (clock) => {
    const calls: [number, number][] = [];
    const d = debounce((n: number) => void calls.push([n, performance.now()]), 100);
    d(1);
    await clock.tickAsync(50);
    d(2);
    await clock.tickAsync(50);
    d(3);
    assert.equal(d.pending, true);
    await clock.tickAsync(99);
    assert.deepEqual(calls, []);
    await clock.tickAsync(1);
    assert.deepEqual(calls, [[3, 200]]);
    assert.equal(d.pending, false);
  });
});

Deno.test("debounce clear() drops the pending call and its timer; flush() calls it now", async () => {
  await withClock(async (clock) => {
    const calls: string[] = [];
    const d = debounce((s: string) => void calls.push(s), 100);
    d("dropped");
    d.clear();
    assert.equal(d.pending, false);
    await clock.tickAsync(200);
    d("flushed");
    d.flush();
    assert.deepEqual(calls, ["flushed"]);
    d.flush(); // nothing pending: no call
    assert.deepEqual(calls, ["flushed"]);
  });
});

Deno.test("a debounced function that throws or rejects is reported on stderr, not thrown", async () => {
  await withClock(async (clock) => {
    const printed = await captureConsoleError(async () => {
      const bad = debounce(function save() {
        throw new Error("disk full");
      }, 10);
      bad();
      await clock.tickAsync(10);
      const rejecting = debounce(() => Promise.reject(new Error("later")), 10);
      rejecting();
      await clock.tickAsync(10);
    });
    assert.deepEqual(printed, [
      "Exception in debounce(save): Error: disk full",
      "Exception in debounce(anonymous): Error: later",
    ]);
  });
});

Deno.test("debounce rejects bad arguments naming them", () => {
  assert.throws(() => debounce("f" as never, 1), /fn must be a function, got "f"/);
  assert.throws(() => debounce(() => {}, NaN), /waitMs must be .* got NaN/);
  assert.throws(() => debounce(() => {}, undefined as never), /waitMs .* got undefined/);
  assert.throws(() => debounce(() => {}, Infinity), RangeError);
});
