import assert from "node:assert/strict";
import { runExample } from "./_helpers.ts";

const exampleLines = async (name: string) => (await runExample(name)).trim().split("\n");

Deno.test("examples/producer_consumer.ts consumes every produced item once, then shuts down", async () => {
  const lines = await exampleLines("producer_consumer.ts");
  const produced = lines.flatMap((l) => l.match(/^p\d produced (\S+) \(queue size (\d+)\)$/) ?? []);
  const items = lines.map((l) => l.match(/^p\d produced (\S+)/)?.[1]).filter(Boolean);
  const sizes = lines.map((l) => Number(l.match(/queue size (\d+)/)?.[1] ?? 0));
  const consumed = lines.map((l) => l.match(/^c\d consumed (\S+)$/)?.[1]).filter(Boolean);
  assert.equal(items.length, 12, lines.join("\n"));
  assert.ok(produced.length > 0);
  assert.deepEqual([...consumed].sort(), [...items].sort());
  assert.ok(Math.max(...sizes) <= 5, "the queue never holds more than 5");
  assert.ok(sizes.includes(5), "producers are faster: the queue fills up");
  const processed = lines.indexOf("every item processed; shutting the queue down");
  assert.ok(processed > lines.findLastIndex((l) => / consumed /.test(l)));
  assert.deepEqual(lines.slice(processed + 1, processed + 3).sort(), [
    "c1 stops: the queue is shut down",
    "c2 stops: the queue is shut down",
  ]);
  assert.equal(lines.at(-1), "done: 12 produced, 12 consumed");
});

Deno.test("examples/locks.ts: the lock serialises A, B, C; the semaphore lets 2 in; the event wakes both readers", async () => {
  const lines = await exampleLines("locks.ts");
  const lockPart = lines.slice(lines.indexOf("-- Lock: one at a time") + 1, 7);
  assert.deepEqual(lockPart, [
    "A has the lock",
    "A releases the lock",
    "B has the lock",
    "B releases the lock",
    "C has the lock",
    "C releases the lock",
  ]);
  const inside = lines.map((l) => Number(l.match(/\((\d) inside\)/)?.[1] ?? 0));
  assert.equal(Math.max(...inside), 2);
  assert.equal(lines.filter((l) => /^worker \d enters/.test(l)).length, 4);
  assert.equal(lines.filter((l) => /^worker \d leaves/.test(l)).length, 4);
  const set = lines.indexOf("writer: data ready, setting the event");
  assert.ok(set > 0);
  assert.deepEqual(lines.slice(set + 1).sort(), ["reader 1 woke up", "reader 2 woke up"]);
  assert.ok(lines.slice(0, set).includes("reader 2 waits for the data"));
});
