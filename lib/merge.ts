/**
 * `merge`: one async iterable from several, values as they arrive.
 *
 * @module
 */
import { asyncIteratorOf, ChildTasks, isAnyIterable, SourceReader } from "./_child_tasks.ts";
import { Deque } from "./_deque.ts";
import { describe } from "./_validate.ts";
import { Wakeup } from "./_wakeup.ts";
import { currentTask } from "./runtime/mod.ts";

/** The value type of a sync or async iterable. */
export type IterableValue<I> = I extends AsyncIterable<infer T> ? T
  : I extends Iterable<infer T> ? Awaited<T>
  : never;

/**
 * Yield the values of several (async) iterables as they arrive, like std's
 * `MuxAsyncIterator`. Each source is read by a task of its own (named
 * `merge[<index>]`, a child of the consuming task, which shows `merge(<n>)`
 * in the monitor while it waits), one value ahead at most: a source is
 * asked for its next value only once its last one has been consumed.
 * Values of one source keep their order.
 *
 * Leaving the loop early (`break`, an error in the body) or cancelling the
 * consuming task cancels the readers (a source waiting in a corun await is
 * interrupted) and closes every source (`return()`), and waits for that.
 * A failing source fails the merge: the others are cancelled and closed
 * first, then the iterator throws the error.
 *
 * @param iterables The sources: async or sync iterables.
 * @returns An async iterator of all their values.
 * @throws {TypeError} If an argument is not iterable (the message names its index).
 *
 * @example Two sources, values as they come
 * ```ts
 * import { merge, sleep } from "@corun/corun";
 *
 * async function* later() {
 *   await sleep(50);
 *   yield "late";
 * }
 * const seen: string[] = [];
 * for await (const value of merge(later(), ["a", "b"])) seen.push(value);
 * if (seen.join() !== "a,b,late") throw new Error(seen.join());
 * ```
 */
export function merge<const I extends readonly (Iterable<unknown> | AsyncIterable<unknown>)[]>(
  ...iterables: I
): AsyncIterableIterator<IterableValue<I[number]>> {
  for (let i = 0; i < iterables.length; i++) {
    if (!isAnyIterable(iterables[i])) {
      throw new TypeError(
        `iterables[${i}] must be an iterable or async iterable, got ${describe(iterables[i])}`,
      );
    }
  }
  return merged(iterables as unknown as (Iterable<IterableValue<I[number]>>)[]);
}

async function* merged<T>(iterables: (Iterable<T> | AsyncIterable<T>)[]): AsyncGenerator<T> {
  const consumer = currentTask();
  const wakeup = new Wakeup(`merge(${iterables.length})`);
  const ready = new Deque<{ value: T; index: number }>();
  let failure: { error: unknown } | null = null;
  const readers = new ChildTasks(wakeup, (error) => {
    if (failure !== null) return;
    failure = { error };
    readers.cancelAll("merge(): a source failed");
  });
  const rooms = iterables.map(() => new Wakeup("merge: value not consumed yet"));
  try {
    iterables.forEach((iterable, index) => {
      readers.spawn(consumer, async () => {
        const source = new SourceReader(asyncIteratorOf(iterable), readers);
        try {
          while (true) {
            const result = await source.next();
            if (result.done) return;
            ready.pushBack({ value: result.value, index });
            wakeup.notify();
            await rooms[index].wait();
          }
        } finally {
          await source.close();
        }
      }, `merge[${index}]`);
    });
    while (true) {
      if (failure !== null) throw (failure as { error: unknown }).error;
      const next = ready.popFront();
      if (next !== undefined) {
        rooms[next.index].notify();
        yield next.value;
        continue;
      }
      if (readers.live.size === 0) return;
      await wakeup.wait();
    }
  } finally {
    readers.cancelAll("merge() loop left early");
    await readers.waitAll();
  }
}
