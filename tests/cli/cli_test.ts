/** `cli.ts` end to end, in a subprocess: every command and every error path. */
import assert from "node:assert/strict";
import { runDeno } from "../_helpers.ts";
import { cancelByName, startMonitored } from "./_process.ts";

const cli = (...args: string[]) => runDeno(["run", "-A", "cli.ts", ...args]);
/** `corun run ...flags tests/cli/fixtures/<fixture>` (corun's options go before the script). */
const runFixture = (fixture: string, ...flags: string[]) =>
  cli("run", ...flags, `tests/cli/fixtures/${fixture}`);

/** A user mistake: exit code 2, exactly one `error: ...` line on stderr, no stack. */
async function assertUsageError(args: string[], message: RegExp): Promise<void> {
  const { code, stdout, stderr } = await cli(...args);
  assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
  assert.equal(stdout, "");
  assert.match(stderr, /^error: [^\n]+\n$/, `one line for ${args.join(" ")}: ${stderr}`);
  assert.match(stderr, message);
}

Deno.test("corun --version prints corun and the version from deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (const flag of ["--version", "-V"]) {
    const { code, stdout, stderr } = await cli(flag);
    assert.equal(code, 0);
    assert.equal(stdout, `corun ${config.version}\n`);
    assert.equal(stderr, "");
  }
});

