/**
 * Turns the measurements of bench/compare.ts into bench/RESULTS.md: medians,
 * ratios to the floor, targets met or missed, the machine and the versions,
 * and the hand-written profile analysis kept in bench/compare/ANALYSIS.md.
 *
 * @module
 */
import { ITEMS, JOBS, sumBelow, TASKS } from "./_common.ts";

/** One child run: a measurement, a failure (timeout, OOM, error) or n/a. */
export interface Outcome {
  ms?: number;
  cpuMs?: number;
  bytesPerTask?: number;
  exitMs?: number;
  failure?: string;
  na?: string;
}

/** Outcomes by `workload/impl`, one per round. */
export type Results = Map<string, Outcome[]>;

/** The checksum each workload must produce. */
export const expectedChecks: Record<string, number> = {
  W1: sumBelow(TASKS),
  W1m: sumBelow(TASKS),
  W2a: sumBelow(ITEMS),
  W2b: sumBelow(ITEMS),
  W3: sumBelow(JOBS),
  W3t: sumBelow(JOBS),
  W3m: sumBelow(JOBS),
  W4: sumBelow(100_000),
  W4w: sumBelow(100_000),
  W5: TASKS,
  W5m: TASKS,
  W6: sumBelow(TASKS),
  W6s: sumBelow(TASKS),
};

interface WorkloadInfo {
  title: string;
  target: number;
  /**
   * `floor` (ratio to the raw floor), `als` (to the floor with one
   * `AsyncLocalStorage.run` per task) or `W1` (to corun's own W1).
   */
  against: "floor" | "als" | "W1";
}

const info: Record<string, WorkloadInfo> = {
  W1: {
    title: "spawn 100,000 tasks that yield once (`sleep(0)`), gather",
    target: 1.3,
    against: "als",
  },
  W1m: {
    title: "the same, each yield one microtask (`await Promise.resolve()`)",
    target: 1.3,
    against: "als",
  },
  W2a: {
    title: "200,000 ints through Queue(100), 1 producer/1 consumer",
    target: 1.5,
    against: "floor",
  },
  W2b: {
    title: "200,000 ints through Queue(100), 4 producers/4 consumers",
    target: 1.5,
    against: "floor",
  },
  W3: {
    title: "100,000 jobs (async functions) through Semaphore(100), each yields once",
    target: 1.3,
    against: "floor",
  },
  W3t: {
    title: "the same with each job a task (`createTask`, `gather`)",
    target: 1.5,
    against: "floor",
  },
  W3m: {
    title: "the same jobs through `mapLimit(items, 100, job)`",
    target: 1.3,
    against: "floor",
  },
  W4: { title: "100,000 sequential fast calls in `timeout(1000)`", target: 2, against: "floor" },
  W4w: {
    title: "the same with `waitFor(fn, 1000)` (a task per call)",
    target: 2,
    against: "floor",
  },
  W5: { title: "100,000 tasks blocked on one Event, then set", target: 1.3, against: "als" },
  W5m: {
    title: "the same, the main task yielding one microtask instead of `sleep(0)`",
    target: 1.3,
    against: "als",
  },
  W6: { title: "W1 with a monitor subscriber (`onTaskEvent`)", target: 1.15, against: "W1" },
  W6s: {
    title: "W1 with `serveMonitor` and one dashboard client reading its event stream",
    target: 1.15,
    against: "W1",
  },
};

/** Bytes per blocked task allowed in W5/W5m above the floor+als figure. */
const W5_EXTRA_BYTES = 200;
const isW5 = (w: string) => w === "W5" || w === "W5m";
/** An exit later than this after the workload means something kept the process alive. */
const EXIT_LEAK_MS = 500;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Cell {
  ms?: number;
  cpuMs?: number;
  bytes?: number;
  exitMs?: number;
  spread?: [number, number];
  text: string;
}

