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
    // Characters below 256 go as one byte each (`\xff` is the byte 0xff), others as UTF-8.
    const bytes = [...`${head}\r\nConnection: close\r\n\r\n`].flatMap((ch) =>
      ch.charCodeAt(0) < 256 ? [ch.charCodeAt(0)] : [...new TextEncoder().encode(ch)]
    );
    await conn.write(Uint8Array.from(bytes));
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

Deno.test("the host is checked on the real target: an absolute-form request line and the Host header must both be loopback", async () => {
  await using server = await serveMonitor();
  const auth = `Authorization: Bearer ${server.token}`;
  const host = `Host: 127.0.0.1:${server.port}`;
  const cases: [string, number][] = [
    [`GET http://evil.example/api/tasks HTTP/1.1\r\n${host}\r\n${auth}`, 403],
    [`GET http://evil.example:${server.port}/ HTTP/1.1\r\n${host}`, 403],
    // The Host header must be loopback too (Deno's request.url hides a Host it cannot represent).
    [
      `GET http://127.0.0.1:${server.port}/api/tasks HTTP/1.1\r\nHost: evil.example\r\n${auth}`,
      403,
    ],
    [
      `GET http://127.0.0.1:${server.port}/api/tasks HTTP/1.1\r\nHost: localhost\r\n${auth}`,
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

Deno.test("a Host header Deno's request.url would replace by localhost gets 400: non-ASCII, \\xff, empty, missing", async () => {
  await using server = await serveMonitor();
  const auth = `Authorization: Bearer ${server.token}`;
  const hosts = ["\xff", "évil.example", "", "evil_x.example", "a:1:2", "127.0.0.1, evil"];
  for (const host of hosts) {
    const answer = await raw(server.port, `GET /api/tasks HTTP/1.1\r\nHost: ${host}\r\n${auth}`);
    assert.equal(status(answer), 400, JSON.stringify(host));
    assert.doesNotMatch(answer, /"tasks"/);
  }
  // Whitespace around a field value is not part of it (RFC 9110 §5.5): " 127.0.0.1" is 127.0.0.1.
  assert.equal(
    status(await raw(server.port, `GET /api/tasks HTTP/1.1\r\nHost:  127.0.0.1 \r\n${auth}`)),
    200,
  );
  const missing = await raw(server.port, `GET /api/tasks HTTP/1.1\r\n${auth}`);
  assert.equal(status(missing), 400);
  for (const host of ["evil.example.", "xn--evil.example", "localhost.evil.example"]) {
    const answer = await raw(server.port, `GET /api/tasks HTTP/1.1\r\nHost: ${host}\r\n${auth}`);
    assert.equal(status(answer), 403, host);
  }
});

Deno.test("the Bearer scheme is case-insensitive (RFC 9110)", async () => {
  await using server = await serveMonitor();
  for (const scheme of ["Bearer", "bearer", "BEARER"]) {
    const response = await fetch(new URL("api/tasks", server.url), {
      headers: { authorization: `${scheme} ${server.token}` },
    });
    assert.equal(response.status, 200, scheme);
    await response.body?.cancel();
  }
  const response = await fetch(new URL("api/tasks", server.url), {
    headers: { authorization: `Basic ${server.token}` },
  });
  assert.equal(response.status, 401);
  await response.body?.cancel();
});
