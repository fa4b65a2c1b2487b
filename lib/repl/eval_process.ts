/**
 * The REPL's evaluation process: where user code runs. The front process
 * (terminal, line editor, history, panel) starts it in a pseudo-terminal of
 * its own, so user code keeps a real terminal (colours, `prompt()`), and
 * talks to it over a Unix socket (see `_channel.ts`): inputs and commands
 * in, a snapshot of the tasks out several times a second. Nothing user code
 * does here can block or end the front: when it blocks this event loop the
 * snapshots stop (the front shows it), and the front can kill and restart
 * this process.
 *
 * Why a second process, measured on Deno 2.9.6 (Linux, 2 cores):
 *
 * - `Worker.terminate()`, Web or `node:worker_threads`, does not stop a
 *   worker that runs a busy loop (it keeps counting afterwards), so user
 *   code cannot run in a worker that we stop;
 * - `node:inspector`'s `Session.connectToMainThread()` throws
 *   "connectToMainThread not supported", so a worker cannot pause or
 *   terminate the main thread's JavaScript either;
 * - a signal listener (`Deno.addSignalListener`) runs only once the event
 *   loop is free: a busy loop never sees SIGINT.
 *
 * So nothing inside one process can interrupt `while (true) {}`; a process
 * can be killed. This one gets a pseudo-terminal (`npm:@lydell/node-pty`)
 * rather than pipes: a one-line child starts in 31-43 ms on a pty and 13-63
 * ms on pipes (the same, given the noise), but only on the pty is
 * `Deno.stdout.isTerminal()` true and do colours and `prompt()` work. The
 * REPL's prompt is visible about 90 ms after a warm start, its first answer
 * about 170 ms after.
 *
 * While the loop here is blocked, a watchdog thread (`_watchdog.ts`) still
 * runs and tells the front which task holds the loop. `Deno.exit()` inside
 * an evaluation waits for the inspector call to return (`_exit.ts`).
 *
 * @module
 */
import { progressSnapshot, setProgressPanel, taskInfo, taskWarnings } from "../../monitor.ts";
import { recentLoopBlocks } from "../debug.ts";
import { type TaskInfo, unretrievedFinished } from "../runtime/mod.ts";
import { Channel, marker, type MarkerKind, type Notice, type Request } from "./_channel.ts";
import { COMMAND_NAMES, runCommand } from "./commands.ts";
import { complete } from "./completion.ts";
import { onExit } from "./_exit.ts";
import { startWatchdog } from "./_watchdog.ts";
import { Repl } from "./repl.ts";

/** A failed task's unretrieved error stays a panel warning this long after it ended. */
const FRESH_FAILURE_MS = 10_000;

/**
 * The monitor's warnings for the panel: those about the live tasks (the
 * tick's own descriptions) and loop blocks, and unretrieved errors of tasks
 * that ended a moment ago (older ones would keep the panel up for good).
 * Only those can warn, so the whole history is not described every tick.
 */
function panelWarnings(live: TaskInfo[], rootId: number): string[] {
  const now = performance.now();
  const fresh = [...unretrievedFinished()].map((entry) => entry.info())
    .filter((info) => now - (info.endedAt ?? now) < FRESH_FAILURE_MS);
  return taskWarnings([...live, ...fresh], { now, loopBlocks: recentLoopBlocks() })
    // The session's root awaits the end of the session, by design.
    .filter((warning) => warning.taskId !== rootId)
    .map((warning) => warning.message);
}

/** How often the front gets a snapshot of the tasks, in milliseconds. */
export const TICK_MS = 100;

/**
 * Serve the front process on `socketPath` until it asks to close or goes away.
 *
 * @param socketPath The front's Unix socket.
 * @param nonce The secret of the in-band markers.
 * @param color Colour values and errors.
 */
