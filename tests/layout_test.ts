import assert from "node:assert/strict";
import { circles, importGraph } from "./_import_graph.ts";

const ENTRIES = ["mod.ts", "monitor.ts", "cli.ts", "redis.ts"];

Deno.test("the import graph has circles only inside lib/runtime/", async () => {
  const outside = circles(await importGraph(ENTRIES))
    .filter((circle) => !circle.every((path) => path.startsWith("lib/runtime/")));
  assert.deepEqual(outside, []);
});

Deno.test("outside lib/runtime/, the engine is imported only through lib/runtime/mod.ts", async () => {
  const graph = await importGraph(ENTRIES);
  const inEngine = (path: string) => path.startsWith("lib/runtime/");
  // What the engine itself imports (errors.ts, _validate.ts, ...) cannot go
  // through the barrel without a circle: those may import a file directly.
  const engineDeps = new Set<string>();
  const stack = [...graph.keys()].filter(inEngine);
  while (stack.length > 0) {
    for (const target of graph.get(stack.pop()!) ?? []) {
      if (!inEngine(target) && !engineDeps.has(target)) {
        engineDeps.add(target);
        stack.push(target);
      }
    }
  }
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (inEngine(from) || engineDeps.has(from)) continue;
    for (const target of targets) {
      if (inEngine(target) && target !== "lib/runtime/mod.ts") wrong.push(`${from} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(graph.get("mod.ts")?.includes("lib/runtime/mod.ts"));
});

Deno.test("the CLI and the REPL sit on top: no folder loop, nothing below imports them", async () => {
  const graph = await importGraph(ENTRIES);
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    for (const target of targets) {
      const cli = target.startsWith("lib/cli/") &&
        !(from === "cli.ts" || from.startsWith("lib/cli/"));
      const repl = target.startsWith("lib/repl/") &&
        !(from.startsWith("lib/cli/") || from.startsWith("lib/repl/"));
      if (cli || repl) wrong.push(`${from} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the terminal layer's ANSI names, keys and terminal type import nothing", async () => {
  const graph = await importGraph(ENTRIES);
  const leaves = ["lib/term/ansi.ts", "lib/term/keys.ts", "lib/term/terminal.ts"];
  assert.deepEqual(leaves.map((leaf) => [leaf, graph.get(leaf)]), leaves.map((leaf) => [leaf, []]));
});

Deno.test("no module under lib/ is over 400 lines", async () => {
  const long: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir));
      else if (entry.name.endsWith(".ts")) {
        const path = new URL(entry.name, dir).pathname.split("/lib/")[1];
        const lines = (await Deno.readTextFile(new URL(entry.name, dir))).split("\n").length - 1;
        if (lines > 400) long.push(`${path}: ${lines}`);
      }
    }
  };
  await walk(new URL("../lib/", import.meta.url));
  assert.deepEqual(long.sort(), []);
});

Deno.test("escape sequences are written by name: raw ones only in lib/term/", async () => {
  // The REPL's in-band markers (_channel.ts) are a protocol of their own.
  const allowed = (path: string) => path.startsWith("term/") || path === "repl/_channel.ts";
  const raw: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir));
      else if (entry.name.endsWith(".ts")) {
        const path = new URL(entry.name, dir).pathname.split("/lib/")[1];
        if (allowed(path)) continue;
        const lines = (await Deno.readTextFile(new URL(entry.name, dir))).split("\n");
        lines.forEach((line, i) => {
          // Doc comments may show the bytes an example expects.
          if (/\\x1b|\\u001b/.test(line) && !/^\s*\*/.test(line)) raw.push(`${path}:${i + 1}`);
        });
      }
    }
  };
  await walk(new URL("../lib/", import.meta.url));
  assert.deepEqual(raw, []);
});

Deno.test("the circle finder finds a circle and leaves a chain alone", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", []], ["e", ["d"]]]);
  assert.deepEqual(circles(graph), [["a", "b", "c"]]);
  assert.deepEqual(circles(new Map([["a", ["b"]], ["b", []]])), []);
});
