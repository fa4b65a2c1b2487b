/**
 * One process of a process-isolated `WorkerPool`: a `deno` (or `node`,
 * `bun`) subprocess started with `node:child_process`, which runs one job at
 * a time and is killed (SIGKILL) when its job is cancelled, so a busy loop
 * really stops. Messages are framed `node:v8` serializations on file
 * descriptors 3 (jobs) and 4 (replies). The child is unref'd while idle and
 * ref'd while a job runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Buffer } from "node:buffer";
import process from "node:process";
import type { Writable } from "node:stream";
import { deserialize, serialize } from "node:v8";
import type { Job, JobEnded, PoolMember } from "./_job.ts";
import { PROCESS_SOURCE } from "./_process_source.ts";
import { rebuildError, type ReplyMessage } from "./_worker_source.ts";
import { describe } from "../_validate.ts";

/** `options.mode` of a `WorkerPool`, checked (`TypeError`). */
export function checkMode(mode: unknown): "thread" | "process" {
  if (mode === undefined) return "thread";
  if (mode !== "thread" && mode !== "process") {
    throw new TypeError(`options.mode must be "thread" or "process", got ${describe(mode)}`);
  }
  return mode;
}

/** `options.memoryLimitMb`, checked: an integer >= 16 (`RangeError`), for processes only (`TypeError`). */
export function checkMemoryLimit(limit: unknown, mode: "thread" | "process"): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 16) {
    throw new RangeError(`options.memoryLimitMb must be an integer >= 16, got ${describe(limit)}`);
  }
  if (mode !== "process") {
    throw new TypeError(
      `options.memoryLimitMb needs mode: "process" (a thread that runs out of memory cannot fail alone), got mode ${
        describe(mode)
      }`,
    );
  }
  return limit;
}

/** What V8 prints when a heap limit is reached (Deno: "Fatal JavaScript out of memory"). */
const OUT_OF_MEMORY = /out of memory|heap limit|Last few GCs/i;

interface Unrefable {
  ref?(): void;
  unref?(): void;
}

/** A pool member in a subprocess. */
export class ProcessWorker implements PoolMember {
  job: Job | null = null;
  dead = false;
  readonly #child: ChildProcess;
  readonly #ended: JobEnded;
  readonly #memoryLimitMb: number | undefined;
  readonly #closed: Promise<void>;
  #pending: Buffer = Buffer.alloc(0);
  #stderrTail = "";
  #outOfMemory = false;

