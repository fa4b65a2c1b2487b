/**
 * The `@example`s of the Redis entry point are marked `ts ignore` (so that
 * `deno task test` never needs a server); this runs each of them against a
 * throwaway server, with the server's URL in place of the default one.
 */
import assert from "node:assert/strict";
import { startRedis } from "./_server.ts";

const root = new URL("../../", import.meta.url);
const files = [
  "redis.ts",
  ...[...Deno.readDirSync(new URL("lib/redis/", root))]
    .filter((entry) => entry.name.endsWith(".ts") && !entry.name.startsWith("_"))
    .map((entry) => `lib/redis/${entry.name}`),
].sort();

function examples(file: string): string[] {
  const text = Deno.readTextFileSync(new URL(file, root));
  const blocks = [...text.matchAll(/```ts ignore\n([\s\S]*?)```/g)];
  return blocks.map((match) =>
    match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
  );
}

/** Point every queue of an example at `url`. */
function retarget(code: string, url: string): string {
  return code
    .replaceAll("redis://127.0.0.1:6379", url)
    .replace(/new RedisQueue<([^>]*)>\("([^"]+)"\)/g, `new RedisQueue<$1>("$2", { url: "${url}" })`)
    .replace(
      /new RedisQueue<([^>]*)>\("([^"]+)", \{ (?!url)/g,
      `new RedisQueue<$1>("$2", { url: "${url}", `,
    );
}

Deno.test("every example of @corun/corun/redis runs and asserts what it shows", async () => {
  await using server = await startRedis();
  let count = 0;
  for (const file of files) {
    for (const [index, code] of examples(file).entries()) {
      const path = new URL(`tests/redis/.example_${count++}.ts`, root);
      Deno.writeTextFileSync(path, retarget(code, server.url));
      try {
        const { code: status, stderr } = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", path.pathname],
          cwd: root.pathname,
          stdin: "null",
          stdout: "null",
          stderr: "piped",
        }).output();
        assert.equal(
          status,
          0,
          `${file} example ${index + 1}:\n${new TextDecoder().decode(stderr)}`,
        );
      } finally {
        Deno.removeSync(path);
      }
    }
  }
  assert.ok(count >= 15, `found only ${count} examples`);
});
