/**
 * A memory figure: a monitor server, a chatty workload and `clients`
 * event-stream clients that never read, for `seconds`. Prints
 * `{"before":..,"after":..,"peak":..}` (RSS in bytes) on stdout.
 *
 *   deno run -A tests/monitor/_stalled_rss.ts [clients=4] [seconds=4]
 */
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";

const clients = Number(Deno.args[0] ?? 4);
const seconds = Number(Deno.args[1] ?? 4);
const server = await serveMonitor({ intervalMs: 20 });
let running = true;
const name = "x".repeat(1000);
const worker = createTask(async () => {
  while (running) {
    const batch = Array.from({ length: 100 }, (_, i) => createTask(() => i, { name }));
    for (const task of batch) await task;
    await sleep(1);
  }
}, { name: "chatty" });
await sleep(500);
const before = Deno.memoryUsage().rss;
const conns: Deno.TcpConn[] = [];
for (let i = 0; i < clients; i++) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(new TextEncoder().encode(
    `GET /api/events?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  ));
  conns.push(conn);
}
let peak = before;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  await sleep(100);
  peak = Math.max(peak, Deno.memoryUsage().rss);
}
const after = Deno.memoryUsage().rss;
running = false;
await worker;
for (const conn of conns) conn.close();
await server.close();
console.log(JSON.stringify({ before, after, peak }));
