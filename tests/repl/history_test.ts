import assert from "node:assert/strict";
import { History } from "../../lib/repl/history.ts";

async function inTempDir(body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await body(`${dir}/history`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("History appends each line to its file at once, created with mode 0600", async () => {
  await inTempDir(async (path) => {
    const history = new History(path);
    await history.load();
    history.add("const a = 1");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(await Deno.readTextFile(path), "const a = 1\n");
    history.add("a + 1");
    history.add("a + 1");
    history.add("   ");
    assert.equal(await Deno.readTextFile(path), "const a = 1\na + 1\n", "no repeat, no blank");
  });
});

Deno.test("History keeps multi-line inputs and backslashes across a reload", async () => {
  await inTempDir(async (path) => {
    const first = new History(path);
    first.add("if (x) {\n  y()\n}");
    first.add(String.raw`"a\nb" + "\\"`);
    const second = new History(path);
    await second.load();
    assert.deepEqual(second.entries, ["if (x) {\n  y()\n}", String.raw`"a\nb" + "\\"`]);
  });
});

Deno.test("History makes an existing file private when it loads it", async () => {
  await inTempDir(async (path) => {
    await Deno.writeTextFile(path, "old\n", { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    const history = new History(path);
    await history.load();
    assert.deepEqual(history.entries, ["old"]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  });
});

Deno.test("History keeps the newest 1000 lines and compacts a file that grew past 2000", async () => {
  await inTempDir(async (path) => {
    await Deno.writeTextFile(path, Array.from({ length: 2500 }, (_, i) => `line ${i}\n`).join(""));
    const history = new History(path);
    await history.load();
    assert.equal(history.entries.length, 1000);
    assert.equal(history.entries[0], "line 1500");
    const lines = (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1000);
    assert.equal(lines.at(-1), "line 2499");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    history.add("newest");
    assert.equal((await Deno.readTextFile(path)).split("\n").at(-2), "newest");
  });
});

Deno.test("History without a file keeps lines in memory only", async () => {
  const history = new History(null);
  await history.load();
  history.add("x");
  await history.save();
  assert.deepEqual(history.entries, ["x"]);
});
