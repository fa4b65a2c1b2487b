/**
 * Profile one workload of one implementation and print where the time goes:
 * `deno run -A bench/compare/profile.ts corun W1 [--top 25]`. Runs the child
 * under `deno run --cpu-prof` and sums the .cpuprofile's samples by function
 * (self time, and total time including callees) and by file.
 *
 * @module
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and total milliseconds per function, and self milliseconds per file. */
export function summarise(profile: CpuProfile): {
  total: number;
  functions: { name: string; self: number; inclusive: number }[];
  files: { file: string; self: number }[];
} {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const label = (frame: CallFrame): string => {
    const file = frame.url.replace(/^.*\/(main|npm)\//, "").replace(/^file:\/\//, "");
    return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`
      .trim();
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const name = label(frame);
    self.set(name, (self.get(name) ?? 0) + us);
    const file = frame.url === ""
      ? `(${frame.functionName})`
      : frame.url.replace(/^.*\/main\//, "");
    files.set(file, (files.get(file) ?? 0) + us);
    // Charge every distinct function on the stack once (recursion-safe).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frameName = label((byId.get(at) as ProfileNode).callFrame);
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      inclusive.set(frameName, (inclusive.get(frameName) ?? 0) + us);
    }
  }
  return {
    total: total / 1000,
    functions: [...self].map(([name, us]) => ({
      name,
      self: us / 1000,
      inclusive: (inclusive.get(name) ?? 0) / 1000,
    })).sort((a, b) => b.self - a.self),
    files: [...files].map(([file, us]) => ({ file, self: us / 1000 })).sort((a, b) =>
      b.self - a.self
    ),
  };
}

if (import.meta.main) {
  const [impl = "corun", workload = "W1", ...rest] = Deno.args;
  const top = Number(rest[rest.indexOf("--top") + 1] || 25);
  const dir = await Deno.makeTempDir({ prefix: "corun-prof-" });
  const script = new URL(`${impl}.ts`, import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      script,
      workload,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  console.log(new TextDecoder().decode(out.stdout).trim());
  const [file] = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".cpuprofile"));
  const summary = summarise(JSON.parse(await Deno.readTextFile(`${dir}/${file.name}`)));
  await Deno.remove(dir, { recursive: true });
  const pct = (ms: number) => `${((ms / summary.total) * 100).toFixed(1).padStart(5)}%`;
  console.log(
    `${impl} ${workload}: ${
      summary.total.toFixed(0)
    } ms sampled\n\nself ms   self%  total%  function`,
  );
  for (const f of summary.functions.slice(0, top)) {
    console.log(`${f.self.toFixed(1).padStart(7)} ${pct(f.self)} ${pct(f.inclusive)}  ${f.name}`);
  }
  console.log("\nself ms   self%  file");
  for (const f of summary.files.slice(0, 12)) {
    console.log(`${f.self.toFixed(1).padStart(7)} ${pct(f.self)}  ${f.file}`);
  }
}