Deno.test("corun --help lists every command; each command has its own --help", async () => {
  const { code, stdout } = await cli("--help");
  assert.equal(code, 0);
  for (const command of ["run", "ps", "top", "examples", "repl"]) {
    assert.match(stdout, new RegExp(`^  ${command} `, "m"));
    const help = await cli(command, "--help");
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: corun ${command}`));
  }
  const run = await cli("run", "-h");
  for (const option of ["--debug", "--monitor [port]", "--timeline", "--trace <file>"]) {
    assert.ok(run.stdout.includes(option), option);
  }
});

Deno.test("bad command lines: one line on stderr, exit code 2", async () => {
  await assertUsageError([], /missing command/);
  await assertUsageError(["bogus"], /unknown command 'bogus'/);
  await assertUsageError(["rn"], /unknown command 'rn' \(Did you mean run\?\)/);
  await assertUsageError(["--bogus"], /unknown option '--bogus'/);
  await assertUsageError(["run"], /missing required argument 'script'/);
  await assertUsageError(["run", "tests/cli/fixtures/nope.ts"], /script not found/);
  await assertUsageError(["run", "tests/cli/fixtures"], /not a file/);
  await assertUsageError(["run", "--trace"], /'--trace <file>' argument missing/);
  await assertUsageError(["run", "--monitor=99999", "tests/cli/fixtures/ok_debug_flag.ts"], /port/);
  await assertUsageError(["run", "--frob", "tests/cli/fixtures/ok_debug_flag.ts"], /'--frob'/);
  await assertUsageError(["ps"], /missing required argument 'url'/);
  await assertUsageError(["ps", "not a url"], /not a URL/);
  await assertUsageError(["ps", "ftp://127.0.0.1/"], /not an http URL/);
  await assertUsageError(["top", "::"], /not a URL/);
  await assertUsageError(["examples", "no_such_example"], /unknown example 'no_such_example'/);
  await assertUsageError(["repl", "extra"], /too many arguments/);
});

Deno.test("corun run runs a script and --timeline prints overlapping bars once it ends", async () => {
  const { code, stdout, stderr } = await runFixture("ok_overlapping.ts", "--timeline");
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "");
  const [output, header, ...rows] = stdout.trimEnd().split("\n");
  assert.equal(output, "a b");
  assert.match(header, /^3 tasks over \d/);
  // Cells a task occupied, pending (".") or started ("="): its lifetime.
  const bar = (name: string) =>
    rows.find((row) => row.startsWith(name))?.split("|")[1].replace(/[.>x!]/g, "=");
  assert.ok(bar("first") && bar("second"), stdout);
  // Started together and ended together: the same columns, give or take the
  // one cell a loaded machine may put between their ends.
  const span = (name: string) => {
    const cells = bar(name)!;
    return [cells.indexOf("="), cells.lastIndexOf("=")];
  };
  const [first, second] = [span("first"), span("second")];
  assert.ok(
    Math.abs(first[0] - second[0]) <= 1 && Math.abs(first[1] - second[1]) <= 1,
    `two concurrent tasks share their columns:\n${stdout}`,
  );
  assert.ok(first[1] - first[0] > 10, "a bar spans many columns");
});

Deno.test("corun run shares corun with a script importing mod.ts by a relative path", async () => {
  const { code, stdout } = await runFixture("ok_relative_import.ts", "--timeline");
  assert.equal(code, 0);
  assert.match(stdout, /^relative done\n/);
  assert.match(stdout, /relative-main #\d+ +\|/);
  assert.match(stdout, /relative-child #\d+ +\|/);
});

Deno.test("corun run waits for tasks that outlive the script's top level", async () => {
  const { code, stdout } = await runFixture("ok_background_task.ts", "--timeline");
  assert.equal(code, 0);
  assert.match(stdout, /^top level done\nbackground finished\n1 task over/);
});

Deno.test("corun run --trace writes a Trace Event file with every task", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/trace.json`;
    const { code, stderr } = await runFixture("ok_overlapping.ts", "--trace", file);
    assert.equal(code, 0);
    assert.match(
      stderr,
      /^corun: trace written to .*trace\.json \(open it at https:\/\/ui\.perfetto\.dev\)\n$/,
    );
    const trace = JSON.parse(await Deno.readTextFile(file));
    const names = trace.traceEvents.filter((e: { ph: string }) => e.ph === "X").map((
      e: { name: string },
    ) => e.name);
    assert.deepEqual(names.filter((n: string) => n !== "pending").sort(), [
      "first",
      "main",
      "second",
    ]);
    const bad = await runFixture("ok_overlapping.ts", "--trace", `${dir}/no/such/dir.json`);
    assert.equal(bad.code, 2, "a usage error, found before the script runs");
    assert.equal(bad.stdout, "");
    assert.match(bad.stderr, /^error: --trace .*dir\.json: directory .* does not exist\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("corun run --debug turns debug mode on for the script", async () => {
  assert.equal(
    (await runFixture("ok_debug_flag.ts")).stdout,
    "CORUN_DEBUG=unset\n",
  );
  const debug = await runFixture("ok_debug_flag.ts", "--debug");
  assert.equal(debug.stdout, "CORUN_DEBUG=1\n");
});

Deno.test("corun run of a failing script prints its error and exits with 1", async () => {
  const { code, stderr } = await runFixture("fail_throws.ts", "--timeline");
  assert.equal(code, 1);
  assert.match(stderr, /Error: fixture failure\n\s+at /);
});

Deno.test("corun run --monitor prints its URL; corun ps lists the live task; cancel ends the script", async () => {
  const child = await startMonitored("ok_waits_until_cancelled.ts");
  try {
    assert.match(child.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32}$/);
    const ps = await cli("ps", child.url);
    assert.equal(ps.code, 0, ps.stderr);
    const lines = ps.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^ID +NAME +STATE +AGE +WAITING ON$/);
    assert.ok(lines.some((l) => /long-waiter +waiting .* sleep\(60000\)$/.test(l)), ps.stdout);
    assert.ok(lines.some((l) => /main +waiting .* long-waiter$/.test(l)), ps.stdout);
    await cancelByName(child.url, child.token, "long-waiter");
    const { code, stdout } = await child.done;
    assert.equal(code, 0);
    assert.equal(stdout, "waiting\nended: CancelledError\n");
    const after = await cli("ps", child.url);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /^error: cannot reach http:\/\/127\.0\.0\.1:\d+: [^\n]+\n$/);
  } finally {
    child.kill();
    await child.done;
  }
});

Deno.test("corun ps --all includes finished tasks", async () => {
  const child = await startMonitored("ok_waits_until_cancelled.ts");
  try {
    const live = await cli("ps", child.url);
    assert.match(live.stdout, /long-waiter/);
    assert.doesNotMatch(live.stdout, /warm-up/, "ps alone lists live tasks only");
    const all = await cli("ps", "--all", child.url);
    assert.equal(all.code, 0);
    assert.match(all.stdout, /long-waiter +waiting/);
    assert.match(all.stdout, /warm-up +done .* = "warmed up"$/m);
  } finally {
    await cancelByName(child.url, child.token, "long-waiter");
    await child.done;
  }
});

Deno.test("corun top with stdout not a terminal prints one table and ends; unreachable is one line", async () => {
  const child = await startMonitored("ok_waits_until_cancelled.ts");
  try {
    const { code, stdout, stderr } = await runDeno(["run", "-A", "cli.ts", "top", child.url]);
    assert.equal(code, 0, stderr);
    assert.ok(!stdout.includes("\x1b"), "no escape codes, no alternate screen");
    assert.match(stdout, /^ID +NAME +STATE +AGE +WAITING ON\n/);
    assert.match(stdout, /long-waiter +waiting/);
  } finally {
    await cancelByName(child.url, child.token, "long-waiter");
    await child.done;
  }
  const gone = await runDeno(["run", "-A", "cli.ts", "top", "http://127.0.0.1:9/"]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /^error: cannot reach http:\/\/127\.0\.0\.1:9: [^\n]+\n$/);
});

Deno.test("corun examples lists each example on one line; corun examples <name> runs one", async () => {
  const list = await cli("examples");
  assert.equal(list.code, 0);
  const names = [...Deno.readDirSync(new URL("../../examples/", import.meta.url))]
    .map((e) => e.name).filter((n) => n.endsWith(".ts") && !n.startsWith("_"))
    .map((n) => n.slice(0, -3)).sort();
  const lines = list.stdout.trimEnd().split("\n");
  assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), names);
  for (const line of lines) assert.match(line, /^\S+ +\S.*$/);
  const hello = await runDeno(["run", "-A", "cli.ts", "examples", "hello"], {
    env: { CORUN_EXAMPLE_SCALE: "0.1" },
  });
  assert.equal(hello.code, 0, hello.stderr);
  assert.equal(hello.stdout, "hello\nworld\n");
});

Deno.test("corun repl starts the REPL, which reads piped input", async () => {
  const { code, stdout } = await runDeno(["run", "-A", "cli.ts", "repl"], { stdin: "20 + 22\n" });
  assert.equal(code, 0);
  assert.match(stdout, /\b42\b/);
});

Deno.test("corun run: a script failing with a null-prototype object exits 1 with a readable line", async () => {
  const { code, stderr } = await runFixture("fail_null_prototype_error.ts");
  assert.equal(code, 1, stderr);
  assert.equal(stderr, '{"code":"E_NULL"}\n');
});
