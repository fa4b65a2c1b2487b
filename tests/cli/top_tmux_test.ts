/**
 * `corun top` in a real terminal: tmux runs a script with `--monitor` in one
 * window and a shell in another, where `corun top` is started, its screen
 * captured, and `q` (then Ctrl+C) must give the shell back as it was. Fails,
 * never skips, when tmux is missing: `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { cancelByName } from "./_process.ts";
import { removeSoon } from "../_helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SOCKET = `corun-top-test-${Deno.pid}`;

async function tmux(...args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("tmux", { args: ["-L", SOCKET, ...args], stdin: "null" })
      .output();
  } catch (error) {
    throw new Error(`tmux is missing (apt-get install -y tmux; .ci/run does it): ${error}`);
  }
  if (!output.success) {
    throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  }
  return new TextDecoder().decode(output.stdout);
}

const capture = (target: string) => tmux("capture-pane", "-p", "-t", target);

/** Poll `read` until `predicate` holds, or fail with the last thing read. */
async function until(
  read: () => Promise<string>,
  predicate: (text: string) => boolean,
  what: string,
) {
  const deadline = Date.now() + 20_000;
  let text = "";
  while (Date.now() < deadline) {
    text = await read();
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last screen:\n${text}`);
}

Deno.test("corun top shows the live task in a real terminal; q and Ctrl+C give the shell back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-top-" });
  const log = `${dir}/monitor.log`;
  const deno = Deno.execPath();
  let url = "";
  let token = "";
  try {
    await tmux(
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      "110",
      "-y",
      "30",
      "-n",
      "script",
      `cd ${ROOT} && NO_COLOR=1 ${deno} run -A cli.ts run tests/cli/fixtures/ok_waits_until_cancelled.ts ` +
        `--monitor 2> ${log}; sleep 60`,
    );
    const printed = await until(
      () => Deno.readTextFile(log).catch(() => ""),
      (text) => /#token=/.test(text),
      "the monitor URL",
    );
    [, url, token] = /monitor at (http:\/\/\S+#token=(\w+))/.exec(printed)!;
    await tmux(
      "new-window",
      "-t",
      "t",
      "-n",
      "shell",
      "env -i PATH=/usr/bin:/bin TERM=xterm-256color PS1='$ ' bash --norc --noprofile",
    );
    const shell = "t:shell";
    await tmux(
      "send-keys",
      "-t",
      shell,
      `cd ${ROOT}; stty -g > ${dir}/before; echo BEFORE-TOP`,
      "Enter",
    );
    await until(() => capture(shell), (s) => /^BEFORE-TOP$/m.test(s), "the shell");

    for (const quit of ["q", "C-c"]) {
      await tmux("send-keys", "-t", shell, `${deno} run -A cli.ts top '${url}'`, "Enter");
      const screen = await until(
        () => capture(shell),
        (s) => s.includes("long-waiter"),
        "top's table",
      );
      assert.match(screen, /^corun top {2}http:\/\/127\.0\.0\.1:\d+ {2}2 live/m);
      assert.match(screen, /^ID +NAME +STATE +AGE +WAITING ON/m);
      assert.match(screen, /long-waiter +waiting +\S+ +sleep\(60000\)/);
      assert.doesNotMatch(screen, /BEFORE-TOP/, "top uses the whole screen (alternate screen)");
      // It refreshes: the age column changes while we watch.
      const age = () =>
        capture(shell).then((s) => /long-waiter +waiting +(\S+)/.exec(s)?.[1] ?? "");
      const first = await age();
      await until(age, (a) => a !== "" && a !== first, "a refresh");
      await tmux("send-keys", "-t", shell, quit);
      const back = await until(
        () => capture(shell),
        (s) => !s.includes("long-waiter"),
        `quit by ${quit}`,
      );
      assert.match(back, /BEFORE-TOP/, "the shell's screen is back");
      await tmux(
        "send-keys",
        "-t",
        shell,
        `stty -g > ${dir}/after; echo restored-$((40 + 2))`,
        "Enter",
      );
      await until(() => capture(shell), (s) => s.includes("restored-42"), "the shell to answer");
      const [before, after] = await Promise.all(
        ["before", "after"].map((f) => Deno.readTextFile(`${dir}/${f}`)),
      );
      assert.equal(after, before, `the terminal mode is restored after ${quit}`);
      await tmux("send-keys", "-t", shell, "clear; echo BEFORE-TOP", "Enter");
      await until(() => capture(shell), (s) => !s.includes("restored-42"), "clear");
    }
  } finally {
    if (url !== "") await cancelByName(url, token, "long-waiter").catch(() => {});
    await tmux("kill-server").catch(() => {});
    await removeSoon(dir);
  }
});
