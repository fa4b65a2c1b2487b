/**
 * The REPL driven end to end with piped input, in a subprocess: everything
 * that does not need a terminal.
 */
import assert from "node:assert/strict";
import { FIXTURES, runRepl } from "./_helpers.ts";

Deno.test("piped input: TypeScript is evaluated, values printed, no ANSI codes", async () => {
  const run = await runRepl(
    [
      "const a: number = 40",
      "interface Point { x: number; y: number }",
      "const p: Point = { x: 1, y: 2 }",
      "a + 2",
      "p",
      "enum Color { Red, Green }",
      "Color.Green",
    ],
    { NO_COLOR: "" },
  );
  assert.deepEqual(run.out, ["42", "{ x: 1, y: 2 }", "1"]);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  assert.ok(!run.stdout.includes("\x1b["), "no ANSI codes");
});

Deno.test("declarations persist between inputs, let and const may be declared again", async () => {
  const run = await runRepl([
    "let count = 1",
    "function bump(by: number) { count += by; return count }",
    "class Box { constructor(readonly v: number) {} }",
    "bump(2)",
    "new Box(count).v",
    "let count = 10",
    "const fixed = 'a'",
    "const fixed = 'b'",
    "[count, fixed]",
  ]);
  assert.deepEqual(run.out, ["3", "3", '[ 10, "b" ]']);
  assert.equal(run.stderr, "");
});

Deno.test("_ holds the last value and _error the last error", async () => {
  const run = await runRepl([
    "6 * 7",
    "_ + 1",
    "throw new RangeError('too far')",
    "_error instanceof RangeError && _error.message",
  ]);
  assert.deepEqual(run.out, ["42", "43", '"too far"']);
});

Deno.test("an error prints a short message and stack, and the session goes on", async () => {
  const run = await runRepl([
    "function inner() { throw new Error('boom') }",
    "inner()",
    "const after: string = 'still here'",
    "after",
  ]);
  assert.deepEqual(run.out, ['"still here"']);
  assert.equal(run.err[0], "Uncaught Error: boom");
  assert.match(run.err[1], /^\s+at inner \(<anonymous>:1:\d+\)$/);
  assert.ok(run.err.length <= 4, run.stderr);
  assert.doesNotMatch(run.stderr, /lib\/repl|inspector|task\.ts/);
  assert.equal(run.code, 1, "an input failed");
});

Deno.test("a syntax error names the problem and the session goes on", async () => {
  const run = await runRepl(["const = 5", "1 + 1"]);
  assert.match(run.stderr, /SyntaxError/);
  assert.deepEqual(run.out, ["2"]);
});

Deno.test("multi-line input continues until it is complete", async () => {
  const run = await runRepl([
    "function add(",
    "  a: number,",
    "  b: number,",
    "): number {",
    "  return a + b",
    "}",
    "const total = add(1,",
    "  2) +",
    "  3",
    "`total:",
    "${total}`",
  ]);
  assert.deepEqual(run.out, ['"total:\\n6"']);
  assert.equal(run.stderr, "");
});

Deno.test("each input runs as a corun task; top-level await is a library await", async () => {
  const run = await runRepl([
    "currentTask()?.name",
    "await sleep(10, 'slept')",
    "currentTask()?.name",
  ]);
  assert.deepEqual(run.out, ['"input-1"', '"slept"', '"input-3"']);
});

Deno.test("every mod.ts export and the corun namespace are in scope", async () => {
  const run = await runRepl([
    "typeof corun.run === 'function' && corun.sleep === sleep",
    "Object.keys(corun).every((name) => eval(name) === corun[name as keyof typeof corun])",
    "Event === corun.Event && globalThis.Event !== corun.Event",
  ]);
  assert.deepEqual(run.out, ["true", "true", "true"]);
});

Deno.test("a nested run works inside the REPL", async () => {
  const run = await runRepl([
    "await run(async () => {",
    "  const child = createTask(() => sleep(10, 'child'), { name: 'child' })",
    "  return [currentTask()?.name, await child]",
    "}, { name: 'nested' })",
  ]);
  assert.deepEqual(run.out, ['[ "nested", "child" ]']);
  assert.equal(run.stderr, "");
});

Deno.test("background tasks keep running after their input; a failing one prints one line", async () => {
  const run = await runRepl([
    "const bg = createTask(() => sleep(30, 'late'), { name: 'bg' })",
    "createTask(async () => { await sleep(10); throw new Error('bad luck') }, { name: 'doomed' }); 'started'",
    "await sleep(60)",
    "bg.done() && bg.result()",
  ]);
  assert.deepEqual(run.out, ['"started"', '"late"']);
  assert.deepEqual(run.err, ["task doomed (#5) failed: Error: bad luck"]);
});

