/**
 * `WorkerPool`: CPU-bound or blocking work on `node:worker_threads` workers,
 * like `loop.run_in_executor` with a `ProcessPoolExecutor`.
 *
 * @module
 */
import { InvalidStateError } from "../errors.ts";
import { describe } from "../_validate.ts";
import { PoolWorker } from "./_thread_member.ts";
import { checkMemoryLimit, checkMode, ProcessWorker } from "./_process_member.ts";
import { Job, JOB_KIND, type PoolMember } from "./_job.ts";
import { functionSource, type JobMessage } from "./_worker_source.ts";
import { currentTask, detachable, taskInternals } from "../runtime/mod.ts";
import { inspectable } from "../_inspect.ts";

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
  /**
   * Where jobs run. `"thread"`: `node:worker_threads` workers, cheap to
   * start (about 10 ms) and able to share a `SharedArrayBuffer`; on Deno a
   * cancelled busy job keeps running to its end and its thread counts as
   * stuck. `"process"`: each worker a subprocess of the same runtime
   * (`deno eval` under Deno; needs `--allow-run`, and the child has all
   * permissions), slower to start (about 50 ms) but killed on cancel, so
   * the work really stops, and a job that runs out of memory fails alone.
   * @default {"thread"}
   */
  mode?: "thread" | "process";
  /**
   * For `mode: "process"`: each child's V8 heap limit in MiB
   * (`--max-old-space-size`; not supported on Bun). A job that exceeds it
   * rejects with an error whose `code` is `"ERR_WORKER_OUT_OF_MEMORY"`.
   * @default {undefined: the runtime's default}
   */
  memoryLimitMb?: number;
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
  /**
   * Threads whose job was cancelled but is still running (`terminate()`
   * cannot interrupt running code on Deno 2.9); they count against `size`
   * until their code returns. In process mode, a killed process counts
   * only until it has exited (milliseconds).
   */
  stuck: number;
}

let nextJobId = 1;

/**
 * A bounded pool of workers: threads (`node:worker_threads`, the default) or
 * subprocesses (`mode: "process"`), created from code: no extra file. `run`
 * sends a self-contained function (by source) or the name of an export of
 * `options.module`; arguments and result are structured-cloned, and an error
 * thrown in the worker rejects here with its name, message and stack.
 * Cancelling the task that awaits `run` stops that worker and the pool
 * starts a new one when needed. A process is killed, so its work stops at
 * once. A thread is terminated: on Node and Bun that stops even a busy
 * loop; on Deno 2.9 its running code goes on to its end, and the thread
 * counts against `size` (`stats().stuck`) until then.
 *
 * Running out of memory: in process mode the job alone rejects (`code:
 * "ERR_WORKER_OUT_OF_MEMORY"`; set the limit with `memoryLimitMb`). In a
 * thread on Deno 2.9 it ends the whole program ("Fatal JavaScript out of
 * memory", exit code 133); on Node the job rejects with
 * `ERR_WORKER_OUT_OF_MEMORY`. Idle workers never keep the process alive.
 *
 * @example Running a module's export by name
 * ```ts
 * import assert from "node:assert/strict";
 * import { WorkerPool } from "@corun/corun";
 *
 * const module = "data:text/javascript,export const square = (n) => n * n;";
 * await using pool = new WorkerPool({ size: 2, module });
 * assert.equal(await pool.run("square", 12), 144);
 * assert.equal(await pool.run((a: number, b: number) => a + b, 2, 3), 5);
 * ```
 *
 * @example Work that really stops: one subprocess per worker
 * ```ts
 * import { createTask, sleep, WorkerPool } from "@corun/corun";
 *
 * await using pool = new WorkerPool({ mode: "process", size: 1 });
 * const spinning = createTask(() => pool.run(() => { for (;;); }));
 * await sleep(100);
 * spinning.cancel(); // kills the subprocess: the loop stops using the CPU
 * await spinning.catch(() => {});
 * const answer = await pool.run((n: number) => n * 2, 21);
 * if (answer !== 42) throw new Error(`expected 42, got ${answer}`);
 * ```
 */
export class WorkerPool implements AsyncDisposable {
  /** The maximum number of workers. */
  readonly size: number;
  /** Where jobs run: `"thread"` or `"process"`. */
  readonly mode: "thread" | "process";
  readonly #module: string | undefined;
  readonly #memoryLimitMb: number | undefined;
  readonly #workers = new Set<PoolMember>();
  readonly #stuck = new Set<PoolMember>();
  #idle: PoolMember[] = [];
  #queue: Job[] = [];
  #stopping = new Set<Promise<void>>();
  #closing: Promise<void> | null = null;
  #drained: (() => void) | null = null;
  /** A ref'd timer while jobs wait for stuck threads (nothing else keeps the loop alive). */
  #keepAlive: ReturnType<typeof setInterval> | null = null;
  /** API name in job labels and errors. */
  readonly #kind: string;
  /** Each job is given this to take itself back when its task is cancelled. */
  readonly #withdrawJob = (job: Job): void => this.#withdraw(job);

