/**
 * Hello, world, asyncio's first example: say hello, sleep one second without
 * blocking anything, say world.
 *
 *     deno run examples/hello.ts
 */
import { run, sleep } from "@corun/corun";
import { scaled } from "./_scale.ts";

await run(async () => {
  console.log("hello");
  await sleep(scaled(1000));
  console.log("world");
});
