import assert from "node:assert/strict";
import { RedisQueue } from "../../redis.ts";
import { type RedisServer, startRedis } from "./_server.ts";

const WORKER = new URL("./fixtures/worker.ts", import.meta.url).pathname;
const ITEMS = 60;

interface Worker {
  consumer: string;
  child: Deno.ChildProcess;
  lines: string[];
  /** Resolves when stdout ends. */
  ended: Promise<void>;
}

type Mode = "lease" | "taskDone";

function startWorker(
  server: RedisServer,
  consumer: string,
  mode: Mode,
  onLine: () => void,
): Worker {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, server.url, "work", consumer, "1000", "40", mode],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: string[] = [];
  const ended = (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts);
      onLine();
    }
  })();
  return { consumer, child, lines, ended };
}

function items(worker: Worker, verb: string): number[] {
  return worker.lines.filter((line) => line.startsWith(`${verb} `)).map((line) =>
    Number(line.slice(verb.length + 1))
  );
}

Deno.test("RedisQueue with four worker processes, one SIGKILLed holding items: nothing lost, only its items twice", async () => {
  await killOneOfFour("lease");
});

Deno.test("RedisQueue worker processes with two taskDone() loops each, one SIGKILLed: nothing lost, only its items twice", async () => {
  await killOneOfFour("taskDone");
});

async function killOneOfFour(mode: Mode): Promise<void> {
  await using server = await startRedis();
  await using producer = new RedisQueue<number>("work", { url: server.url });
  let killedAt: { got: number[]; acked: number[] } | null = null;
  const victim: Worker = startWorker(server, "worker-0", mode, () => {
    const inFlight = items(victim, "got").length - items(victim, "done").length;
    if (killedAt === null && items(victim, "acked").length >= 2 && inFlight >= 1) {
      victim.child.kill("SIGKILL");
      killedAt = { got: items(victim, "got"), acked: items(victim, "acked") };
    }
  });
  const others = [1, 2, 3].map((i) => startWorker(server, `worker-${i}`, mode, () => {}));
  const workers = [victim, ...others];
  while (!workers.every((worker) => worker.lines.includes("ready"))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (let n = 0; n < ITEMS; n++) await producer.put(n);
  await producer.join();
  const stats = await producer.stats();
  await producer.shutdown();
  const statuses = await Promise.all(workers.map((worker) => worker.child.status));
  await Promise.all(workers.map((worker) => worker.ended));

  assert.ok(killedAt !== null, "the victim was killed while holding items");
  assert.equal(statuses[0].signal, "SIGKILL");
  for (const status of statuses.slice(1)) assert.equal(status.code, 0);
  // What the victim printed before it died (the rest of its pipe included).
  const victimGot = items(victim, "got");
  const victimDone = new Set(items(victim, "done"));
  const victimAcked = new Set(items(victim, "acked"));
  const heldWhenKilled = victimGot.filter((n) => !victimAcked.has(n));
  const neverFinished = victimGot.filter((n) => !victimDone.has(n));
  assert.ok(neverFinished.length >= 1, `the victim held items: ${victimGot} / ${[...victimDone]}`);

  const deliveries = new Map<number, number>();
  const done = new Set<number>();
  for (const worker of workers) {
    for (const n of items(worker, "got")) deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
    for (const n of items(worker, "done")) done.add(n);
  }
  // Every item done at least once, none lost.
  assert.deepEqual([...done].sort((a, b) => a - b), Array.from({ length: ITEMS }, (_, n) => n));
  // Only the victim's in-flight items were delivered twice, and those it never
  // finished were finished by another worker.
  const twice = [...deliveries].filter(([, count]) => count > 1).map(([n]) => n);
  for (const n of twice) assert.ok(heldWhenKilled.includes(n), `item ${n} delivered twice`);
  for (const n of neverFinished) {
    assert.ok(others.some((worker) => items(worker, "done").includes(n)), `item ${n} redone`);
  }
  for (const count of deliveries.values()) assert.ok(count <= 2);
  assert.deepEqual([stats.unfinished, stats.deadLetters], [0, 0]);
  assert.ok(stats.redeliveries >= neverFinished.length);
}
