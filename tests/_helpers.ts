/** Small helpers shared by the tests. */
import FakeTimers from "npm:@sinonjs/fake-timers@15.5.0";

/** A fake clock (see `withClock`). */
export type Clock = ReturnType<typeof FakeTimers.install>;

/**
 * Run `fn` with fake `setTimeout`, `clearTimeout` and `performance.now()`,
 * so deadlines are deterministic; `clock.tickAsync(ms)` moves time.
 */
export async function withClock(fn: (clock: Clock) => Promise<void>): Promise<void> {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  try {
    await fn(clock);
  } finally {
    clock.uninstall();
  }
}

/** Settle `promise` into a value, so that a test can tick before awaiting. */
export function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: boolean; value?: T; error?: unknown }> {
  return promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}

/** Replace console.error while `fn` runs; returns what was printed. */
export async function captureConsoleError(fn: () => unknown): Promise<string[]> {
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    printed.push(
      args.map((a) => (a instanceof Error ? a.stack ?? String(a) : String(a))).join(" "),
    );
  };
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return printed;
}

/** Run a Deno script in a subprocess; returns exit code, stdout and stderr. */
export async function runDeno(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args,
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd ?? new URL("..", import.meta.url).pathname,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/**
 * Remove `dir`, retrying for a while: a killed terminal program (or closing a
 * browser) returns before the processes it ended have exited, and they may
 * still write there (the REPL saves its history as it goes).
 */
export async function removeSoon(dir: string): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.remove(dir, { recursive: true });
      return;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** `promise`, or a rejection naming `what` if it has not settled within `ms` (real time). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Work that sleeps for a long time and, once cancelled, cleans up for 5 ms:
 * `probe.cleaned` tells whether that cleanup has finished, so a test can
 * check that nothing is still running when a deadline around it has fired.
 */
export function cleanupProbe(sleep: (ms: number) => Promise<void>): {
  work: () => Promise<void>;
  readonly cleaned: number;
} {
  let cleaned = 0;
  return {
    work: async () => {
      try {
        await sleep(1_000);
      } finally {
        await sleep(5);
        cleaned++;
      }
    },
    get cleaned() {
      return cleaned;
    },
  };
}

/**
 * Run `examples/<name>` at a tenth of its scale (`CORUN_EXAMPLE_SCALE`), with
 * env access and `permissions`; it must exit 0 with nothing on stderr.
 *
 * @returns What it printed on stdout.
 */
export async function runExample(name: string, permissions: string[] = []): Promise<string> {
  const { code, stdout, stderr } = await runDeno(
    ["run", "--allow-env", ...permissions, `examples/${name}`],
    { env: { CORUN_EXAMPLE_SCALE: "0.1" } },
  );
  if (code !== 0) throw new Error(`examples/${name} exited ${code}:\n${stderr}`);
  if (stderr !== "") throw new Error(`examples/${name} wrote to stderr:\n${stderr}`);
  return stdout;
}
