/**
 * `WorkerPool`: CPU-bound or blocking work on `node:worker_threads` workers,
 * like `loop.run_in_executor` with a `ProcessPoolExecutor`.
 *
 * @module
 */
import { InvalidStateError } from "./errors.ts";
import { describe } from "./_validate.ts";
import { PoolWorker } from "./_pool_worker.ts";
import { Job } from "./_pool_job.ts";
import { functionSource, type JobMessage } from "./_worker_source.ts";
import { currentTask, taskInternals } from "./task.ts";
import { detachable } from "./runtime/detach.ts";

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * How many workers may run at once; more jobs wait in a FIFO queue.
   * @default {navigator.hardwareConcurrency, or 4 where unknown}
   */
  size?: number;
  /**
   * An absolute module URL (e.g. `new URL("./jobs.ts", import.meta.url)`)
   * whose exported functions `run(name, ...args)` calls by name.
   * @default {undefined: only functions can be run}
   */
  module?: string | URL;
}

/** What a pool is doing, read cheaply (see {@linkcode WorkerPool.stats}). */
export interface WorkerPoolStats {
  /** The maximum number of workers. */
  size: number;
  /** Workers alive now (idle or busy). */
  workers: number;
  /** Jobs running now. */
  running: number;
  /** Jobs waiting for a worker. */
  queued: number;
}

/** Library-internal access to a pool (for `toThread`'s label, and jobs). */
export let poolInternals: {
  submit(pool: WorkerPool, kind: string, fn: unknown, args: unknown[]): Promise<unknown>;
  withdraw(pool: WorkerPool, job: Job): void;
};

let nextJobId = 1;

/**
 * A bounded pool of worker threads (`node:worker_threads`, created from code:
 * no extra file). `run` sends a self-contained function (by source) or the
 * name of an export of `options.module`; arguments and result are
 * structured-cloned, and an error thrown in the worker rejects here with its
 * name, message and stack. Cancelling the task that awaits `run` terminates
 * that worker (on Node that stops even a busy loop; on Deno 2.9 the running
 * code finishes on its own thread) and the pool starts a new one when needed.
 * Idle workers never keep the process alive.
 *
 * @example Running a module's export by name
 * ```ts
 * import { WorkerPool } from "@corun/corun";
 *
 * const module = "data:text/javascript,export const square = (n) => n * n;";
 * await using pool = new WorkerPool({ size: 2, module });
 * console.log(await pool.run("square", 12)); // 144
 * console.log(await pool.run((a: number, b: number) => a + b, 2, 3)); // 5
 * ```
 */
export class WorkerPool implements AsyncDisposable {
  /** The maximum number of workers. */
  readonly size: number;
  readonly #module: string | undefined;
  readonly #workers = new Set<PoolWorker>();
  #idle: PoolWorker[] = [];
  #queue: Job[] = [];
  #stopping = new Set<Promise<void>>();
  #closing: Promise<void> | null = null;
  #drained: (() => void) | null = null;

