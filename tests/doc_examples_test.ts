/**
 * Doc examples check themselves: `deno test --doc` fails an `@example` whose
 * assertion is wrong, `deno task test` runs every module's examples, and no
 * example prints an expected value in a comment instead of asserting it.
 */
import assert from "node:assert/strict";
import { runDeno } from "./_helpers.ts";

const root = new URL("..", import.meta.url);

/** An opening fence of code that `deno test --doc` type-checks and runs (unless marked `ignore`). */
const FENCE_OPEN = /^\s*\*\s?```(ts|typescript|tsx|js|javascript|jsx|mts)((?:\s+[\w-]+)*)\s*$/;
const FENCE_CLOSE = /^\s*\*\s?```\s*$/;
const PRINTED_EXPECTATION = /console\.log\(.*\)\s*;?\s*\/\/\s/;
const ASSERTION = /\bassert(\.\w+)?\(/;
const CHECK = /\bassert(\.\w+)?\(|\bthrow\b/;

/** A module whose example pops a `LifoQueue` and expects `expected`. */
function stackModule(expected: number): string {
  return [
    "/**",
    " * The newest item comes out first.",
    " *",
    " * @example Last in, first out",
    " * ```ts",
    ' * import assert from "node:assert/strict";',
    ` * import { LifoQueue } from "${new URL("mod.ts", root).href}";`,
    " *",
    " * const stack = new LifoQueue<number>();",
    " * for (const n of [1, 2, 3]) stack.putNowait(n);",
    ` * assert.equal(stack.getNowait(), ${expected});`,
    " * ```",
    " *",
    " * @module",
    " */",
    "export {};",
    "",
  ].join("\n");
}

Deno.test("deno test --doc fails an @example that asserts a wrong value, and passes it once corrected", async () => {
  const dir = await Deno.makeTempDir({ prefix: "corun_doc_" });
  try {
    const file = `${dir}/stack.ts`;
    const test = (path: string) =>
      runDeno(["test", "--no-config", "--no-lock", "--doc", "--sanitize-ops", path], { cwd: dir });

    await Deno.writeTextFile(file, stackModule(1));
    const wrong = await test(file);
    const wrongOutput = wrong.stdout + wrong.stderr;
    assert.notEqual(wrong.code, 0, wrongOutput);
    assert.match(wrongOutput, /AssertionError/);
    assert.match(wrongOutput, /3 !== 1/);
    assert.match(wrongOutput, /0 passed \| 1 failed/);

    await Deno.writeTextFile(file, stackModule(3));
    const right = await test(file);
    assert.equal(right.code, 0, right.stdout + right.stderr);
    assert.match(right.stdout, /1 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task test runs the @examples of lib/ and of every root module that has them", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const args: string[] = config.tasks.test.split(/\s+/);
  assert.ok(args.includes("--doc"), `the test task must pass --doc: ${config.tasks.test}`);
  assert.ok(args.includes("lib/"), `the test task must cover lib/: ${config.tasks.test}`);
  for (const file of await rootModules()) {
    const source = await Deno.readTextFile(new URL(file, root));
    const runnable = source.split("\n").some((line) => {
      const fence = FENCE_OPEN.exec(line);
      return fence !== null && !/\bignore\b/.test(fence[2] ?? "");
    });
    if (runnable) assert.ok(args.includes(file), `${file} has examples the test task does not run`);
  }
});

/** The `.ts` files at the root of the repository (`mod.ts`, `cli.ts`, ...). */
async function rootModules(): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (entry.isFile && entry.name.endsWith(".ts")) files.push(entry.name);
  }
  return files.sort();
}

/** An example that does not check what it shows. */
interface Finding {
  /** `file:line` of the offending line (or of the example's opening fence). */
  where: string;
  /** What is wrong, and what to do instead. */
  problem: string;
}

/**
 * Scan the code examples in the JSDoc of `source` (a module's text).
 *
 * @param source The module's text.
 * @param file Its name, for the findings.
 * @returns One finding per line that prints an expected value
 *   (`console.log(x); // 3`), per example that prints without asserting,
 *   and per example that checks nothing.
 */
function scanExamples(source: string, file: string): Finding[] {
  const lines = source.split("\n");
  const findings: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !FENCE_CLOSE.test(lines[i])) {
      body.push(lines[i]);
      if (PRINTED_EXPECTATION.test(lines[i])) {
        findings.push({
          where: `${file}:${i + 1}`,
          problem: "prints an expected value in a comment: assert it (assert.equal(x, 3))",
        });
      }
    }
    const text = body.join("\n");
    if (text.includes("console.log(") && !ASSERTION.test(text)) {
      findings.push({
        where: `${file}:${start + 1}`,
        problem: "prints without asserting: assert the value it prints too",
      });
    } else if (!CHECK.test(text)) {
      findings.push({
        where: `${file}:${start + 1}`,
        problem: "checks nothing: assert what it shows",
      });
    }
  }
  return findings;
}

Deno.test("the example scan flags printed expectations and examples that check nothing", () => {
  const source = [
    "/**",
    " * @example Printed",
    " * ```ts",
    " * const n = 1 + 2;",
    " * console.log(n); // 3",
    " * ```",
    " * @example Silent",
    " * ```ts",
    " * const n = 1 + 2;",
    " * ```",
    " * @example Checked",
    " * ```ts",
    " * const n = 1 + 2;",
    " * console.log(n);",
    " * assert.equal(n, 3);",
    " * ```",
    " * @example Not run by deno task test, still read",
    " * ```ts ignore",
    " * console.log(await 3); // 3",
    " * if (1 + 2 !== 3) throw new Error();",
    " * ```",
    " * @example Shell, not run",
    " * ```sh",
    " * echo 3 # 3",
    " * ```",
    " */",
  ].join("\n");
  assert.deepEqual(scanExamples(source, "m.ts"), [
    {
      where: "m.ts:5",
      problem: "prints an expected value in a comment: assert it (assert.equal(x, 3))",
    },
    { where: "m.ts:3", problem: "prints without asserting: assert the value it prints too" },
    { where: "m.ts:8", problem: "checks nothing: assert what it shows" },
    {
      where: "m.ts:19",
      problem: "prints an expected value in a comment: assert it (assert.equal(x, 3))",
    },
    { where: "m.ts:18", problem: "prints without asserting: assert the value it prints too" },
  ]);
});

Deno.test("every @example in lib/ and in the root modules asserts what it shows", async () => {
  const files = await rootModules();
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  await walk("lib/");
  assert.ok(files.includes("mod.ts") && files.length > 40, `found only ${files.join(", ")}`);
  const findings: Finding[] = [];
  for (const file of files) {
    findings.push(...scanExamples(await Deno.readTextFile(new URL(file, root)), file));
  }
  assert.deepEqual(findings, []);
});
