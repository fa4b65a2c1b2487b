/**
 * The REPL in a real terminal: a pseudo-terminal runs it and a terminal
 * emulator keeps its screen (tests/_terminal.ts), the test types keys and
 * reads the screen. Covers what piped input cannot: raw-mode keys, the live
 * panel, `.top`, colours.
 */
import assert from "node:assert/strict";
import { REPL_MAIN } from "./_helpers.ts";
import { removeSoon } from "../_helpers.ts";
import { Terminal } from "../_terminal.ts";

const ROWS = 24;

/** Start the REPL in a terminal and wait for its prompt. */
async function openRepl(home: string, env: Record<string, string>): Promise<Terminal> {
  const term = Terminal.deno(["run", "-A", REPL_MAIN], {
    cols: 100,
    rows: ROWS,
    env: { HOME: home, ...env },
  });
  await term.waitFor(/^>\s*$/m, "the prompt");
  return term;
}

async function withScreen(
  body: (screen: Terminal, home: string) => Promise<void>,
  env: Record<string, string> = { NO_COLOR: "" },
): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await using screen = await openRepl(home, env);
    await body(screen, home);
  } finally {
    await removeSoon(home);
  }
}

const PANEL_TITLE = /── \d+ live tasks? ──/;

Deno.test("terminal: the live panel shows a background task while it lives, then disappears", async () => {
  await withScreen(async (screen) => {
    screen.type(`createTask(() => sleep(2000), { name: "bg" })`);
    screen.press("Enter");
    const shown = await screen.waitFor((text) => PANEL_TITLE.test(text), "the panel");
    const rows = shown.split("\n");
    const title = rows.findIndex((row) => PANEL_TITLE.test(row));
    assert.equal(title, ROWS - 2, "the panel sits on the last rows");
    assert.match(rows[title + 1], /^#\d+\s+bg\s+waiting\s+\S+\s+sleep\(2000\)/);
    await screen.waitFor((text) => !PANEL_TITLE.test(text), "the panel to go away");
    const after = screen.rows();
    assert.ok(after.slice(-2).every((row) => row.trim() === ""), "its rows were cleared");
    assert.ok(after.some((row) => /^>\s*$/.test(row)), "the prompt is still there");
  });
});

Deno.test("terminal: typing while the panel refreshes leaves the typed line intact", async () => {
  await withScreen(async (screen) => {
    screen.type(`createTask(() => sleep(5000), { name: "ticker" })`);
    screen.press("Enter");
    await screen.waitFor((text) => PANEL_TITLE.test(text), "the panel");
    const line = `const typed = "the quick brown fox"`;
    for (const char of line) {
      screen.type(char);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const text = await screen.waitFor((t) => t.includes(line), "the typed line");
    const rows = text.split("\n");
    assert.ok(rows.includes(`> ${line}`), `the typed row is exactly the input:\n${text}`);
    assert.ok(PANEL_TITLE.test(text), "the panel is still shown");
    screen.press("Enter");
    screen.type("typed.length");
    screen.press("Enter");
    await screen.waitFor((t) => /^19$/m.test(t), "the value of the typed input");
  });
});

Deno.test("terminal: Ctrl+C cancels a running await sleep(10_000) and the prompt returns", async () => {
  await withScreen(async (screen) => {
    screen.type(`try { await sleep(10_000) } finally { console.log("finally ran") }`);
    screen.press("Enter");
    await screen.waitFor((text) => text.includes("finally {"), "the input to run");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    screen.press("C-c");
    const text = await screen.waitFor(
      (t) => /CancelledError: interrupted/.test(t) && /^>\s*$/m.test(t),
      "the cancellation and the prompt",
    );
    assert.ok(performance.now() - started < 5000, "long before the sleep would end");
    assert.match(text, /finally ran/);
    screen.type("1 + 1");
    screen.press("Enter");
    await screen.waitFor((t) => /^2$/m.test(t), "the session to go on");
  });
});

Deno.test("terminal: .top takes the screen until q, then the session is back", async () => {
  await withScreen(async (screen) => {
    screen.type(`createTask(() => sleep(60_000), { name: "watched" }); "started"`);
    screen.press("Enter");
    await screen.waitFor((text) => text.includes(`"started"`), "the task");
    screen.type(".top");
    screen.press("Enter");
    const top = await screen.waitFor((text) => text.includes("corun top:"), ".top");
    assert.match(top, /^\d+\s+watched\s+waiting/m);
    assert.match(top, /q: back to the REPL/);
    assert.doesNotMatch(top, /"started"/, "the alternate screen hides the session");
    screen.press("q");
    const back = await screen.waitFor(
      (text) => text.includes(`"started"`) && !text.includes("corun top:"),
      "the REPL",
    );
    assert.match(back, /^> \.top$/m);
  });
});

Deno.test("terminal: Ctrl+D cancels the tasks left and reports them; history is private", async () => {
  await withScreen(async (screen, home) => {
    screen.type(`createTask(() => sleep(60_000), { name: "leftover" }); 1`);
    screen.press("Enter");
    await screen.waitFor((text) => /^1$/m.test(text), "the value");
    screen.press("C-d");
    assert.equal((await screen.exited).exitCode, 0);
    await screen.settled();
    assert.match(screen.text(), /cancelled 1 task still running: leftover \(#\d+\)/);
    const stat = await Deno.stat(`${home}/.corun_repl_history`);
    assert.equal(stat.mode! & 0o777, 0o600);
  });
});

Deno.test("terminal: Tab completes names in scope and properties", async () => {
  await withScreen(async (screen) => {
    screen.type("const answerToEverything = 42");
    screen.press("Enter");
    screen.type("answerTo");
    screen.press("Tab");
    await screen.waitFor((text) => /^> answerToEverything$/m.test(text), "a REPL declaration");
    screen.press("C-u");
    screen.type("corun.tim");
    screen.press("Tab");
    await screen.waitFor((text) => /^> corun\.timeout$/m.test(text), "a property");
    screen.press("Tab", "Tab");
    await screen.waitFor((text) => /timeout\s+timeoutAt/.test(text), "the candidates listed");
  });
});

Deno.test("terminal: colours on a TTY, none when NO_COLOR is set", async () => {
  await withScreen(async (screen) => {
    screen.type("[1, 'two']");
    screen.press("Enter");
    await screen.waitFor((text) => text.includes('[ 1, "two" ]'), "the value");
    assert.ok(
      screen.colorsOf('"two"')!.some((color) => color !== "default"),
      "the string is coloured",
    );
  });
  await withScreen(async (screen) => {
    screen.type("[1, 'two']");
    screen.press("Enter");
    await screen.waitFor((text) => text.includes('[ 1, "two" ]'), "the value");
    assert.ok(screen.colorsOf('"two"')!.every((color) => color === "default"), "no colours");
  }, { NO_COLOR: "1" });
});

Deno.test("terminal: a task printing while a line is typed prints above that line", async () => {
  await withScreen(async (screen) => {
    screen.type(
      `createTask(async () => { await sleep(700); console.log("from the background") }); 0`,
    );
    screen.press("Enter");
    screen.type("const half");
    // Under load the output may arrive before every typed key is echoed:
    // wait for the settled screen, where the line must be whole again.
    const text = await screen.waitFor((t) => {
      const rows = t.split("\n");
      const printed = rows.indexOf("from the background");
      return printed !== -1 && rows[printed + 1] === "> const half";
    }, "the background output above the intact typed line");
    const rows = text.split("\n");
    const printed = rows.findIndex((row) => row === "from the background");
    assert.notEqual(printed, -1, text);
    assert.equal(rows[printed + 1], "> const half", text);
  });
});
