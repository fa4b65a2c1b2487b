/**
 * What slow `/api/events` clients cost (raw TCP clients on 127.0.0.1 that
 * stop reading), the stream cap, the `end` event and the dropped count.
 */
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { getHistoryLimit, serveMonitor, setHistoryLimit } from "../../monitor.ts";
import { hasListeners } from "../../lib/runtime/registry.ts";

/** Open an event stream on a raw connection, and do not read it. */
async function stalledClient(port: number, token: string): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `GET /api/events?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
  await conn.write(new TextEncoder().encode(head));
  return conn;
}

/** Read until `done(text)` or the end; returns the bytes read and the text seen. */
async function drain(conn: Deno.TcpConn, done: (text: string) => boolean = () => false) {
  let bytes = 0;
  let text = "";
  const buffer = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buffer).catch(() => null);
    if (n === null) return { bytes, text, ended: true };
    bytes += n;
    // Keep only the event names: the data can be megabytes.
    text += new TextDecoder().decode(buffer.subarray(0, n)).match(/^event: \w+$/gm)?.join("\n") ??
      "";
    text += "\n";
    if (done(text)) return { bytes, text, ended: false };
  }
}

/** Many task events with long names, until `stop()`. */
function chattyWorkload() {
  let running = true;
  const name = "x".repeat(2000);
  const worker = createTask(async () => {
    while (running) {
      const batch = Array.from({ length: 50 }, (_, i) => createTask(() => i, { name }));
      for (const task of batch) await task;
      await sleep(1);
    }
  }, { name: "chatty" });
  return async () => {
    running = false;
    await worker;
  };
}

Deno.test("a client that stops reading is disconnected after streamStallMs; what it got is bounded", async () => {
  await using server = await serveMonitor({
    intervalMs: 5,
    streamBufferBytes: 64 * 1024,
    streamStallMs: 300,
  });
  const conn = await stalledClient(server.port, server.token);
  const stop = chattyWorkload();
  try {
    const started = performance.now();
    while (!hasListeners() && performance.now() - started < 5_000) await sleep(5);
    assert.ok(hasListeners(), "the stream opened");
    // The workload goes on; the server gives up on the client by itself.
    while (hasListeners() && performance.now() - started < 20_000) await sleep(20);
    assert.equal(hasListeners(), false, "the stalled client was disconnected");
  } finally {
    await stop();
  }
  const { bytes, ended } = await drain(conn);
  conn.close();
  assert.ok(ended, "the connection was closed");
  // Kernel socket buffers plus the 64 KiB queue: a few MB, not the stream's whole output.
  assert.ok(bytes < 32 * 1024 * 1024, `${bytes} bytes`);
});

Deno.test("a client that falls behind and reads again gets a fresh snapshot instead of the backlog", async () => {
  await using server = await serveMonitor({
    intervalMs: 5,
    streamBufferBytes: 16 * 1024,
    streamStallMs: 60_000,
  });
  const conn = await stalledClient(server.port, server.token);
  const stop = chattyWorkload();
  try {
    await sleep(1500);
    const { text } = await drain(
      conn,
      (seen) => (seen.match(/event: snapshot/g) ?? []).length >= 2,
    );
    const names = text.split("\n").filter(Boolean);
    assert.equal(names[0], "event: snapshot");
    assert.ok(names.slice(1).includes("event: snapshot"), "a second, fresh snapshot");
  } finally {
    conn.close();
    await stop();
  }
});

Deno.test("at most maxStreams event streams at once; more get 503", async () => {
  await using server = await serveMonitor({ maxStreams: 2 });
  const url = new URL(`api/events?token=${server.token}`, server.url);
  const open = [await fetch(url), await fetch(url)];
  const third = await fetch(url);
  assert.equal(third.status, 503);
  assert.match((await third.json()).error, /too many event streams/);
  await open[0].body?.cancel();
  await sleep(20);
  const again = await fetch(url);
  assert.equal(again.status, 200, "a slot is free again");
  await again.body?.cancel();
  await open[1].body?.cancel();
});

Deno.test("close() sends an end event with the final state of every task and the reason", async () => {
  const server = await serveMonitor();
  const task = createTask(() => sleep(5_000), { name: "to-be-cancelled" });
  const response = await fetch(new URL(`api/events?token=${server.token}`, server.url));
  const text = response.body!.pipeThrough(new TextDecoderStream());
  const all = (async () => {
    let out = "";
    for await (const chunk of text) out += chunk;
    return out;
  })();
  await sleep(20);
  task.cancel();
  await task.catch(() => {});
  await server.close({ reason: "process ended" });
  const events = (await all).split("\n\n").filter(Boolean);
  const last = events.at(-1)!;
  assert.match(last, /^event: end$/m);
  const body = JSON.parse(/^data: (.*)$/m.exec(last)![1]);
  assert.equal(body.reason, "process ended");
  assert.equal(typeof body.endedAt, "number");
  const info = body.tasks.find((t: { id: number }) => t.id === task.id);
  assert.equal(info.state, "cancelled");
});

Deno.test("/api/tasks says how many finished tasks the history dropped", async () => {
  const limit = getHistoryLimit();
  await using server = await serveMonitor();
  const read = async () =>
    (await (await fetch(new URL("api/tasks", server.url), {
      headers: { authorization: `Bearer ${server.token}` },
    })).json()).dropped as number;
  try {
    setHistoryLimit(2);
    const before = await read();
    for (let i = 0; i < 5; i++) await createTask(() => i);
    assert.equal(await read() - before, 5, "each of the 5 pushed an older one out");
  } finally {
    setHistoryLimit(limit);
  }
});

Deno.test("the snapshot event carries the live tasks and only the last 1,000 finished ones; /api/tasks has them all", async () => {
  const limit = getHistoryLimit();
  await using server = await serveMonitor();
  const live = createTask(() => sleep(5_000), { name: "still-live" });
  try {
    setHistoryLimit(3000);
    for (let i = 0; i < 2500; i++) await createTask(() => i);
    const response = await fetch(new URL(`api/events?token=${server.token}`, server.url));
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
    await reader.cancel();
    const body = JSON.parse(/^data: (.*)$/m.exec(text)![1]);
    const finished = body.tasks.filter((t: { endedAt?: number }) => t.endedAt !== undefined);
    assert.equal(finished.length, 1000);
    assert.ok(body.omitted >= 1500, `omitted ${body.omitted}`);
    assert.ok(body.tasks.some((t: { id: number }) => t.id === live.id), "the live task is in");
    const all = await (await fetch(new URL("api/tasks", server.url), {
      headers: { authorization: `Bearer ${server.token}` },
    })).json();
    assert.ok(all.tasks.length >= 2501);
  } finally {
    setHistoryLimit(limit);
    live.cancel();
    await live.catch(() => {});
  }
});
