import assert from "node:assert/strict";
import { Terminal } from "./_terminal.ts";

Deno.test("the test terminal shows what a program draws, takes keys, resizes and reports colours", async () => {
  await using term = Terminal.spawn("bash", [
    "--norc",
    "-c",
    'printf "\\e[31mred\\e[0m plain\\n"; read -r line; echo "got $line"; ' +
    'trap "echo cols=\\$(tput cols)" WINCH; sleep 5 & wait; echo done',
  ], { cols: 60, rows: 10 });
  await term.waitFor("red plain");
  assert.deepEqual(term.colorsOf("red"), ["palette 1", "palette 1", "palette 1"]);
  assert.deepEqual(term.colorsOf("plain"), Array(5).fill("default"));
  term.type("hello");
  term.press("Enter");
  await term.waitFor("got hello");
  term.resize(70, 12);
  await term.waitFor("cols=70");
  assert.equal(term.rows().length, 12);
});

Deno.test("the test terminal reports how its program ended", async () => {
  await using term = Terminal.spawn("bash", ["--norc", "-c", "exit 3"]);
  assert.equal((await term.exited).exitCode, 3);
  await assert.rejects(() => term.waitFor("never shown", "a text", 2000), /exited/);
});
