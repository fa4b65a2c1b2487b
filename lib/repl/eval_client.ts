/**
 * The front process's handle on the evaluation process (`eval_process.ts`):
 * it starts it in a pseudo-terminal (`@lydell/node-pty`), passes its output
 * on (without the in-band markers), sends it inputs, commands, completion
 * requests and interrupts over a Unix socket, keeps the last snapshot of its
 * tasks, and knows when its event loop is blocked (the snapshots stop).
 * `restart()` kills it and starts a fresh one; when it dies on its own (a
 * crash of the runtime), it is restarted the same way and `onLost` says so.
 *
 * @module
 */
import type { TaskInfo } from "../runtime/mod.ts";
import type { ProgressInfo } from "../progress.ts";
import { Channel, type MarkerKind, MarkerReader, type Notice, type Request } from "./_channel.ts";
import type { Completion } from "./line_editor.ts";
import type { TerminalSize } from "../term/terminal.ts";
import { type Child, kill, shifted, startChild } from "./_eval_child.ts";

/** How an input or a command ended in the evaluation process. */
export type RequestOutcome = "done" | "failed" | "lost";

/** What the client needs from the front. */
export interface EvalClientOptions {
  /** The terminal's size now (the evaluation process's terminal gets it too). */
  size(): TerminalSize;
  /** Output of the evaluation process, to show. */
  output(text: string): void;
  /** The evaluation process ended without being asked to; it is being restarted. */
  lost(why: string): void;
  /** User code called `Deno.exit(code)`: the session ends. */
  exit(code: number): void;
  /** Colours in the evaluation process's output. */
  color: boolean;
}

/** After how long without a snapshot the evaluation process counts as blocked. */
const BLOCKED_AFTER_MS = 500;

/** The evaluation process, seen from the front; see the module doc. */
export class EvalClient {
  /** The live tasks of the last snapshot (times in this process's clock). */
  tasks: TaskInfo[] = [];
  /** The open progress bars of the last snapshot. */
  progress: ProgressInfo[] = [];
  /** The monitor's warnings in the last snapshot. */
  warnings: string[] = [];
  /** The input running at the last snapshot, if any. */
  running: { name: string; startedAt: number } | null = null;
  /** Whether user code is in `prompt()` and reads the keyboard. */
  prompting = false;
  readonly #options: EvalClientOptions;
  readonly #dir: string;
  readonly #listener: Deno.Listener;
  readonly #nonce = crypto.randomUUID().replaceAll("-", "");
  readonly #pending = new Map<number, (outcome: RequestOutcome) => void>();
  readonly #replies = new Map<number, (value: unknown) => void>();
  #child: Child | null = null;
  #nextId = 1;
  #lastTick = 0;
  /** The task id the watchdog said holds the blocked loop (0: no task), `null` until it says. */
  #holder: number | null = null;
  #nextInput = "input-1";
  #busy = 0;
  #unsent = 0;
  #interruptLater = false;
  readonly #markers: MarkerReader;
  #closing = false;
  #closed: (() => void) | null = null;

