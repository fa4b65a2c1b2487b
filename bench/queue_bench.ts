/**
 * The cost of corun's queue and semaphore over minimal hand-rolled promise
 * versions (no cancellation safety, no fairness under cancellation, no
 * monitor labels).
 *
 *     deno bench -A bench/queue_bench.ts
 *
 * Each group has the hand-rolled baseline, so `deno bench` prints how many
 * times slower corun is. corun runs twice: inside tasks (what users write,
 * so task overhead is included) and from plain async functions (the
 * primitive alone).
 */
import { createTask, Queue, Semaphore } from "../mod.ts";

const ITEMS = 200_000;
const JOBS = 100_000;
const MAXSIZE = 100;

interface AsyncQueue {
  put(item: number): Promise<void>;
  get(): Promise<number>;
}

/** The smallest bounded queue that works: arrays of resolvers, no cancellation. */
class HandQueue implements AsyncQueue {
  #items: number[] = [];
  #head = 0;
  #getters: (() => void)[] = [];
  #putters: (() => void)[] = [];
  constructor(readonly maxsize: number) {}
  get size(): number {
    return this.#items.length - this.#head;
  }
  async put(item: number): Promise<void> {
    while (this.size >= this.maxsize) await new Promise<void>((r) => this.#putters.push(r));
    this.#items.push(item);
    this.#getters.shift()?.();
  }
  async get(): Promise<number> {
    while (this.size === 0) await new Promise<void>((r) => this.#getters.push(r));
    const item = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#putters.shift()?.();
    return item;
  }
}

/**
 * The smallest semaphore that works. Its waiters array is read with a head
 * index: `Array.shift` on 100,000 waiters would make it O(n^2) (about 10x
 * slower than corun), which would flatter corun.
 */
class HandSemaphore implements Disposable {
  #waiters: (() => void)[] = [];
  #head = 0;
  constructor(public value: number) {}
  /** Resolves with itself: disposing releases (no allocation per permit). */
  async acquire(): Promise<Disposable> {
    if (this.value > 0) this.value--;
    else await new Promise<void>((r) => this.#waiters.push(r));
    return this;
  }
  [Symbol.dispose](): void {
    this.release();
  }
  release(): void {
    if (this.#head < this.#waiters.length) {
      const next = this.#waiters[this.#head];
      this.#waiters[this.#head++] = undefined as never;
      next();
    } else {
      this.value++;
    }
  }
}

type Spawn = (fn: () => Promise<unknown>) => PromiseLike<unknown>;
const plain: Spawn = (fn) => fn();
const asTask: Spawn = (fn) => createTask(fn);

async function pump(queue: AsyncQueue, producers: number, consumers: number, spawn: Spawn) {
  const perProducer = ITEMS / producers;
  const perConsumer = ITEMS / consumers;
  const work: PromiseLike<unknown>[] = [];
  for (let p = 0; p < producers; p++) {
    work.push(spawn(async () => {
      for (let i = 0; i < perProducer; i++) await queue.put(i);
    }));
  }
  let sum = 0;
  for (let c = 0; c < consumers; c++) {
    work.push(spawn(async () => {
      for (let i = 0; i < perConsumer; i++) {
        const item = await queue.get(); // not `sum += await ...`: that reads sum before awaiting
        sum += item;
      }
    }));
  }
  for (const w of work) await w;
  if (sum !== producers * (perProducer * (perProducer - 1)) / 2) throw new Error("lost items");
}

for (const [producers, consumers] of [[1, 1], [4, 4]]) {
  const group =
    `${producers} producer(s) / ${consumers} consumer(s), maxsize ${MAXSIZE}, 200,000 items`;
  Deno.bench({
    name: "hand-rolled promise queue",
    group,
    baseline: true,
    n: 5,
    warmup: 1,
    fn: async () => await pump(new HandQueue(MAXSIZE), producers, consumers, plain),
  });
  Deno.bench({
    name: "corun Queue, plain async functions",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await pump(new Queue<number>(MAXSIZE), producers, consumers, plain),
  });
  Deno.bench({
    name: "corun Queue, inside tasks",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await pump(new Queue<number>(MAXSIZE), producers, consumers, asTask),
  });
}

async function job(): Promise<void> {
  await null;
}

interface AsyncSemaphore {
  readonly value: number;
  acquire(): Promise<Disposable>;
}

async function throughSemaphore(sem: AsyncSemaphore, spawn: Spawn): Promise<void> {
  const all = new Array<PromiseLike<unknown>>(JOBS);
  for (let i = 0; i < JOBS; i++) {
    all[i] = spawn(async () => {
      using _ = await sem.acquire();
      await job();
    });
  }
  for (const w of all) await w;
  if (sem.value !== 100) throw new Error("permit lost");
}

const semGroup = "100,000 jobs through a Semaphore(100)";
Deno.bench({
  name: "hand-rolled promise semaphore",
  group: semGroup,
  baseline: true,
  n: 5,
  warmup: 1,
  fn: async () => await throughSemaphore(new HandSemaphore(100), plain),
});

for (const [name, spawn] of [["plain async functions", plain], ["inside tasks", asTask]] as const) {
  Deno.bench({
    name: `corun Semaphore, ${name}`,
    group: semGroup,
    n: 5,
    warmup: 1,
    fn: async () => await throughSemaphore(new Semaphore(100), spawn),
  });
}
