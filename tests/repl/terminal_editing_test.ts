/**
 * The REPL's front end in a real terminal (tests/_terminal.ts): history that
 * survives a kill, Ctrl+R, the panel's room and window resizes, syntax
 * highlighting.
 */
import assert from "node:assert/strict";
import { REPL_MAIN } from "./_helpers.ts";
import { removeSoon } from "../_helpers.ts";
import { Terminal } from "../_terminal.ts";

interface Screen {
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
  /** Lines already in the history file when the REPL starts. */
  history?: string[];
}

async function withScreen(
  setup: Screen,
  body: (screen: Terminal, home: string) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    if (setup.history) {
      await Deno.writeTextFile(`${home}/.corun_repl_history`, setup.history.join("\n") + "\n");
    }
    await using screen = Terminal.deno(["run", "-A", REPL_MAIN], {
      cols: setup.cols ?? 100,
      rows: setup.rows ?? 24,
      env: { HOME: home, NO_COLOR: "", ...setup.env },
    });
    await screen.waitFor(/^>\s*$/m, "the prompt");
    await body(screen, home);
  } finally {
    await removeSoon(home);
  }
}

const PANEL_TITLE = /── \d+ live tasks? ──/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("terminal: history is on disk (mode 0600) after each input, so SIGKILL loses none", async () => {
  await withScreen({}, async (screen, home) => {
    screen.type("const first = 1");
    screen.press("Enter");
    screen.type(`"second" + first`);
    screen.press("Enter");
    await screen.waitFor(/^"second1"$/m, "the second input's value");
    screen.kill("SIGKILL");
    assert.equal((await screen.exited).signal, 9);
    const path = `${home}/.corun_repl_history`;
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual((await Deno.readTextFile(path)).split("\n"), [
      "const first = 1",
      `"second" + first`,
      "",
    ]);
  });
});

