/**
 * Two tasks at once: one says "hello" after 1 s, the other "world" after 2 s.
 * Started as tasks they overlap, so the whole takes about 2 s, not 3.
 *
 *     deno run examples/concurrent_tasks.ts
 */
import { createTask, run, sleep } from "@corun/corun";
import { elapsed, scaled } from "./_scale.ts";

async function sayAfter(ms: number, what: string, start: number): Promise<void> {
  await sleep(scaled(ms));
  console.log(`${what.padEnd(6)} at ${elapsed(start)}`);
}

await run(async () => {
  const start = performance.now();
  console.log("started: world needs 2 s, hello needs 1 s");
  const world = createTask(() => sayAfter(2000, "world", start), { name: "world" });
  const hello = createTask(() => sayAfter(1000, "hello", start), { name: "hello" });
  await world;
  await hello;
  console.log(`finished in ${elapsed(start)} (one after the other: 3.00 s)`);
});