function cell(results: Results, workload: string, impl: string): Cell | undefined {
  const outcomes = results.get(`${workload}/${impl}`);
  if (outcomes === undefined) return undefined;
  const failed = outcomes.find((o) => o.failure !== undefined);
  if (failed) return { text: failed.failure as string };
  const na = outcomes.find((o) => o.na !== undefined);
  if (na) return { text: na.na?.startsWith("not built yet") ? "n/a (not built yet)" : "n/a" };
  const ms = outcomes.map((o) => o.ms as number);
  const bytes = outcomes.flatMap((o) => o.bytesPerTask === undefined ? [] : [o.bytesPerTask]);
  const exits = outcomes.flatMap((o) => o.exitMs === undefined ? [] : [o.exitMs]);
  const cpu = outcomes.flatMap((o) => o.cpuMs === undefined ? [] : [o.cpuMs]);
  return {
    ms: median(ms),
    cpuMs: cpu.length ? median(cpu) : undefined,
    bytes: bytes.length ? median(bytes) : undefined,
    exitMs: exits.length ? median(exits) : undefined,
    spread: [Math.min(...ms), Math.max(...ms)],
    text: "",
  };
}

const fmtMs = (ms: number): string => ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
const fmtX = (ratio: number): string => `${ratio.toFixed(2)}x`;

