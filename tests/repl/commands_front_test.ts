/** The one command host seen from a terminal front: what runs there, what is forwarded. */
import assert from "node:assert/strict";
import { type FrontHost, runCommand } from "../../lib/repl/commands.ts";
import { Output } from "../../lib/repl/output.ts";

function fakeFront() {
  const decoder = new TextDecoder();
  const calls: string[] = [];
  let text = "";
  const front: FrontHost & { calls: string[]; text: () => string } = {
    out: new Output({ writeSync: (data) => (text += decoder.decode(data), data.length) }, false),
    monitor: true,
    top: () => {
      calls.push("top");
      return Promise.resolve();
    },
    exit: () => {
      calls.push("exit");
    },
    forward: (line) => {
      calls.push(`forward ${line}`);
      return Promise.resolve();
    },
    calls,
    text: () => text,
  };
  return front;
}

Deno.test("a front runs .exit, .top and .monitor itself, through runCommand", async () => {
  const front = fakeFront();
  await runCommand(front, ".monitor off");
  assert.equal(front.monitor, false);
  await runCommand(front, ".monitor");
  await runCommand(front, ".monitor sideways");
  await runCommand(front, ".top");
  await runCommand(front, ".exit");
  assert.deepEqual(front.calls, ["top", "exit"]);
  assert.equal(
    front.text(),
    "live monitor off\nlive monitor off\nusage: .monitor on|off\n",
  );
});

Deno.test("a front forwards every other command, unknown ones included, to the session", async () => {
  const front = fakeFront();
  const lines = [".help", ".tasks all", ".tree", ".cancel 3", ".timeline", ".load x.ts"];
  for (const line of [...lines, ".examples", ".nope"]) await runCommand(front, line);
  assert.deepEqual(front.calls, [...lines, ".examples", ".nope"].map((l) => `forward ${l}`));
  assert.equal(front.text(), "");
});