  /**
   * Create a pool; workers start on demand, up to `size`.
   *
   * @param options `size` and `module`.
   * @throws {RangeError} If `size` is not an integer >= 1.
   * @throws {TypeError} If `module` is not an absolute URL.
   */
  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? (globalThis.navigator?.hardwareConcurrency || 4);
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
      throw new RangeError(`options.size must be an integer >= 1, got ${describe(size)}`);
    }
    this.size = size;
    if (options.module !== undefined) {
      try {
        this.#module = new URL(options.module).href;
      } catch {
        throw new TypeError(
          `options.module must be an absolute URL, e.g. new URL("./jobs.ts", import.meta.url), got ${
            describe(String(options.module))
          }`,
        );
      }
    }
  }

  /**
   * Run a self-contained function (it may use only its arguments and
   * globals: it is sent by source) on a worker. Inside a task, cancelling
   * the task terminates the worker running the job (or drops the job if it
   * is still queued; the pool starts a new worker when needed) and rejects
   * with the task's `CancelledError`.
   *
   * @param fn The function.
   * @param args Its arguments, structured-cloned.
   * @returns The job's (structured-cloned) result.
   * @throws {InvalidStateError} If the pool is closed.
   * @throws {TypeError} If `fn` is native or bound, or an argument or the
   *   result cannot be structured-cloned.
   * @throws {ReferenceError} If `fn` uses a variable of its enclosing scope.
   * @throws {unknown} What the job threw, rebuilt with its name, message and stack.
   *
   * @example Cancelling a job stops waiting for it
   * ```ts
   * import { createTask, sleep, WorkerPool } from "@corun/corun";
   *
   * await using pool = new WorkerPool({ size: 1 });
   * const task = createTask(() => pool.run(() => new Promise((resolve) => setTimeout(resolve, 60_000))));
   * await sleep(10);
   * task.cancel();
   * console.log(await task.then(() => "done", (error) => error.name)); // CancelledError
   * console.log(await pool.run((n: number) => n + 1, 1)); // 2: a new worker took over
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /**
   * Run the export `exportName` of the pool's `module` on a worker; the
   * worker imports the module once. Cancellation works as for a function.
   *
   * @typeParam R What the export returns (`run<number>("fib", 30)`).
   * @param exportName The name of an exported function of `options.module`.
   * @param args Its arguments, structured-cloned.
   * @returns The job's (structured-cloned) result.
   * @throws {InvalidStateError} If the pool is closed.
   * @throws {TypeError} If the pool has no module, or the export is not a function.
   * @throws {unknown} What the job threw, rebuilt with its name, message and stack.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@corun/corun";
   *
   * const module = "data:text/javascript,export const fib = (n) => n < 2 ? n : fib(n - 1) + fib(n - 2);";
   * await using pool = new WorkerPool({ module });
   * console.log(await pool.run<number>("fib", 20)); // 6765
   * ```
   */
  run<R = unknown>(exportName: string, ...args: unknown[]): Promise<R>;
  run(fn: string | ((...args: never[]) => unknown), ...args: unknown[]): Promise<unknown> {
    return this.#submit("WorkerPool.run", fn, args);
  }

  /**
   * A cheap description of the pool, for monitors.
   *
   * @returns Size, live workers, running and queued jobs.
   */
  stats(): WorkerPoolStats {
    let running = 0;
    for (const worker of this.#workers) if (worker.job !== null) running++;
    return { size: this.size, workers: this.#workers.size, running, queued: this.#queue.length };
  }

  /**
   * Stop accepting jobs, let the submitted ones finish (as Python's
   * `executor.shutdown(wait=True)`), then terminate every worker. Calling it
   * again returns the same promise.
   *
   * @returns A promise that resolves once every worker has exited.
   *
   * @example
   * ```ts
   * import { InvalidStateError, WorkerPool } from "@corun/corun";
   *
   * const pool = new WorkerPool({ size: 1 });
   * const job = pool.run(() => "finished anyway");
   * await pool.close();
   * console.log(await job); // finished anyway
   * console.log(await pool.run(() => 1).catch((e) => e instanceof InvalidStateError)); // true
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#queue.length > 0 || this.stats().running > 0) {
        await new Promise<void>((resolve) => (this.#drained = resolve));
      }
      for (const worker of [...this.#workers]) this.#stop(worker);
      await Promise.all(this.#stopping);
    })();
    return this.#closing;
  }

  /**
   * `await using pool = new WorkerPool()`: {@linkcode WorkerPool.close} at block end.
   *
   * @returns A promise that resolves once every worker has exited.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #submit(kind: string, fn: unknown, args: unknown[]): Promise<unknown> {
    let message: JobMessage;
    try {
      if (this.#closing !== null) throw new InvalidStateError(`${kind}: the pool is closed`);
      if (typeof fn === "function") {
        message = { id: nextJobId++, source: functionSource(fn as () => unknown, "fn"), args };
      } else if (typeof fn === "string") {
        if (this.#module === undefined) {
          throw new TypeError(
            `${kind}("${fn}"): this pool has no module; pass a function or create the pool with { module }`,
          );
        }
        message = { id: nextJobId++, module: this.#module, name: fn, args };
      } else {
        throw new TypeError(`fn must be a function or an export name, got ${describe(fn)}`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const task = currentTask();
    let job!: Job;
    const promise = new Promise((resolve, reject) => {
      job = new Job(this, message, kind, task, resolve, reject);
      this.#queue.push(job);
      if (task !== undefined) taskInternals.block(task, job);
      if (!job.settled) this.#pump();
    });
    return detachable(promise, task, job);
  }

  /** Hand queued jobs to idle workers, starting workers up to `size`. */
  #pump(): void {
    while (this.#queue.length > 0) {
      let worker = this.#idle.pop();
      if (worker === undefined) {
        if (this.#workers.size >= this.size) return;
        worker = new PoolWorker((w, ok, result) => this.#jobEnded(w, ok, result));
        this.#workers.add(worker);
      }
      const job = this.#queue.shift() as Job;
      if (!worker.start(job)) {
        this.#idle.push(worker);
      }
    }
    if (this.#drained !== null && this.stats().running === 0) this.#drained();
  }

  #jobEnded(worker: PoolWorker, ok: boolean, result: unknown): void {
    const job = worker.job;
    worker.job = null;
    if (worker.dead) this.#forget(worker);
    else this.#idle.push(worker);
    job?.finish(ok, result);
    this.#pump();
  }

  #forget(worker: PoolWorker): void {
    this.#workers.delete(worker);
    const index = this.#idle.indexOf(worker);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  #stop(worker: PoolWorker): void {
    this.#forget(worker);
    const stopping = worker.terminate();
    this.#stopping.add(stopping);
    stopping.then(() => this.#stopping.delete(stopping));
  }

  #withdraw(job: Job): void {
    const worker = job.worker;
    if (worker === null) {
      const index = this.#queue.indexOf(job);
      if (index !== -1) this.#queue.splice(index, 1);
    } else {
      worker.job = null;
      this.#stop(worker);
    }
    this.#pump();
  }

  static {
    poolInternals = {
      submit: (pool, kind, fn, args) => pool.#submit(kind, fn, args),
      withdraw: (pool, job) => pool.#withdraw(job),
    };
  }
}
