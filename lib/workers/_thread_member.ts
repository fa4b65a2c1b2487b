/**
 * One `node:worker_threads` worker of a `WorkerPool`: runs one job at a time,
 * is unref'd while idle (an idle pool never keeps the process alive) and
 * ref'd while a job runs.
 */
import { Worker } from "node:worker_threads";
import { rebuildError, type ReplyMessage, WORKER_SOURCE } from "./_worker_source.ts";
import type { Job, JobEnded, PoolMember } from "./_job.ts";
import { terminateStopsCode } from "./_terminate_probe.ts";

/** A pool worker thread and the job it runs. */
export class PoolWorker implements PoolMember {
  /** The job running now, if any. */
  job: Job | null = null;
  /** Terminated, exited or crashed: never reused. */
  dead = false;
  readonly #worker: Worker;
  readonly #ended: JobEnded;
  /** Slot 0 is 1 while a job's synchronous part runs (set by the thread). */
  readonly #running = new Int32Array(new SharedArrayBuffer(4));

  /**
   * Start the worker thread (unref'd: an idle one keeps nothing alive).
   *
   * @param ended Told when a job ends on this thread.
   */
  constructor(ended: JobEnded) {
    this.#ended = ended;
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.#running });
    this.#worker.unref();
    this.#worker.on("message", (reply: ReplyMessage) => {
      if (this.dead || this.job === null || reply.id !== this.job.message.id) return;
      this.#worker.unref();
      if (reply.ok) this.#ended(this, true, reply.value);
      else this.#ended(this, false, "error" in reply ? rebuildError(reply.error) : reply.thrown);
    });
    this.#worker.on("messageerror", (error: unknown) => {
      if (this.dead || this.job === null) return;
      this.#worker.unref();
      this.#ended(this, false, error);
    });
    // An error escaping the job (e.g. thrown from a timer): the worker exits.
    this.#worker.on("error", (error: unknown) => this.#died(error));
    this.#worker.on("exit", (code: number) => {
      const label = this.job?.label ?? "a job";
      this.#died(new Error(`the worker exited with code ${code} while running ${label}`));
    });
  }

  /**
   * Post `job` to the worker.
   *
   * @returns `false` if the job could not be posted (it is then rejected).
   */
  start(job: Job): boolean {
    job.worker = this;
    this.job = job;
    try {
      this.#worker.postMessage(job.message);
    } catch (error) {
      job.worker = null;
      this.job = null;
      job.finish(false, error);
      return false;
    }
    this.#worker.ref();
    return true;
  }

  /** Terminate the thread (on Deno 2.9 running code goes on: see `abandon`). */
  terminate(): Promise<void> {
    this.dead = true;
    return this.#worker.terminate().then(() => {}, () => {});
  }

  /**
   * Terminate the worker of a cancelled job.
   *
   * @returns `exited`: the worker has exited (what `close()` awaits);
   *   `stopped`: its thread no longer runs the job. Where `terminate()`
   *   cannot interrupt running code (Deno 2.9), that is when the job's
   *   synchronous part returns, which may be never.
   */
  abandon(): { exited: Promise<void>; stopped: Promise<void> } {
    const settled = this.terminate().then(() =>
      Atomics.load(this.#running, 0) === 0 ? true : terminateStopsCode()
    );
    const stopped = settled.then(async (over) => {
      if (over) return;
      const wait = Atomics.waitAsync(this.#running, 0, 1);
      if (wait.async) await wait.value;
    });
    return { exited: settled.then(() => {}), stopped };
  }

  #died(error: unknown): void {
    if (this.dead) return;
    this.dead = true;
    this.#ended(this, false, error);
  }
}
