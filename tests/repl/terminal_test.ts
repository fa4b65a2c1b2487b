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
    // Its first frame already has the task: .top asks for a fresh snapshot first.
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

Deno.test("terminal: Promise.reject prints Uncaught and a later input still sees an earlier variable", async () => {
  await withScreen(async (screen) => {
    screen.type(`const kept = "still here"`);
    screen.press("Enter");
    screen.type(`Promise.reject(new Error("nobody caught me")); 0`);
    screen.press("Enter");
    const text = await screen.waitFor(
      /Uncaught \(in promise\) Error: nobody caught me/,
      "Uncaught",
    );
    assert.doesNotMatch(text, /lib\/repl|task\.ts|inspector/, "no frames of corun's own");
    screen.type(`(async () => { throw new Error("not awaited") })(); 1`);
    screen.press("Enter");
    await screen.waitFor(
      /Uncaught \(in promise\) Error: not awaited/,
      "the async function's error",
    );
    screen.type(`fetch("http://127.0.0.1:1/"); 2`);
    screen.press("Enter");
    await screen.waitFor(/Uncaught \(in promise\) TypeError/, "the failed fetch");
    screen.type("kept");
    screen.press("Enter");
    await screen.waitFor(/^"still here"$/m, "the earlier variable");
  });
});

Deno.test("terminal: an error thrown in a setTimeout callback prints Uncaught and the session goes on", async () => {
  await withScreen(async (screen) => {
    screen.type(`let count = 41; setTimeout(() => { throw new RangeError("late") }, 50); 0`);
    screen.press("Enter");
    await screen.waitFor(/Uncaught RangeError: late/, "the callback's error");
    screen.type("count + 1");
    screen.press("Enter");
    await screen.waitFor(/^42$/m, "the session to go on");
  });
});

Deno.test("terminal: while (true) {} then Ctrl+C twice: the prompt is back within 2 s and answers", async () => {
  await withScreen(async (screen) => {
    screen.type("while (true) {}");
    screen.press("Enter");
    await screen.waitFor(/event loop blocked/, "the panel to see the blocked loop");
    screen.press("C-c");
    await screen.waitFor(
      /blocks the event loop: Ctrl\+C again restarts/,
      "the first Ctrl+C's answer",
    );
    const started = performance.now();
    screen.press("C-c");
    await screen.waitFor(
      (text) =>
        text.includes(
          "the evaluation process was restarted: variables and tasks are gone; " +
            "history kept",
        ) && /^>\s*$/m.test(text),
      "the prompt and what was lost",
    );
    assert.ok(performance.now() - started < 2000, "within 2 s");
    screen.type("1 + 1");
    screen.press("Enter");
    await screen.waitFor(/^2$/m, "an answer from the new evaluation process");
    assert.ok(performance.now() - started < 5000, "and soon");
  });
});

Deno.test("terminal: the panel says the event loop is blocked, and by which input, during a 3 s busy loop", async () => {
  await withScreen(async (screen) => {
    screen.type("const end = Date.now() + 3000; while (Date.now() < end) {} 'done'");
    screen.press("Enter");
    const first = await screen.waitFor(
      /event loop blocked \d+\.\d s by input-1/,
      "the blocked line",
    );
    const seconds = (text: string) => Number(text.match(/blocked (\d+\.\d) s/)![1]);
    const rows = first.split("\n");
    assert.ok(
      rows.slice(-3).some((row) => /event loop blocked/.test(row)),
      `it is in the panel at the bottom:\n${first}`,
    );
    const later = await screen.waitFor(
      (text) => /blocked (\d+\.\d) s/.test(text) && seconds(text) >= seconds(first) + 1,
      "the panel to keep updating",
    );
    assert.match(later, /by input-1/);
    await screen.waitFor(
      (text) => /^"done"$/m.test(text) && !/event loop blocked/.test(text),
      "the loop to end and the warning to go",
    );
  });
});

Deno.test("terminal: user code has a terminal: isTerminal() is true and prompt() reads what is typed", async () => {
  await withScreen(async (screen) => {
    screen.type("Deno.stdout.isTerminal() && Deno.stdin.isTerminal()");
    screen.press("Enter");
    await screen.waitFor(/^true$/m, "a terminal");
    screen.type(`const answer = prompt("your name?")`);
    screen.press("Enter");
    await screen.waitFor(/your name\?/, "the question");
    screen.type("Ada");
    screen.press("Enter");
    screen.type("answer");
    screen.press("Enter");
    await screen.waitFor(/^"Ada"$/m, "the answer");
  });
});

