/**
 * Three "fetches" gathered: they run at once, finish in a different order,
 * and gather returns their results in the order they were asked for.
 *
 *     deno run examples/gather.ts
 */
import { gather, run, sleep } from "@corun/corun";
import { elapsed, scaled } from "./_scale.ts";

async function fetchResource(name: string, ms: number, start: number): Promise<string> {
  console.log(`fetch ${name}: started`);
  await sleep(scaled(ms));
  console.log(`fetch ${name}: done at ${elapsed(start)}`);
  return `${name} (${ms} ms)`;
}

await run(async () => {
  const start = performance.now();
  const [users, orders, stock] = await gather(
    () => fetchResource("users", 1500, start),
    () => fetchResource("orders", 500, start),
    () => fetchResource("stock", 1000, start),
  );
  console.log(`results in order: ${users}, ${orders}, ${stock}`);
  console.log(`all three in ${elapsed(start)} (one after the other: 3.00 s)`);
});
