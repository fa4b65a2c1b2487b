import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  merge,
  Queue,
  run,
  sleep,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { outcome, withClock } from "./_helpers.ts";
import { snapshot } from "../monitor.ts";

async function* ticks(name: string, ms: number, count: number) {
  for (let i = 0; i < count; i++) {
    await sleep(ms);
    yield `${name}${i}`;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

Deno.test("merge yields values as they arrive, each source in its own order", async () => {
  const seen = await collect(merge(ticks("a", 60, 3), ticks("b", 5, 2), [1, 2]));
  assert.deepEqual(seen.filter((v) => typeof v === "number"), [1, 2]);
  assert.deepEqual(seen.filter((v) => String(v).startsWith("a")), ["a0", "a1", "a2"]);
  assert.ok(seen.indexOf("b1") < seen.indexOf("a0"), seen.join());
  assert.equal(seen.length, 7);
});

Deno.test("merge() of nothing ends at once", async () => {
  assert.deepEqual(await collect(merge()), []);
});

Deno.test("merge reads each source at most one value ahead of the consumer", async () => {
  let pulled = 0;
  async function* counting() {
    for (let i = 0; i < 100; i++) {
      pulled++;
      yield i;
    }
  }
  const stream = merge(counting());
  await stream.next();
  await sleep(5);
  assert.ok(pulled <= 2, `pulled ${pulled}`);
  await stream.return?.(undefined);
});

Deno.test("leaving a merge early closes every source, interrupting one that sleeps", async () => {
  const closed: string[] = [];
  async function* source(name: string, ms: number) {
    try {
      for (let i = 0;; i++) {
        await sleep(ms);
        yield `${name}${i}`;
      }
    } finally {
      closed.push(name);
    }
  }
  for await (const value of merge(source("fast", 1), source("slow", 60_000))) {
    assert.equal(value, "fast0");
    break;
  }
  assert.deepEqual(closed.sort(), ["fast", "slow"]);
});

/** A hand-written source (no generator to close itself) whose next() sleeps. */
function sleepyIterable(name: string, closed: string[], fail = false): AsyncIterable<number> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        await sleep(5);
        if (fail) throw new RangeError(`${name} broke`);
        return { value: 1, done: false };
      },
      return: () => {
        closed.push(name);
        return Promise.resolve({ value: undefined, done: true });
      },
    }),
  };
}

Deno.test("leaving a merge early calls return() of a source whose next() it interrupted", async () => {
  const closed: string[] = [];
  for await (const _ of merge(sleepyIterable("a", closed), sleepyIterable("b", closed))) break;
  assert.deepEqual(closed.sort(), ["a", "b"]);
});

Deno.test("a merge source whose next() throws on its own is not closed again", async () => {
  const closed: string[] = [];
  const merging = collect(merge(sleepyIterable("broken", closed, true), ticks("t", 60_000, 1)));
  await assert.rejects(merging, /broken broke/);
  assert.deepEqual(closed, []);
});

Deno.test("an error in the merge loop body closes the sources", async () => {
  let closed = 0;
  async function* source() {
    try {
      yield 1;
      await sleep(60_000);
    } finally {
      closed++;
    }
  }
  const error = await (async () => {
    for await (const _ of merge(source(), source())) throw new Error("body");
  })().catch((e) => e);
  assert.equal(error.message, "body");
  assert.equal(closed, 2);
});

Deno.test("a failing source fails the merge after the others are closed", async () => {
  const events: string[] = [];
  async function* healthy() {
    try {
      await sleep(60_000);
      yield "never";
    } finally {
      await sleep(1);
      events.push("healthy closed");
    }
  }
  async function* failing() {
    await sleep(5);
    if (performance.now() >= 0) throw new RangeError("source broke");
    yield "never";
  }
  const error = await collect(merge(healthy(), failing())).catch((e) => {
    events.push("merge failed");
    return e;
  });
  assert.ok(error instanceof RangeError);
  assert.deepEqual(events, ["healthy closed", "merge failed"]);
});

Deno.test("cancelling the consuming task closes the merged sources", async () => {
  await run(async () => {
    const queue = new Queue<number>();
    let closed = false;
    async function* other() {
      try {
        await sleep(60_000);
        yield 0;
      } finally {
        closed = true;
      }
    }
    const consumer = createTask(() => collect(merge(queue, other())), { name: "merger" });
    await sleep(5);
    const info = snapshot().find((i) => i.id === consumer.id);
    assert.equal(info?.waitingOn, "merge(2)");
    const readers = snapshot().filter((i) => i.parentId === consumer.id && i.endedAt === undefined);
    assert.deepEqual(readers.map((i) => i.name), ["merge[0]", "merge[1]"]);
    consumer.cancel();
    await assert.rejects(() => consumer, CancelledError);
    assert.equal(closed, true);
    assert.ok(
      snapshot().filter((i) => i.parentId === consumer.id).every((i) => i.endedAt !== undefined),
    );
  });
});

Deno.test("merge rejects a non-iterable naming its index", () => {
  assert.throws(() => merge([1], 5 as never), /iterables\[1\] must be an iterable .* got 5/);
  assert.throws(() => merge("abc" as never), TypeError);
});

Deno.test("merge inside timeout(): the deadline closes the sources first, then TimeoutError", async () => {
  await withClock(async (clock) => {
    let closed = 0;
    async function* slow() {
      try {
        await sleep(1_000);
        yield 1;
      } finally {
        await sleep(5);
        closed++;
      }
    }
    let closedAtTimeout = -1;
    const result = outcome(run(() =>
      timeout(50, async () => {
        for await (const _ of merge(slow(), slow())) { /* none */ }
      }).finally(() => {
        closedAtTimeout = closed;
      })
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(closedAtTimeout, 2);
  });
});
