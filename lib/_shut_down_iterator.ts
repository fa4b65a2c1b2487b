/** The `for await` of `Queue` and `RedisQueue`: `get()` until `QueueShutDown`. */
import { QueueShutDown } from "./errors.ts";

/**
 * An iterator that calls `get` for each item and ends (instead of throwing)
 * once it rejects with `QueueShutDown`; leaving the loop early takes nothing.
 *
 * @param get Takes the next item.
 * @returns The iterator, its own iterable.
 */
export function untilShutDown<T>(get: () => Promise<T>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () =>
      get().then(
        (value): IteratorResult<T> => ({ value, done: false }),
        (error): IteratorResult<T> => {
          if (error instanceof QueueShutDown) return { value: undefined, done: true };
          throw error;
        },
      ),
    return: (value?: unknown) =>
      Promise.resolve({ value, done: true } as IteratorReturnResult<unknown>),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
