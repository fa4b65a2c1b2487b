/** The REPL's dot commands, driven with piped input in a subprocess. */
import assert from "node:assert/strict";
import { runRepl } from "./_helpers.ts";

Deno.test(".help lists every command", async () => {
  const run = await runRepl([".help"]);
  for (
    const command of [
      ".help",
      ".tasks",
      ".tree",
      ".cancel",
      ".monitor",
      ".top",
      ".timeline",
      ".load",
      ".examples",
      ".exit",
    ]
  ) {
    assert.match(run.stdout, new RegExp(`^  \\${command}\\b`, "m"), command);
  }
});

Deno.test(".tasks shows the live tasks with what they wait on, not the REPL's own", async () => {
  const run = await runRepl([
    ".tasks",
    "const napper = createTask(() => sleep(60_000), { name: 'napper' }); await sleep(5)",
    ".tasks",
  ]);
  assert.equal(run.out[0], "no live tasks (.tasks all shows finished ones)");
  assert.match(run.out[1], /^ID\s+NAME\s+STATE\s+AGE\s+WAITING ON$/);
  assert.match(run.out[2], /^\d+\s+napper\s+waiting\s+\S+\s+sleep\(60000\)$/);
  assert.equal(run.out.length, 4); // and the exit summary
  assert.doesNotMatch(run.stdout, /\brepl\b.*running/);
});

Deno.test(".tasks all includes the finished ones", async () => {
  const run = await runRepl(["await createTask(() => 5, { name: 'quick' })", ".tasks all"]);
  assert.match(run.stdout, /^\d+\s+quick\s+done\s+\S+\s+= 5$/m);
});

Deno.test(".tree shows tasks under the task that created them", async () => {
  const run = await runRepl([
    "createTask(async () => { createTask(() => sleep(60_000), { name: 'leaf' }); await sleep(60_000) }, { name: 'parent' }); await sleep(5)",
    ".tree",
  ]);
  assert.match(run.out[0], /^parent #\d+ waiting \S+ sleep\(60000\)$/);
  assert.match(run.out[1], /^└─ leaf #\d+ waiting \S+ sleep\(60000\)$/);
});

Deno.test(".cancel cancels by name or id; unknown names are reported", async () => {
  const run = await runRepl([
    "const a = createTask(() => sleep(60_000), { name: 'alpha' })",
    "const b = createTask(() => sleep(60_000), { name: 'beta' })",
    "b.id",
    ".cancel alpha",
    ".cancel 5",
    ".cancel nobody",
    ".cancel",
    "await sleep(0); [a.cancelled(), b.cancelled()]",
  ]);
  assert.deepEqual(run.out, [
    "5",
    "cancelled alpha (#3)",
    "cancelled beta (#5)",
    "no live task with id or name nobody",
    "usage: .cancel <id|name>",
    "[ true, true ]",
  ]);
});

Deno.test(".monitor on|off switches the panel setting", async () => {
  const run = await runRepl([".monitor", ".monitor off", ".monitor on", ".monitor sideways"]);
  assert.deepEqual(run.out, [
    "live monitor on",
    "live monitor off",
    "live monitor on",
    "usage: .monitor on|off",
  ]);
});

Deno.test(".timeline charts the tasks that ran; the input tasks only with --internal", async () => {
  const run = await runRepl([
    "await createTask(() => sleep(20), { name: 'sleeper' })",
    ".timeline",
    ".timeline --internal",
  ]);
  const [plain, internal] = run.stdout.split(/^(?=\d+ tasks? over)/m).filter((part) => part);
  assert.match(plain, /^sleeper #\d+\s+\|.*=.*\| done/m);
  assert.doesNotMatch(plain, /input-1/);
  assert.match(internal, /^input-1 #\d+/m);
  assert.match(internal, /^sleeper #\d+/m);
});

Deno.test(".tasks all and .tree all leave out the REPL's input tasks unless --internal", async () => {
  const run = await runRepl([
    "await createTask(() => 5, { name: 'quick' })",
    ".tasks all",
    ".tree all",
    "'--internal:'",
    ".tasks all --internal",
    ".tree all --internal",
  ]);
  const [plain, internal] = run.stdout.split(/^"--internal:"$/m);
  assert.match(plain, /^\d+\s+quick\s+done/m);
  assert.match(plain, /^quick #\d+ done/m);
  assert.doesNotMatch(plain, /input-\d/);
  assert.match(internal, /^\d+\s+input-1\s+done/m);
  assert.match(internal, /^input-1 #\d+ done/m);
});

Deno.test(".top without a terminal prints the live tasks once", async () => {
  const run = await runRepl([
    ".top",
    "createTask(() => sleep(60_000), { name: 'watched' }); await sleep(5)",
    ".top",
  ]);
  assert.equal(run.out[0], "no live tasks (.tasks all shows finished ones)");
  assert.match(run.out[1], /^ID\s+NAME\s+STATE\s+AGE\s+WAITING ON$/);
  assert.match(run.out[2], /^\d+\s+watched\s+waiting\s+\S+\s+sleep\(60000\)$/);
  assert.ok(!run.stdout.includes("\x1b"), "no escape codes");
});

Deno.test(".examples lists the examples and loads one by name", async () => {
  const run = await runRepl([".examples", ".examples hello", ".examples nope"], {
    CORUN_EXAMPLE_SCALE: "0.1",
  });
  assert.match(run.stdout, /^ {2}hello\s+\S/m);
  assert.match(run.stdout, /^ {2}concurrent_tasks\s+\S/m);
  const listed = run.out.indexOf(".examples <name> loads one here; .load <file> loads any file");
  assert.deepEqual(run.out.slice(listed + 1), [
    "hello",
    "world",
    "no example named nope (.examples lists them)",
  ]);
  assert.equal(run.stderr, "");
});

Deno.test(".exit leaves at once: later input is not evaluated", async () => {
  const run = await runRepl(["1", ".exit", "2"]);
  assert.deepEqual(run.out, ["1"]);
  assert.equal(run.code, 0);
});

Deno.test("an unknown command is reported, not evaluated", async () => {
  const run = await runRepl([".frobnicate"]);
  assert.deepEqual(run.out, ["unknown command .frobnicate (.help lists them)"]);
});

Deno.test("commands given a wrong argument print a one-line usage and count as a failure", async () => {
  const run = await runRepl([
    ".tasks bogus",
    ".tree everything",
    ".timeline all",
    ".tasks all --internal",
  ]);
  assert.deepEqual(run.out.slice(0, 3), [
    "usage: .tasks [all [--internal]]",
    "usage: .tree [all [--internal]]",
    "usage: .timeline [--internal]",
  ]);
  assert.doesNotMatch(run.out.slice(3).join("\n"), /usage/);
  assert.equal(run.code, 1);
});
