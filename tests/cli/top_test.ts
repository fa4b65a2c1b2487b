// Escape codes are what these tests check.
// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";
import { top } from "../../lib/cli/top.ts";
import { UsageError } from "../../lib/cli/errors.ts";
import { captureIo, fakeTerminal } from "./_io.ts";

Deno.test("top() refreshes from the monitor until q, then leaves the alternate screen", async () => {
  await using server = await serveMonitor();
  const sleeper = createTask(() => sleep(5_000), { name: "top-visible" });
  const terminal = fakeTerminal(80, 10);
  try {
    const running = top(server.dashboardUrl, terminal, captureIo(), { intervalMs: 10 });
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

Deno.test("top() selects a remote task with the arrow keys and cancels it with c", async () => {
  await using server = await serveMonitor();
  const first = createTask(() => sleep(5_000), { name: "top-first" });
  const second = createTask(() => sleep(5_000), { name: "top-second" });
  const terminal = fakeTerminal(90, 14);
  const running = top(server.dashboardUrl, terminal, captureIo(), { intervalMs: 10 });
  try {
    while (!terminal.written.includes("top-second")) await sleep(5);
    terminal.press("\x1b[B");
    terminal.press("\x1b[B");
    terminal.press("c");
    await second.catch(() => {});
    assert.equal(second.cancelled(), true, "the second row was selected and cancelled");
    assert.equal(first.done(), false);
    await assert.rejects(second, { message: "cancelled from the monitor" });
    while (!terminal.written.includes("cancelled task")) await sleep(5);
    terminal.press("\x03");
    assert.equal(await running, 0);
  } finally {
    first.cancel();
    await first.catch(() => {});
  }
});

Deno.test("top() without a terminal prints the table once and ends", async () => {
  await using server = await serveMonitor();
  const sleeper = createTask(() => sleep(5_000), { name: "piped-top" });
  await sleep(2);
  try {
    const terminal = fakeTerminal(80, 10, false);
    const io = captureIo(80);
    assert.equal(await top(server.dashboardUrl, terminal, io), 0);
    assert.equal(terminal.written, "", "no screen drawn, no escape codes");
    assert.match(io.stdout, /^ID +NAME +STATE +AGE +WAITING ON\n/);
    assert.match(io.stdout, /piped-top +waiting/);
    assert.doesNotMatch(io.stdout, /\x1b/);
  } finally {
    sleeper.cancel();
    await sleeper.catch(() => {});
  }
});

Deno.test("top() quits on Ctrl+C even while the monitor does not answer", async () => {
  const server = await serveMonitor();
  await server.close();
  const terminal = fakeTerminal();
  const running = top(server.dashboardUrl, terminal, captureIo(), { intervalMs: 10 });
  while (!terminal.written.includes("cannot reach")) await sleep(5);
  terminal.press("\x03");
  assert.equal(await running, 0);
  assert.ok(terminal.written.endsWith("\x1b[?25h\x1b[?1049l"));
  await assert.rejects(top("::", terminal, captureIo()), UsageError);
});