Deno.test("the end of input cancels the tasks still alive and says which", async () => {
  const run = await runRepl([
    "createTask(async () => { try { await sleep(60_000) } finally { console.log('ticker cleaned up') } }, { name: 'ticker' }); 1",
  ]);
  assert.deepEqual(run.out, [
    "1",
    "ticker cleaned up",
    "cancelled 1 task still running: ticker (#3)",
  ]);
  assert.equal(run.code, 0);
});

Deno.test("import declarations load modules outside any task; type-only imports are dropped", async () => {
  const run = await runRepl([
    `import seven, { greeting as hi, importedIn, type Nothing } from "${FIXTURES}ok_module.ts"`,
    `import type { Task } from "@corun/corun"`,
    `import * as corunAgain from "@corun/corun"`,
    "hi('import') + ' ' + seven",
    "corunAgain.sleep === sleep",
    "importedIn",
  ]);
  assert.deepEqual(run.out, ['"hello import 7"', "true", '"no task"']);
  assert.equal(run.stderr, "");
});

Deno.test(".load runs a file here: its imports load, its declarations stay", async () => {
  const run = await runRepl([`.load ${FIXTURES}ok_load.ts`, "loaded", "double(21)"]);
  assert.deepEqual(run.out, ["loading in input-1", '"hello load"', "42"]);
  assert.equal(run.stderr, "");
});

Deno.test(".load of a failing file prints the error; a missing file one line", async () => {
  const run = await runRepl([`.load ${FIXTURES}fail_load.ts`, ".load nowhere.ts", "before"]);
  assert.match(run.stderr, /^Uncaught Error: fail_load broke/);
  assert.match(run.stderr, /cannot read nowhere\.ts/);
  assert.deepEqual(run.out, ["1"]);
});

Deno.test("an input that is only { ... } is an object literal when it can be one", async () => {
  const run = await runRepl(["{ a: 1, b: [2] }", "{ let z = 1; z + 1 }"]);
  assert.deepEqual(run.out, ["{ a: 1, b: [ 2 ] }", "2"]);
});

Deno.test("any thrown value, from an input or a background task, is printed and the session goes on", async () => {
  const run = await runRepl([
    "throw Object.create(null)",
    "const { proxy, revoke } = Proxy.revocable({}, {}); revoke()",
    "throw proxy",
    "createTask(() => { throw Object.assign(Object.create(null), { bg: 1 }) }, { name: 'odd' }); 1",
    "await sleep(20)",
    "'still here'",
  ]);
  assert.equal(run.err[0], "Uncaught {}");
  assert.equal(run.err[1], "Uncaught [revoked Proxy]");
  assert.match(run.stderr, /odd.*failed: \{"bg":1\}/);
  assert.deepEqual(run.out.slice(-1), ['"still here"']);
});

Deno.test("piped input: an unhandled rejection prints Uncaught, the session goes on, exit code 1", async () => {
  const run = await runRepl([
    "const kept = 'still here'",
    "Promise.reject(new Error('nobody caught me')); 0",
    "(async () => { throw new Error('not awaited') })(); 1",
    "fetch('http://127.0.0.1:1/'); 2",
    "await sleep(200)",
    "kept",
  ]);
  assert.deepEqual(run.out, ["0", "1", "2", '"still here"']);
  assert.match(run.stderr, /^Uncaught \(in promise\) Error: nobody caught me$/m);
  assert.match(run.stderr, /^Uncaught \(in promise\) Error: not awaited$/m);
  assert.match(run.stderr, /^Uncaught \(in promise\) TypeError: /m);
  assert.doesNotMatch(
    run.stderr,
    /lib\/repl|inspector|task\.ts|ext:/,
    "no corun or runtime frames",
  );
  assert.equal(run.code, 1);
});

Deno.test("piped input: an error thrown by a setTimeout callback is Uncaught, not a fatal error", async () => {
  const run = await runRepl([
    "let count = 41",
    "setTimeout(() => { throw new RangeError('late') }, 10); 0",
    "await sleep(100)",
    "count + 1",
  ]);
  assert.deepEqual(run.out, ["0", "42"]);
  assert.match(run.stderr, /^Uncaught RangeError: late$/m);
  assert.doesNotMatch(run.stderr, /Fatal error/);
  assert.equal(run.code, 1);
});

Deno.test("piped input: values whose description throws end nothing", async () => {
  const run = await runRepl([
    "const hostile = { get stack() { throw 1 }, toString() { throw 2 } }",
    "Object.setPrototypeOf(hostile, Error.prototype); throw hostile",
    "Promise.reject(Object.create(null)); 0",
    "const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); Promise.reject(proxy); 1",
    "await sleep(50)",
    "'alive'",
  ]);
  assert.deepEqual(run.out, ["0", "1", '"alive"']);
  assert.match(run.stderr, /^Uncaught \[Error\]$/m);
  assert.match(run.stderr, /^Uncaught \(in promise\) \{\}$/m);
  assert.match(run.stderr, /^Uncaught \(in promise\) \[revoked Proxy\]$/m);
  assert.equal(run.code, 1);
});

