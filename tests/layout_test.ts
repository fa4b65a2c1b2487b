import assert from "node:assert/strict";
import { circles, folderGraph, importGraph } from "./_import_graph.ts";

const ENTRIES = ["mod.ts", "monitor.ts", "cli.ts", "redis.ts"];

Deno.test("the import graph has circles only inside lib/runtime/", async () => {
  const outside = circles(await importGraph(ENTRIES))
    .filter((circle) => !circle.every((path) => path.startsWith("lib/runtime/")));
  assert.deepEqual(outside, []);
});

Deno.test("the feature folders import each other in one direction only", async () => {
  const features = ["lib/cli", "lib/repl", "lib/monitor", "lib/term", "lib/workers", "lib/redis"];
  const loops = circles(folderGraph(await importGraph(ENTRIES)))
    .filter((circle) => circle.some((folder) => features.includes(folder)));
  assert.deepEqual(loops, []);
});

Deno.test("no module under lib/ is over 400 lines", async () => {
  const long: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir));
      else if (entry.name.endsWith(".ts")) {
        const lines = (await Deno.readTextFile(new URL(entry.name, dir))).split("\n").length - 1;
        if (lines > 400) {
          long.push(`${new URL(entry.name, dir).pathname.split("/lib/")[1]}: ${lines}`);
        }
      }
    }
  };
  await walk(new URL("../lib/", import.meta.url));
  assert.deepEqual(long.sort(), []);
});

Deno.test("the circle finder finds a circle and leaves a chain alone", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", []], ["e", ["d"]]]);
  assert.deepEqual(circles(graph), [["a", "b", "c"]]);
  assert.deepEqual(circles(new Map([["a", ["b"]], ["b", []]])), []);
});
