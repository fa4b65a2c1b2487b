/**
 * Who may read the monitor: the token on every /api/ endpoint, and the host
 * a request is really for (raw TCP, since fetch sends neither absolute-form
 * request lines nor malformed Host headers).
 */
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";

/** Send `head` (request line and headers) as is and return the whole answer. */
async function raw(port: number, head: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(`${head}\r\nConnection: close\r\n\r\n`));
    let text = "";
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return text;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);

Deno.test("every /api/ read needs the token: 401 without it, Bearer for tasks, ?token= for events", async () => {
  await using server = await serveMonitor();
  const task = createTask(() => sleep(5_000, "secret"), { name: "private" });
  try {
    for (const path of ["api/tasks", "api/events", `api/tasks?token=${server.token}`]) {
      const response = await fetch(new URL(path, server.url));
      assert.equal(response.status, 401, path);
      const text = await response.text();
      assert.doesNotMatch(text, /private/);
    }
    const wrong = await fetch(new URL("api/events?token=0000", server.url));
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const tasks = await fetch(new URL("api/tasks", server.url), {
      headers: { authorization: `Bearer ${server.token}` },
    });
    assert.equal(tasks.status, 200);
    assert.match(await tasks.text(), /private/);
    const events = await fetch(new URL(`api/events?token=${server.token}`, server.url));
    assert.equal(events.status, 200);
    await events.body?.cancel();
    // The page itself is public: it reads the token from its URL fragment.
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /location\.hash/);
  } finally {
    task.cancel();
    await task.catch(() => {});
  }
});

Deno.test("the host is checked on the real target: an absolute-form request line wins over Host", async () => {
  await using server = await serveMonitor();
  const auth = `Authorization: Bearer ${server.token}`;
  const host = `Host: 127.0.0.1:${server.port}`;
  const cases: [string, number][] = [
    [`GET http://evil.example/api/tasks HTTP/1.1\r\n${host}\r\n${auth}`, 403],
    [`GET http://evil.example:${server.port}/ HTTP/1.1\r\n${host}`, 403],
    [
      `GET http://127.0.0.1:${server.port}/api/tasks HTTP/1.1\r\nHost: evil.example\r\n${auth}`,
      200,
    ],
    [`GET /api/tasks HTTP/1.1\r\n${host}\r\n${auth}`, 200],
  ];
  for (const [head, expected] of cases) {
    assert.equal(status(await raw(server.port, head)), expected, head.split("\r\n")[0]);
  }
});

Deno.test("userinfo and malformed ports get 400, never an exception", async () => {
  await using server = await serveMonitor();
  const auth = `Authorization: Bearer ${server.token}`;
  const hosts = ["127.0.0.1:1@evil", "localhost:abc", "127.0.0.1:99999", "[::1]evil", "a b"];
  for (const host of hosts) {
    const answer = await raw(server.port, `GET /api/tasks HTTP/1.1\r\nHost: ${host}\r\n${auth}`);
    // hyper itself may refuse a Host with a space; either way, a 400.
    assert.equal(status(answer), 400, host);
    assert.doesNotMatch(answer, /"tasks"/);
  }
  const userinfo = await raw(
    server.port,
    `GET http://x@127.0.0.1:${server.port}/api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}`,
  );
  assert.equal(status(userinfo), 400);
});
