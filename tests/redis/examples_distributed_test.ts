import assert from "node:assert/strict";
import { startRedis } from "./_server.ts";

const dir = new URL("../../examples/distributed/", import.meta.url).pathname;

async function output(child: Deno.ChildProcess): Promise<{ code: number; text: string }> {
  const { code, stdout, stderr } = await child.output();
  return { code, text: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

function spawn(script: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `${dir}${script}`, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("examples/distributed: two workers share the producer's 40 URLs and end with the queue", async () => {
  await using server = await startRedis();
  const producer = spawn("producer.ts", [server.url]);
  const done = output(producer);
  const workers = ["w1", "w2"].map((name) => output(spawn("worker.ts", [name, server.url])));
  const [made, ...ran] = await Promise.all([done, ...workers]);
  assert.equal(made.code, 0, made.text);
  assert.match(made.text, /all done in [\d.]+ s \(0 redelivered, 0 dead\)/);
  let fetched = 0;
  for (const [i, worker] of ran.entries()) {
    assert.equal(worker.code, 0, worker.text);
    const count = Number(worker.text.match(/queue shut down, (\d+) URLs fetched/)?.[1]);
    assert.match(made.text, new RegExp(`w${i + 1}: ${count} URLs`));
    fetched += count;
  }
  assert.equal(fetched, 40);
});
