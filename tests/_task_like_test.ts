import assert from "node:assert/strict";
import { asCompleted, currentTask, gather, mapLimit, run, sleep, wait, waitFor } from "../mod.ts";
import { taskNameFor } from "../lib/_task_like.ts";

Deno.test("tasks started from functions are named after the function, or the API and caller", async () => {
  const names: string[] = [];
  const record = () => names.push(currentTask()?.name ?? "outside");
  async function fetchPage(): Promise<void> {
    record();
    await sleep(1);
  }
  await run(async () => {
    await gather(fetchPage, () => {
      record();
    });
    await wait([fetchPage, () => record()]);
    await waitFor(fetchPage, 1_000);
    await waitFor(() => record(), 1_000);
    await mapLimit([1, 2], 1, function crawl() {
      record();
    });
    await mapLimit([1], 1, () => record());
    for await (const task of asCompleted([fetchPage, () => record()])) await task;
  }, { name: "main" });
  assert.deepEqual(
    names.sort(),
    [
      "asCompleted(main)[1]",
      "crawl[0]",
      "crawl[1]",
      "fetchPage",
      "fetchPage",
      "fetchPage",
      "fetchPage",
      "gather(main)[1]",
      "mapLimit(main)[0]",
      "wait(main)[1]",
      "waitFor(main)",
    ].sort(),
  );
});

Deno.test("taskNameFor() survives a hostile name and bounds its length", () => {
  const hostile = () => {};
  Object.defineProperty(hostile, "name", {
    get() {
      throw new Error("no name");
    },
  });
  assert.equal(taskNameFor(hostile, "gather", 2), "gather(top level)[2]");
  const long = () => {};
  Object.defineProperty(long, "name", { value: "x".repeat(1_000) });
  assert.equal(taskNameFor(long, "wait").length, 80);
});
