/** One job submitted to a `WorkerPool`: the blocker of the task awaiting it. */
import type { CancelledError } from "../errors.ts";
import { closureError, type JobMessage } from "./_worker_source.ts";
import { type Blocker, type Task, taskInternals } from "../runtime/mod.ts";

/**
 * Library-internal `WorkerPool` option key: the API name a pool's jobs carry
 * in labels and errors (`toThread` for the default pool behind `toThread`).
 */
export const JOB_KIND: unique symbol = Symbol("corun.jobKind");

/** Called when a member's job ends, or when the member dies. */
export type JobEnded = (member: PoolMember, ok: boolean, result: unknown) => void;

/** A worker of a pool, a thread or a process: runs one job at a time. */
export interface PoolMember {
  /** The job running now, if any. */
  job: Job | null;
  /** Terminated, exited or crashed: never reused. */
  dead: boolean;
  /** Send `job`; `false` if it could not be sent (it is then rejected). */
  start(job: Job): boolean;
  /** Stop an idle member; resolves once it has exited. */
  terminate(): Promise<void>;
  /**
   * Stop the member running a cancelled job. `exited` is what `close()`
   * awaits; `stopped` resolves once the job's code no longer runs (until
   * then the member counts against the pool's size).
   */
  abandon(): { exited: Promise<void>; stopped: Promise<void> };
}

/** One submitted job; the `Blocker` of the task that awaits it. */
export class Job implements Blocker {
  /** Whether the job has settled (only the first outcome counts). */
  settled = false;
  /** The worker running it, once one has taken it. */
  worker: PoolMember | null = null;

  /**
   * A job submitted to a pool, awaited by `task`.
   *
   * @param withdraw Takes the job back from its pool when the awaiting task
   *   is cancelled: out of the queue, or its worker stopped.
   * @param mode Where the pool runs jobs (named in errors).
   * @param message What is posted to the worker.
   * @param kind The API that submitted it (`toThread`, `WorkerPool.run`), for labels and errors.
   * @param task The task that awaits it, if any.
   * @param resolve Settles the caller's promise with the result.
   * @param reject Settles the caller's promise with an error.
   */
  constructor(
    readonly withdraw: (job: Job) => void,
    readonly mode: "thread" | "process",
    readonly message: JobMessage,
    readonly kind: string,
    readonly task: Task<unknown> | undefined,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get label(): string {
    const what = this.message.name ?? /^(?:async\s+)?function\s*\*?\s*([\w$]+)/.exec(
      this.message.source ?? "",
    )?.[1] ?? "fn";
    return `${this.kind}(${what})`;
  }

  /** The awaiting task was cancelled: drop the job or stop its worker. */
  cancel(error: CancelledError): void {
    if (this.settled) return;
    this.withdraw(this);
    this.finish(false, error);
  }

  /** Settle once: unblock the task, then resolve or reject. */
  finish(ok: boolean, result: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.task !== undefined) taskInternals.unblock(this.task, this);
    if (ok) {
      this.resolve(result);
      return;
    }
    const source = this.message.source;
    const clear = source !== undefined && result instanceof Error
      ? closureError(result, source, this.mode)
      : undefined;
    this.reject(clear ?? result);
  }
}
