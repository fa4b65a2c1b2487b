// The core's main features on whatever runtime runs this file (Node, Bun):
// it imports the one-file bundle of mod.ts given as the first argument and
// prints one line per check; any failure exits non-zero.
const corun = await import(process.argv[2]);
const {
  CancelledError,
  Lock,
  Queue,
  TimeoutError,
  WorkerPool,
  createTask,
  currentTask,
  gather,
  mapLimit,
  mapLimitStream,
  merge,
  RateLimiter,
  run,
  sleep,
  timeout,
  toThread,
} = corun;

function check(name, ok) {
  if (!ok) {
    console.log(`FAIL ${name}`);
    process.exitCode = 1;
  } else console.log(`ok ${name}`);
}

await run(async () => {
  const started = performance.now();
  const [a, b] = await gather(() => sleep(40, "a"), () => sleep(40, "b"));
  check("gather runs tasks at once", a === "a" && b === "b" && performance.now() - started < 75);

  const task = createTask(() => currentTask().name, { name: "named" });
  check("createTask and currentTask", (await task) === "named");

  const slow = createTask(() => sleep(10_000));
  await sleep(1);
  slow.cancel();
  check(
    "cancel lands as CancelledError",
    await slow.then(() => false, (e) => e instanceof CancelledError),
  );

  const expired = await timeout(20, () => sleep(10_000)).then(
    () => false,
    (e) => e instanceof TimeoutError,
  );
  check("timeout throws TimeoutError", expired);

  // The signal handed to fn is watched (a shared prototype on it): still a
  // real AbortSignal, and a value given in reaction to its abort is a timeout.
  const reacted = await timeout(20, (signal) =>
    new Promise((resolve) => {
      AbortSignal.any([signal]);
      signal.addEventListener("abort", () => resolve("reacted"));
    })).then(() => false, (e) => e instanceof TimeoutError);
  check("timeout sees the work react to its signal", reacted);

  const queue = new Queue(1);
  const consumer = createTask(async () => {
    const got = [];
    for await (const item of queue) got.push(item);
    return got;
  });
  for (const item of [1, 2, 3]) await queue.put(item);
  queue.shutdown();
  check("Queue hands every item over", JSON.stringify(await consumer) === "[1,2,3]");

  const lock = new Lock();
  let inside = 0;
  let most = 0;
  await gather(...[1, 2, 3].map(() => async () => {
    await lock.acquire();
    try {
      most = Math.max(most, ++inside);
      await sleep(2);
      inside--;
    } finally {
      lock.release();
    }
  }));
  check("Lock admits one at a time", most === 1);

  let running = 0;
  let peak = 0;
  const doubled = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
    peak = Math.max(peak, ++running);
    await sleep(5);
    running--;
    return n * 2;
  });
  check("mapLimit keeps the limit and the order", peak === 2 && doubled.join() === "2,4,6,8,10");

  async function* numbers() {
    yield* [3, 1, 2];
  }
  const streamed = [];
  const stream = mapLimitStream(numbers(), 2, (n) => sleep(n, n * 10), {
    ordered: true,
    progress: "stderr is not a terminal: nothing drawn",
  });
  for await (const value of stream) streamed.push(value);
  const keyed = await gather({ a: () => 1, b: () => Promise.resolve("two") });
  const merged = [];
  for await (const value of merge([1, 2], numbers())) merged.push(value);
  check(
    "mapLimitStream, merge and keyed gather",
    streamed.join() === "30,10,20" && keyed.a === 1 && keyed.b === "two" && merged.length === 5,
  );
  const limiter = new RateLimiter(2, 20);
  const began = performance.now();
  for (let i = 0; i < 3; i++) await limiter.acquire();
  check("RateLimiter waits for a free slot", performance.now() - began >= 19);

  check("toThread runs off the loop", (await toThread((n) => n * 7, 6)) === 42);
  const pool = new WorkerPool({ size: 2 });
  try {
    const sums = await gather(...[10, 20].map((n) => () => pool.run((k) => k + 1, n)));
    check("WorkerPool runs functions by source", sums.join() === "11,21");
  } finally {
    await pool.close();
  }

  const processes = new WorkerPool({ mode: "process", size: 1 });
  try {
    const spinning = createTask(() =>
      processes.run(() => {
        for (;;);
      })
    );
    await sleep(300);
    spinning.cancel();
    const cancelled = await spinning.then(() => false, (e) => e instanceof CancelledError);
    const pid = await processes.run(() => process.pid);
    check("a process pool kills a cancelled job", cancelled && pid !== process.pid);
  } finally {
    await processes.close();
  }

  const { inspect } = await import("node:util");
  const printed = new Queue(4);
  printed.putNowait(1);
  check(
    "primitives print their state",
    inspect(printed) === "Queue { size: 1/4, items: [1], getters: 0, putters: 0, unfinished: 1 }",
  );
});
// deno-lint-ignore no-undef
console.log(
  `runtime: ${typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`}`,
);
