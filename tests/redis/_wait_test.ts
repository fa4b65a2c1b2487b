import assert from "node:assert/strict";
import { CancelledError, createTask, sleep } from "../../mod.ts";
import { waitOn } from "../../lib/redis/_wait.ts";
import { waitingOn } from "../_sync_helpers.ts";

Deno.test("waitOn() cancelled before its work ends rejects at once and hands the late value on", async () => {
  let finish!: (value: string) => void;
  const late: string[] = [];
  let aborted = false;
  const task = createTask(() =>
    waitOn("redis queue q", (signal) => {
      signal.addEventListener("abort", () => (aborted = true));
      return new Promise<string>((resolve) => (finish = resolve));
    }, (value) => void late.push(value))
  );
  await sleep(0);
  assert.equal(waitingOn(task), "redis queue q");
  task.cancel();
  await assert.rejects(task, CancelledError);
  assert.equal(aborted, true);
  finish("item");
  await sleep(0);
  assert.deepEqual(late, ["item"]);
});

Deno.test("waitOn() whose work ends first resolves with it and hands nothing on", async () => {
  const late: string[] = [];
  const task = createTask(() =>
    waitOn("redis queue q", () => sleep(5, "item"), (value) => void late.push(value))
  );
  assert.equal(await task, "item");
  assert.equal(waitingOn(task), undefined);
  assert.deepEqual(late, []);
});

Deno.test("waitOn() in a task with a pending cancellation never starts its work", async () => {
  let started = false;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const task = createTask(async () => {
    await gate; // a plain promise: the cancellation waits for the next library await
    return await waitOn("redis queue q", () => {
      started = true;
      return Promise.resolve(1);
    });
  });
  await sleep(0);
  task.cancel();
  release();
  await assert.rejects(task, CancelledError);
  assert.equal(started, false);
});
