/**
 * What every workload implementation shares: the sizes, the way a result is
 * reported to the driver (one JSON line on stdout), a macrotask yield for
 * implementations that have none of their own, and heap measurement.
 *
 * @module
 */
import process from "node:process";

/** W1/W5/W6: tasks spawned. */
export const TASKS = 100_000;
/** W2: integers through the queue. */
export const ITEMS = 200_000;
/** W2: queue capacity. */
export const QUEUE_SIZE = 100;
/** W3: jobs through the semaphore. */
export const JOBS = 100_000;
/** W3: semaphore permits. */
export const PERMITS = 100;
/** W4: sequential calls wrapped in a timeout. */
export const CALLS = 100_000;
/** W4: the timeout, never reached. */
export const TIMEOUT_MS = 1_000;

/** H1-H3: items through the toolkit helpers. */
export const HELPER_ITEMS = 100_000;
/** H1: calls in flight in the streaming map. */
export const STREAM_LIMIT = 16;
/** H3: sources merged. */
export const MERGED_SOURCES = 4;

/** The workload names a child understands. */
export const WORKLOADS = [
  "W1",
  "W1m",
  "W2a",
  "W2b",
  "W3",
  "W3t",
  "W3m",
  "W4",
  "W4w",
  "W5",
  "W5m",
  "W6",
  "W6s",
  "H1",
  "H2",
  "H3",
] as const;
/** One workload name. */
export type Workload = typeof WORKLOADS[number];

/** What a child prints, as one JSON line. */
export interface Measurement {
  /** Median-able wall time of the workload itself, in milliseconds. */
  ms?: number;
  /** CPU time (user + system, every thread) of the process during the workload. */
  cpuMs?: number;
  /** W5: heap bytes per blocked task. */
  bytesPerTask?: number;
  /** `Date.now()` when the workload finished (the driver measures exit delay). */
  endAt?: number;
  /** A checksum of the results, so no implementation skips work. */
  check?: number;
  /** Set instead of `ms` when the implementation lacks the primitive. */
  na?: string;
}

/** The workload named on the command line, validated. */
export function workloadArg(): Workload {
  const name = Deno.args[0];
  if (!(WORKLOADS as readonly string[]).includes(name)) {
    throw new RangeError(`workload must be one of ${WORKLOADS.join(", ")}, got ${name}`);
  }
  return name as Workload;
}

/** What an implementation does for each workload it has (it reports its own line). */
export type Handlers = { [W in Workload]?: () => Promise<void> };

/**
 * Run the handler of the workload named on the command line, or report `na`
 * when the implementation has none.
 */
export function dispatch(handlers: Handlers, na = "no such primitive"): Promise<void> {
  const handler = handlers[workloadArg()];
  if (handler !== undefined) return handler();
  report({ na });
  return Promise.resolve();
}

/** Print the measurement line the driver reads. */
export function report(measurement: Measurement): void {
  console.log(JSON.stringify({ ...measurement, endAt: Date.now() }));
}

/** CPU milliseconds the process has used so far (all threads). */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Time `fn` and report it with its checksum. */
export async function timed(fn: () => Promise<number>): Promise<void> {
  const cpu = cpuNow();
  const started = performance.now();
  const check = await fn();
  report({ ms: performance.now() - started, cpuMs: cpuNow() - cpu, check });
}

/** The expected checksum of 0 + 1 + ... + (n - 1). */
export function sumBelow(n: number): number {
  return (n * (n - 1)) / 2;
}

/** H1's call: one microtask, then the item doubled. */
export async function doubleLater(i: number): Promise<number> {
  await null;
  return i * 2;
}

/** H3's sources: `MERGED_SOURCES` async generators sharing 0 ... HELPER_ITEMS - 1. */
export function mergeSources(): AsyncGenerator<number>[] {
  const each = HELPER_ITEMS / MERGED_SOURCES;
  return Array.from({ length: MERGED_SOURCES }, async function* (_, s) {
    for (let i = 0; i < each; i++) yield s * each + i;
  });
}

/** The work of one "fast call" in W4: one microtask, then the value. */
export async function fastWork(i: number): Promise<number> {
  await null;
  return i;
}

let turnWaiters: (() => void)[] = [];
let channel: MessageChannel | null = null;

function flushTurn(): void {
  const batch = turnWaiters;
  turnWaiters = [];
  for (let i = 0; i < batch.length; i++) batch[i]();
  // Like corun's scheduler: never keep the process alive while idle.
  if (turnWaiters.length === 0 && channel !== null) {
    channel.port1.close();
    channel.port2.close();
    channel = null;
  }
}

/**
 * Resolve on the next macrotask turn, batched on one `MessageChannel` post
 * (what corun's `sleep(0)` does): the raw floor's "yield once".
 *
 * @returns A promise that resolves on the next turn of the event loop.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (turnWaiters.push(resolve) === 1) {
      if (channel === null) {
        channel = new MessageChannel();
        channel.port1.onmessage = flushTurn;
      }
      channel.port2.postMessage(0);
    }
  });
}

/** Force a full collection (the child runs with `--expose-gc`). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  gc();
  gc();
}

/** V8 heap in use, after a full collection. */
export function heapAfterGc(): number {
  collect();
  return Deno.memoryUsage().heapUsed;
}
