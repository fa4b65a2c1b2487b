/**
 * corun's side of the comparison. Features are looked up in `mod.ts` (and
 * `monitor.ts`) at run time, so a primitive that is not built yet reports
 * "n/a (not built yet)" and is picked up as soon as it is exported.
 *
 * @module
 */
import {
  CALLS,
  cpuNow,
  dispatch,
  doubleLater,
  fastWork,
  heapAfterGc,
  HELPER_ITEMS,
  ITEMS,
  JOBS,
  mergeSources,
  PERMITS,
  QUEUE_SIZE,
  report,
  STREAM_LIMIT,
  TASKS,
  timed,
  TIMEOUT_MS,
} from "./_common.ts";

/** The parts of corun's surface the workloads use (typed here, found at run time). */
interface Corun {
  run<T>(main: () => Promise<T>): Promise<T>;
  createTask<T>(fn: () => Promise<T>): PromiseLike<T>;
  sleep(ms: number): Promise<void>;
  gather?: (tasks: PromiseLike<number>[]) => Promise<number[]>;
  Queue?: new (maxsize: number) => { put(item: number): Promise<void>; get(): Promise<number> };
  Semaphore?: new (value: number) => { acquire(): Promise<unknown>; release(): void };
  Event?: new () => { set(): void; wait(): Promise<unknown> };
  timeout?: <T>(ms: number, fn: () => Promise<T>) => Promise<T>;
  waitFor?: <T>(work: () => Promise<T>, ms: number) => Promise<T>;
  mapLimit?: <T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) => Promise<R[]>;
  onTaskEvent?: (listener: (event: { type: string }) => void) => () => void;
  serveMonitor?: () => Promise<{ url: string; token: string; close(): Promise<void> }>;
  mapLimitStream?: <T, R>(
    items: Iterable<T>,
    limit: number,
    fn: (item: T) => Promise<R>,
  ) => AsyncIterable<R>;
  RateLimiter?: new (maxRate: number, periodMs: number) => { acquire(): Promise<unknown> };
  merge?: <T>(...sources: AsyncIterable<T>[]) => AsyncIterable<T>;
}

