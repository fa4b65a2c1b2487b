import assert from "node:assert/strict";
import { History } from "../../lib/repl/history.ts";
import { KeyDecoder } from "../../lib/term/keys.ts";
import { type Completion, LineEditor } from "../../lib/repl/line_editor.ts";
import { Output } from "../../lib/repl/output.ts";

function editor(
  complete: (line: string, cursor: number) => Completion = (_l, c) => ({ from: c, candidates: [] }),
  columns = 20,
) {
  const written: string[] = [];
  const out = new Output({
    writeSync: (d) => (written.push(new TextDecoder().decode(d)), d.length),
  }, false);
  const history = new History(null);
  const ed = new LineEditor(out, {
    history,
    complete: (l, c) => Promise.resolve(complete(l, c)),
    columns: () => columns,
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

Deno.test("LineEditor: Ctrl+R finds a history line and Enter submits it", async () => {
  const { ed, type, history, written } = editor(undefined, 80);
  history.add("const a = 1");
  history.add("b()");
  history.add("const c = 3");
  const line = ed.read("> ");
  type("\x12const");
  assert.match(written.at(-1)!, /\(reverse-i-search\)`const': const c = 3/);
  type("\x12");
  assert.match(written.at(-1)!, /`const': const a = 1/);
  type("\r");
  assert.deepEqual(await line, { kind: "line", text: "const a = 1" });
});

Deno.test("LineEditor: Esc and Ctrl+G end the search with the line typed before it", async () => {
  const { ed, type, history } = editor();
  history.add("found");
  const line = ed.read("> ");
  type("mine\x12fou\x1b");
  type("\x12fou\x07!\r");
  assert.deepEqual(await line, { kind: "line", text: "mine!" });
});

Deno.test("LineEditor: an editing key ends the search on the match, cursor at the query", async () => {
  const { ed, type, history } = editor();
  history.add("alpha beta gamma");
  const line = ed.read("> ");
  type("\x12beta\x1b[DX\r"); // Left from the match's "b", then type
  assert.deepEqual(await line, { kind: "line", text: "alphaX beta gamma" });
  const second = ed.read("> ");
  type("\x12gam\x05!\r"); // Ctrl+E: to the end of the match
  assert.deepEqual(await second, { kind: "line", text: "alpha beta gamma!" });
});

Deno.test("LineEditor: Ctrl+C during a search interrupts with the line typed before it", async () => {
  const { ed, type, history } = editor();
  history.add("found");
  const line = ed.read("> ");
  type("mine\x12fou\x03");
  assert.deepEqual(await line, { kind: "interrupt", text: "mine" });
});

Deno.test("LineEditor highlights the line when colours are on, cursor column unchanged", () => {
  const written: string[] = [];
  const out = new Output({
    writeSync: (d) => (written.push(new TextDecoder().decode(d)), d.length),
  }, true);
  const ed = new LineEditor(out, {
    history: new History(null),
    complete: (_l, c) => Promise.resolve({ from: c, candidates: [] }),
    columns: () => 80,
  });
  const decoder = new KeyDecoder();
  ed.read("> ");
  for (const key of decoder.decode(new TextEncoder().encode(`let s = "x"\x1b[D\x1b[D`))) {
    ed.handleKey(key);
  }
  const frame = written.at(-1)!;
  assert.ok(frame.includes("\x1b[0;36mlet\x1b[0m"), JSON.stringify(frame));
  assert.ok(frame.includes(`\x1b[0;32m"x"\x1b[0m`), JSON.stringify(frame));
  assert.ok(frame.endsWith(`\r\x1b[${2 + 9}C`), "cursor after the 9th character");
});

Deno.test("LineEditor: in a narrow window the search prompt is cut, the line keeps one row", () => {
  const { ed, type, history, written } = editor();
  history.add("a long line found by the search");
  ed.read("> ");
  type("\x12found");
  // deno-lint-ignore no-control-regex
  const visible = written.at(-1)!.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").split("\r").join("");
  assert.ok(visible.length < 20, visible);
  assert.ok(visible.includes("found':"), visible);
});
