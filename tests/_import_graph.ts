/**
 * The repository's import graph, from `deno info --json`, and its circles
 * (strongly connected components of more than one module, Tarjan's
 * algorithm, iterative).
 *
 * `deno run -A tests/_import_graph.ts mod.ts monitor.ts cli.ts redis.ts`
 * prints every circle, one per line (nothing when there is none).
 *
 * @module
 */

/** Module path (relative to the repository root) -> the modules it imports. */
export type ImportGraph = Map<string, string[]>;

const ROOT = new URL("..", import.meta.url).href;

/**
 * The graph of the repository's own modules reachable from `entries`
 * (type-only imports included; npm, node and remote modules left out).
 */
export async function importGraph(entries: string[]): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  for (const entry of entries) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: new URL(ROOT).pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`deno info ${entry} failed: ${new TextDecoder().decode(output.stderr)}`);
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
      }[];
    };
    for (const module of info.modules) {
      if (!module.specifier.startsWith(ROOT)) continue;
      const targets = new Set<string>();
      for (const dependency of module.dependencies ?? []) {
        for (const specifier of [dependency.code?.specifier, dependency.type?.specifier]) {
          if (specifier?.startsWith(ROOT)) targets.add(specifier.slice(ROOT.length));
        }
      }
      graph.set(module.specifier.slice(ROOT.length), [...targets]);
    }
  }
  return graph;
}

/** Every circle of `graph`: its members, sorted; circles sorted by first member. */
export function circles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    // Each frame: a node and how many of its edges were followed.
    const frames: [string, number][] = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [node, edge] = frame;
      const targets = graph.get(node) ?? [];
      if (edge < targets.length) {
        frame[1]++;
        const target = targets[edge];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          frames.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
      }
      if (low.get(node) !== index.get(node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  }
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

if (import.meta.main) {
  const entries = Deno.args.length > 0 ? Deno.args : ["mod.ts", "monitor.ts", "cli.ts", "redis.ts"];
  for (const circle of circles(await importGraph(entries))) console.log(circle.join("  "));
}
