/**
 * The sindresorhus promise helpers, each where it has the primitive:
 * `p-limit` and `p-queue` for W3 (concurrency limit), `p-timeout` for W4.
 * They have no yield of their own, so jobs yield with the floor's
 * `nextTurn()`. Usage: `p_libs.ts <workload> <p-limit|p-queue|p-timeout>`.
 *
 * @module
 */
import pLimit from "npm:p-limit@7.3.3";
import PQueue from "npm:p-queue@10.0.0";
import pTimeout from "npm:p-timeout@8.0.0";
import {
  CALLS,
  dispatch,
  fastWork,
  type Handlers,
  JOBS,
  nextTurn,
  PERMITS,
  timed,
  TIMEOUT_MS,
} from "./_common.ts";

const job = async (i: number): Promise<number> => {
  await nextTurn();
  return i;
};
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

async function limited(): Promise<number> {
  const limit = pLimit(PERMITS);
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < JOBS; i++) jobs.push(limit(job, i));
  return sum(await Promise.all(jobs));
}

async function queued(): Promise<number> {
  const queue = new PQueue({ concurrency: PERMITS });
  const jobs: Promise<number>[] = [];
  for (let i = 0; i < JOBS; i++) jobs.push(queue.add(() => job(i)));
  return sum(await Promise.all(jobs));
}

async function timeouts(): Promise<number> {
  let total = 0;
  for (let i = 0; i < CALLS; i++) {
    total += await pTimeout(fastWork(i), { milliseconds: TIMEOUT_MS });
  }
  return total;
}

const library = Deno.args[1];
const handlers: Record<string, Handlers> = {
  // W3m is "the same jobs through the library's map helper": p-limit's is its limit itself.
  "p-limit": { W3: () => timed(limited), W3m: () => timed(limited) },
  "p-queue": { W3: () => timed(queued) },
  "p-timeout": { W4: () => timed(timeouts) },
};
await dispatch(handlers[library] ?? {}, `no such primitive in ${library}`);
