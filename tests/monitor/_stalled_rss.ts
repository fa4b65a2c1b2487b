/**
 * A memory figure: a monitor server over a history of `history` finished
 * tasks (as `corun run --timeline` keeps), a chatty workload, and `clients`
 * event-stream clients that never read, for `seconds`. Prints
 * `{"before":..,"after":..,"peak":..,"snapshotBytes":..}` (RSS in bytes) on
 * stdout. Used by server_memory_test.ts.
 *
 *   deno run -A tests/monitor/_stalled_rss.ts [clients=4] [seconds=4] [history=1000]
 */
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor, setHistoryLimit } from "../../monitor.ts";

const clients = Number(Deno.args[0] ?? 4);
const seconds = Number(Deno.args[1] ?? 4);
const history = Number(Deno.args[2] ?? 1000);
setHistoryLimit(history);
const name = "x".repeat(1000);
// Fill the history: every entry shares the one name string, so it costs the
// history little, but each entry is a kilobyte in a full snapshot's JSON.
for (let done = 0; done < history; done += 1000) {
  await Promise.all(Array.from({ length: 1000 }, (_, i) => createTask(() => i, { name })));
}
const server = await serveMonitor({ intervalMs: 20 });
let running = true;
const worker = createTask(async () => {
  while (running) {
    const batch = Array.from({ length: 100 }, (_, i) => createTask(() => i, { name }));
    for (const task of batch) await task;
    await sleep(1);
  }
}, { name: "chatty" });
await sleep(500);
const probe = await fetch(`${server.url}api/events?token=${server.token}`);
const reader = probe.body!.getReader();
let snapshotBytes = 0;
let text = "";
while (!text.includes("\n\n")) {
  const { value, done } = await reader.read();
  if (done) break;
  snapshotBytes += value.byteLength;
  text += new TextDecoder().decode(value);
}
await reader.cancel();
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
console.log(JSON.stringify({ before, after, peak, snapshotBytes }));
