/**
 * A pipeline: read a log lazily line by line, look each line up with at most
 * 3 lookups at once (mapLimitStream, in input order), and merge the result
 * with a second source, a heartbeat (merge).
 *
 *   deno run --allow-read examples/log_pipeline.ts [file.log]
 */
import { mapLimitStream, merge, run, sleep } from "../mod.ts";
import { scaled } from "./_scale.ts";

const path = Deno.args[0] ?? new URL("./data/app.log", import.meta.url);

/** The lines of a file, read as they are consumed. */
async function* lines(file: string | URL): AsyncGenerator<string> {
  let rest = "";
  const stream = (await Deno.open(file)).readable.pipeThrough(new TextDecoderStream());
  for await (const chunk of stream) {
    const parts = (rest + chunk).split(/\r?\n/);
    rest = parts.pop() ?? "";
    yield* parts;
  }
  if (rest !== "") yield rest;
}

/** A slow lookup: which team owns a component. */
async function owner(component: string): Promise<string> {
  await sleep(scaled(100));
  return { db: "storage", http: "web", worker: "batch" }[component] ?? "platform";
}

/** Three heartbeats while the log is processed. */
async function* heartbeat(): AsyncGenerator<string> {
  for (let i = 1; i <= 3; i++) {
    await sleep(scaled(250));
    yield `[heartbeat] ${i}`;
  }
}

let running = 0;
let most = 0;
await run(async () => {
  const looked = mapLimitStream(lines(path), 3, async (line) => {
    most = Math.max(most, ++running);
    try {
      const [, level, component] = line.match(/^\S+ (\w+)\s+(\w+):/) ?? [];
      return `[log] ${level.padEnd(5)} ${component.padEnd(6)} -> ${await owner(component)}`;
    } finally {
      running--;
    }
  }, { ordered: true });
  let logLines = 0;
  for await (const event of merge(looked, heartbeat())) {
    if (event.startsWith("[log]")) logLines++;
    if (!event.includes(" INFO ") && !event.includes(" DEBUG")) console.log(event);
  }
  console.log(`${logLines} log lines looked up, at most ${most} at once`);
});
