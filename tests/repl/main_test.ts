/**
 * `startRepl` in this process, with its terminal I/O passed in: a fake
 * terminal (raw mode is a no-op, a fixed size) and keys pushed by the test.
 * User code runs in the evaluation process, whose terminal output (lines end
 * with CR LF there) comes back through the writer.
 */
import assert from "node:assert/strict";
import { type ReplTerminal, type ReplWriter, startRepl } from "../../lib/repl/main.ts";

class Capture implements ReplWriter {
  text = "";
  writeSync(data: Uint8Array): number {
    this.text += new TextDecoder().decode(data);
    return data.length;
  }
}

/** A REPL whose keyboard is `type()` and whose screen is `out.text`. */
function fakeTerminalRepl(historyFile: string | null) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const reader = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const out = new Capture();
  const err = new Capture();
  const raw: boolean[] = [];
  const terminal: ReplTerminal = {
    setRaw: (on) => void raw.push(on),
    size: () => ({ columns: 80, rows: 24 }),
  };
  const exited = startRepl({
    reader,
    writer: out,
    errorWriter: err,
    terminal,
    historyFile,
    color: false,
    banner: false,
  });
  return {
    out,
    err,
    raw,
    exited,
    type: (keys: string) => controller.enqueue(new TextEncoder().encode(keys)),
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("Ctrl+C cancels the running input's task: its finally runs, the session goes on", async () => {
  const dir = await Deno.makeTempDir();
  const repl = fakeTerminalRepl(`${dir}/history`);
  repl.type(
    "let cleaned = false; console.log('started'); try { await sleep(10_000) } finally { cleaned = true }\r",
  );
  await until(() => /^started\r?$/m.test(repl.out.text), "the input to run");
  await new Promise((resolve) => setTimeout(resolve, 20));
  repl.type("\x03");
  await until(() => repl.out.text.includes("CancelledError"), "the cancellation");
  assert.match(repl.out.text, /CancelledError: interrupted \(Ctrl\+C\)/);
  repl.type("cleaned\r");
  await until(() => /true\r?\n/.test(repl.out.text), "the next input");
  repl.type("\x04");
  assert.equal(await repl.exited, 0);
  assert.deepEqual(repl.raw, [true, false]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("Ctrl+C at an empty prompt warns once, the second one exits", async () => {
  const repl = fakeTerminalRepl(null);
  repl.type("\x03");
  await until(() => repl.out.text.includes("press Ctrl+C again"), "the warning");
  repl.type("\x03");
  assert.equal(await repl.exited, 0);
});

Deno.test("Ctrl+C on a line being typed clears it instead of exiting", async () => {
  const repl = fakeTerminalRepl(null);
  repl.type("1 +");
  repl.type("\x03");
  repl.type("2 * 21\r");
  await until(() => /42\r?\n/.test(repl.out.text), "the value");
  assert.doesNotMatch(repl.out.text, /press Ctrl\+C again/);
  repl.type(".exit\r");
  assert.equal(await repl.exited, 0);
});

Deno.test("keys typed while an input runs are kept for the next prompt", async () => {
  const repl = fakeTerminalRepl(null);
  repl.type("console.log('busy'); await sleep(300)\r");
  await until(() => /^busy\r?$/m.test(repl.out.text), "the input");
  repl.type("40 + 2\r");
  await until(() => /42\r?\n/.test(repl.out.text), "the typed-ahead input");
  repl.type("\x04");
  assert.equal(await repl.exited, 0);
});

Deno.test("history is saved to a file only its user can read", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history`;
  const repl = fakeTerminalRepl(path);
  repl.type("const remembered = 1\r");
  repl.type("\x04");
  assert.equal(await repl.exited, 0);
  assert.equal(await Deno.readTextFile(path), "const remembered = 1\n");
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  await Deno.remove(dir, { recursive: true });
});

Deno.test(".monitor off hides the live panel and keeps it hidden; .monitor on brings it back", async () => {
  const repl = fakeTerminalRepl(null);
  const title = /── 1 live task ──/;
  repl.type("const bg = createTask(() => sleep(60_000), { name: 'bg' })\r");
  await until(() => title.test(repl.out.text), "the panel");
  repl.type(".monitor off\r");
  await until(() => repl.out.text.includes("live monitor off\n"), "the command");
  const hiddenAt = repl.out.text.length;
  // Panel refreshes are due every 200 ms on this same loop: two of them run first.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.doesNotMatch(repl.out.text.slice(hiddenAt), title);
  repl.type(".monitor on\r");
  await until(() => title.test(repl.out.text.slice(hiddenAt)), "the panel again");
  repl.type("\x04");
  assert.equal(await repl.exited, 0);
});
