/**
 * The raw floor: plain async functions, `Promise.all`, and the smallest
 * hand-rolled queue, semaphore, event and timeout that do the job. Every
 * ratio in bench/RESULTS.md is against these numbers.
 *
 * With `--als` (the "floor+als" column) every task body of W1/W1m/W5/W5m
 * runs inside its own `AsyncLocalStorage.run`: the least a library pays to
 * offer `currentTask()` after a foreign await. With `--als --nested` ("floor+als
 * nested") those frames are entered from inside another frame.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CALLS,
  dispatch,
  fastWork,
  heapAfterGc,
  ITEMS,
  JOBS,
  nextTurn,
  PERMITS,
  QUEUE_SIZE,
  report,
  TASKS,
  timed,
  TIMEOUT_MS,
} from "./_common.ts";

/** A FIFO on an array with a moving head (no `Array.shift`). */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/** A bounded FIFO queue, asyncio-style: `put` waits when full, `get` when empty. */
class Queue<T> {
  #items = new Fifo<T>();
  #getters = new Fifo<() => void>();
  #putters = new Fifo<() => void>();
  constructor(readonly maxsize: number) {}

  async put(item: T): Promise<void> {
    while (this.#items.size >= this.maxsize) {
      await new Promise<void>((resolve) => this.#putters.push(resolve));
    }
    this.#items.push(item);
    if (this.#getters.size > 0) this.#getters.shift()();
  }

  async get(): Promise<T> {
    while (this.#items.size === 0) {
      await new Promise<void>((resolve) => this.#getters.push(resolve));
    }
    const item = this.#items.shift();
    if (this.#putters.size > 0) this.#putters.shift()();
    return item;
  }
}

/** A counting semaphore that hands a released permit straight to the next waiter. */
class Semaphore {
  #waiters = new Fifo<() => void>();
  constructor(public value: number) {}

  acquire(): Promise<void> {
    if (this.value > 0) {
      this.value--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    if (this.#waiters.size > 0) this.#waiters.shift()();
    else this.value++;
  }
}

/** A one-shot event: one shared promise. */
class Event {
  #resolve!: () => void;
  readonly #promise = new Promise<void>((resolve) => this.#resolve = resolve);

  wait(): Promise<void> {
    return this.#promise;
  }

  set(): void {
    this.#resolve();
  }
}

/** The usual hand-written timeout: race against a timer, clear it after. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const als = Deno.args.includes("--als") ? new AsyncLocalStorage<number>() : undefined;

/** Start `body` as a "task": a plain call, or inside its own context frame with `--als`. */
function spawn<T>(id: number, body: () => Promise<T>): Promise<T> {
  return als === undefined ? body() : als.run(id, body);
}

/** The yield of W1 (a macrotask turn) and of W1m (one microtask). */
const microtask = (): Promise<void> => Promise.resolve();

async function spawnAndGather(yieldOnce: () => Promise<void>): Promise<number> {
  const promises: Promise<number>[] = [];
  for (let i = 0; i < TASKS; i++) {
    promises.push(spawn(i, async () => {
      await yieldOnce();
      return i;
    }));
  }
  const results = await Promise.all(promises);
  return results.reduce((a, b) => a + b, 0);
}

async function queue(pairs: number): Promise<number> {
  const q = new Queue<number>(QUEUE_SIZE);
  const each = ITEMS / pairs;
  const work: Promise<number>[] = [];
  for (let p = 0; p < pairs; p++) {
    work.push((async () => {
      for (let i = 0; i < each; i++) await q.put(p * each + i);
      return 0;
    })());
    work.push((async () => {
      let sum = 0;
      for (let i = 0; i < each; i++) sum += await q.get();
      return sum;
    })());
  }
  return (await Promise.all(work)).reduce((a, b) => a + b, 0);
}

async function semaphore(): Promise<number> {
  const sem = new Semaphore(PERMITS);
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < JOBS; i++) {
    jobs.push((async () => {
      await sem.acquire();
      try {
        await nextTurn();
        return i;
      } finally {
        sem.release();
      }
    })());
  }
  return (await Promise.all(jobs)).reduce((a, b) => a + b, 0);
}

async function timeouts(): Promise<number> {
  let sum = 0;
  for (let i = 0; i < CALLS; i++) sum += await withTimeout(fastWork(i), TIMEOUT_MS);
  return sum;
}

async function event(yieldOnce: () => Promise<void>): Promise<void> {
  const before = heapAfterGc();
  const started = performance.now();
  const ev = new Event();
  const waiters: Promise<number>[] = [];
  for (let i = 0; i < TASKS; i++) {
    waiters.push(spawn(i, async () => {
      await ev.wait();
      return 1;
    }));
  }
  await yieldOnce();
  const blocked = performance.now();
  const bytesPerTask = (heapAfterGc() - before) / TASKS;
  const releasing = performance.now();
  ev.set();
  const done = (await Promise.all(waiters)).length;
  const ms = blocked - started + performance.now() - releasing;
  report({ ms, bytesPerTask, check: done });
}

const workloads = {
  W1: () => timed(() => spawnAndGather(nextTurn)),
  W1m: () => timed(() => spawnAndGather(microtask)),
  W2a: () => timed(() => queue(1)),
  W2b: () => timed(() => queue(4)),
  W3: () => timed(semaphore),
  W3t: () => timed(semaphore), // the floor's jobs are plain async functions either way
  W3m: () => timed(semaphore), // a hand-written map under a limit is this semaphore
  W4: () => timed(timeouts),
  W4w: () => timed(timeouts), // the same hand-written race
  W5: () => event(nextTurn),
  W5m: () => event(microtask),
  W6: () => timed(() => spawnAndGather(nextTurn)), // W1 with a subscriber, which the floor has not
};

// `--nested` (the "floor+als nested" column): the whole workload inside one
// more frame, so each task's frame is entered from inside another, as a
// library's must be when a task creates tasks (Deno copies the outer frame).
if (als !== undefined && Deno.args.includes("--nested")) {
  await als.run(-1, () => dispatch(workloads));
} else await dispatch(workloads);