Deno.test("terminal: a crash of the evaluation process is recovered: restarted, said so, history kept", async () => {
  await withScreen(async (screen) => {
    screen.type("const before = 1");
    screen.press("Enter");
    screen.type(`Deno.kill(Deno.pid, "SIGKILL")`);
    screen.press("Enter");
    await screen.waitFor(
      /the evaluation process ended \(signal 9\) and was restarted: variables and tasks are gone/,
      "the notice",
    );
    screen.type("typeof before");
    screen.press("Enter");
    await screen.waitFor(/^"undefined"$/m, "a fresh evaluation process");
    screen.press("Up", "Up");
    await screen.waitFor(/^> Deno\.kill\(Deno\.pid, "SIGKILL"\)$/m, "the history");
  });
});

Deno.test("terminal: Deno.serve after Ctrl+C on a promise that never settles keeps the session", async () => {
  await withScreen(async (screen) => {
    screen.type("await new Promise(() => {})");
    screen.press("Enter");
    await new Promise((resolve) => setTimeout(resolve, 300));
    screen.press("C-c");
    await screen.waitFor(/input-1 is not at a library await/, "the input let go");
    screen.type(
      "const server = Deno.serve({ port: 0, onListen() {} }, () => new Response('hi')); " +
        "await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text()",
    );
    screen.press("Enter");
    await screen.waitFor(/^"hi"$/m, "the server to answer");
    screen.type("await server.shutdown(); 1 + 1");
    screen.press("Enter");
    await screen.waitFor(/^2$/m, "the session to go on");
  });
});

Deno.test("terminal: Ctrl+C right after Enter still cancels the input, without a restart", async () => {
  await withScreen(async (screen) => {
    screen.type(`const fresh = 1; await sleep(10_000)`);
    screen.press("Enter");
    screen.press("C-c");
    await screen.waitFor(
      (text) => /CancelledError: interrupted/.test(text) && /^>\s*$/m.test(text),
      "the cancellation",
    );
    screen.type("fresh + 1");
    screen.press("Enter");
    const text = await screen.waitFor(/^2$/m, "the same evaluation process");
    assert.doesNotMatch(text, /restarted/);
  });
});

for (
  const [input, code] of [["Deno.exit(3)", 3], ["process.exit(5)", 5], [
    "await sleep(10); Deno.exit(4)",
    4,
  ]] as const
) {
  Deno.test(`terminal: ${input} in user code leaves the REPL with code ${code}, as in deno repl, no panic`, async () => {
    await withScreen(async (screen) => {
      screen.type(input);
      screen.press("Enter");
      assert.equal((await screen.exited).exitCode, code);
      await screen.settled();
      assert.doesNotMatch(screen.text(), /restarted|panicked|RefCell/);
    });
  });
}

