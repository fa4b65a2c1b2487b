/**
 * The REPL in a real terminal: tmux runs it in a pseudo-terminal, the test
 * types with `send-keys` and reads the screen with `capture-pane`. Covers
 * what piped input cannot: raw-mode keys, the live panel, `.top`. tmux is
 * required (.ci/run installs it): without it these tests fail, never skip.
 */
import assert from "node:assert/strict";
import { REPL_MAIN, ROOT } from "./_helpers.ts";
import { removeSoon } from "../_helpers.ts";

const ROWS = 24;
let sessions = 0;

function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** One REPL in its own tmux server. */
class Screen implements AsyncDisposable {
  readonly socket = `corun-repl-test-${Deno.pid}-${++sessions}`;

  static async open(home: string, env = ""): Promise<Screen> {
    if (!hasTmux()) {
      throw new Error(
        "tmux is required for the terminal tests (apt-get install tmux; .ci/run installs it)",
      );
    }
    const screen = new Screen();
    const command =
      `env HOME=${home} TERM=xterm-256color ${env} ${Deno.execPath()} run -A ${REPL_MAIN}; ` +
      `echo "[exited $?]"; sleep 600`;
    await screen.tmux(
      "new-session",
      "-d",
      "-s",
      "repl",
      "-x",
      "100",
      "-y",
      String(ROWS),
      "-c",
      ROOT,
      command,
    );
    await screen.waitFor((text) => /^>\s*$/m.test(text), "the prompt");
    return screen;
  }

