/**
 * `.top` in a real terminal (tests/_terminal.ts): the shared top view over
 * the session's tasks, where the arrow keys select a task and `c` cancels it.
 */
import assert from "node:assert/strict";
import { REPL_MAIN } from "./_helpers.ts";
import { removeSoon } from "../_helpers.ts";
import { Terminal } from "../_terminal.ts";

Deno.test("terminal: .top selects a task with the arrow keys, c cancels it, s sorts", async () => {
  const home = await Deno.makeTempDir();
  try {
    await using screen = Terminal.deno(["run", "-A", REPL_MAIN], {
      cols: 100,
      rows: 24,
      env: { HOME: home, NO_COLOR: "" },
    });
    await screen.waitFor(/^>\s*$/m, "the prompt");
    screen.type(
      `const a = createTask(() => sleep(60_000), { name: "keep-me" }), ` +
        `b = createTask(() => sleep(60_000), { name: "stop-me" }); "started"`,
    );
    screen.press("Enter");
    await screen.waitFor((text) => text.includes(`"started"`), "the tasks");
    screen.type(".top");
    screen.press("Enter");
    await screen.waitFor((text) => text.includes("stop-me") && text.includes("sort: id"), ".top");
    screen.press("s");
    await screen.waitFor(/sort: age/, "sorted by age");
    screen.press("Down", "Down", "c");
    await screen.waitFor(/asked to cancel task \d+/, "the cancel");
    screen.press("q");
    await screen.waitFor((text) => !text.includes("sort: age"), "the REPL");
    screen.type(`[a.done(), b.cancelled()].join(",")`);
    screen.press("Enter");
    const after = await screen.waitFor(/"false,true"/, "keep-me alive, stop-me cancelled");
    assert.doesNotMatch(after, /sort: (id|age)/, "the normal screen is back");
  } finally {
    await removeSoon(home);
  }
});
