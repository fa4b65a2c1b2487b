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
