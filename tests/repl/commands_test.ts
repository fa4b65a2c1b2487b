/** The REPL's dot commands, driven with piped input in a subprocess. */
import assert from "node:assert/strict";
import { lines, runRepl } from "./_helpers.ts";

Deno.test(".help lists every command", async () => {
  const run = await runRepl(".help\n");
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
    "",
  ].join("\n"));
  const out = lines(run.stdout);
  assert.equal(out[0], "no live tasks (.tasks all shows finished ones)");
  assert.match(out[1], /^ID\s+NAME\s+STATE\s+AGE\s+WAITING ON$/);
  assert.match(out[2], /^\d+\s+napper\s+waiting\s+\S+\s+sleep\(60000\)$/);
  assert.equal(out.length, 4); // and the exit summary
  assert.doesNotMatch(run.stdout, /\brepl\b.*running/);
});

Deno.test(".tasks all includes the finished ones", async () => {
  const run = await runRepl("await createTask(() => 5, { name: 'quick' })\n.tasks all\n");
  assert.match(run.stdout, /^\d+\s+quick\s+done\s+\S+\s+= 5$/m);
});

Deno.test(".tree shows tasks under the task that created them", async () => {
  const run = await runRepl([
    "createTask(async () => { createTask(() => sleep(60_000), { name: 'leaf' }); await sleep(60_000) }, { name: 'parent' }); await sleep(5)",
    ".tree",
    "",
  ].join("\n"));
  const out = lines(run.stdout);
  assert.match(out[0], /^parent #\d+ waiting \S+ sleep\(60000\)$/);
  assert.match(out[1], /^└─ leaf #\d+ waiting \S+ sleep\(60000\)$/);
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
    "",
  ].join("\n"));
  assert.deepEqual(lines(run.stdout), [
    "5",
    "cancelled alpha (#3)",
    "cancelled beta (#5)",
    "no live task with id or name nobody",
    "usage: .cancel <id|name>",
    "[ true, true ]",
  ]);
});

Deno.test(".monitor on|off switches the panel setting", async () => {
  const run = await runRepl(".monitor\n.monitor off\n.monitor on\n.monitor sideways\n");
  assert.deepEqual(lines(run.stdout), [
    "live monitor on",
    "live monitor off",
    "live monitor on",
    "usage: .monitor on|off",
  ]);
});

Deno.test(".timeline charts the tasks that ran", async () => {
  const run = await runRepl("await createTask(() => sleep(20), { name: 'sleeper' })\n.timeline\n");
  assert.match(run.stdout, /^sleeper #\d+\s+\|.*=.*\| done/m);
  assert.match(run.stdout, /^input-1 #\d+/m);
});

Deno.test(".top without a terminal prints the live tasks once", async () => {
  const run = await runRepl(
    "createTask(() => sleep(60_000), { name: 'watched' }); await sleep(5)\n.top\n",
  );
  assert.match(run.stdout, /^\d+\s+watched\s+waiting/m);
  assert.ok(!run.stdout.includes("\x1b"), "no escape codes");
});

Deno.test(".examples lists the examples and loads one by name", async () => {
  const run = await runRepl(".examples\n.examples nope\n");
  assert.match(run.stdout, /^ {2}hello\s+\S/m);
  assert.match(run.stdout, /^ {2}concurrent_tasks\s+\S/m);
  assert.match(run.stdout, /no example named nope/);
});

Deno.test(".exit leaves at once: later input is not evaluated", async () => {
  const run = await runRepl("1\n.exit\n2\n");
  assert.deepEqual(lines(run.stdout), ["1"]);
  assert.equal(run.code, 0);
});

Deno.test("an unknown command is reported, not evaluated", async () => {
  const run = await runRepl(".frobnicate\n");
  assert.deepEqual(lines(run.stdout), ["unknown command .frobnicate (.help lists them)"]);
});
