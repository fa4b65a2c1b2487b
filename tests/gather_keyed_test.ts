import assert from "node:assert/strict";
import { CancelledError, createTask, gather, run, sleep } from "../mod.ts";

Deno.test("keyed gather resolves to an object of results under the same keys", async () => {
  const started: string[] = [];
  const result = await gather({
    slow: async () => {
      started.push("slow");
      return await sleep(20, 1);
    },
    fast: async () => {
      started.push("fast");
      return await sleep(5, "two");
    },
    promise: Promise.resolve(true),
  });
  const typed: { slow: number; fast: string; promise: boolean } = result;
  assert.deepEqual(typed, { slow: 1, fast: "two", promise: true });
  assert.deepEqual(started, ["slow", "fast"]); // both ran at once
});

Deno.test("keyed gather of an empty object resolves to an empty object", async () => {
  assert.deepEqual(await gather({}), {});
});

Deno.test("the first failure of a keyed gather cancels the rest and rejects with it", async () => {
  let cancelled = false;
  const error = await gather({
    bad: async () => {
      await sleep(1);
      throw new RangeError("bad");
    },
    slow: async () => {
      try {
        await sleep(60_000);
      } catch (e) {
        cancelled = e instanceof CancelledError;
        throw e;
      }
    },
  }).catch((e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(cancelled, true);
});

Deno.test("keyed gather with returnExceptions places errors under their keys", async () => {
  const got = await gather({ ok: () => 1, bad: () => Promise.reject(new Error("no")) }, {
    returnExceptions: true,
  });
  assert.equal(got.ok, 1);
  assert.equal((got.bad as Error).message, "no");
});

Deno.test("cancelling the task awaiting a keyed gather cancels every child", async () => {
  await run(async () => {
    let stillRunning = 0;
    const child = async () => {
      stillRunning++;
      try {
        await sleep(60_000);
      } finally {
        stillRunning--;
      }
    };
    const awaiting = createTask(() => gather({ a: child, b: child }));
    await sleep(5);
    awaiting.cancel();
    await assert.rejects(() => awaiting, CancelledError);
    assert.equal(stillRunning, 0);
  });
});

Deno.test("keyed gather names a bad value by its key", async () => {
  await assert.rejects(
    () => gather({ user: () => 1, posts: 42 as never }),
    (e) => e instanceof TypeError && /aws.posts must be a Task, .* got 42/.test(e.message),
  );
  await assert.rejects(
    () => gather({ a: () => 1 }, { returnExceptions: "yes" as never }),
    TypeError,
  );
});
