/**
 * `corun run` end to end: the script's own arguments, option values checked
 * before the script starts, scripts that do not parse, tasks in another copy
 * of corun, and a monitor that answers malformed requests without a trace.
 */
import assert from "node:assert/strict";
import { removeSoon, runDeno } from "../_helpers.ts";
import { cancelByName, startMonitored } from "./_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const cli = (...args: string[]) => runDeno(["run", "-A", `${ROOT}cli.ts`, ...args]);
const FIXTURE = "tests/cli/fixtures/ok_prints_args.ts";

Deno.test("corun run passes what follows the script to it as Deno.args, options included", async () => {
  const { code, stdout, stderr } = await cli(
    "run",
    "--timeline",
    FIXTURE,
    "a",
    "b",
    "--flag",
    "-x",
  );
  assert.equal(code, 0, stderr);
  assert.equal(stdout.split("\n")[0], '["a","b","--flag","-x"]');
  assert.match(stdout, /\(no tasks\)/, "--timeline before the script is corun's");
  const plain = await cli("run", FIXTURE, "--timeline");
  assert.equal(plain.stdout, '["--timeline"]\n', "after the script, it is the script's");
});

Deno.test("bad option values are usage errors before the script runs", async () => {
  const cases: [string[], RegExp][] = [
    [["--trace="], /--trace needs a file name/],
    [["--trace", "/nonexistent/dir/x.json"], /--trace \/nonexistent\/dir\/x\.json: directory/],
    // The directory exists but nothing can be created there.
    [
      ["--trace", "/proc/corun-trace.json"],
      /--trace \/proc\/corun-trace\.json: cannot be written: /,
    ],
    [["--monitor=99999"], /--monitor port must be an integer from 0 to 65535, got '99999'/],
    [["--monitor=abc"], /--monitor port/],
  ];
  for (const [flags, message] of cases) {
    const { code, stdout, stderr } = await cli("run", ...flags, FIXTURE);
    assert.equal(code, 2, `${flags.join(" ")}: ${stderr}`);
    assert.equal(stdout, "", `${flags.join(" ")}: the script did not run`);
    assert.match(stderr, /^error: [^\n]+\n$/);
    assert.match(stderr, message);
  }
});

Deno.test("--trace where the CLI may not write is a usage error before the script runs, and leaves no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-trace-" });
  try {
    const limited = (trace: string) =>
      runDeno([
        "run",
        "--allow-read",
        "--allow-env",
        "--allow-net",
        `--allow-write=${dir}/allowed`,
        `${ROOT}cli.ts`,
        "run",
        "--trace",
        trace,
        FIXTURE,
      ]);
    await Deno.mkdir(`${dir}/allowed`);
    const denied = await limited(`${dir}/denied.json`);
    assert.equal(denied.code, 2, denied.stderr);
    assert.equal(denied.stdout, "", "the script did not run");
    assert.match(
      denied.stderr,
      /^error: --trace .*denied\.json: no permission to write there[^\n]*\n$/,
    );
    const allowed = await limited(`${dir}/allowed/t.json`);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.ok((await Deno.stat(`${dir}/allowed/t.json`)).isFile, "written at the end");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["allowed"]);
  } finally {
    await removeSoon(dir);
  }
});

Deno.test("a script that does not parse shows Deno's syntax error at its file and line, no CLI frames", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-syntax-" });
  try {
    await Deno.writeTextFile(`${dir}/broken.ts`, "const ok = 1;\nconst x = ;\n");
    const { code, stderr } = await cli("run", `${dir}/broken.ts`);
    assert.equal(code, 1);
    assert.match(stderr, /^error: SyntaxError: Expression expected/);
    assert.match(stderr, /broken\.ts:2:11/);
    assert.doesNotMatch(stderr, /TypeError/);
    assert.doesNotMatch(stderr, /cli\.ts|lib\/cli\//, "no frames of the CLI itself");
  } finally {
    await removeSoon(dir);
  }
});

