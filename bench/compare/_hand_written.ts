/**
 * The toolkit helpers written by hand, as a script would without corun:
 * what `mapLimitStream`, `RateLimiter` and `merge` are measured against
 * (bench/compare's H1-H3 and bench/toolkit_bench.ts).
 *
 * @module
 */

/**
 * A streaming map by hand: an async generator keeping `limit` calls in
 * flight, yielding each result as it comes (`Promise.race` over them).
 */
export async function* streamMap<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inFlight = new Map<number, Promise<{ key: number; value: R }>>();
  let key = 0;
  const iterator = items[Symbol.iterator]();
  const startNext = (): boolean => {
    const next = iterator.next();
    if (next.done) return false;
    const k = key++;
    inFlight.set(k, fn(next.value).then((value) => ({ key: k, value })));
    return true;
  };
  while (inFlight.size < limit && startNext());
  while (inFlight.size > 0) {
    const { key: done, value } = await Promise.race(inFlight.values());
    inFlight.delete(done);
    startNext();
    yield value;
  }
}

/** A rate limiter by hand: a log of acquisition times with a moving head, a timer to wait. */
export class SlidingWindow {
  #times: number[] = [];
  #head = 0;

  /**
   * @param maxRate Acquisitions allowed per window.
   * @param periodMs The window.
   */
  constructor(readonly maxRate: number, readonly periodMs: number) {}

  /** Wait until the window has room, then take it. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = performance.now();
      while (this.#head < this.#times.length && this.#times[this.#head] + this.periodMs <= now) {
        this.#head++;
      }
      if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
        this.#times = this.#times.slice(this.#head);
        this.#head = 0;
      }
      if (this.#times.length - this.#head < this.maxRate) {
        this.#times.push(now);
        return;
      }
      const wait = this.#times[this.#head] + this.periodMs - now;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** A merge by hand: `Promise.race` over the sources' pending `next()`; `each` gets every value. */
export async function mergeByHand<T>(
  sources: AsyncIterator<T>[],
  each: (value: T) => void,
): Promise<void> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) =>
    pending.set(index, sources[index].next().then((result) => ({ index, result })));
  sources.forEach((_, index) => pull(index));
  while (pending.size > 0) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) pending.delete(index);
    else {
      each(result.value);
      pull(index);
    }
  }
}
