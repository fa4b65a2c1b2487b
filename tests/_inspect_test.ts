import assert from "node:assert/strict";
import { inspect as nodeInspect } from "node:util";
import {
  Barrier,
  Condition,
  createTask,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  Semaphore,
  sleep,
  TaskGroup,
  WorkerPool,
} from "../mod.ts";

const NODE_HOOK = Symbol.for("nodejs.util.inspect.custom");

Deno.test("a Queue prints its size, first items, waiters and unfinished count", () => {
  const queue = new Queue<number>(10);
  queue.putNowait(1);
  queue.putNowait(2);
  assert.equal(
    Deno.inspect(queue),
    "Queue { size: 2/10, items: [1, 2], getters: 0, putters: 0, unfinished: 2 }",
  );
  queue.shutdown();
  assert.match(Deno.inspect(queue), /unfinished: 2, shutDown: true \}$/);
});

Deno.test("queues print at most five items, in the order get() would take them", () => {
  const lifo = new LifoQueue<number>();
  const priority = new PriorityQueue<number>();
  for (const n of [5, 3, 8, 1, 9, 2, 7]) {
    lifo.putNowait(n);
    priority.putNowait(n);
  }
  assert.match(Deno.inspect(lifo), /^LifoQueue \{ size: 7, items: \[7, 2, 9, 1, 8, … 2 more\]/);
  assert.match(
    Deno.inspect(priority),
    /^PriorityQueue \{ size: 7, items: \[1, 2, 3, 5, 7, … 2 more\]/,
  );
  const long = new Queue<string>();
  long.putNowait("x".repeat(500));
  const printed = Deno.inspect(long);
  assert.ok(printed.length < 120, printed);
});

Deno.test("printing a queue never throws, whatever its items are", () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const queue = new Queue<unknown>();
  queue.putNowait(proxy);
  queue.putNowait({
    [Symbol.for("Deno.customInspect")]() {
      throw new Error("hostile");
    },
  });
  queue.putNowait(Object.create(null));
  const printed = Deno.inspect(queue);
  assert.match(printed, /^Queue \{ size: 3, items: \[<uninspectable>, <uninspectable>, /);
  class Broken<T> extends Queue<T> {
    override stats(): never {
      throw new Error("no stats");
    }
  }
  assert.equal(Deno.inspect(new Broken()), "Queue { <state unavailable> }");
});

Deno.test("the Node hook prints the same, with the inspect function it is given", () => {
  const queue = new Queue<number>();
  queue.putNowait(7);
  const hook = (queue as unknown as Record<symbol, (...args: unknown[]) => string>)[NODE_HOOK];
  const stub = (value: unknown) => `<${typeof value}>`;
  assert.equal(
    hook.call(queue, 2, {}, stub),
    "Queue { size: 1, items: [<number>], getters: 0, putters: 0, unfinished: 1 }",
  );
  assert.match(hook.call(queue, 2, {}), /items: \[7\]/, "without an inspect function");
  assert.match(nodeInspect(queue), /^Queue \{ size: 1, items: \[7\]/);
});

Deno.test("a Lock prints its holder and waiters; a Task its name, state and what it waits on", async () => {
  const lock = new Lock();
  assert.equal(Deno.inspect(lock), "Lock { locked: false, waiters: 0 }");
  const holder = createTask(async () => {
    using _ = await lock.acquire();
    await sleep(30);
  }, { name: "holder" });
  const waiter = createTask(async () => {
    using _ = await lock.acquire();
  }, { name: "waiter" });
  await sleep(5);
  assert.equal(
    Deno.inspect(lock),
    `Lock { locked: true, holder: #${holder.id} "holder", waiters: 1 }`,
  );
  assert.equal(
    Deno.inspect(waiter),
    `Task { id: ${waiter.id}, name: "waiter", state: waiting, waitingOn: "Lock.acquire" }`,
  );
  await Promise.all([holder, waiter]);
  assert.equal(Deno.inspect(waiter), `Task { id: ${waiter.id}, name: "waiter", state: done }`);
});

Deno.test("Semaphore, Event, Condition, Barrier and WorkerPool print their stats", async () => {
  assert.equal(Deno.inspect(new Semaphore(3)), "Semaphore { value: 3, waiters: 0 }");
  const event = new Event();
  const waiting = createTask(() => event.wait());
  await sleep(0);
  assert.equal(Deno.inspect(event), "Event { set: false, waiters: 1 }");
  event.set();
  await waiting;
  assert.equal(Deno.inspect(new Condition()), "Condition { locked: false, waiters: 0 }");
  assert.equal(Deno.inspect(new Barrier(3)), "Barrier { waiting: 0/3, broken: false }");
  await using pool = new WorkerPool({ size: 2 });
  assert.equal(
    Deno.inspect(pool),
    "WorkerPool { mode: thread, size: 2, workers: 0, running: 0, queued: 0, stuck: 0 }",
  );
});

Deno.test("a TaskGroup prints its state, first children and failures", async () => {
  await using group = new TaskGroup();
  const children = Array.from(
    { length: 6 },
    (_, i) => group.createTask(() => sleep(5), { name: `c${i}` }),
  );
  const refs = children.slice(0, 5).map((child) => `#${child.id} "${child.name}"`).join(", ");
  assert.equal(
    Deno.inspect(group),
    `TaskGroup { state: open, children: [${refs}, … 1 more], failures: 0 }`,
  );
});