Deno.test("tasks that ran in another copy of corun get a one-line hint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-copy-" });
  try {
    await Deno.copyFile(`${ROOT}mod.ts`, `${dir}/mod.ts`);
    const copy = new Deno.Command("cp", { args: ["-r", `${ROOT}lib`, `${dir}/lib`] });
    assert.equal((await copy.output()).code, 0);
    await Deno.writeTextFile(
      `${dir}/script.ts`,
      'import { createTask, sleep } from "./mod.ts";\n' +
        'await createTask(() => sleep(1), { name: "unseen" });\nconsole.log("ran");\n',
    );
    const { code, stdout, stderr } = await cli("run", `${dir}/script.ts`);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "ran\n");
    assert.match(stderr, /^corun: 1 task\(s\) ran in another copy of corun, [^\n]+\n$/);
    const same = await cli("run", "tests/cli/fixtures/ok_overlapping.ts");
    assert.doesNotMatch(same.stderr, /another copy/, "no hint when the CLI saw the tasks");
  } finally {
    await removeSoon(dir);
  }
});

Deno.test("the monitor of corun run answers malformed hosts with 400 and prints nothing", async () => {
  const child = await startMonitored("ok_waits_until_cancelled.ts");
  const port = Number(new URL(child.url).port);
  try {
    for (const host of ["localhost:abc", "127.0.0.1:99999", "[::1]evil", "127.0.0.1:1@evil"]) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const head = `GET /api/tasks HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
      await conn.write(new TextEncoder().encode(head));
      const answer = await new Response(conn.readable).text();
      assert.match(answer, /^HTTP\/1\.1 400/, host);
    }
  } finally {
    await cancelByName(child.url, child.token, "long-waiter");
  }
  const { code, stderr } = await child.done;
  assert.equal(code, 0);
  assert.equal(stderr.replace(/^corun: monitor at \S+\n/, ""), "", "no exception, no stack");
});

Deno.test("a script whose top-level await never settles is reported at its own line, not cli.ts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun-forever-" });
  try {
    await Deno.writeTextFile(
      `${dir}/forever.ts`,
      `import { createTask, sleep } from "${ROOT}mod.ts";\n` +
        'const stuck = createTask(() => sleep(Infinity), { name: "stuck" });\nawait stuck;\n',
    );
    const { code, stderr } = await cli("run", `${dir}/forever.ts`);
    assert.equal(code, 1);
    assert.match(stderr, /Top-level await promise never resolved/);
    assert.match(stderr, /forever\.ts:3:1/);
    assert.doesNotMatch(stderr, /cli\.ts/);
  } finally {
    await removeSoon(dir);
  }
});

/**
 * Follow the event stream of a `corun run --monitor` child: `ready` once the
 * snapshot arrived; `done` with the `end` body (or null) when it closes.
 */
async function followEvents(url: string, token: string) {
  const response = await fetch(new URL(`/api/events?token=${token}`, url));
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    } catch {
      // The connection dropped.
    }
    const end = /^event: end\ndata: (.*)$/m.exec(text);
    return { end: end === null ? null : JSON.parse(end[1]) };
  })();
  return { done };
}

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  Deno.test(`corun run --monitor stopped by ${signal} sends the end event with the final state, then exits ${code}`, async () => {
    const child = await startMonitored("ok_waits_until_cancelled.ts");
    await waitForTask(child.url, child.token, "long-waiter");
    const events = await followEvents(child.url, child.token);
    child.kill(signal);
    const { code: exitCode } = await child.done;
    const { end } = await events.done;
    assert.equal(exitCode, code);
    assert.ok(end !== null, "an end event");
    assert.equal(end.reason, `process stopped by ${signal}`);
    assert.ok(end.tasks.some((t: { name: string }) => t.name === "warm-up"));
  });
}

Deno.test("corun run --monitor whose script dies of an uncaught error sends the end event, prints the error, exits 1", async () => {
  const child = await startMonitored("fail_uncaught_when_cancelled.ts");
  await waitForTask(child.url, child.token, "trigger");
  const events = await followEvents(child.url, child.token);
  await cancelByName(child.url, child.token, "trigger");
  const { code, stderr } = await child.done;
  const { end } = await events.done;
  assert.equal(code, 1);
  assert.match(stderr, /^error: Uncaught Error: crash from a timer$/m);
  assert.ok(end !== null, "an end event");
  assert.match(end.reason, /^process failed \(uncaught .*crash from a timer\)$/);
});

/** Wait (a little) until the child's monitor lists a task named `name`. */
async function waitForTask(url: string, token: string, name: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const { tasks } = await (await fetch(new URL("/api/tasks", url), { headers })).json();
    if (tasks.some((t: { name: string }) => t.name === name)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no task named ${name}`);
}