  async tmux(...args: string[]): Promise<string> {
    const { success, stdout, stderr } = await new Deno.Command("tmux", {
      args: ["-L", this.socket, ...args],
    })
      .output();
    if (!success) throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(stderr)}`);
    return new TextDecoder().decode(stdout);
  }

  /** The visible screen, one string per row. */
  async rows(): Promise<string[]> {
    return (await this.tmux("capture-pane", "-p", "-t", "repl")).split("\n").slice(0, ROWS);
  }

  async text(): Promise<string> {
    return (await this.rows()).join("\n");
  }

  /** The screen with its escape sequences (colours). */
  escaped(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-e", "-t", "repl");
  }

  /** Type `text` literally. */
  type(text: string): Promise<string> {
    return this.tmux("send-keys", "-t", "repl", "-l", text);
  }

  /** Press keys by tmux name (`Enter`, `C-c`, `q`). */
  press(...keys: string[]): Promise<string> {
    return this.tmux("send-keys", "-t", "repl", ...keys);
  }

  async waitFor(
    test: (text: string) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    let text = "";
    while (performance.now() < deadline) {
      text = await this.text();
      if (test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.tmux("kill-server").catch(() => "");
  }
}

async function withScreen(
  body: (screen: Screen, home: string) => Promise<void>,
  env = "NO_COLOR=",
): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await using screen = await Screen.open(home, env);
    await body(screen, home);
  } finally {
    await removeSoon(home);
  }
}

const PANEL_TITLE = /── \d+ live tasks? ──/;

Deno.test("terminal: the live panel shows a background task while it lives, then disappears", async () => {
  await withScreen(async (screen) => {
    await screen.type(`createTask(() => sleep(2000), { name: "bg" })`);
    await screen.press("Enter");
    const shown = await screen.waitFor((text) => PANEL_TITLE.test(text), "the panel");
    const rows = shown.split("\n");
    const title = rows.findIndex((row) => PANEL_TITLE.test(row));
    assert.equal(title, ROWS - 2, "the panel sits on the last rows");
    assert.match(rows[title + 1], /^#\d+\s+bg\s+waiting\s+\S+\s+sleep\(2000\)/);
    await screen.waitFor((text) => !PANEL_TITLE.test(text), "the panel to go away");
    const after = await screen.rows();
    assert.ok(after.slice(-2).every((row) => row.trim() === ""), "its rows were cleared");
    assert.ok(after.some((row) => /^>\s*$/.test(row)), "the prompt is still there");
  });
});

Deno.test("terminal: typing while the panel refreshes leaves the typed line intact", async () => {
  await withScreen(async (screen) => {
    await screen.type(`createTask(() => sleep(5000), { name: "ticker" })`);
    await screen.press("Enter");
    await screen.waitFor((text) => PANEL_TITLE.test(text), "the panel");
    const line = `const typed = "the quick brown fox"`;
    for (const char of line) {
      await screen.type(char);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const text = await screen.waitFor((t) => t.includes(line), "the typed line");
    const rows = text.split("\n");
    assert.ok(rows.includes(`> ${line}`), `the typed row is exactly the input:\n${text}`);
    assert.ok(PANEL_TITLE.test(text), "the panel is still shown");
    await screen.press("Enter");
    await screen.type("typed.length");
    await screen.press("Enter");
    await screen.waitFor((t) => /^19$/m.test(t), "the value of the typed input");
  });
});

Deno.test("terminal: Ctrl+C cancels a running await sleep(10_000) and the prompt returns", async () => {
  await withScreen(async (screen) => {
    await screen.type(`try { await sleep(10_000) } finally { console.log("finally ran") }`);
    await screen.press("Enter");
    await screen.waitFor((text) => text.includes("finally {"), "the input to run");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await screen.press("C-c");
    const text = await screen.waitFor(
      (t) => /CancelledError: interrupted/.test(t) && /^>\s*$/m.test(t),
      "the cancellation and the prompt",
    );
    assert.ok(performance.now() - started < 5000, "long before the sleep would end");
    assert.match(text, /finally ran/);
    await screen.type("1 + 1");
    await screen.press("Enter");
    await screen.waitFor((t) => /^2$/m.test(t), "the session to go on");
  });
});

Deno.test("terminal: .top takes the screen until q, then the session is back", async () => {
  await withScreen(async (screen) => {
    await screen.type(`createTask(() => sleep(60_000), { name: "watched" }); "started"`);
    await screen.press("Enter");
    await screen.waitFor((text) => text.includes(`"started"`), "the task");
    await screen.type(".top");
    await screen.press("Enter");
    const top = await screen.waitFor((text) => text.includes("corun top:"), ".top");
    assert.match(top, /^\d+\s+watched\s+waiting/m);
    assert.match(top, /q: back to the REPL/);
    assert.doesNotMatch(top, /"started"/, "the alternate screen hides the session");
    await screen.press("q");
    const back = await screen.waitFor(
      (text) => text.includes(`"started"`) && !text.includes("corun top:"),
      "the REPL",
    );
    assert.match(back, /^> \.top$/m);
  });
});

Deno.test("terminal: Ctrl+D cancels the tasks left and reports them; history is private", async () => {
  await withScreen(async (screen, home) => {
    await screen.type(`createTask(() => sleep(60_000), { name: "leftover" }); 1`);
    await screen.press("Enter");
    await screen.waitFor((text) => /^1$/m.test(text), "the value");
    await screen.press("C-d");
    await screen.waitFor((text) => text.includes("[exited 0]"), "the exit");
    assert.match(await screen.text(), /cancelled 1 task still running: leftover \(#\d+\)/);
    const stat = await Deno.stat(`${home}/.corun_repl_history`);
    assert.equal(stat.mode! & 0o777, 0o600);
  });
});

Deno.test("terminal: Tab completes names in scope and properties", async () => {
  await withScreen(async (screen) => {
    await screen.type("const answerToEverything = 42");
    await screen.press("Enter");
    await screen.type("answerTo");
    await screen.press("Tab");
    await screen.waitFor((text) => /^> answerToEverything$/m.test(text), "a REPL declaration");
    await screen.press("C-u");
    await screen.type("corun.tim");
    await screen.press("Tab");
    await screen.waitFor((text) => /^> corun\.timeout$/m.test(text), "a property");
    await screen.press("Tab", "Tab");
    await screen.waitFor((text) => /timeout\s+timeoutAt/.test(text), "the candidates listed");
  });
});

Deno.test("terminal: colours on a TTY, none when NO_COLOR is set", async () => {
  // deno-lint-ignore no-control-regex
  const SGR_COLOR = /\x1b\[(?:[0-9;]*;)?3[0-9]/;
  await withScreen(async (screen) => {
    await screen.type("[1, 'two']");
    await screen.press("Enter");
    await screen.waitFor((text) => text.includes('[ 1, "two" ]'), "the value");
    assert.match(await screen.escaped(), SGR_COLOR);
  });
  await withScreen(async (screen) => {
    await screen.type("[1, 'two']");
    await screen.press("Enter");
    await screen.waitFor((text) => text.includes('[ 1, "two" ]'), "the value");
    assert.doesNotMatch(await screen.escaped(), SGR_COLOR);
  }, "NO_COLOR=1");
});

Deno.test("terminal: a task printing while a line is typed prints above that line", async () => {
  await withScreen(async (screen) => {
    await screen.type(
      `createTask(async () => { await sleep(700); console.log("from the background") }); 0`,
    );
    await screen.press("Enter");
    await screen.type("const half");
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
