/**
 * Fetch 30 items from a local server, 4 at a time but at most 10 requests
 * a second (RateLimiter, as aiolimiter), with a progress bar on stderr
 * (mapLimit's progress option; shown only when stderr is a terminal).
 *
 *   deno run --allow-net examples/rate_limited_fetch.ts
 */
import { mapLimit, RateLimiter, run } from "../mod.ts";
import { elapsed, scaled } from "./_scale.ts";

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  const id = Number(new URL(request.url).pathname.split("/").pop());
  await new Promise((resolve) => setTimeout(resolve, scaled(50 + (id % 5) * 20)));
  return Response.json({ id, name: `item ${id}` });
});
const base = `http://127.0.0.1:${server.addr.port}`;

const limiter = new RateLimiter(10, scaled(1000));

try {
  await run(async () => {
    const started = performance.now();
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const items = await mapLimit(ids, 4, async (id, _index, signal) => {
      using _ = await limiter.acquire();
      const response = await fetch(`${base}/items/${id}`, { signal });
      return (await response.json()) as { id: number; name: string };
    }, { progress: "Fetching" });
    console.log(`fetched ${items.length} items, ${items[0].name} to ${items.at(-1)?.name}`);
    // The first 10 go at once; each later one waits until the one 10 before it is 1 s old.
    console.log(`took ${elapsed(started)} (30 requests at 10 per second: at least 2 s)`);
  });
} finally {
  await server.shutdown();
}
