import assert from "node:assert/strict";
import { CancelledError, createTask, sleep, toThread } from "../../mod.ts";
import { closeDefaultPool } from "../../lib/workers/to_thread.ts";
import { taskInternals } from "../../lib/runtime/mod.ts";
import { runDeno } from "../_helpers.ts";

/** Every test closes the default pool it used, so no worker outlives it. */
function poolTest(name: string, fn: () => Promise<void>): void {
  Deno.test(name, async () => {
    try {
      await fn();
    } finally {
      await closeDefaultPool();
    }
  });
}

poolTest(
  "toThread runs the function in another thread, with cloned arguments and result",
  async () => {
    (globalThis as { corunMarker?: number }).corunMarker = 1;
    try {
      const input = { list: [1, 2, 3], when: new Date(0) };
      const result = await toThread((value: { list: number[]; when: Date }) => ({
        sum: value.list.reduce((a, b) => a + b, 0),
        year: value.when.getUTCFullYear(),
        markerThere: typeof (globalThis as { corunMarker?: number }).corunMarker,
      }), input);
      assert.deepEqual(result, { sum: 6, year: 1970, markerThere: "undefined" });
    } finally {
      delete (globalThis as { corunMarker?: number }).corunMarker;
    }
  },
);

poolTest("toThread awaits an async function in the worker", async () => {
  const value = await toThread(async (ms: number) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return "slept";
  }, 5);
  assert.equal(value, "slept");
});

poolTest("a worker error keeps its class name, message, stack and own properties", async () => {
  const error = await toThread(() => {
    class ParseError extends Error {
      code = "E_PARSE";
    }
    throw new ParseError("bad token");
  }).then(() => assert.fail("should reject"), (e: Error & { code?: string }) => e);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "ParseError");
  assert.equal(error.message, "bad token");
  assert.equal(error.code, "E_PARSE");
  assert.match(error.stack ?? "", /bad token/);

  const typed = await toThread(() => {
    throw new TypeError("not a number");
  }).catch((e) => e);
  assert.ok(typed instanceof TypeError);
  assert.equal(typed.message, "not a number");
});

poolTest("a function that uses an outer variable fails with an error that says why", async () => {
  const factor = 3;
  const error = await toThread((n: number) => n * factor, 2).catch((e) => e);
  assert.ok(error instanceof ReferenceError);
  assert.equal(
    error.message,
    "toThread functions run in another thread and cannot use variables from the enclosing scope: 'factor' is not defined there; pass it as an argument",
  );
  assert.equal((error.cause as Error).message, "factor is not defined");
  assert.equal(await toThread((n: number, f: number) => n * f, 2, factor), 6);
});

poolTest(
  "toThread refuses what cannot be sent: non-functions, native functions and uncloneable arguments",
  async () => {
    await assert.rejects(toThread(42 as unknown as () => number), /fn must be a function, got 42/);
    await assert.rejects(toThread(Math.max as (...n: number[]) => number, 1, 2), TypeError);
    await assert.rejects(toThread((f: unknown) => typeof f, () => 1), /could not be cloned/);
    await assert.rejects(toThread(() => () => 1), /could not be sent back/);
    assert.equal(await toThread(() => "still works"), "still works");
  },
);

poolTest(
  "cancelling a task awaiting toThread rejects at once, replaces the worker, and the next job runs",
  async () => {
    const shared = new SharedArrayBuffer(4);
    const counter = new Int32Array(shared);
    const spinning = createTask(() =>
      toThread(function spin(buffer: SharedArrayBuffer) {
        const count = new Int32Array(buffer);
        // Bounded, so that a runtime whose terminate() cannot interrupt
        // running code (Deno 2.9) does not burn a core for the whole suite.
        const end = performance.now() + 1_500;
        while (performance.now() < end) Atomics.add(count, 0, 1);
        return "finished";
      }, shared), { name: "spinner" });
    while (Atomics.load(counter, 0) === 0) await sleep(5);
    assert.equal(taskInternals.info(spinning).waitingOn, "toThread(spin)");
    const cancelledAt = performance.now();
    spinning.cancel("enough");
    const error = await spinning.then(() => assert.fail("should be cancelled"), (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "enough");
    assert.ok(performance.now() - cancelledAt < 500, "the await did not wait for the busy loop");
    assert.equal(await toThread((a: number, b: number) => a + b, 2, 3), 5);
  },
);

poolTest("cancelling stops the CPU work on Node (counter in a SharedArrayBuffer)", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const bundle = await Deno.makeTempFile({ suffix: ".mjs" });
  try {
    const bundled = await runDeno([
      "bundle",
      "--quiet",
      "--platform",
      "node",
      "-o",
      bundle,
      "tests/fixtures/ok_cancel_stops_worker.ts",
    ], { cwd: root });
    assert.equal(bundled.code, 0, bundled.stderr);
    const node = new Deno.Command("node", { args: [bundle], stdout: "piped", stderr: "piped" });
    const { code, stdout, stderr } = await node.output();
    const text = new TextDecoder().decode(stdout);
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.match(text, /awaiting: CancelledError/);
    assert.match(text, /stopped: true/);
    assert.match(text, /next job: 5/);
    assert.match(text, /thread pool after a cancel: free/);
    assert.match(text, /process job: 42/);
  } finally {
    await Deno.remove(bundle);
  }
});

Deno.test("a script that used toThread exits within a second of finishing its work", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "-A",
    "tests/fixtures/ok_to_thread_exits.ts",
  ]);
  const exitedAt = Date.now();
  assert.equal(code, 0, stderr);
  const match = /finished at (\d+(?:\.\d+)?)/.exec(stdout);
  assert.ok(match, stdout);
  assert.match(stdout, /result: 832040/);
  assert.ok(exitedAt - Number(match[1]) < 1_000, `exited ${exitedAt - Number(match[1])} ms late`);
});
