/**
 * The core on Node and Bun: `deno bundle` makes one ESM file of mod.ts, and
 * smoke.mjs runs its main features there. Node is the machine's `node`; Bun
 * comes from the npm registry (its binary ships inside the package). Run by
 * `deno task test:runtimes` (and .ci/run), not by `deno task test`, so the
 * everyday test run does not fetch a 100 MB runtime.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const SMOKE = new URL("./smoke.mjs", import.meta.url).pathname;
const BUN_VERSION = "1.4.5";
const CHECKS = [
  "gather runs tasks at once",
  "createTask and currentTask",
  "cancel lands as CancelledError",
  "timeout throws TimeoutError",
  "timeout sees the work react to its signal",
  "Queue hands every item over",
  "Lock admits one at a time",
  "mapLimit keeps the limit and the order",
  "mapLimitStream, merge and keyed gather",
  "RateLimiter waits for a free slot",
  "toThread runs off the loop",
  "WorkerPool runs functions by source",
  "a process pool kills a cancelled job",
  "primitives print their state",
];

async function output(command: string, args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    cwd: ROOT,
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

async function bundle(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "corun-bundle-" });
  const file = `${dir}/corun.mjs`;
  const { code, stderr } = await output(Deno.execPath(), [
    "bundle",
    "--platform=browser",
    "mod.ts",
    "-o",
    file,
  ]);
  assert.equal(code, 0, `deno bundle failed: ${stderr}`);
  return file;
}

/** The Bun binary from the npm registry's platform package. */
async function bunBinary(): Promise<string> {
  const arch = { x86_64: "x64", aarch64: "aarch64" }[Deno.build.arch];
  if (Deno.build.os !== "linux" || arch === undefined) {
    throw new Error(`no Bun package for ${Deno.build.os}/${Deno.build.arch} in this test`);
  }
  const manifest = `npm:@oven/bun-linux-${arch}@${BUN_VERSION}/package.json`;
  await import(manifest, { with: { type: "json" } });
  return new URL("./bin/bun", import.meta.resolve(manifest)).pathname;
}

async function smoke(runtime: string, command: string, expected: RegExp) {
  const file = await bundle();
  try {
    const { code, stdout, stderr } = await output(command, [SMOKE, file]);
    assert.equal(code, 0, `${runtime} failed:\n${stdout}\n${stderr}`);
    assert.deepEqual(
      stdout.split("\n").filter((line) => /^(ok|FAIL) /.test(line)),
      CHECKS.map((check) => `ok ${check}`),
    );
    assert.match(stdout, expected);
  } finally {
    await Deno.remove(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  }
}

Deno.test("the core bundled to one file runs its main features on Node", async () => {
  try {
    await output("node", ["--version"]);
  } catch {
    throw new Error("node is not on PATH: this check runs the bundle on the machine's Node");
  }
  await smoke("node", "node", /^runtime: node v\d+/m);
});

Deno.test("the core bundled to one file runs its main features on Bun", async () => {
  await smoke("bun", await bunBinary(), new RegExp(`^runtime: bun ${BUN_VERSION}$`, "m"));
});
