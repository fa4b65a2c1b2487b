import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor, type TaskInfo } from "../../monitor.ts";
import { hasListeners } from "../../lib/runtime/registry.ts";

/**
 * Send a raw HTTP/1.1 request, so the request line and Host header are
 * exactly what we say (fetch never sends an absolute-form request line).
 */
async function rawRequest(
  port: number,
  host: string,
  path: string,
  token = "",
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const auth = token === "" ? "" : `Authorization: Bearer ${token}\r\n`;
    const request = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Connection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    let text = "";
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

/** Read SSE events from a response until `predicate` accepts one. */
async function readEvents(
  response: Response,
  predicate: (name: string, data: { now: number; tasks: TaskInfo[] }) => boolean,
): Promise<string[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const names: string[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended after ${names.join(", ")}`);
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null");
        names.push(name);
        if (predicate(name, data)) return names;
      }
    }
  } finally {
    await reader.cancel();
  }
}

Deno.test("GET /api/tasks answers the server clock and every task as TaskInfo", async () => {
  await using server = await serveMonitor();
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(server.dashboardUrl, `${server.url}#token=${server.token}`);
  assert.match(server.token, /^[0-9a-f]{32}$/);
  const task = createTask(() => sleep(1000), { name: "api-visible" });
  await sleep(5);
  const response = await fetch(new URL("api/tasks", server.url), { headers: auth(server) });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = await response.json();
  assert.deepEqual(Object.keys(body).sort(), ["dropped", "now", "tasks", "timeOrigin", "warnings"]);
  assert.equal(typeof body.now, "number");
  const info = body.tasks.find((t: TaskInfo) => t.id === task.id);
  assert.deepEqual(Object.keys(info).sort(), [
    "createdAt",
    "id",
    "name",
    "startedAt",
    "state",
    "waitingOn",
    "waitingSince",
  ]);
  assert.equal(info.state, "waiting");
  assert.equal(info.waitingOn, "sleep(1000)");
  task.cancel();
  await task.catch(() => {});
});

Deno.test("GET /api/events sends a snapshot, then updates as tasks change", async () => {
  await using server = await serveMonitor({ intervalMs: 10 });
  const response = await fetch(new URL("api/events", server.url), { headers: auth(server) });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  let task: ReturnType<typeof createTask<number>> | undefined;
  const names = await readEvents(response, (name, data) => {
    if (name === "snapshot") {
      assert.ok(Array.isArray(data.tasks));
      task = createTask(async () => {
        await sleep(5);
        return 9;
      }, { name: "streamed" });
      return false;
    }
    const info = data.tasks.find((t) => t.name === "streamed");
    return info?.state === "done" && info.result === "9";
  });
  assert.equal(names[0], "snapshot");
  assert.ok(names.slice(1).every((name) => name === "update"));
  await task;
});

Deno.test("POST /api/tasks/<id>/cancel needs the token: 401 without it, cancels with it", async () => {
  await using server = await serveMonitor();
  const task = createTask(() => sleep(10_000), { name: "target" });
  await sleep(1);
  const url = new URL(`api/tasks/${task.id}/cancel`, server.url);
  const anonymous = await fetch(url, { method: "POST" });
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const wrong = await fetch(url, { method: "POST", headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 401);
  await wrong.body?.cancel();
  assert.equal(task.done(), false);
  const auth = { authorization: `Bearer ${server.token}` };
  const ok = await fetch(url, { method: "POST", headers: auth });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { cancelled: true });
  await assert.rejects(task, { name: "CancelledError", message: "cancelled from the monitor" });
  const again = await fetch(url, { method: "POST", headers: auth });
  assert.equal(again.status, 409);
  await again.body?.cancel();
  const unknown = await fetch(new URL("api/tasks/999999999/cancel", server.url), {
    method: "POST",
    headers: auth,
  });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

function auth(server: { token: string }): HeadersInit {
  return { authorization: `Bearer ${server.token}` };
}

Deno.test("a request with a foreign Host gets 403; loopback names are served", async () => {
  await using server = await serveMonitor();
  const foreign = await rawRequest(server.port, "evil.example:80", "/api/tasks", server.token);
  assert.match(foreign, /^HTTP\/1\.1 403/);
  const rebound = await rawRequest(server.port, "127.0.0.1.evil.example", "/");
  assert.match(rebound, /^HTTP\/1\.1 403/);
  const local = await rawRequest(
    server.port,
    `localhost:${server.port}`,
    "/api/tasks",
    server.token,
  );
  assert.match(local, /^HTTP\/1\.1 200/);
});

Deno.test("GET / serves the self-contained dashboard; unknown paths are 404", async () => {
  await using server = await serveMonitor();
  const page = await fetch(server.url);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  const html = await page.text();
  assert.match(html, /<title>corun monitor<\/title>/);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, "no external assets");
  const missing = await fetch(new URL("nope", server.url));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("serveMonitor() binds loopback only and validates its options", async () => {
  await assert.rejects(serveMonitor({ hostname: "0.0.0.0" }), RangeError);
  await assert.rejects(serveMonitor({ port: 70000 }), RangeError);
  await assert.rejects(serveMonitor({ intervalMs: -1 }), RangeError);
});

Deno.test("close() ends open event streams, stops listening to task events and frees the port", async () => {
  const server = await serveMonitor();
  assert.equal(hasListeners(), false, "no stream open: tasks build no events");
  const response = await fetch(new URL(`api/events?token=${server.token}`, server.url));
  const reader = response.body!.getReader();
  await reader.read();
  assert.equal(hasListeners(), true, "an open stream listens");
  await server.close();
  await server.close();
  assert.equal(hasListeners(), false, "the last stream gone, nothing listens");
  for (;;) if ((await reader.read()).done) break;
  await assert.rejects(fetch(server.url));
});
