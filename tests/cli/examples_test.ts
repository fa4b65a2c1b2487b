import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { examples, listExamples } from "../../lib/cli/examples.ts";
import { summaryOf } from "../../lib/repl/examples.ts";
import { CommandError, UsageError } from "../../lib/cli/errors.ts";
import { captureIo } from "./_io.ts";

Deno.test("summaryOf() takes the first sentence of the leading doc comment", () => {
  assert.equal(
    summaryOf(
      "/**\n * Two tasks at once: one after 1 s,\n * the other after 2 s. More text.\n */\ncode",
    ),
    "Two tasks at once: one after 1 s, the other after 2 s.",
  );
  assert.equal(
    summaryOf("#!/usr/bin/env -S deno run\n// A line comment example\nx"),
    "A line comment example",
  );
  assert.equal(summaryOf("/** @module */"), "");
  assert.equal(summaryOf("const x = 1;"), "");
});

Deno.test("listExamples() lists the .ts files by name, helpers (_name.ts) left out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/b_second.ts`, "/** Second one. */\n");
    await Deno.writeTextFile(`${dir}/a_first.ts`, "/** First one. */\n");
    await Deno.writeTextFile(`${dir}/_helper.ts`, "/** Helper. */\n");
    await Deno.writeTextFile(`${dir}/notes.md`, "# not code\n");
    const url = pathToFileURL(`${dir}/`);
    assert.deepEqual(listExamples(url).map((e) => [e.name, e.summary]), [
      ["a_first", "First one."],
      ["b_second", "Second one."],
    ]);
    const io = captureIo(30);
    assert.equal(await examples(undefined, {}, io, url), 0);
    assert.equal(io.stdout, "a_first   First one.\nb_second  Second one.\n");
    await assert.rejects(examples("c_third", {}, io, url), UsageError);
    assert.throws(() => listExamples(new URL("https://example.com/examples/")), CommandError);
    assert.throws(() => listExamples(pathToFileURL(`${dir}/missing/`)), CommandError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