export async function serveEvaluations(
  socketPath: string,
  nonce: string,
  color: boolean,
): Promise<void> {
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  const channel = new Channel<Request, Notice>(conn);
  const repl = new Repl({ color }, null);
  await repl.open();
  const mark = (kind: MarkerKind, id = 0) => repl.out.write(marker(nonce, kind, id));
  keyboardWhilePrompting(mark);
  // Progress bars are rows of the front's live panel, not a second moving line.
  setProgressPanel(true);
  // `Deno.exit()` in user code leaves the REPL, as in `deno repl`: say so first.
  onExit((code) => mark("exit", code));
  // Names the task that holds the loop when it is blocked and ticks stop.
  const watchdog = startWatchdog(nonce, (task) => task === repl.session.root);
  const tick = () => {
    watchdog.beat();
    const running = repl.session.running;
    const tasks = repl.session.liveTasks().map((task) => taskInfo(task));
    channel.send({
      type: "tick",
      now: performance.now(),
      running: running === null
        ? null
        : { name: running.name, startedAt: taskInfo(running).createdAt },
      nextInput: repl.session.nextInputName,
      tasks,
      progress: progressSnapshot(),
      warnings: panelWarnings(tasks, repl.session.root.id),
    });
  };
  const timer = setInterval(tick, TICK_MS);
  const base = new URL(`file://${Deno.cwd()}/`);
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  channel.send({ type: "ready" });
  let asked = false;
  for await (const request of channel.messages()) {
    if (request.type === "interrupt") {
      if (!repl.session.interrupt() && pending > 0) interruptSoon(repl, () => pending > 0);
    } else if (request.type === "snapshot") {
      // A tick now, then the reply: the front has a fresh snapshot when it reads the reply.
      tick();
      channel.send({ type: "reply", id: request.id, value: null });
    } else if (request.type === "complete") {
      const { id, line, cursor } = request;
      complete(repl.evaluator, COMMAND_NAMES, line, cursor).then(
        (value) => channel.send({ type: "reply", id, value }),
        () => channel.send({ type: "reply", id, value: { from: cursor, candidates: [] } }),
      );
    } else if (request.type === "eval") {
      const { id, source, columns } = request;
      pending++;
      queue = queue.then(async () => {
        repl.width = columns;
        const failed = await repl.evaluate(source, base);
        pending--;
        tick();
        mark(failed ? "failed" : "done", id);
      });
    } else if (request.type === "command") {
      const { id, line, columns } = request;
      pending++;
      queue = queue.then(async () => {
        repl.width = columns;
        const before = repl.failures;
        await runCommand(repl, line);
        pending--;
        tick();
        mark(repl.failures > before ? "failed" : "done", id);
      });
    } else if (request.type === "close") {
      asked = true;
      await queue;
      break;
    }
  }
  // The socket closed unasked: the front is gone (SIGKILL), its directory is left to us.
  if (!asked) removeSocketDir(socketPath);
  clearInterval(timer);
  watchdog.stop();
  await repl.close();
  mark("closed");
  channel.close();
}

/** Remove the front's private socket directory. */
function removeSocketDir(socketPath: string): void {
  try {
    Deno.removeSync(socketPath.slice(0, socketPath.lastIndexOf("/")), { recursive: true });
  } catch {
    // Already gone.
  }
}

/**
 * Ctrl+C that arrived before the input's task started (its imports were
 * still loading): deliver it as soon as the task runs.
 */
function interruptSoon(repl: Repl, waiting: () => boolean): void {
  const timer = setInterval(() => {
    if (repl.session.interrupt() || !waiting()) clearInterval(timer);
  }, 5);
}

/**
 * `prompt()`, `confirm()` and `alert()` read this process's terminal: tell
 * the front to pass the keyboard through while they wait.
 */
function keyboardWhilePrompting(mark: (kind: MarkerKind) => void): void {
  const global = globalThis as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["prompt", "confirm", "alert"]) {
    const original = global[name];
    if (typeof original !== "function") continue;
    global[name] = function (...args: unknown[]) {
      mark("stdin-on");
      try {
        return original.apply(globalThis, args);
      } finally {
        mark("stdin-off");
      }
    };
  }
}

if (import.meta.main) {
  const socket = Deno.env.get("CORUN_REPL_SOCKET") ?? "";
  const nonce = Deno.env.get("CORUN_REPL_NONCE") ?? "";
  const color = Deno.env.get("CORUN_REPL_COLOR");
  Deno.env.delete("CORUN_REPL_SOCKET");
  Deno.env.delete("CORUN_REPL_NONCE");
  Deno.env.delete("CORUN_REPL_COLOR");
  // The front's terminal went away (it was killed): the socket directory is ours to remove.
  Deno.addSignalListener("SIGHUP", () => {
    removeSocketDir(socket);
    Deno.exit(129);
  });
  await serveEvaluations(socket, nonce, color === undefined ? !Deno.noColor : color === "1");
  onExit(() => {});
  Deno.exit(0);
}
