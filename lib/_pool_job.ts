/** One job submitted to a `WorkerPool`: the blocker of the task awaiting it. */
import type { CancelledError } from "./errors.ts";
import { closureError, type JobMessage } from "./_worker_source.ts";
import type { Blocker } from "./runtime/blocker.ts";
import { type Task, taskInternals } from "./task.ts";
import type { PoolWorker } from "./_pool_worker.ts";
import { poolInternals, type WorkerPool } from "./worker_pool.ts";

/** One submitted job; the `Blocker` of the task that awaits it. */
export class Job implements Blocker {
  settled = false;
  worker: PoolWorker | null = null;

  constructor(
    readonly pool: WorkerPool,
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
    poolInternals.withdraw(this.pool, this);
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
      ? closureError(result, source)
      : undefined;
    this.reject(clear ?? result);
  }
}
