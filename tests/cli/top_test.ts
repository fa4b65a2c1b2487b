// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor, type TaskInfo } from "../../monitor.ts";
import { frame, top } from "../../lib/cli/top.ts";
import { UsageError } from "../../lib/cli/errors.ts";
import { fakeTerminal } from "./_io.ts";

const task = (id: number, name: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({
  id,
  name,
  state: "waiting",
  createdAt: 0,
  waitingOn: "sleep(100)",
  ...extra,
});

Deno.test("frame() draws a header, the live tasks, then the latest finished ones, within the screen", () => {
  const terminal = fakeTerminal(72, 8);
  const body = {
    now: 1000,
    tasks: [
      task(1, "main"),
      task(2, "old", { state: "done", endedAt: 10, result: "1" }),
      task(3, "new", { state: "failed", endedAt: 20, error: "Error: x" }),
    ],
  };
  const screen = frame("http://127.0.0.1:9", body, "", terminal);
  assert.ok(screen.startsWith("\x1b[H") && screen.endsWith("\x1b[J"));
  const lines = screen.slice(3, -3).split("\r\n").map((l) => l.replace(/\x1b\[K$/, ""));
  assert.equal(lines.length, 8);
  assert.match(
    lines[0],
    /^corun top {2}http:\/\/127\.0\.0\.1:9 {2}1 live, 2 finished {2}\d\d:\d\d:\d\d {2}q: quit$/,
  );
  assert.equal(lines[1], "");
  assert.match(lines[2], /^ID +NAME +STATE/);
  assert.match(lines[3], /^1 +main +waiting +1\.00s +sleep\(100\)$/);
  assert.deepEqual(lines.slice(4, 6), ["", "recently finished:"]);
  assert.match(lines[7], /^3 +new +failed/, "newest finished first");
  for (const line of lines) assert.ok(line.length <= 72, line);
  const failed = frame("http://x", null, "cannot reach http://x: refused", terminal);
  assert.match(failed, /\r\n! cannot reach http:\/\/x: refused\x1b\[K\r\n/);
});

Deno.test("top() refreshes from the monitor until q, then leaves the alternate screen", async () => {
  await using server = await serveMonitor();
  const sleeper = createTask(() => sleep(5_000), { name: "top-visible" });
  const terminal = fakeTerminal(80, 10);
  try {
    const running = top(server.url, terminal, { intervalMs: 10 });
    while ((terminal.written.match(/top-visible/g) ?? []).length < 2) await sleep(5);
    assert.ok(terminal.listening);
    terminal.press("x");
    terminal.press("q");
    assert.equal(await running, 0);
    assert.ok(terminal.written.startsWith("\x1b[?1049h\x1b[?25l"));
    assert.ok(terminal.written.endsWith("\x1b[?25h\x1b[?1049l"));
    assert.equal(terminal.listening, false, "the terminal mode is restored");
  } finally {
    sleeper.cancel();
    await sleeper.catch(() => {});
  }
});

Deno.test("top() quits on Ctrl+C even while the monitor does not answer", async () => {
  const server = await serveMonitor();
  await server.close();
  const terminal = fakeTerminal();
  const running = top(server.url, terminal, { intervalMs: 10 });
  while (!terminal.written.includes("cannot reach")) await sleep(5);
  terminal.press("\x03");
  assert.equal(await running, 0);
  assert.ok(terminal.written.endsWith("\x1b[?25h\x1b[?1049l"));
  await assert.rejects(top("::", terminal), UsageError);
});
