/**
 * The evaluation process as a child of the front: started in a
 * pseudo-terminal (`@lydell/node-pty`), killed, and the clock shift of the
 * task infos it sends.
 *
 * @module
 */
import pty from "npm:@lydell/node-pty@1.1.0";
import type { TaskInfo } from "../runtime/mod.ts";
import type { Channel, Notice, Request } from "./_channel.ts";
import type { TerminalSize } from "../term/terminal.ts";

const EVAL_PROCESS = new URL("./eval_process.ts", import.meta.url).href;

/** One evaluation process. */
export interface Child {
  /** Its pseudo-terminal. */
  pty: pty.IPty;
  /** The socket to it, once it has connected. */
  channel: Channel<Notice, Request> | null;
  /** Resolves `true` on its first message, `false` if it ended first. */
  ready: Promise<boolean>;
  /** Ends when the socket is closed and its last read has finished. */
  listened: Promise<void>;
  /** Resolves when it has ended. */
  exited: Promise<void>;
  /** Ended on purpose (restart, close, `Deno.exit`): not restarted. */
  deliberate: boolean;
  /** How it ended (`exit code 1`, `signal SIGKILL`), once it has. */
  exitInfo: string;
}

/**
 * Start an evaluation process in a pseudo-terminal of `size`.
 *
 * @param size The terminal size it gets.
 * @param env Added to this process's environment.
 * @returns The child; `exited` resolves when it ends.
 */
export function startChild(size: TerminalSize, env: Record<string, string>): Child {
  const child: Child = {
    pty: pty.spawn(Deno.execPath(), ["run", "-A", "--quiet", EVAL_PROCESS], {
      name: Deno.env.get("TERM") ?? "xterm-256color",
      cols: size.columns,
      rows: size.rows,
      cwd: Deno.cwd(),
      env: { ...Deno.env.toObject(), ...env },
    }),
    channel: null,
    ready: Promise.resolve(false),
    listened: Promise.resolve(),
    exited: Promise.resolve(),
    deliberate: false,
    exitInfo: "",
  };
  child.exited = new Promise((resolve) =>
    child.pty.onExit(({ exitCode, signal }) => {
      child.exitInfo = signal ? `signal ${signal}` : `exit code ${exitCode}`;
      resolve();
    })
  );
  return child;
}

/**
 * Kill `child` at once (SIGKILL); nothing if it is gone.
 *
 * @param child The evaluation process.
 */
export function kill(child: Child): void {
  try {
    child.pty.kill("SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * `info` with its times moved by `shift` milliseconds (the child's clock to ours).
 *
 * @param info A task info from the child.
 * @param shift Our `performance.now()` minus the child's.
 * @returns The moved info.
 */
export function shifted(info: TaskInfo, shift: number): TaskInfo {
  const moved = { ...info, createdAt: info.createdAt + shift };
  if (info.startedAt !== undefined) moved.startedAt = info.startedAt + shift;
  if (info.endedAt !== undefined) moved.endedAt = info.endedAt + shift;
  return moved;
}
