import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor, type TaskInfo } from "../../monitor.ts";

/** Read `/api/events` until `until(tasks seen so far)` holds; returns every update's tasks. */
async function collectUpdates(
  response: Response,
  onSnapshot: () => void,
  until: (seen: Map<number, TaskInfo>) => boolean,
): Promise<Map<number, TaskInfo>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen = new Map<number, TaskInfo>();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the event stream ended");
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null");
        if (block.startsWith("event: snapshot")) {
          onSnapshot();
          continue;
        }
        for (const info of data.tasks as TaskInfo[]) seen.set(info.id, info);
        if (until(seen)) return seen;
      }
    }
  } finally {
    await reader.cancel();
  }
}

Deno.test("an event-stream update sends the last 1,000 of the tasks that ran between two updates, and the end of every task it sent live", async () => {
  await using server = await serveMonitor({ intervalMs: 20 });
  const response = await fetch(`${server.url}api/events?token=${server.token}`);
  let watched: ReturnType<typeof createTask<string>> | undefined;
  const short: number[] = [];
  const seen = await collectUpdates(response, () => {
    watched = createTask(async () => {
      await sleep(60);
      // Ended, with 1,500 others, after the clients saw it running.
      for (let i = 0; i < 1500; i++) short.push(createTask(() => i).id);
      return "watched";
    }, { name: "watched" });
  }, (seen) => seen.get(watched!.id)?.state === "done");
  assert.equal(seen.get(watched!.id)?.result, '"watched"');
  const shortSent = short.filter((id) => seen.has(id));
  assert.deepEqual(shortSent, short.slice(-1000));
  await watched;
});