  private constructor(options: EvalClientOptions, dir: string, listener: Deno.Listener) {
    this.#options = options;
    this.#dir = dir;
    this.#listener = listener;
    this.#markers = new MarkerReader(this.#nonce, {
      text: (text) => options.output(text),
      marker: (kind, id) => this.#onMarker(kind, id),
    });
  }

  /**
   * Listen on a private socket and start the first evaluation process (it
   * becomes ready in the background; requests wait for it).
   *
   * @param options What the front provides.
   * @returns The client.
   */
  static async open(options: EvalClientOptions): Promise<EvalClient> {
    const dir = await Deno.makeTempDir({ prefix: "corun-repl-" });
    await Deno.chmod(dir, 0o700);
    const listener = Deno.listen({ transport: "unix", path: `${dir}/socket` });
    const client = new EvalClient(options, dir, listener);
    client.#spawn();
    return client;
  }

  /**
   * Whether an input or command is being evaluated now.
   *
   * @returns `true` while one is pending.
   */
  get busy(): boolean {
    return this.#busy > 0;
  }

  /**
   * How long the evaluation process's event loop has been blocked, and by
   * which input, or `null` when it answers.
   *
   * @returns The blocked time and the culprit.
   */
  blocked(): { ms: number; by: string | null } | null {
    // prompt() waits synchronously: the loop is not stuck, it waits for the keyboard.
    if (this.#child === null || this.#lastTick === 0 || this.prompting) return null;
    const ms = performance.now() - this.#lastTick;
    if (ms < BLOCKED_AFTER_MS) return null;
    return { ms, by: this.#holderName() };
  }

  /** What holds the blocked loop: the watchdog's task, else the input, else unknown. */
  #holderName(): string | null {
    const fallback = this.running?.name ?? (this.busy ? this.#nextInput : null);
    if (this.#holder === null) return fallback;
    if (this.#holder === 0) return "a callback";
    const task = this.tasks.find((info) => info.id === this.#holder);
    return task?.name ?? fallback ?? `task #${this.#holder}`;
  }

  /**
   * Evaluate an input.
   *
   * @param source The input's text.
   * @returns How it ended, once its output has been passed on.
   */
  evaluate(source: string): Promise<RequestOutcome> {
    return this.#request((id, columns) => ({ type: "eval", id, source, columns }));
  }

  /**
   * Run a dot command there.
   *
   * @param line The command line.
   * @returns How it ended, once its output has been passed on.
   */
  command(line: string): Promise<RequestOutcome> {
    return this.#request((id, columns) => ({ type: "command", id, line, columns }));
  }

  /**
   * Completions, as the evaluation process sees the names; none when it
   * does not answer in time (its loop is blocked).
   *
   * @param line The line.
   * @param cursor Where the cursor is.
   * @returns The completion.
   */
  complete(line: string, cursor: number): Promise<Completion> {
    const none = { from: cursor, candidates: [] };
    return this.#ask((id) => ({ type: "complete", id, line, cursor }), none, 1000) as Promise<
      Completion
    >;
  }

  /**
   * Get a fresh snapshot of the tasks (the periodic one may predate the
   * last input's effects); gives up after `timeoutMs` (the loop is blocked).
   *
   * @param timeoutMs How long to wait for it.
   */
  async refresh(timeoutMs = 500): Promise<void> {
    await this.#ask((id) => ({ type: "snapshot", id }), null, timeoutMs);
  }

  /** A request with a reply, or `fallback` when there is none in time. */
  async #ask(
    make: (id: number) => Request,
    fallback: unknown,
    timeoutMs: number,
  ): Promise<unknown> {
    const child = this.#child;
    if (child === null || !await child.ready || child.channel === null) return fallback;
    const id = this.#nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<unknown>((resolve) => {
      this.#replies.set(id, resolve);
      timer = setTimeout(() => resolve(fallback), timeoutMs);
    });
    child.channel.send(make(id));
    const value = await reply;
    clearTimeout(timer);
    this.#replies.delete(id);
    return value;
  }

  /** Ask the running input to stop (Ctrl+C); sent after the input if it is not sent yet. */
  interrupt(): void {
    if (this.#unsent > 0) this.#interruptLater = true;
    else this.#child?.channel?.send({ type: "interrupt" });
  }

  /**
   * Pass keys to the evaluation process's terminal (for `prompt()`).
   *
   * @param data The keys.
   */
  type(data: string): void {
    this.#child?.pty.write(data);
  }

  /**
   * Kill the evaluation process for good (the REPL is leaving): every
   * pending request ends as `"lost"`.
   */
  kill(): void {
    this.#closing = true;
    if (this.#child === null) return;
    this.#child.deliberate = true;
    kill(this.#child);
  }

  /**
   * The front is ending on a signal: kill the evaluation process and remove
   * the socket's directory at once, synchronously.
   */
  abandon(): void {
    this.kill();
    try {
      Deno.removeSync(this.#dir, { recursive: true });
    } catch {
      // Already gone.
    }
  }

  /**
   * Kill the evaluation process and start a new one: every pending request
   * ends as `"lost"`.
   */
  async restart(): Promise<void> {
    const child = this.#child;
    if (child !== null) {
      child.deliberate = true;
      kill(child);
      await child.exited;
      await child.listened;
    }
    this.#spawn();
  }

  /**
   * Let the evaluation process cancel its tasks and print its summary, then
   * end it (killed if it does not end within `graceMs`), and free the socket.
   *
   * @param graceMs How long to wait for it.
   */
  async close(graceMs = 4000): Promise<void> {
    this.#closing = true;
    const child = this.#child;
    if (child !== null) {
      child.deliberate = true;
      const closed = new Promise<void>((resolve) => this.#closed = resolve);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs));
      if (await Promise.race([child.ready, late.then(() => false)])) {
        child.channel?.send({ type: "close", id: this.#nextId++ });
        await Promise.race([closed, child.exited, late]);
      }
      clearTimeout(timer);
      kill(child);
      await child.exited;
      await child.ready;
      await child.listened;
    }
    this.#listener.close();
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }

  async #request(make: (id: number, columns: number) => Request): Promise<RequestOutcome> {
    const id = this.#nextId++;
    this.#busy++;
    this.#unsent++;
    try {
      const child = this.#child;
      const ready = child !== null && await child.ready;
      this.#unsent--;
      if (!ready || child.channel === null || child !== this.#child) {
        this.#interruptLater = false;
        return "lost";
      }
      const outcome = new Promise<RequestOutcome>((resolve) => this.#pending.set(id, resolve));
      const size = this.#options.size();
      try {
        child.pty.resize(size.columns, size.rows);
      } catch {
        // It is going away; the request ends as lost.
      }
      child.channel.send(make(id, size.columns));
      if (this.#interruptLater) child.channel.send({ type: "interrupt" });
      this.#interruptLater = false;
      return await outcome;
    } finally {
      this.#busy--;
    }
  }

  #spawn(): void {
    this.#lastTick = 0;
    this.#holder = null;
    this.tasks = [];
    this.progress = [];
    this.warnings = [];
    this.running = null;
    this.prompting = false;
    this.#markers.reset();
    const size = this.#options.size();
    const child = startChild(size, {
      CORUN_REPL_SOCKET: `${this.#dir}/socket`,
      CORUN_REPL_NONCE: this.#nonce,
      CORUN_REPL_COLOR: this.#options.color ? "1" : "0",
    });
    this.#child = child;
    child.pty.onData((data) => {
      if (this.#child === child || child.deliberate) this.#markers.feed(data);
    });
    child.ready = Promise.race([
      this.#listener.accept().then((conn) => {
        if (this.#child !== child) {
          conn.close();
          return false;
        }
        child.channel = new Channel<Notice, Request>(conn);
        return this.#listen(child);
      }),
      child.exited.then(() => false),
    ]);
    child.exited.then(() => {
      child.channel?.close();
      if (this.#child !== child) return;
      this.#child = null;
      for (const resolve of this.#pending.values()) resolve("lost");
      this.#pending.clear();
      if (child.deliberate || this.#closing) return;
      this.#options.lost(child.exitInfo);
      this.#spawn();
    });
  }

  /** Resolves `true` on the child's first message; handles the rest. */
  #listen(child: Child): Promise<boolean> {
    return new Promise((ready) => {
      child.listened = (async () => {
        for await (const notice of child.channel!.messages()) {
          if (this.#child !== child) break;
          if (notice.type === "ready") {
            this.#lastTick = performance.now();
            ready(true);
          } else if (notice.type === "tick") {
            this.#lastTick = performance.now();
            this.#holder = null;
            const shift = this.#lastTick - notice.now;
            this.tasks = notice.tasks.map((info) => shifted(info, shift));
            this.progress = notice.progress;
            this.warnings = notice.warnings;
            this.running = notice.running === null
              ? null
              : { name: notice.running.name, startedAt: notice.running.startedAt + shift };
            this.#nextInput = notice.nextInput;
          } else if (notice.type === "reply") {
            this.#replies.get(notice.id)?.(notice.value);
          }
        }
        ready(false);
      })();
    });
  }

  #onMarker(kind: MarkerKind, id: number): void {
    if (kind === "done" || kind === "failed") {
      this.#pending.get(id)?.(kind);
      this.#pending.delete(id);
    } else if (kind === "stdin-on" || kind === "stdin-off") {
      this.prompting = kind === "stdin-on";
    } else if (kind === "holder") {
      this.#holder = id;
    } else if (kind === "closed") {
      this.#closed?.();
    } else if (kind === "exit" && this.#child !== null) {
      this.#child.deliberate = true;
      this.#options.exit(id);
    }
  }
}
