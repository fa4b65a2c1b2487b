/**
 * `deno task bench:compare`: corun against a raw-promise floor, CPython
 * asyncio and the npm peers, on the same six workloads, each run in its own
 * fresh process, implementations alternating inside every round. Writes
 * bench/RESULTS.md (medians, ratios to the floor, machine and versions).
 *
 * Flags: `--quick` (1 round), `--rounds N` (default 5), `--only W1,W3`,
 * `--impls corun,floor`, `--timeout-s 60`, `--out bench/RESULTS.md`, and
 * `--render-only` (rewrite RESULTS.md from the last run's
 * bench/compare/last_run.json, e.g. after editing bench/compare/ANALYSIS.md).
 *
 * @module
 */
import { type Measurement, WORKLOADS } from "./compare/_common.ts";
import { expectedChecks, formatResults, type Outcome, type Results } from "./compare/_report.ts";

const here = new URL(".", import.meta.url);
const flags = parseFlags(Deno.args);
const rounds = flags.quick ? 1 : Number(flags.rounds ?? 5);
const timeoutMs = Number(flags["timeout-s"] ?? 60) * 1000;
const outPath = flags.out ?? new URL("RESULTS.md", here).pathname;
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds must be >= 1`);

/** `--name value`, `--name=value` and the boolean `--quick`. */
function parseFlags(args: string[]): Record<string, string | undefined> & { quick?: boolean } {
  const known = ["rounds", "only", "impls", "timeout-s", "out"];
  const flags: Record<string, string | undefined> & { quick?: boolean } = {};
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].replace(/^--/, "").split("=", 2);
    if (args[i] === "--quick") flags.quick = true;
    else if (args[i] === "--render-only") flags["render-only"] = "yes";
    else if (args[i].startsWith("--") && known.includes(name)) flags[name] = inline ?? args[++i];
    else {throw new RangeError(
        `unknown argument ${args[i]}; flags: --quick, --${known.join(", --")}`,
      );}
  }
  return flags;
}

/** One implementation: how to start it for a workload, and which it does. */
interface Impl {
  name: string;
  workloads: readonly string[];
  command(workload: string): string[];
}

const denoChild = (file: string, ...extra: string[]) => (workload: string) => [
  Deno.execPath(),
  "run",
  "--allow-all",
  "--v8-flags=--expose-gc",
  new URL(`compare/${file}`, here).pathname,
  workload,
  ...extra,
];

const python = await pythonVersion();
const impls: Impl[] = [
  // W6 is W1 plus a subscriber: its floor is the floor's W1.
  {
    name: "floor",
    workloads: WORKLOADS.filter((w) => w !== "W6" && w !== "W6s"),
    command: denoChild("floor.ts"),
  },
  // The floor plus one AsyncLocalStorage.run per task: what currentTask() costs at least.
  {
    name: "floor+als",
    workloads: ["W1", "W1m", "W5", "W5m"],
    command: denoChild("floor.ts", "--als"),
  },
  // The same with each frame entered from inside another one, as when a task creates tasks.
  {
    name: "floor+als nested",
    workloads: ["W1", "W1m", "W5", "W5m"],
    command: denoChild("floor.ts", "--als", "--nested"),
  },
  { name: "corun", workloads: WORKLOADS, command: denoChild("corun.ts") },
  ...(python === null ? [] : [{
    name: "asyncio",
    workloads: WORKLOADS.filter((w) => !["W6", "W6s", "W3t", "W3m", "W1m", "W5m"].includes(w)),
    command: (w: string) => ["python3", new URL("compare/asyncio_workloads.py", here).pathname, w],
  }]),
  {
    name: "effect",
    workloads: ["W1", "W2a", "W2b", "W3", "W4", "W5"],
    command: denoChild("effect.ts"),
  },
  { name: "effection", workloads: ["W1", "W4", "W5"], command: denoChild("effection.ts") },
  { name: "p-limit", workloads: ["W3", "W3m"], command: denoChild("p_libs.ts", "p-limit") },
  { name: "p-queue", workloads: ["W3"], command: denoChild("p_libs.ts", "p-queue") },
  { name: "p-timeout", workloads: ["W4"], command: denoChild("p_libs.ts", "p-timeout") },
].filter((impl) => flags.impls === undefined || flags.impls.split(",").includes(impl.name));
const workloads = WORKLOADS.filter((w) =>
  flags.only === undefined || flags.only.split(",").includes(w)
);

/** Run one child; never throws: failures become an `Outcome` with `failure`. */
async function runChild(argv: string[], workload: string): Promise<Outcome> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: new URL("..", here).pathname,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const started = Date.now();
  let output: Deno.CommandOutput;
  try {
    output = await child.output();
  } catch (error) {
    return { failure: `error: ${(error as Error).message}` };
  }
  const exitedAt = Date.now();
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.signal !== null && exitedAt - started >= timeoutMs - 100) {
    return { failure: `timeout (> ${timeoutMs / 1000} s)` };
  }
  if (/out of memory|allocation failed|MemoryError/i.test(stderr)) return { failure: "OOM" };
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  let measurement: Measurement;
  try {
    measurement = JSON.parse(lines[lines.length - 1]);
  } catch {
    const last = stderr.trim().split("\n").pop() ?? "";
    return { failure: `error (exit ${output.code}): ${last.slice(0, 120)}` };
  }
  if (measurement.na !== undefined) return { na: measurement.na };
  if (!output.success) return { failure: `error (exit ${output.code})` };
  const expected = expectedChecks[workload];
  if (expected !== undefined && measurement.check !== expected) {
    return { failure: `wrong result (${measurement.check} != ${expected})` };
  }
  return {
    ms: measurement.ms,
    cpuMs: measurement.cpuMs,
    bytesPerTask: measurement.bytesPerTask,
    exitMs: measurement.endAt === undefined ? undefined : exitedAt - measurement.endAt,
  };
}

async function pythonVersion(): Promise<string | null> {
  try {
    const out = await new Deno.Command("python3", { args: ["--version"], stdout: "piped" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

const rawPath = new URL("compare/last_run.json", here).pathname;
const results: Results = new Map();
const began = performance.now();
for (let round = 0; round < (flags["render-only"] ? 0 : rounds); round++) {
  for (const workload of workloads) {
    const here = impls.filter((impl) => impl.workloads.includes(workload));
    // Alternate: every round starts the line-up one implementation later.
    const order = here.map((_, i) => here[(i + round) % here.length]);
    for (const impl of order) {
      const key = `${workload}/${impl.name}`;
      const previous = results.get(key) ?? [];
      if (previous.some((o) => o.failure !== undefined || o.na !== undefined)) continue;
      const outcome = await runChild(impl.command(workload), workload);
      results.set(key, [...previous, outcome]);
      const shown = outcome.ms !== undefined
        ? `${outcome.ms.toFixed(1)} ms`
        : (outcome.failure ?? `n/a (${outcome.na})`);
      console.error(
        `round ${round + 1}/${rounds}  ${workload.padEnd(4)} ${impl.name.padEnd(10)} ${shown}`,
      );
    }
  }
}

// The raw outcomes are kept so that `--render-only` can rewrite RESULTS.md
// (after editing ANALYSIS.md) without measuring again.
let options = {
  rounds,
  workloads,
  impls: impls.map((impl) => impl.name),
  python,
  seconds: (performance.now() - began) / 1000,
};
if (flags["render-only"]) {
  const saved = JSON.parse(await Deno.readTextFile(rawPath));
  options = saved.options;
  for (const [key, outcomes] of saved.results) results.set(key, outcomes);
} else {
  await Deno.writeTextFile(rawPath, JSON.stringify({ options, results: [...results] }) + "\n");
}
const markdown = await formatResults(results, options);
await Deno.writeTextFile(outPath, markdown);
// Leave the generated files as `deno fmt --check` (part of `deno task check`) wants them.
const written = flags["render-only"] ? [outPath] : [outPath, rawPath];
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", ...written], stdout: "null" })
  .output();
console.error(`wrote ${outPath} in ${((performance.now() - began) / 1000).toFixed(0)} s`);
