/**
 * The README's install line, run as written into a temporary install root:
 * the installed `corun` prints its version and runs a script that imports
 * `@corun/corun` from another directory (the config travels with it).
 */
import assert from "node:assert/strict";
import { removeSoon } from "../_helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("the README's install line installs a corun that runs scripts from anywhere", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const line = /`(deno install -g [^`]+)`/.exec(readme)?.[1];
  assert.ok(line, "README has an install line");
  const root = await Deno.makeTempDir({ prefix: "corun-install-" });
  try {
    const [, ...args] = line.split(" ");
    const install = await new Deno.Command(Deno.execPath(), {
      args: [...args.slice(0, 1), "-q", ...args.slice(1)],
      cwd: ROOT,
      env: { DENO_INSTALL_ROOT: root },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const installErr = new TextDecoder().decode(install.stderr);
    assert.equal(install.code, 0, installErr);
    const corun = (...argv: string[]) =>
      new Deno.Command(`${root}/bin/corun`, {
        args: argv,
        cwd: root,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const version = await corun("--version");
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
    assert.equal(new TextDecoder().decode(version.stdout), `corun ${config.version}\n`);
    const script = await corun("run", "--timeline", `${ROOT}tests/cli/fixtures/ok_overlapping.ts`);
    const err = new TextDecoder().decode(script.stderr);
    assert.equal(script.code, 0, err);
    assert.match(new TextDecoder().decode(script.stdout), /first #\d+ +\|=+/);
  } finally {
    await removeSoon(root);
  }
});
