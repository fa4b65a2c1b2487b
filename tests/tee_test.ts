import assert from "node:assert/strict";
import { CancelledError, createTask, gather, run, sleep, tee } from "../mod.ts";
import { waitingOn } from "./_sync_helpers.ts";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function* numbers(count: number, counter?: { pulled: number }) {
  for (let i = 0; i < count; i++) {
    if (counter) counter.pulled++;
    yield i;
  }
}

Deno.test("tee gives every branch every value, in order, undefined included", async () => {
  async function* source() {
    yield* [1, undefined, 3];
  }
  const [a, b, c] = tee(source(), 3);
  const [x, y, z] = await gather(() => collect(a), () => collect(b), () => collect(c));
  assert.deepEqual(x, [1, undefined, 3]);
  assert.deepEqual(y, [1, undefined, 3]);
  assert.deepEqual(z, [1, undefined, 3]);
});

Deno.test("tee reads the source no further than bufferSize ahead of the slowest branch", async () => {
  const counter = { pulled: 0 };
  const [fast, slow] = tee(numbers(100, counter), 2, { bufferSize: 3 });
  const seen: number[] = [];
  const reading = (async () => {
    for await (const v of fast) seen.push(v);
  })();
  await sleep(10);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.ok(counter.pulled <= 4, `pulled ${counter.pulled}`);
  assert.deepEqual(await collect(slow), Array.from({ length: 100 }, (_, i) => i));
  await reading;
  assert.equal(seen.length, 100);
});

Deno.test("a closed tee branch no longer holds the others back", async () => {
  const [a, b] = tee(numbers(50), 2, { bufferSize: 2 });
  for await (const _ of a) break;
  assert.equal((await collect(b)).length, 50);
});

Deno.test("closing every tee branch closes the source", async () => {
  let closed = false;
  async function* source() {
    try {
      for (let i = 0;; i++) {
        await sleep(1);
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  const [a, b] = tee(source(), 2);
  for await (const _ of a) break;
  assert.equal(closed, false);
  await b.return?.(undefined);
  assert.equal(closed, true);
});

Deno.test("a tee source error reaches each branch after the values before it", async () => {
  async function* source() {
    yield 1;
    throw new RangeError("broken");
  }
  const [a, b] = tee(source(), 2);
  for (const branch of [a, b]) {
    const seen: number[] = [];
    const error = await (async () => {
      for await (const v of branch) seen.push(v);
    })().catch((e) => e);
    assert.deepEqual(seen, [1]);
    assert.ok(error instanceof RangeError);
  }
});

Deno.test("cancelling the consumers of every tee branch interrupts and closes the source", async () => {
  await run(async () => {
    let closed = false;
    async function* source() {
      try {
        await sleep(60_000);
        yield 1;
      } finally {
        closed = true;
      }
    }
    const [a, b] = tee(source(), 2);
    const ta = createTask(() => collect(a));
    const tb = createTask(() => collect(b));
    await sleep(5);
    ta.cancel();
    tb.cancel();
    await assert.rejects(() => ta, CancelledError);
    await assert.rejects(() => tb, CancelledError);
    assert.equal(closed, true);
  });
});

Deno.test("closing the last tee branch calls return() of a source whose next() it interrupted", async () => {
  await run(async () => {
    const closed: string[] = [];
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          await sleep(60_000);
          return { value: 1, done: false };
        },
        return: () => {
          closed.push("source");
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
    const [only] = tee(source, 1);
    const reading = createTask(() => only.next());
    await sleep(5); // the reader waits in the source's next()
    reading.cancel();
    await assert.rejects(() => reading, CancelledError);
    assert.deepEqual(closed, ["source"]);
  });
});

Deno.test("a tee branch read past bufferSize ahead of an unread one waits, naming that branch", async () => {
  await run(async () => {
    const [x, y] = tee(numbers(10), 2, { bufferSize: 3 });
    const seen: number[] = [];
    const ahead = createTask(async () => {
      for await (const v of x) seen.push(v); // y is never read meanwhile
    });
    await sleep(5);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(waitingOn(ahead), "tee[0]: branch 1 not read, 3 values buffered");
    assert.equal((await y.next()).value, 0); // reading y lets x go on
    await sleep(5);
    assert.deepEqual(seen, [0, 1, 2, 3]);
    await y.return?.(undefined);
    await ahead;
    assert.equal(seen.length, 10);
  });
});

Deno.test("tee rejects bad arguments naming them", () => {
  assert.throws(() => tee(3 as never), /iterable must be an iterable .* got 3/);
  assert.throws(() => tee([1], 0), /n must be an integer >= 1, got 0/);
  assert.throws(() => tee([1], 2, { bufferSize: 0 }), /options.bufferSize must be .* got 0/);
});
