import assert from "node:assert/strict";
import { runDeno } from "./_helpers.ts";

Deno.test("examples/blocking.ts: blocking work freezes the ticker and is reported; toThread does not", async () => {
  const { code, stdout, stderr } = await runDeno(["run", "-A", "examples/blocking.ts"]);
  assert.equal(code, 0, stderr);
  const gap = (label: string) => {
    const match = new RegExp(
      `^${label}: the work took (\\d+) ms; .* longest gap was (\\d+) ms$`,
      "m",
    )
      .exec(stdout);
    assert.ok(match, stdout);
    return { took: Number(match[1]), gap: Number(match[2]) };
  };
  const blocking = gap("blocking");
  const threaded = gap("toThread");
  assert.ok(blocking.gap >= blocking.took * 0.9, "the ticker froze for the whole blocking call");
  assert.ok(threaded.gap * 2 < blocking.gap, `toThread gap ${threaded.gap} vs ${blocking.gap}`);
  const warnings = stderr.split("\n").filter((line) => line.includes("event loop was blocked"));
  assert.equal(warnings.length, 1, stderr);
  assert.match(warnings[0], /task "blocking"/);
});

Deno.test("examples/read_errors.ts prints the lines of the log that contain ERROR", async () => {
  const { code, stdout, stderr } = await runDeno(["run", "-A", "examples/read_errors.ts"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n");
  assert.deepEqual(lines.map((line) => line.split(":")[0].trim()), [
    "6",
    "9",
    "13",
    "3 of 15 lines contain ERROR",
  ]);
  for (const line of lines.slice(0, 3)) assert.match(line, / ERROR /);
});

Deno.test("examples/fetch_many.ts fetches concurrently with mapLimit and retries the failures", async () => {
  const { code, stdout, stderr } = await runDeno(["run", "-A", "examples/fetch_many.ts"]);
  assert.equal(code, 0, stderr);
  const items = [
    ...stdout.matchAll(/^\/items\/(\d+): "item (\d+)" in \d+ ms \((\d) attempt\(s\)\)$/gm),
  ];
  assert.equal(items.length, 9, stdout);
  for (const [, path, body, attempts] of items) {
    assert.equal(path, body);
    assert.equal(Number(attempts), Number(path) % 3 === 0 ? 2 : 1);
  }
  const match = /^total (\d+) ms, sum of the individual times (\d+) ms/m.exec(stdout);
  assert.ok(match, stdout);
  assert.ok(Number(match[1]) < Number(match[2]), "the requests overlapped");
});
