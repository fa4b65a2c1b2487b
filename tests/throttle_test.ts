import assert from "node:assert/strict";
import { throttle } from "../mod.ts";
import { captureConsoleError, withClock } from "./_helpers.ts";

Deno.test("throttle runs the first call at once and drops the rest of the time frame", async () => {
  await withClock(async (clock) => {
    const calls: number[] = [];
    const t = throttle((n: number) => void calls.push(n), 100);
    assert.equal(t.lastExecution, -Infinity);
    t(1);
    t(2);
    t(3);
    assert.deepEqual(calls, [1]);
    assert.equal(t.throttling, true);
    await clock.tickAsync(100);
    assert.deepEqual(calls, [1]); // no trailing call without ensureLastCall
    assert.equal(t.throttling, false);
    t(4);
    assert.deepEqual(calls, [1, 4]);
    assert.equal(t.lastExecution, 100);
  });
});

Deno.test("throttle with ensureLastCall runs the last dropped call when the frame ends", async () => {
  await withClock(async (clock) => {
    const calls: [number, number][] = [];
    const t = throttle((n: number) => void calls.push([n, performance.now()]), 100, {
      ensureLastCall: true,
    });
    t(1);
    await clock.tickAsync(30);
    t(2);
    t(3);
    await clock.tickAsync(70);
    assert.deepEqual(calls, [[1, 0], [3, 100]]);
    assert.equal(clock.countTimers(), 0);
  });
});

Deno.test("throttle flush() runs the kept call now (a new frame); clear() forgets call and frame", async () => {
  await withClock(async (clock) => {
    const calls: number[] = [];
    const t = throttle((n: number) => void calls.push(n), 100, { ensureLastCall: true });
    t(1);
    t(2);
    t.flush();
    assert.deepEqual(calls, [1, 2]);
    t(3); // the flushed call started a frame: kept
    t.clear(); // forgets it and the frame
    await clock.tickAsync(200);
    assert.deepEqual(calls, [1, 2]);
    assert.equal(t.lastExecution, -Infinity);
    t(4);
    assert.deepEqual(calls, [1, 2, 4]);
  });
});

Deno.test("a throttled function that rejects is reported on stderr", async () => {
  const printed = await captureConsoleError(async () => {
    const t = throttle(function send() {
      return Promise.reject(new TypeError("offline"));
    }, 10);
    t();
    await Promise.resolve();
    await Promise.resolve();
  });
  assert.deepEqual(printed, ["Exception in throttle(send): TypeError: offline"]);
});

Deno.test("throttle rejects bad arguments naming them", () => {
  assert.throws(() => throttle(42 as never, 1), /fn must be a function, got 42/);
  assert.throws(() => throttle(() => {}, "1" as never), /timeframeMs must be .* got "1"/);
  assert.throws(() => throttle(() => {}, Infinity), RangeError);
  assert.throws(
    () => throttle(() => {}, 1, { ensureLastCall: 1 as never }),
    /options.ensureLastCall must be a boolean, got 1/,
  );
});
