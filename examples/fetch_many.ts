/**
 * Fetch several URLs concurrently, at most 3 at a time (mapLimit), retrying
 * the requests that fail at first (retry), from a local server this script
 * starts itself. Prints the total time against the sum of the individual
 * times.
 *
 *   deno run --allow-net examples/fetch_many.ts
 */
import { mapLimit, retry, run } from "../mod.ts";

// A flaky server: every third item answers 503 the first time it is asked.
const asked = new Map<string, number>();
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  const path = new URL(request.url).pathname;
  const times = (asked.get(path) ?? 0) + 1;
  asked.set(path, times);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const item = Number(path.split("/").pop());
  if (item % 3 === 0 && times === 1) return new Response("busy, try again", { status: 503 });
  return new Response(`item ${item}`);
});

const base = `http://127.0.0.1:${server.addr.port}`;
const urls = Array.from({ length: 9 }, (_, i) => `${base}/items/${i + 1}`);

try {
  await run(async () => {
    const started = performance.now();
    const results = await mapLimit(urls, 3, async (url) => {
      const begun = performance.now();
      let attempts = 0;
      const body = await retry(async (signal) => {
        attempts++;
        const response = await fetch(url, { signal });
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status}`);
        }
        return await response.text();
      }, { minDelayMs: 50 });
      return { url, body, attempts, ms: performance.now() - begun };
    });
    const total = performance.now() - started;
    for (const { url, body, attempts, ms } of results) {
      const path = new URL(url).pathname;
      console.log(`${path}: "${body}" in ${ms.toFixed(0)} ms (${attempts} attempt(s))`);
    }
    const sum = results.reduce((all, { ms }) => all + ms, 0);
    console.log(
      `total ${total.toFixed(0)} ms, sum of the individual times ${sum.toFixed(0)} ms ` +
        `(${(sum / total).toFixed(1)}x from running 3 at a time)`,
    );
  });
} finally {
  await server.shutdown();
}
