/** Helpers for the synchronisation and queue tests. */
import { sleep } from "../lib/sleep.ts";
import { type Task, taskInternals } from "../lib/runtime/mod.ts";

/** Let every ready task run (one macrotask turn). */
export function settle(): Promise<void> {
  return sleep(0);
}

/** What the monitor shows `task` waiting on. */
export function waitingOn(task: Task<unknown>): string | undefined {
  return taskInternals.info(task).waitingOn;
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
