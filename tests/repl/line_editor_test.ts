import assert from "node:assert/strict";
import { History } from "../../lib/repl/history.ts";
import { KeyDecoder } from "../../lib/repl/keys.ts";
import { type Completion, LineEditor } from "../../lib/repl/line_editor.ts";
import { Output } from "../../lib/repl/output.ts";

function editor(
  complete: (line: string, cursor: number) => Completion = (_l, c) => ({ from: c, candidates: [] }),
) {
  const written: string[] = [];
  const out = new Output({
    writeSync: (d) => (written.push(new TextDecoder().decode(d)), d.length),
  }, false);
  const history = new History(null);
  const ed = new LineEditor(out, {
    history,
    complete: (l, c) => Promise.resolve(complete(l, c)),
    columns: () => 20,
  });
  const decoder = new KeyDecoder();
  const type = (text: string) => {
    for (const key of decoder.decode(new TextEncoder().encode(text))) ed.handleKey(key);
  };
  return { ed, type, written, history };
}

Deno.test("LineEditor edits: insert, move, delete, kill word", async () => {
  const { ed, type } = editor();
  const line = ed.read("> ");
  type("helo world\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x7flo\x05\x17there\r");
  assert.deepEqual(await line, { kind: "line", text: "hello there" });
});

Deno.test("LineEditor recalls history with the arrow keys", async () => {
  const { ed, type, history } = editor();
  history.add("first");
  history.add("second");
  const line = ed.read("> ");
  type("\x1b[A\x1b[A\x1b[B!\r");
  assert.deepEqual(await line, { kind: "line", text: "second!" });
});

Deno.test("LineEditor: Ctrl+C interrupts with the text, Ctrl+D on an empty line is eof", async () => {
  const { ed, type } = editor();
  const first = ed.read("> ");
  type("abc\x03");
  assert.deepEqual(await first, { kind: "interrupt", text: "abc" });
  const second = ed.read("> ");
  type("\x04");
  assert.deepEqual(await second, { kind: "eof" });
});

Deno.test("LineEditor completes the common prefix; keys typed meanwhile wait", async () => {
  const { ed, type } = editor((line, cursor) => ({
    from: line.lastIndexOf(" ", cursor) + 1,
    candidates: ["createTask", "currentTask"].filter((c) =>
      c.startsWith(line.slice(line.lastIndexOf(" ") + 1))
    ),
  }));
  const line = ed.read("> ");
  type("x cr\t(1)\r");
  assert.deepEqual(await line, { kind: "line", text: "x createTask(1)" });
});

Deno.test("LineEditor scrolls a long line instead of wrapping it", async () => {
  const { ed, type, written } = editor();
  const line = ed.read("> ");
  type("abcdefghijklmnopqrstuvwxyz");
  const frame = written[written.length - 1];
  // deno-lint-ignore no-control-regex
  const visible = frame.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").split("\r").join("");
  assert.ok(visible.length < 20, visible);
  assert.ok(visible.endsWith("xyz"), visible);
  type("\r");
  assert.equal((await line).kind, "line");
});