Deno.test("terminal: .tasks, .cancel, .load and _ act on the evaluation process", async () => {
  await withScreen(async (screen) => {
    screen.type(`createTask(() => sleep(60_000), { name: "napper" }); 6 * 7`);
    screen.press("Enter");
    await screen.waitFor(/^42$/m, "the value");
    screen.type("_ + 1");
    screen.press("Enter");
    await screen.waitFor(/^43$/m, "_");
    screen.type(".tasks");
    screen.press("Enter");
    await screen.waitFor(/^\d+\s+napper\s+waiting\s+\S+\s+sleep\(60000\)$/m, "the table");
    screen.type(".cancel napper");
    screen.press("Enter");
    await screen.waitFor(/^cancelled napper \(#\d+\)$/m, "the cancellation");
    screen.type(".load tests/repl/fixtures/ok_load.ts");
    screen.press("Enter");
    screen.type("double(21)");
    screen.press("Enter");
    await screen.waitFor(/^42\n(.*\n)*> double\(21\)\n42$/m, "a declaration of the loaded file");
  });
});

Deno.test("terminal: a progress bar is a row of the live panel, not a second moving line", async () => {
  await withScreen(async (screen) => {
    screen.type(
      `await mapLimit(Array.from({ length: 40 }, (_, i) => i), 2, () => sleep(100), { progress: "Fetching" }); "fetched"`,
    );
    screen.press("Enter");
    const shown = await screen.waitFor(/^Fetching \d+\/40 /m, "the progress row");
    const rows = shown.split("\n");
    const title = rows.findIndex((row) => PANEL_TITLE.test(row));
    const bar = rows.findIndex((row) => /^Fetching \d+\/40 /.test(row));
    assert.ok(
      title !== -1 && bar > title,
      `the bar is inside the panel, under its title:\n${shown}`,
    );
    assert.equal(rows.filter((row) => row.includes("Fetching")).length, 2, "the input and one bar");
    await screen.waitFor(/^"fetched"$/m, "the result", 20_000);
  });
});

Deno.test("terminal: the panel shows the monitor's warnings, naming the task and what to do", async () => {
  await withScreen(async (screen) => {
    screen.type(
      `createTask(() => new Promise((resolve) => setTimeout(resolve, 8000)), { name: "foreign" }); 0`,
    );
    screen.press("Enter");
    const shown = await screen.waitFor(
      /warning: task foreign #\d+ has awaited a promise outside corun/,
      "the warning",
    );
    const rows = shown.split("\n");
    const title = rows.findIndex((row) => PANEL_TITLE.test(row));
    const warning = rows.findIndex((row) => row.startsWith("warning: task foreign"));
    assert.ok(title !== -1 && warning > title, `the warning is a row of the panel:\n${shown}`);
  });
});

Deno.test("terminal: a background task blocking the loop at the prompt: named, Ctrl+D says so, Ctrl+C twice restarts", async () => {
  await withScreen(async (screen) => {
    screen.type(
      `createTask(async () => { await sleep(50); while (true) {} }, { name: "spinner" }); 0`,
    );
    screen.press("Enter");
    await screen.waitFor(/event loop blocked \d+\.\d s by spinner/, "the panel to name the task");
    screen.press("C-d");
    await screen.waitFor(
      /the evaluation process is blocked by spinner: Ctrl\+D again \(or Ctrl\+C twice\) kills it/,
      "Ctrl+D to say at once what it would wait for",
    );
    screen.press("C-c");
    await screen.waitFor(
      /\^C spinner blocks the event loop: Ctrl\+C again restarts/,
      "the first Ctrl+C",
    );
    const started = performance.now();
    screen.press("C-c");
    await screen.waitFor(
      (text) =>
        text.includes("the evaluation process was restarted: variables and tasks are gone") &&
        /^>\s*$/m.test(text),
      "the restart",
    );
    assert.ok(performance.now() - started < 2000, "within 2 s");
    screen.type("1 + 1");
    screen.press("Enter");
    await screen.waitFor(/^2$/m, "the REPL goes on");
    assert.equal(
      await Promise.race([screen.exited.then(() => "exited"), Promise.resolve("alive")]),
      "alive",
    );
  });
});

Deno.test("terminal: a callback blocking the loop is named so; Ctrl+D twice leaves at once", async () => {
  await withScreen(async (screen) => {
    screen.type(`setTimeout(() => { while (true) {} }, 100); 0`);
    screen.press("Enter");
    await screen.waitFor(/event loop blocked \d+\.\d s by a callback/, "the panel");
    screen.press("C-d");
    await screen.waitFor(/is blocked by a callback: Ctrl\+D again/, "the first Ctrl+D");
    const started = performance.now();
    screen.press("C-d");
    assert.equal((await screen.exited).exitCode, 0);
    assert.ok(performance.now() - started < 2000, `left in ${performance.now() - started} ms`);
  });
});

Deno.test("terminal: an input that swallows the cancellation is let go, and the REPL says it caught it", async () => {
  await withScreen(async (screen) => {
    screen.type(
      "const kept = 1; let n = 0; while (true) { try { await sleep(10); n++ } catch {} }",
    );
    screen.press("Enter");
    await new Promise((resolve) => setTimeout(resolve, 500));
    screen.press("C-c");
    await new Promise((resolve) => setTimeout(resolve, 300));
    screen.press("C-c");
    const text = await screen.waitFor(
      /input-1 caught the cancellation and goes on in the background \(\.cancel \d+ to ask again\)/,
      "the honest message",
    );
    assert.doesNotMatch(text, /stops at its next library await/);
    screen.type("kept + (n > 0 ? 1 : 0)");
    screen.press("Enter");
    await screen.waitFor(/^2$/m, "the same evaluation process");
  });
});

Deno.test("terminal: while prompt() waits for the keyboard, the panel does not say the loop is blocked", async () => {
  await withScreen(async (screen) => {
    screen.type(`createTask(() => sleep(60_000), { name: "bg" }); const answer = prompt("name?")`);
    screen.press("Enter");
    await screen.waitFor(/name\?/, "the question");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await screen.settled();
    assert.doesNotMatch(screen.text(), /event loop blocked/);
    screen.type("Ada");
    screen.press("Enter");
    screen.type("answer");
    screen.press("Enter");
    await screen.waitFor(/^"Ada"$/m, "the answer");
  });
});

for (const signal of ["SIGTERM", "SIGHUP", "SIGKILL"] as const) {
  Deno.test(`terminal: killed with ${signal}, the REPL leaves no socket directory behind`, async () => {
    const home = await Deno.makeTempDir();
    const tmp = `${home}/tmp`;
    await Deno.mkdir(tmp);
    try {
      await using screen = await openRepl(home, { NO_COLOR: "", TMPDIR: tmp });
      screen.type("1 + 1");
      screen.press("Enter");
      await screen.waitFor(/^2$/m, "the evaluation process");
      const names = () => [...Deno.readDirSync(tmp)].map((entry) => entry.name);
      assert.equal(names().filter((name) => name.startsWith("corun-repl-")).length, 1);
      screen.kill(signal);
      await screen.exited;
      const deadline = performance.now() + 3000;
      while (names().length > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(names(), []);
    } finally {
      await removeSoon(home);
    }
  });
}
