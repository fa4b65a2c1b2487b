import assert from "node:assert/strict";
import { Output } from "../../lib/repl/output.ts";
import { Panel } from "../../lib/repl/panel.ts";

function panel(content: () => string[]) {
  let text = "";
  const out = new Output(
    { writeSync: (d) => (text += new TextDecoder().decode(d), d.length) },
    false,
  );
  const p = new Panel(out, { size: () => ({ columns: 40, rows: 10 }), content });
  return { p, written: () => text, reset: () => void (text = "") };
}

Deno.test("Panel reserves rows below a scroll region and paints them with the cursor saved", () => {
  let lines = ["title", "#1 bg waiting"];
  const { p, written, reset } = panel(() => lines);
  p.refresh();
  assert.ok(p.visible);
  assert.ok(written().includes("\x1b[1;8r"), "scroll region above the panel");
  // deno-lint-ignore no-control-regex
  assert.match(written(), /\x1b7\x1b\[9;1H\x1b\[2Ktitle\x1b\[10;1H\x1b\[2K#1 bg waiting\x1b8$/);
  reset();
  lines = [];
  p.refresh();
  assert.equal(p.visible, false);
  assert.equal(written(), "\x1b7\x1b[r\x1b[9;1H\x1b[J\x1b8");
});

Deno.test("Panel draws nothing when there is nothing to show or the terminal is too short", () => {
  // 10 rows: 7 panel lines would leave fewer than 4 rows above them.
  const { p, written } = panel(() => ["1", "2", "3", "4", "5", "6", "7"]);
  p.refresh();
  const { p: empty, written: emptyWritten } = panel(() => []);
  empty.refresh();
  assert.equal(written() + emptyWritten(), "");
});

Deno.test("Panel asks for at most a third of the window", () => {
  let asked = -1;
  const out = new Output({ writeSync: (d) => d.length }, false);
  new Panel(out, {
    size: () => ({ columns: 40, rows: 35 }),
    content: (_width, height) => (asked = height, []),
  }).refresh();
  assert.equal(asked, 11);
});

Deno.test("Panel after a resize erases the rows below the cursor and reserves new ones", () => {
  let size = { columns: 40, rows: 10 };
  let text = "";
  const out = new Output(
    { writeSync: (d) => (text += new TextDecoder().decode(d), d.length) },
    false,
  );
  const p = new Panel(out, { size: () => size, content: () => ["title", "#1 bg"] });
  p.refresh();
  size = { columns: 30, rows: 20 };
  text = "";
  p.resized();
  // Region reset (cursor kept), everything below the cursor's row erased,
  // then a new region above the two rows at the new bottom.
  assert.ok(text.startsWith("\x1b7\x1b[r\x1b8\x1b7\x1b[B\r\x1b[J\x1b8"), JSON.stringify(text));
  assert.ok(text.includes("\x1b[1;18r"), JSON.stringify(text));
  assert.ok(text.includes("\x1b[19;1H\x1b[2Ktitle\x1b[20;1H\x1b[2K#1 bg"), JSON.stringify(text));
  // A size change noticed at the next redraw does the same.
  size = { columns: 30, rows: 12 };
  text = "";
  p.refresh();
  assert.ok(text.startsWith("\x1b7\x1b[r\x1b8\x1b7\x1b[B\r\x1b[J\x1b8"), JSON.stringify(text));
  assert.ok(text.includes("\x1b[1;10r"), JSON.stringify(text));
});