async function load(): Promise<Corun> {
  const mod = await import("../../mod.ts") as unknown as Corun;
  const corun: Corun = { ...mod };
  // The monitor is its own entry point; its file may not exist yet.
  const monitorUrl = new URL("../../monitor.ts", import.meta.url);
  try {
    await Deno.stat(monitorUrl);
    const monitor = await import(monitorUrl.href) as Partial<Corun>;
    corun.onTaskEvent ??= monitor.onTaskEvent;
    corun.serveMonitor ??= monitor.serveMonitor;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return corun;
}

const corun = await load();
const { run, createTask, sleep } = corun;

/**
 * A workload handler that runs `fn` with the named exports, or reports
 * "not built yet" when one is missing.
 */
function using<K extends keyof Corun>(
  names: K[],
  fn: (api: Required<Pick<Corun, K>>) => Promise<void>,
): () => Promise<void> {
  return () => {
    const missing = names.filter((name) => typeof corun[name] !== "function");
    if (missing.length === 0) return fn(corun as unknown as Required<Pick<Corun, K>>);
    report({ na: `not built yet: ${missing.join(", ")}` });
    return Promise.resolve();
  };
}

/** The yield of W1/W5 (`sleep(0)`, a macrotask turn) and of W1m/W5m (one microtask). */
const yieldTurn = (): Promise<void> => sleep(0);
const microtask = (): Promise<void> => Promise.resolve();

function spawnAndGather(
  { gather }: Required<Pick<Corun, "gather">>,
  yieldOnce = yieldTurn,
): Promise<number> {
  return run(async () => {
    const tasks: PromiseLike<number>[] = [];
    for (let i = 0; i < TASKS; i++) {
      tasks.push(createTask(async () => {
        await yieldOnce();
        return i;
      }));
    }
    const results = await gather(tasks);
    return results.reduce((a, b) => a + b, 0);
  });
}

function queue({ Queue, gather }: Required<Pick<Corun, "Queue" | "gather">>, pairs: number) {
  return run(async () => {
    const q = new Queue(QUEUE_SIZE);
    const each = ITEMS / pairs;
    const tasks: PromiseLike<number>[] = [];
    for (let p = 0; p < pairs; p++) {
      tasks.push(createTask(async () => {
        for (let i = 0; i < each; i++) await q.put(p * each + i);
        return 0;
      }));
      tasks.push(createTask(async () => {
        let sum = 0;
        for (let i = 0; i < each; i++) sum += await q.get();
        return sum;
      }));
    }
    return (await gather(tasks)).reduce((a, b) => a + b, 0);
  });
}

/**
 * W3: plain async jobs through corun's Semaphore, like the floor's and
 * p-limit's; W3t (`gather` given): the same, each job its own task.
 */
function semaphore(Semaphore: NonNullable<Corun["Semaphore"]>, gather?: Corun["gather"]) {
  return run(async () => {
    const sem = new Semaphore(PERMITS);
    const job = async (i: number): Promise<number> => {
      await sem.acquire();
      try {
        await sleep(0);
        return i;
      } finally {
        sem.release();
      }
    };
    const jobs: PromiseLike<number>[] = [];
    for (let i = 0; i < JOBS; i++) jobs.push(gather ? createTask(() => job(i)) : job(i));
    return (await (gather ? gather(jobs) : Promise.all(jobs))).reduce((a, b) => a + b, 0);
  });
}

/** W3m: the same jobs through `mapLimit`. */
function mapped({ mapLimit }: Required<Pick<Corun, "mapLimit">>): Promise<number> {
  return run(async () => {
    const items = Array.from({ length: JOBS }, (_, i) => i);
    const results = await mapLimit(items, PERMITS, async (i: number) => {
      await sleep(0);
      return i;
    });
    return results.reduce((a, b) => a + b, 0);
  });
}

function timeouts(wrap: <T>(fn: () => Promise<T>) => Promise<T>): Promise<number> {
  return run(async () => {
    let sum = 0;
    for (let i = 0; i < CALLS; i++) sum += await wrap(() => fastWork(i));
    return sum;
  });
}

async function event(
  { Event, gather }: Required<Pick<Corun, "Event" | "gather">>,
  yieldOnce = yieldTurn,
) {
  const before = heapAfterGc();
  let ms = 0;
  let bytesPerTask = 0;
  const check = await run(async () => {
    const started = performance.now();
    const ev = new Event();
    const tasks: PromiseLike<number>[] = [];
    for (let i = 0; i < TASKS; i++) {
      tasks.push(createTask(async () => {
        await ev.wait();
        return 1;
      }));
    }
    await yieldOnce();
    const blocked = performance.now();
    bytesPerTask = (heapAfterGc() - before) / TASKS;
    const releasing = performance.now();
    ev.set();
    const done = (await gather(tasks)).length;
    ms = blocked - started + performance.now() - releasing;
    return done;
  });
  report({ ms, bytesPerTask, check });
}

await dispatch({
  W1: using(["gather"], (api) => timed(() => spawnAndGather(api))),
  W1m: using(["gather"], (api) => timed(() => spawnAndGather(api, microtask))),
  W2a: using(["Queue", "gather"], (api) => timed(() => queue(api, 1))),
  W2b: using(["Queue", "gather"], (api) => timed(() => queue(api, 4))),
  W3: using(["Semaphore"], (api) => timed(() => semaphore(api.Semaphore))),
  W3t: using(["Semaphore", "gather"], (api) => timed(() => semaphore(api.Semaphore, api.gather))),
  W3m: using(["mapLimit"], (api) => timed(() => mapped(api))),
  W4: using(["timeout"], (api) => timed(() => timeouts((fn) => api.timeout(TIMEOUT_MS, fn)))),
  W4w: using(["waitFor"], (api) => timed(() => timeouts((fn) => api.waitFor(fn, TIMEOUT_MS)))),
  W5: using(["Event", "gather"], (api) => event(api)),
  W5m: using(["Event", "gather"], (api) => event(api, microtask)),
  H1: using(["mapLimitStream"], ({ mapLimitStream }) =>
    timed(() =>
      run(async () => {
        const items = Array.from({ length: HELPER_ITEMS }, (_, i) => i);
        let sum = 0;
        for await (const value of mapLimitStream(items, STREAM_LIMIT, doubleLater)) sum += value;
        return sum;
      })
    )),
  H2: using(["RateLimiter"], ({ RateLimiter }) =>
    timed(() =>
      run(async () => {
        const limiter = new RateLimiter(1_000_000, 5);
        let n = 0;
        for (let i = 0; i < HELPER_ITEMS; i++) {
          await limiter.acquire();
          n++;
        }
        return n;
      })
    )),
  H3: using(["merge"], ({ merge }) =>
    timed(() =>
      run(async () => {
        let sum = 0;
        for await (const value of merge(...mergeSources())) sum += value;
        return sum;
      })
    )),
  W6: using(["gather", "onTaskEvent"], async (api) => {
    let events = 0;
    const unsubscribe = api.onTaskEvent(() => events++);
    await timed(() => spawnAndGather(api));
    unsubscribe();
    if (events === 0) throw new Error("the monitor subscriber saw no event");
  }),
  W6s: using(["gather", "serveMonitor"], async (api) => {
    const server = await api.serveMonitor();
    const client = await openDashboardClient(`${server.url}api/events?token=${server.token}`);
    const cpu = cpuNow();
    const started = performance.now();
    const check = await spawnAndGather(api);
    const ms = performance.now() - started;
    // CPU until the dashboard has the update that carries W1's last events:
    // the monitor describes tasks when it sends them, not when they change.
    await client.nextLine("update");
    report({ ms, cpuMs: cpuNow() - cpu, check });
    await server.close();
    await client.finished();
  }),
});

/**
 * Start the raw SSE reader (bench/compare/_sse_reader.ts) as its own
 * process, as a browser would be, and wait until it has the first event.
 */
async function openDashboardClient(url: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", new URL("_sse_reader.ts", import.meta.url).pathname, url],
    stdout: "piped",
  }).spawn();
  const chunks = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const lines: string[] = [];
  let partial = "";
  const nextLine = async (wanted?: string): Promise<string> => {
    for (;;) {
      while (lines.length > 0) {
        const line = lines.shift() as string;
        if (wanted === undefined || line === wanted) return line;
      }
      const { value, done } = await chunks.read();
      if (done) throw new Error(`the dashboard client ended without ${wanted ?? "a line"}`);
      const split = (partial + value).split("\n");
      partial = split.pop() as string;
      lines.push(...split);
    }
  };
  await nextLine("snapshot");
  return {
    nextLine,
    async finished(): Promise<void> {
      for (;;) {
        const line = await nextLine();
        if (line.startsWith("end ")) break;
      }
      await chunks.cancel();
      await child.status;
    },
  };
}
