/** Starting `cli.ts run --monitor` in a subprocess and finding its monitor URL. */

const ROOT = new URL("../../", import.meta.url).pathname;

/** A `corun run --monitor` subprocess. */
export interface MonitoredProcess {
  /** The dashboard URL it printed (with `#token=`). */
  url: string;
  /** Its token. */
  token: string;
  /** Resolves with its exit code and all its output once it ends. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  /** Send it `signal` (SIGTERM by default) if it is still running. */
  kill(signal?: Deno.Signal): void;
}

/** Start `cli.ts run --monitor ...extra <fixture>` and wait until it prints its URL. */
export async function startMonitored(
  fixture: string,
  extra: string[] = [],
): Promise<MonitoredProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "run", "--monitor", ...extra, `tests/cli/fixtures/${fixture}`],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  let match: RegExpExecArray | null = null;
  while (match === null) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += value;
    match = /corun: monitor at (http:\/\/\S+#token=([0-9a-f]+))/.exec(stderr);
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return stderr;
      stderr += value;
    }
  })();
  const done = Promise.all([child.status, stdout, rest]).then(([status, out, err]) => ({
    code: status.code,
    stdout: out,
    stderr: err,
  }));
  if (match === null) {
    const { stderr: all } = await done;
    throw new Error(`no monitor URL printed:\n${all}`);
  }
  return {
    url: match[1],
    token: match[2],
    done,
    kill(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // Already ended.
      }
    },
  };
}

/** Cancel a task by name through the monitor API (as the dashboard does), once it exists. */
export async function cancelByName(url: string, token: string, name: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  // The monitor is up before the script starts: wait (a little) for the task.
  let task: { id: number } | undefined;
  for (const deadline = Date.now() + 10_000; task === undefined && Date.now() < deadline;) {
    const { tasks } = await (await fetch(new URL("/api/tasks", url), { headers })).json();
    task = tasks.find((t: { name: string; state: string }) => t.name === name);
    if (task === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (task === undefined) throw new Error(`no task named ${name}`);
  const response = await fetch(new URL(`/api/tasks/${task.id}/cancel`, url), {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`cancel answered ${response.status}`);
}