Deno.test("terminal: Ctrl+R searches the history backwards; Ctrl+R again goes older; Enter runs the match", async () => {
  const history = [`"fetch one"`, `"other"`, `"fetch two"`, `"newest"`];
  await withScreen({ history }, async (screen) => {
    screen.press("C-r");
    screen.type("fetch");
    await screen.waitFor(/^\(reverse-i-search\)`fetch': "fetch two"$/m, "the newest match");
    screen.press("C-r");
    await screen.waitFor(/^\(reverse-i-search\)`fetch': "fetch one"$/m, "the older match");
    assert.equal(screen.cursorRow(), screen.rows().findIndex((row) => row.includes("fetch':")));
    assert.equal(screen.cursorColumn(), "(reverse-i-search)`fetch': \"".length, "on the match");
    screen.press("C-r");
    await screen.waitFor(/^\(failed reverse-i-search\)`fetch': "fetch one"$/m, "no older match");
    screen.press("Enter");
    await screen.waitFor(/^> "fetch one"\n"fetch one"$/m, "the match run as the input");
  });
});

Deno.test("terminal: Esc or Ctrl+G cancels the search and gives back the line typed before", async () => {
  await withScreen({ history: [`"remembered"`] }, async (screen) => {
    screen.type("draft");
    screen.press("C-r");
    screen.type("remem");
    await screen.waitFor(/`remem': "remembered"$/m, "the match");
    screen.press("Escape");
    await screen.waitFor(/^> draft$/m, "the draft back after Esc");
    screen.press("C-r");
    screen.type("remem");
    await screen.waitFor(/`remem': "remembered"$/m, "the match again");
    screen.press("\x07"); // Ctrl+G
    await screen.waitFor(/^> draft$/m, "the draft back after Ctrl+G");
    screen.press("C-a");
    screen.type('"');
    screen.press("End");
    screen.type('".length');
    screen.press("Enter");
    await screen.waitFor(/^5$/m, "the draft edited and run");
  });
});

Deno.test("terminal: an editing key leaves the search with the match, the cursor where it was found", async () => {
  await withScreen({ history: [`[1, 2, 3].length`, `"unrelated"`] }, async (screen) => {
    screen.press("C-r");
    screen.type("2, 3");
    await screen.waitFor(/`2, 3': \[1, 2, 3\]\.length$/m, "the match");
    // The cursor is on the "2": typing there edits the match in place.
    screen.press("Right", "Right", "Right", "Right");
    screen.type(", 4");
    await screen.waitFor(/^> \[1, 2, 3, 4\]\.length$/m, "the edited match at the prompt");
    screen.press("Enter");
    await screen.waitFor(/^4$/m, "the edited match run");
  });
});

Deno.test("terminal: the panel lists as many tasks as fit in a third of the window", async () => {
  await withScreen({ rows: 35 }, async (screen) => {
    screen.type(
      `for (let i = 0; i < 8; i++) createTask(() => sleep(60_000), { name: "t" + i }); "eight"`,
    );
    screen.press("Enter");
    let text = await screen.waitFor((t) => /^#\d+\s+t7\s/m.test(t), "all eight rows");
    assert.doesNotMatch(text, /more \(\.tasks/, "eight fit in 11 rows: nothing hidden");
    screen.type(
      `for (let i = 8; i < 12; i++) createTask(() => sleep(60_000), { name: "t" + i }); "twelve"`,
    );
    screen.press("Enter");
    text = await screen.waitFor(/\+3 more/, "the overflow row");
    const rows = text.split("\n");
    const title = rows.findIndex((row) => PANEL_TITLE.test(row));
    assert.equal(title, 35 - 11, `11 panel rows at the bottom:\n${text}`);
    assert.equal(rows.slice(title + 1).filter((row) => /^#\d+\s+t\d+\s/.test(row)).length, 9);
    assert.match(rows[34], /^\+3 more \(\.tasks lists them\)/);
  });
});

/** The panel is shown exactly once, on the last rows, and output stays above it. */
function assertPanelClean(screen: Terminal, rowsCount: number, tasks: number): void {
  const rows = screen.rows();
  const text = rows.join("\n");
  assert.equal(rows.length, rowsCount);
  const titles = rows.flatMap((row, i) => PANEL_TITLE.test(row) ? [i] : []);
  assert.equal(titles.length, 1, `one panel title, no stale copy:\n${text}`);
  const height = Math.min(Math.floor(rowsCount / 3), tasks + 1);
  assert.equal(titles[0], rowsCount - height, `the panel sits on the last rows:\n${text}`);
  const taskRows = rows.filter((row) => /^#\d+\s+w\d\s/.test(row));
  assert.equal(taskRows.length, height - 1, `each task once:\n${text}`);
  assert.ok(
    rows.slice(titles[0]).every((row) => !/^tick \d+/.test(row)),
    `no output inside the panel:\n${text}`,
  );
}

Deno.test("terminal: resizing the window redraws the panel once, at the bottom, output above it", async () => {
  await withScreen({ rows: 30 }, async (screen) => {
    screen.type(
      `for (let i = 0; i < 4; i++) createTask(() => sleep(60_000), { name: "w" + i }); ` +
        `createTask(async () => { for (let n = 0; n < 40; n++) { console.log("tick " + n); await sleep(100) } }, { name: "w9" }); 0`,
    );
    screen.press("Enter");
    await screen.waitFor((t) => /^#\d+\s+w9\s/m.test(t), "the panel");
    const typed = `"${"abcdefghij".repeat(9)}".length`;
    screen.type(typed);
    for (const [cols, rows] of [[100, 42], [70, 18], [100, 30]]) {
      await screen.settled();
      screen.resize(cols, rows);
      // Let the redraw happen and some output scroll past after it.
      const seen = (await screen.waitFor(/tick \d+/, "output")).match(/tick (\d+)/g)!.at(-1)!;
      await screen.waitFor(
        (t) => (t.match(/tick (\d+)/g) ?? []).at(-1) !== seen,
        "more output after the resize",
      );
      await sleep(150);
      await screen.settled();
      assertPanelClean(screen, rows, 5);
      const prompts = screen.rows().filter((row) => row.startsWith("> ") && row.includes("abcde"));
      assert.equal(prompts.length, 1, `one copy of the line being typed:\n${screen.text()}`);
      assert.ok(prompts[0].endsWith(`hij".length`) && prompts[0].length < cols, prompts[0]);
    }
    await screen.waitFor(/tick 39/, "the end of the output");
    screen.press("Enter");
    await screen.waitFor(/^90$/m, "the typed line, whole");
    await screen.waitFor("── 4 live tasks ──", "the panel without the finished task");
    assertPanelClean(screen, 30, 4);
  });
});

Deno.test("terminal: the input line is highlighted like deno repl's; editing it keeps text and cursor exact", async () => {
  await withScreen({}, async (screen) => {
    const line = `const word = "hi" + 42 // note`;
    screen.type(line);
    await screen.waitFor(`> ${line}`, "the typed line");
    const colors = screen.colorsOf(line)!;
    const at = (text: string) => colors.slice(line.indexOf(text), line.indexOf(text) + text.length);
    const keyword = at("const");
    assert.ok(keyword.every((c) => c === keyword[0] && c !== "default"), "keyword coloured");
    const string = at(`"hi"`);
    assert.ok(string.every((c) => c === string[0] && c !== "default"), "string coloured");
    const number = at("42");
    const comment = at("// note");
    assert.equal(new Set([keyword[0], string[0], number[0], comment[0]]).size, 4);
    assert.ok(at("word").every((c) => c === "default"), "a plain name is not coloured");
    // Into the middle of the highlighted string, then back to the end.
    screen.press(...Array(line.length - line.indexOf(`hi"`) - 2).fill("Left"));
    screen.type(" there");
    const edited = `const word = "hi there" + 42 // note`;
    await screen.waitFor(`> ${edited}`, "the edit in the middle");
    const row = screen.rows().findIndex((r) => r === `> ${edited}`);
    assert.equal(screen.cursorRow(), row, "the cursor is on the edited row");
    assert.equal(screen.cursorColumn(), 2 + edited.indexOf(`" + 42`), "right after the insert");
    screen.press("End");
    screen.press("Backspace", "Backspace", "Backspace", "Backspace", "Backspace", "Backspace");
    screen.press("Backspace", "Backspace");
    screen.press("Enter");
    screen.type("word");
    screen.press("Enter");
    await screen.waitFor(/^"hi there42"$/m, "exactly the edited text evaluated");
  });
});

Deno.test("terminal: NO_COLOR turns the highlighting off", async () => {
  await withScreen({ env: { NO_COLOR: "1" } }, async (screen) => {
    const line = `const s = "x" + 1 // c`;
    screen.type(line);
    await screen.waitFor(`> ${line}`, "the typed line");
    assert.ok(screen.colorsOf(line)!.every((c) => c === "default"), "no colours");
  });
});