async function machine(python: string | null): Promise<string[]> {
  let model = "unknown";
  try {
    const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
    model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? model;
  } catch { /* not Linux */ }
  const memory = Deno.systemMemoryInfo();
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const lock = JSON.parse(await Deno.readTextFile(new URL("../../deno.lock", import.meta.url)));
  const pinned = Object.keys(lock.specifiers ?? {});
  const peers = ["effect", "effection", "p-limit", "p-queue", "p-timeout"].map((name) =>
    `${name} ${pinned.find((s) => s.startsWith(`npm:${name}@`))?.split("@").pop() ?? "?"}`
  );
  return [
    `- CPU: ${model}, ${navigator.hardwareConcurrency} cores; memory ${
      (memory.total / 2 ** 30).toFixed(1)
    } GiB; ${Deno.build.os} ${Deno.osRelease()} (${Deno.build.arch})`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript}`,
    `- ${python ?? "python3: not found (asyncio column skipped)"}`,
    `- corun ${config.version} (this tree); ${peers.join(", ")}`,
  ];
}

/** Options of {@linkcode formatResults}. */
export interface FormatOptions {
  rounds: number;
  workloads: readonly string[];
  impls: string[];
  python: string | null;
  seconds: number;
}

/** The whole RESULTS.md. */
export async function formatResults(results: Results, options: FormatOptions): Promise<string> {
  const { workloads, impls } = options;
  const floorOf = (w: string) =>
    cell(results, w === "W6" || w === "W6s" ? "W1" : w === "W3m" ? "W3" : w, "floor")?.ms;
  const alsOf = (w: string) => cell(results, w, "floor+als");
  const corunW1 = cell(results, "W1", "corun")?.ms;
  const lines: string[] = [
    "# corun performance, side by side",
    "",
    `Generated by \`deno task bench:compare\` (bench/compare.ts) on ${
      new Date().toISOString().slice(0, 16).replace("T", " ")
    } UTC: ${options.rounds} round(s), every (workload, implementation) in its own fresh process, ` +
    `implementations alternating inside each round; medians. Whole run: ${
      options.seconds.toFixed(0)
    } s.`,
    "",
    ...(await machine(options.python)),
    "",
    "## Targets",
    "",
    "| Workload | target | corun | floor | corun / floor | same, CPU time | met | fastest peer | faster than every peer |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const misses: string[] = [];
  for (const w of workloads) {
    const { title, target, against } = info[w];
    const corun = cell(results, w, "corun");
    const floor = floorOf(w);
    const base = against === "W1" ? corunW1 : against === "als" ? alsOf(w)?.ms : floor;
    const peers = impls.filter((i) => i !== "corun" && !i.startsWith("floor"))
      .map((i) => ({ name: i, c: cell(results, w, i) }))
      .filter((p) => p.c?.ms !== undefined);
    const fastest = peers.sort((a, b) => (a.c?.ms as number) - (b.c?.ms as number))[0];
    const targetText = against === "W1"
      ? `<= ${target}x corun W1`
      : against === "als"
      ? `<= ${target}x floor+als`
      : `<= ${target}x`;
    const bytesLimit = isW5(w) && alsOf(w)?.bytes !== undefined
      ? (alsOf(w)?.bytes as number) + W5_EXTRA_BYTES
      : undefined;
    const asyncioBytes = cell(results, "W5", "asyncio")?.bytes;
    if (corun?.ms === undefined || base === undefined) {
      lines.push(
        `| ${w}: ${title} | ${targetText} | ${corun?.text ?? "-"} | ${
          floor === undefined ? "-" : `${fmtMs(floor)} ms`
        } | - | - | - | ${
          fastest ? `${fastest.name} ${fmtMs(fastest.c?.ms as number)} ms` : "-"
        } | - |`,
      );
      continue;
    }
    const ratio = corun.ms / base;
    const bytesOk = !isW5(w) ||
      ((corun.bytes ?? Infinity) <= (bytesLimit ?? Infinity) &&
        (asyncioBytes === undefined || (corun.bytes ?? Infinity) < asyncioBytes));
    const exitOk = corun.exitMs === undefined || corun.exitMs < EXIT_LEAK_MS;
    const met = ratio <= target && bytesOk && exitOk;
    const beatsAll = fastest === undefined || corun.ms < (fastest.c?.ms as number);
    const cpuBase = against === "W1"
      ? cell(results, "W1", "corun")?.cpuMs
      : against === "als"
      ? alsOf(w)?.cpuMs
      : cell(results, w === "W6" || w === "W6s" ? "W1" : w === "W3m" ? "W3" : w, "floor")?.cpuMs;
    const cpuRatio = corun.cpuMs === undefined || cpuBase === undefined
      ? "-"
      : `${fmtX(corun.cpuMs / cpuBase)}${against === "W1" ? " of W1" : ""}`;
    const extra = isW5(w) ? `, ${corun.bytes?.toFixed(0)} B/task` : "";
    lines.push(
      `| ${w}: ${title} | ${targetText}${
        isW5(w) ? `, <= floor+als + ${W5_EXTRA_BYTES} B/task and < asyncio` : ""
      } | ${fmtMs(corun.ms)} ms${extra} | ${floor === undefined ? "-" : `${fmtMs(floor)} ms`} | ${
        floor === undefined ? "-" : fmtX(corun.ms / floor)
      }${against === "W1" ? ` (${fmtX(ratio)} of W1)` : ""} | ${cpuRatio} | ${
        met ? "yes" : "**no**"
      } | ${fastest ? `${fastest.name} ${fmtMs(fastest.c?.ms as number)} ms` : "-"} | ${
        beatsAll ? "yes" : "**no**"
      } |`,
    );
    if (ratio > target) {
      const allowed = base * target;
      const nested = against === "als" ? cell(results, w, "floor+als nested")?.ms : undefined;
      misses.push(
        `- ${w}: corun ${fmtX(ratio)} against a target of ${target}x: ${
          ((ratio / target - 1) * 100).toFixed(0)
        }% over; ${fmtMs(corun.ms)} ms must come down to ${fmtMs(allowed)} ms.${
          nested === undefined
            ? ""
            : ` Against floor+als nested (${fmtMs(nested)} ms): ${fmtX(corun.ms / nested)}.`
        }`,
      );
    }
    if (!bytesOk) {
      misses.push(
        `- ${w}: ${corun.bytes?.toFixed(0)} bytes per blocked task against ${
          bytesLimit?.toFixed(0) ?? "?"
        } (floor+als + ${W5_EXTRA_BYTES})${
          asyncioBytes === undefined ? "" : ` and asyncio's ${asyncioBytes.toFixed(0)}`
        }.`,
      );
    }
    if (!exitOk) {
      misses.push(`- ${w}: the process exited ${corun.exitMs?.toFixed(0)} ms after the work.`);
    }
    if (!beatsAll && fastest) {
      misses.push(`- ${w}: ${fastest.name} is faster (${fmtMs(fastest.c?.ms as number)} ms).`);
    }
  }
  lines.push("", "## All measurements (median ms; in brackets, ratio to the floor)", "");
  lines.push(`| Workload | ${impls.join(" | ")} |`, `| --- |${impls.map(() => " --- |").join("")}`);
  for (const w of workloads) {
    const floor = floorOf(w);
    const row = impls.map((impl) => {
      const c = cell(results, w, impl);
      if (c === undefined) return "-";
      if (c.ms === undefined) return c.text;
      return `${fmtMs(c.ms)} (${floor === undefined ? "?" : fmtX(c.ms / floor)})`;
    });
    lines.push(`| ${w} | ${row.join(" | ")} |`);
    if (isW5(w)) {
      const bytes = impls.map((impl) => {
        const b = cell(results, w, impl)?.bytes;
        return b === undefined ? "-" : `${b.toFixed(0)} B`;
      });
      lines.push(`| ${w} bytes per blocked task | ${bytes.join(" | ")} |`);
    }
    if (w === "W4" || w === "W4w") {
      const exits = impls.map((impl) => {
        const e = cell(results, w, impl)?.exitMs;
        return e === undefined ? "-" : `${e.toFixed(0)} ms`;
      });
      lines.push(`| ${w} exit after the work | ${exits.join(" | ")} |`);
    }
  }
  lines.push(
    "",
    "CPU time of the process during the workload (median ms, every thread, GC included; " +
      "less sensitive than wall time to other load on the machine):",
    "",
    `| Workload | ${impls.join(" | ")} |`,
    `| --- |${impls.map(() => " --- |").join("")}`,
  );
  for (const w of workloads) {
    const row = impls.map((impl) => {
      const c = cell(results, w, impl)?.cpuMs;
      return c === undefined ? "-" : fmtMs(c);
    });
    lines.push(`| ${w} | ${row.join(" | ")} |`);
  }
  lines.push("", "Spread (min-max ms over the rounds):", "");
  for (const w of workloads) {
    const spreads = impls.flatMap((impl) => {
      const s = cell(results, w, impl)?.spread;
      return s === undefined ? [] : [`${impl} ${fmtMs(s[0])}-${fmtMs(s[1])}`];
    });
    lines.push(`- ${w}: ${spreads.join("; ")}`);
  }
  lines.push(
    "",
    "## Method",
    "",
    "- **Same work everywhere.** Every task or job yields exactly once, with a *macrotask* yield: " +
      "corun `sleep(0)` (one batched `setImmediate` turn), the floor's `nextTurn()` (the same " +
      "batched `MessageChannel` turn, hand-rolled in bench/compare/_common.ts, also used by the " +
      "p-limit/p-queue jobs), asyncio `sleep(0)` (one loop iteration), Effect `yieldNow` (its " +
      "batched `setImmediate` scheduler) and Effection `sleep(0)` (a `setTimeout`: it has no " +
      'cheaper yield). A macrotask yield was chosen because it is what "yield once" means in ' +
      "asyncio and in every peer; a microtask `await null` would not let other ready tasks run.",
    "- **Microtask forms and the context floor.** W1m and W5m are W1 and W5 with the yield " +
      "(or the main task's wait for the others to block) one microtask, " +
      "`await Promise.resolve()`, so no scheduler turn hides the per-task cost. The floor+als " +
      "column is the floor with each task body run inside its own `AsyncLocalStorage.run`: the " +
      "least any library pays to offer `currentTask()` after a foreign await. W1, W1m, W5 and " +
      "W5m are measured against it.",
    "- **W4 fast work** is `async (i) => { await null; return i; }` (one microtask) in every " +
      "TypeScript implementation; in Python a coroutine that returns at once. corun uses " +
      "`timeout(1000, fn)` (runs `fn` in the current task, like asyncio's `timeout()`); W4w uses " +
      "`waitFor(fn, 1000)`, which starts a task per call like Python 3.11's `wait_for`. " +
      "The exit delay is measured from the child's last line to its exit, as seen by the driver; " +
      `more than ${EXIT_LEAK_MS} ms would mean a leaked timer.`,
    "- **W5 bytes** are V8 `heapUsed` after `gc()` (`--expose-gc`) with all tasks blocked, minus " +
      "before creating them, over 100,000 (asyncio: RSS growth). W5 time excludes the `gc()` calls.",
    "- **Floor**: plain async functions, `Promise.all`, a bounded queue and a semaphore on arrays " +
      "with a moving head, an event that is one shared promise, and `Promise.race` with a cleared " +
      "`setTimeout` for the timeout (bench/compare/floor.ts).",
    "- Timeouts (> the per-child limit) and OOMs are recorded, not retried. Checksums of every " +
      "result are verified.",
    "",
    "## Missed targets",
    "",
    ...(misses.length ? misses : ["None in this run."]),
    "",
  );
  try {
    lines.push(await Deno.readTextFile(new URL("ANALYSIS.md", import.meta.url)));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return lines.join("\n");
}