Deno.test("piped input: exit code 0 when every input succeeded", async () => {
  const run = await runRepl(["1 + 1", "await sleep(5)"]);
  assert.deepEqual(run.out, ["2"]);
  assert.equal(run.code, 0);
});

Deno.test("imports as in deno repl: JSON with { type: 'json' }, import() against the working directory", async () => {
  const run = await runRepl([
    `import config from "./deno.json" with { type: "json" }`,
    "config.name",
    `const lib = await import("./mod.ts")`,
    "lib.sleep === sleep",
    `(await import("./deno.json", { with: { type: "json" } })).default.version === config.version`,
  ]);
  assert.equal(run.stderr, "");
  assert.deepEqual(run.out, ['"@corun/corun"', "true", "true"]);
});

Deno.test("an Error or a rejected promise as a value shows only the user's stack frames", async () => {
  const run = await runRepl(["new Error('shown')", "Promise.reject(new Error('rejected'))"]);
  assert.match(run.stdout, /^Error: shown\n\s+at <anonymous>:1:1$/m);
  assert.match(run.stdout, /<rejected> Error: rejected\n\s+at <anonymous>:1:16\n\}/);
  assert.doesNotMatch(run.stdout, /lib\/repl|inspector|new Promise|ext:/);
});

for (
  const [input, code] of [["Deno.exit(3)", 3], ["process.exit(5)", 5], [
    "try { Deno.exit(6) } catch {}",
    6,
  ]] as const
) {
  Deno.test(`piped input: ${input} exits with ${code} at once, without a panic`, async () => {
    const run = await runRepl(["const before = 1", input, "'not reached'"]);
    assert.equal(run.code, code);
    assert.doesNotMatch(run.stderr, /panicked|RefCell/);
    assert.doesNotMatch(run.stdout, /not reached/);
  });
}

Deno.test("piped input: error and unhandledrejection listeners that throw print Uncaught and the session goes on", async () => {
  const run = await runRepl([
    "const kept = 'still here'",
    `addEventListener("error", () => { throw new Error("from listener") }); setTimeout(() => { throw new Error("orig") }, 5); 0`,
    "await sleep(100)",
    `addEventListener("unhandledrejection", () => { throw new Error("from rejection listener") }); Promise.reject(new Error("rej")); 1`,
    "await sleep(100)",
    `onerror = () => { throw new Error("from onerror") }; 2`,
    "setTimeout(() => { throw new Error('orig2') }, 5); await sleep(100)",
    "kept",
  ]);
  assert.deepEqual(run.out, ["0", "1", "2", '"still here"']);
  for (
    const text of ["orig", "from listener", "from rejection listener", "orig2", "from onerror"]
  ) {
    assert.match(run.stderr, new RegExp(`^Uncaught Error: ${text}$`, "m"));
  }
  assert.match(run.stderr, /^Uncaught \(in promise\) Error: rej$/m);
  assert.doesNotMatch(run.stderr, /Fatal error/);
  assert.equal(run.code, 1);
});

Deno.test("piped input: a Worker's uncaught error is one Uncaught line, not Deno's raw report", async () => {
  const run = await runRepl([
    "const kept = 'still here'",
    `new Worker("data:text/javascript,throw new Error('w')", { type: "module" }); 0`,
    "await sleep(1000)",
    `const w = new Worker("data:text/javascript,postMessage(21 * 2)", { type: "module" }); ` +
    `const got = await new Promise((r) => w.onmessage = (e) => r(e.data)); w.terminate(); got`,
    `const w2 = new Worker("data:text/javascript,Promise.reject(new RangeError('rej'))", { type: "module" }); ` +
    `w2.onerror = (e) => { console.log("handled:", e.message); e.preventDefault() }; await sleep(1000)`,
    "kept",
  ]);
  assert.deepEqual(run.out, [
    "0",
    "42",
    "handled: Uncaught (in promise) RangeError: rej",
    '"still here"',
  ]);
  assert.deepEqual(run.err, [
    "Uncaught Error: w (in worker data:text/javascript,throw new Error('w'):1:7)",
  ]);
  assert.equal(run.code, 1);
});

Deno.test("piped input: exit code 1 for a background failure nobody retrieved, a late timer error, an unknown command", async () => {
  const failing = await runRepl([
    `createTask(async () => { throw new Error("bg") }, { name: "odd" }); 0`,
    "await sleep(50)",
  ]);
  assert.match(failing.stderr, /odd.*failed: Error: bg/);
  assert.equal(failing.code, 1);
  const late = await runRepl([
    `setTimeout(() => { throw new Error("after the last input") }, 50); 0`,
  ]);
  assert.match(late.stderr, /^Uncaught Error: after the last input$/m);
  assert.equal(late.code, 1);
  const unknown = await runRepl([".bogus", "1"]);
  assert.deepEqual(unknown.out, ["unknown command .bogus (.help lists them)", "1"]);
  assert.equal(unknown.code, 1);
});