  /**
   * Create a pool; workers start on demand, up to `size`.
   *
   * @param options `size`, `module`, `mode` and `memoryLimitMb`.
   * @throws {RangeError} If `size` is not an integer >= 1, or
   *   `memoryLimitMb` not an integer >= 16.
   * @throws {TypeError} If `module` is not an absolute URL, `mode` is
   *   neither `"thread"` nor `"process"`, or `memoryLimitMb` is given for
   *   threads.
   */
  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? (globalThis.navigator?.hardwareConcurrency || 4);
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
      throw new RangeError(`options.size must be an integer >= 1, got ${describe(size)}`);
    }
    this.size = size;
    this.#kind = (options as { [JOB_KIND]?: string })[JOB_KIND] ?? "WorkerPool.run";
    this.mode = checkMode(options.mode);
    this.#memoryLimitMb = checkMemoryLimit(options.memoryLimitMb, this.mode);
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
   * import assert from "node:assert/strict";
   * import { CancelledError, createTask, sleep, WorkerPool } from "@corun/corun";
   *
   * await using pool = new WorkerPool({ size: 1 });
   * const task = createTask(() => pool.run(() => new Promise((resolve) => setTimeout(resolve, 60_000))));
   * await sleep(10);
   * task.cancel();
   * await assert.rejects(task, CancelledError);
   * assert.equal(await pool.run((n: number) => n + 1, 1), 2); // a new worker took over
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
   * import assert from "node:assert/strict";
   * import { WorkerPool } from "@corun/corun";
   *
   * const module = "data:text/javascript,export const fib = (n) => n < 2 ? n : fib(n - 1) + fib(n - 2);";
   * await using pool = new WorkerPool({ module });
   * assert.equal(await pool.run<number>("fib", 20), 6765);
   * ```
   */
  run<R = unknown>(exportName: string, ...args: unknown[]): Promise<R>;
  run(fn: string | ((...args: never[]) => unknown), ...args: unknown[]): Promise<unknown> {
    return this.#submit(fn, args);
  }

  /**
   * A cheap description of the pool, for monitors.
   *
   * @returns Size, live workers, running and queued jobs.
   */
  stats(): WorkerPoolStats {
    let running = 0;
    for (const worker of this.#workers) if (worker.job !== null) running++;
    return {
      size: this.size,
      workers: this.#workers.size,
      running,
      queued: this.#queue.length,
      stuck: this.#stuck.size,
    };
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
   * import assert from "node:assert/strict";
   * import { InvalidStateError, WorkerPool } from "@corun/corun";
   *
   * const pool = new WorkerPool({ size: 1 });
   * const job = pool.run(() => "finished anyway");
   * await pool.close();
   * assert.equal(await job, "finished anyway");
   * await assert.rejects(pool.run(() => 1), InvalidStateError);
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

  #submit(fn: unknown, args: unknown[]): Promise<unknown> {
    const kind = this.#kind;
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
      job = new Job(this.#withdrawJob, this.mode, message, kind, task, resolve, reject);
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
        if (this.#workers.size + this.#stuck.size >= this.size) break;
        try {
          worker = this.#spawn();
        } catch (error) {
          // E.g. no permission to start a subprocess: the job fails, not the pool.
          (this.#queue.shift() as Job).finish(false, error);
          continue;
        }
        this.#workers.add(worker);
      }
      const job = this.#queue.shift() as Job;
      if (!worker.start(job)) {
        this.#idle.push(worker);
      }
    }
    if (this.#drained !== null && this.#queue.length === 0 && this.stats().running === 0) {
      this.#drained();
    }
    const waiting = this.#queue.length > 0 && this.#stuck.size > 0;
    if (waiting && this.#keepAlive === null) this.#keepAlive = setInterval(() => {}, 1_000);
    if (!waiting && this.#keepAlive !== null) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
  }

  #spawn(): PoolMember {
    const ended = (w: PoolMember, ok: boolean, result: unknown) => this.#jobEnded(w, ok, result);
    return this.mode === "process"
      ? new ProcessWorker(ended, this.#memoryLimitMb)
      : new PoolWorker(ended);
  }

  #jobEnded(worker: PoolMember, ok: boolean, result: unknown): void {
    const job = worker.job;
    worker.job = null;
    if (worker.dead) this.#forget(worker);
    else this.#idle.push(worker);
    job?.finish(ok, result);
    this.#pump();
  }

  #forget(worker: PoolMember): void {
    this.#workers.delete(worker);
    const index = this.#idle.indexOf(worker);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  #stop(worker: PoolMember): void {
    this.#forget(worker);
    this.#track(worker.terminate());
  }

  #track(stopping: Promise<void>): void {
    this.#stopping.add(stopping);
    stopping.then(() => this.#stopping.delete(stopping));
  }

  /** A cancelled job's worker: it counts against `size` until its code stops. */
  #abandon(worker: PoolMember): void {
    this.#forget(worker);
    this.#stuck.add(worker);
    const { exited, stopped } = worker.abandon();
    this.#track(exited);
    stopped.then(() => {
      this.#stuck.delete(worker);
      this.#pump();
    });
  }

  #withdraw(job: Job): void {
    const worker = job.worker;
    if (worker === null) {
      const index = this.#queue.indexOf(job);
      if (index !== -1) this.#queue.splice(index, 1);
    } else {
      worker.job = null;
      this.#abandon(worker);
    }
    this.#pump();
  }
}

inspectable(WorkerPool, "WorkerPool", (pool) => ({ mode: pool.mode, ...pool.stats() }));
