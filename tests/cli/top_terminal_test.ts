/**
 * `corun top` in a real terminal (tests/_terminal.ts): a script runs with
 * `--monitor`, a shell in a pseudo-terminal starts `corun top` against it,
 * and `q` (then Ctrl+C) must give the shell back as it was.
 */
import assert from "node:assert/strict";
import { cancelByName, startMonitored } from "./_process.ts";
import { removeSoon } from "../_helpers.ts";
import { Terminal } from "../_terminal.ts";

Deno.test("corun top shows the live task in a real terminal; q and Ctrl+C give the shell back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-top-" });
  const monitored = await startMonitored("ok_waits_until_cancelled.ts");
  const deno = Deno.execPath();
  try {
    await using shell = Terminal.spawn("bash", ["--norc", "--noprofile"], {
      cols: 110,
      rows: 30,
      env: { PS1: "$ ", NO_COLOR: "1" },
    });
    shell.type(`stty -g > ${dir}/before; echo BEFORE-TOP\r`);
    await shell.waitFor(/^BEFORE-TOP$/m, "the shell");

    for (const quit of ["q", "C-c"] as const) {
      shell.type(`${deno} run -A cli.ts top '${monitored.url}'\r`);
      const screen = await shell.waitFor("long-waiter", "top's table", 20_000);
      assert.match(screen, /^corun top {2}http:\/\/127\.0\.0\.1:\d+ {2}2 live/m);
      assert.match(screen, /^ID +NAME +STATE +AGE +WAITING ON/m);
      assert.match(screen, /long-waiter +waiting +\S+ +sleep\(60000\)/);
      assert.doesNotMatch(screen, /BEFORE-TOP/, "top uses the whole screen (alternate screen)");
      // It refreshes: the age column changes while we watch.
      const age = () => /long-waiter +waiting +(\S+)/.exec(shell.text())?.[1] ?? "";
      const first = age();
      await shell.waitFor(() => age() !== "" && age() !== first, "a refresh");
      shell.press(quit);
      const back = await shell.waitFor((s) => !s.includes("long-waiter"), `quit by ${quit}`);
      assert.match(back, /BEFORE-TOP/, "the shell's screen is back");
      shell.type(`stty -g > ${dir}/after; echo restored-$((40 + 2))\r`);
      await shell.waitFor("restored-42", "the shell to answer");
      const [before, after] = await Promise.all(
        ["before", "after"].map((f) => Deno.readTextFile(`${dir}/${f}`)),
      );
      assert.equal(after, before, `the terminal mode is restored after ${quit}`);
      shell.type("clear; echo BEFORE-TOP\r");
      await shell.waitFor((s) => !s.includes("restored-42"), "clear");
    }
  } finally {
    await cancelByName(monitored.url, monitored.token, "long-waiter").catch(() => {});
    await monitored.done;
    await removeSoon(dir);
  }
});

Deno.test("corun top in a real terminal: arrow keys select a task, c cancels it, s sorts", async () => {
  const monitored = await startMonitored("ok_waits_until_cancelled.ts");
  try {
    await using shell = Terminal.deno([
      "run",
      "-A",
      "cli.ts",
      "top",
      monitored.url,
    ], {
      cols: 110,
      rows: 20,
      env: { NO_COLOR: "1" },
    });
    await shell.waitFor("long-waiter", "top's table", 20_000);
    assert.match(shell.text(), /sort: id/);
    assert.match(shell.text(), /↑↓: select {2}c: cancel {2}s: sort/);
    shell.press("s");
    await shell.waitFor(/sort: age/, "sorted by age");
    shell.press("s");
    shell.press("s");
    await shell.waitFor(/sort: id/, "back to id");
    // main (the run) first, then long-waiter.
    shell.press("Down");
    shell.press("Down");
    shell.press("c");
    await shell.waitFor(/cancelled task \d+/, "the cancel's outcome");
    const { code, stdout } = await monitored.done;
    assert.equal(code, 0);
    assert.match(stdout, /ended: CancelledError/, "the selected task, long-waiter, was cancelled");
    shell.press("q");
  } finally {
    monitored.kill();
    await monitored.done;
  }
});