  /**
   * Spawn the child process.
   *
   * @param ended Told when a job ends in this process.
   * @param memoryLimitMb The child's V8 heap limit, if any.
   */
  constructor(ended: JobEnded, memoryLimitMb: number | undefined) {
    this.#ended = ended;
    this.#memoryLimitMb = memoryLimitMb;
    try {
      this.#child = spawn(process.execPath, childArgs(memoryLimitMb), {
        stdio: ["ignore", "inherit", "pipe", "pipe", "pipe"],
        windowsHide: true,
      });
    } catch (error) {
      // Deno without --allow-run (or --allow-env) says only what it lacks.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`WorkerPool({ mode: "process" }) could not start a subprocess: ${reason}`, {
        cause: error,
      });
    }
    this.#closed = new Promise((resolve) => {
      this.#child.once("close", () => resolve());
      // A child that never started emits "error" and perhaps no "close".
      this.#child.once("error", () => this.#child.pid === undefined && resolve());
    });
    this.#child.on("error", (error) => this.#died(error));
    this.#child.once("exit", (code, signal) => this.#died(this.#exitError(code, signal)));
    // A killed child resets its pipes (ECONNRESET, EPIPE): its exit says what happened.
    for (const stream of this.#child.stdio) stream?.on("error", () => {});
    this.#child.stdio[4]?.on("data", (chunk: Buffer) => this.#read(chunk));
    this.#child.stderr?.on("data", (chunk: Buffer) => this.#stderr(chunk));
    this.#setRef(false);
  }

  start(job: Job): boolean {
    job.worker = this;
    this.job = job;
    let frame: Buffer;
    try {
      const body = serialize(job.message);
      frame = Buffer.alloc(4 + body.length);
      frame.writeUInt32BE(body.length);
      body.copy(frame, 4);
    } catch (error) {
      job.worker = null;
      this.job = null;
      job.finish(false, cloneError(error));
      return false;
    }
    (this.#child.stdio[3] as Writable).write(frame);
    this.#setRef(true);
    return true;
  }

  terminate(): Promise<void> {
    this.dead = true;
    // Ref'd again, so that whoever awaits the exit keeps the event loop alive.
    this.#setRef(true);
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill("SIGKILL");
    }
    return this.#closed;
  }

  abandon(): { exited: Promise<void>; stopped: Promise<void> } {
    const exited = this.terminate();
    return { exited, stopped: exited };
  }

  #read(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (this.#pending.length < 4 + length) return;
      const body = this.#pending.subarray(4, 4 + length);
      this.#pending = this.#pending.subarray(4 + length);
      this.#reply(deserialize(body) as ReplyMessage);
    }
  }

  #reply(reply: ReplyMessage): void {
    if (this.dead || this.job === null || reply.id !== this.job.message.id) return;
    this.#setRef(false);
    if (reply.ok) this.#ended(this, true, reply.value);
    else this.#ended(this, false, "error" in reply ? rebuildError(reply.error) : reply.thrown);
  }

  /** Pass the child's stderr on, except V8's out-of-memory report (the job's error says it). */
  #stderr(chunk: Buffer): void {
    const text = chunk.toString();
    this.#stderrTail = (this.#stderrTail + text).slice(-4096);
    if (!this.#outOfMemory && OUT_OF_MEMORY.test(this.#stderrTail)) this.#outOfMemory = true;
    if (!this.#outOfMemory) process.stderr.write(chunk);
  }

  #exitError(code: number | null, signal: string | null): Error {
    const label = this.job?.label ?? "a job";
    if (this.#outOfMemory) {
      const limit = this.#memoryLimitMb === undefined
        ? "the runtime's default heap limit"
        : `memoryLimitMb: ${this.#memoryLimitMb}`;
      const error = new Error(
        `the worker process ran out of memory (${limit}) while running ${label}`,
      );
      return Object.assign(error, { code: "ERR_WORKER_OUT_OF_MEMORY" });
    }
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    return new Error(`the worker process ${how} while running ${label}`);
  }

  #died(error: unknown): void {
    if (this.dead) return;
    this.dead = true;
    this.#ended(this, false, error);
  }

  #setRef(on: boolean): void {
    const handles = [this.#child, ...this.#child.stdio] as (Unrefable | null | undefined)[];
    for (const handle of handles) on ? handle?.ref?.() : handle?.unref?.();
  }
}

/** The runtime's command line for the child program. */
function childArgs(memoryLimitMb: number | undefined): string[] {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.deno !== undefined) {
    const flags = memoryLimitMb === undefined
      ? []
      : [`--v8-flags=--max-old-space-size=${memoryLimitMb}`];
    return ["eval", "--quiet", ...flags, PROCESS_SOURCE];
  }
  if (versions.bun !== undefined) return ["-e", PROCESS_SOURCE];
  const flags = memoryLimitMb === undefined ? [] : [`--max-old-space-size=${memoryLimitMb}`];
  return [...flags, "--input-type=module", "-e", PROCESS_SOURCE];
}

/** `node:v8` fails with a plain `Error` ("... could not be cloned."): make it a `TypeError`. */
function cloneError(error: unknown): unknown {
  if (error instanceof Error && /could not be cloned/.test(error.message)) {
    return new TypeError(error.message, { cause: error });
  }
  return error;
}
