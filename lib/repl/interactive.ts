/**
 * The REPL on a terminal: the front process. It owns the terminal (raw mode
 * for the whole session, so Ctrl+C arrives as a key, never as a signal), the
 * line editor, the history and the live panel; user code runs in the
 * evaluation process (`eval_client.ts`), which cannot block or end this one.
 * One loop reads keys and hands them to whoever owns the keyboard now: the
 * line editor at the prompt, the `.top` view, user code in `prompt()`, or,
 * while an input runs, the interrupt handler (other keys are kept and
 * replayed at the next prompt).
 *
 * Ctrl+C while an input runs asks it to stop at its next library await. A
 * second Ctrl+C lets it go if the evaluation process still answers; when its
 * event loop is blocked (`while (true) {}`), or the input does not end
 * within a second, the evaluation process is killed and restarted, and the
 * REPL says what was lost.
 *
 * @module
 */
import * as corun from "../../mod.ts";
import { type FrontHost, isCommand, runCommand } from "./commands.ts";
import { EvalClient, type RequestOutcome } from "./eval_client.ts";
import type { History } from "./history.ts";
import { isIncomplete } from "./incomplete.ts";
import { type Key, KeyDecoder } from "../term/keys.ts";
import { LineEditor } from "./line_editor.ts";
import type { ReplTerminal } from "./types.ts";
import type { Output } from "./output.ts";
import { Panel } from "./panel.ts";
import { bannerText } from "./repl.ts";
import { watchResize } from "./resize.ts";
import { blockedLine, panelLines } from "./task_views.ts";
import { TopView } from "./top.ts";

/** What the front needs besides the terminal. */
export interface FrontOptions {
  /** Where everything is written. */
  out: Output;
  /** Show the live panel. */
  monitor: boolean;
  /** Print the banner. */
  banner: boolean;
}

/** What a restart loses, said when it happens. */
export const RESTARTED: string =
  "the evaluation process was restarted: variables and tasks are gone; " +
  "history kept";
/** How long a second Ctrl+C waits for an input that still answers. */
const LET_GO_MS = 1000;

/**
 * Run the interactive loop until the user leaves.
 *
 * @param options Output, panel and banner.
 * @param terminal Raw mode and size.
 * @param reader The terminal's input.
 * @param history Lines typed, saved on the way.
 * @returns The exit code: 0, or what user code passed to `Deno.exit()`.
 */
export async function runInteractive(
  options: FrontOptions,
  terminal: ReplTerminal,
  reader: ReadableStream<Uint8Array>,
  history: History,
): Promise<number> {
  const { out } = options;
  const size = () => terminal.size();
  let monitor = options.monitor;
  const editor = new LineEditor(out, {
    history,
    complete: (line, cursor) => client.complete(line, cursor),
    columns: () => size().columns,
  });
  const show = (text: string) => {
    if (!editor.active) return out.write(text);
    editor.clear();
    out.write(text);
    editor.render();
  };
  const notice = (text: string) => show(`${out.paint("33", text)}\n`);
  let exiting = false;
  let exitCode = 0;
  const client = await EvalClient.open({
    size,
    color: out.color,
    output: show,
    exit: (code) => {
      exiting = true;
      exitCode = code;
    },
    lost: (why) =>
      notice(
        `the evaluation process ended (${why}) and was restarted: variables and tasks are gone; ` +
          "history kept",
      ),
  });
  const state = () => ({
    tasks: client.tasks,
    running: client.running,
    blocked: client.blocked(),
    progress: client.progress,
    warnings: client.warnings,
  });
  const panel = new Panel(out, {
    size,
    content: (width, height) => (monitor ? panelLines(state(), width, out.color, height) : []),
  });
  let top: TopView | null = null;
  const typeahead: Key[] = [];
  const interrupts = new Interrupts(client, show, notice);
  const dispatch = (key: Key) => {
    if (top !== null) top.handleKey(key);
    else if (editor.active) editor.handleKey(key);
    else if (key.name === "ctrl-c") interrupts.press();
    else if (key.name === "ctrl-d" && client.blocked() !== null) {
      if (interrupts.eof()) {
        exiting = true;
        client.kill();
      }
    } else if (client.prompting) {
      client.type(keyBytes(key));
      // prompt(), confirm() and alert() read one line: what follows is for the REPL.
      if (key.name === "enter") client.prompting = false;
    } else if (key.name !== "eof") typeahead.push(key);
    else exiting = true;
  };
  const runTop = async () => {
    panel.suspend();
    // The periodic snapshot may predate the last input: the first frame needs a fresh one.
    await client.refresh();
    top = new TopView(out, {
      size,
      color: out.color,
      tasks: () => client.tasks,
      // The evaluation process cancels it; its ".cancel" line is drawn over by the next frame.
      cancel: async (id) => {
        await client.command(`.cancel ${id}`);
        return `asked to cancel task ${id}`;
      },
      status: () => {
        const blocked = client.blocked();
        return blocked === null ? "" : blockedLine(blocked);
      },
    });
    await top.closed;
    top = null;
    panel.resume();
  };

  // Killed from outside: leave no evaluation process and no socket directory behind.
  const signals = (["SIGTERM", "SIGHUP"] as const).map((signal) => {
    const listener = () => {
      client.abandon();
      terminal.setRaw(false);
      Deno.exit(signal === "SIGTERM" ? 143 : 129);
    };
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  });
  terminal.setRaw(true);
  const keys = reader.getReader();
  const reading = readKeys(keys, dispatch);
  panel.start();
  const unwatchResize = watchResize(() => {
    panel.resized();
    editor.render();
  });
  try {
    if (options.banner) out.write(bannerText(out, ["corun", ...Object.keys(corun).sort()], size()));
    const prompt = out.paint("32", "> ");
    const more = out.paint("2", "... ");
    let buffer: string[] = [];
    let warned = false;
    const run = async (request: () => Promise<RequestOutcome>) => {
      interrupts.begin();
      const pending = request();
      interrupts.started();
      const outcome = await pending;
      interrupts.end();
      if (outcome === "lost" && interrupts.restarted) notice(RESTARTED);
      panel.refresh();
    };
    // The terminal's side of the commands; the session's side is the evaluation process's.
    const front: FrontHost = {
      out,
      get monitor() {
        return monitor;
      },
      set monitor(on: boolean) {
        monitor = on;
        panel.refresh();
      },
      top: runTop,
      exit: () => {
        exiting = true;
      },
      forward: (line) => run(() => client.command(line)),
    };
    while (!exiting) {
      interrupts.early = false;
      const reading = editor.read(buffer.length === 0 ? prompt : more);
      while (typeahead.length > 0 && editor.active) editor.handleKey(typeahead.shift() as Key);
      const result = await reading;
      if (result.kind === "eof") {
        if (client.blocked() === null) break;
        if (!interrupts.eof()) continue;
        client.kill();
        break;
      }
      if (result.kind === "interrupt") {
        if (await interrupts.pressIdle()) {
          buffer = [];
          continue;
        }
        if (result.text === "" && buffer.length === 0) {
          if (warned) break;
          out.write("(To exit, press Ctrl+C again or Ctrl+D, or type .exit)\n");
          warned = true;
        }
        buffer = [];
        continue;
      }
      warned = false;
      history.add(result.text);
      if (buffer.length === 0 && isCommand(result.text)) {
        await runCommand(front, result.text);
        continue;
      }
      buffer.push(result.text);
      const source = buffer.join("\n");
      if (source.trim() === "") {
        buffer = [];
        continue;
      }
      if (isIncomplete(source)) continue;
      buffer = [];
      await run(() => client.evaluate(source));
    }
    return exitCode;
  } finally {
    for (const remove of signals) remove();
    (top as TopView | null)?.close();
    unwatchResize();
    panel.stop();
    editor.clear();
    await client.close();
    terminal.setRaw(false);
    await keys.cancel().catch(() => {});
    await reading;
  }
}

/**
 * Ctrl+C while an input runs: the first asks it to stop, the second lets it
 * go or, when the evaluation process is blocked or the input does not end,
 * restarts the evaluation process.
 */
class Interrupts {
  /** Whether the evaluation process was restarted for the current input. */
  restarted = false;
  /** Ctrl+C pressed after Enter, before the input was sent. */
  early = false;
  #presses = 0;
  /** Ctrl+C and Ctrl+D pressed during the block that began at `#blockStart`. */
  #idlePresses = 0;
  #eofs = 0;
  #blockStart = -1;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly client: EvalClient,
    readonly show: (text: string) => void,
    readonly notice: (text: string) => void,
  ) {}

  begin(): void {
    this.#presses = 0;
    this.restarted = false;
  }

  /**
   * Ctrl+C at the prompt: when a background task or callback blocks the
   * evaluation process, the first says so and the second restarts it.
   *
   * @returns Whether the key was taken (the loop is blocked).
   */
  async pressIdle(): Promise<boolean> {
    const blocked = this.client.blocked();
    if (blocked === null) return false;
    this.#sameBlock(blocked.ms);
    if (++this.#idlePresses === 1) {
      this.notice(
        `^C ${blocked.by ?? "a callback"} blocks the event loop: ` +
          "Ctrl+C again restarts the evaluation process",
      );
      return true;
    }
    this.#idlePresses = 0;
    await this.client.restart();
    this.notice(RESTARTED);
    return true;
  }

  /**
   * Ctrl+D while the evaluation process is blocked: the first says it would
   * wait for nothing, the second leaves and kills it.
   *
   * @returns Whether to leave now.
   */
  eof(): boolean {
    const blocked = this.client.blocked();
    if (blocked === null) return true;
    this.#sameBlock(blocked.ms);
    if (++this.#eofs >= 2) return true;
    const by = blocked.by ?? "a callback";
    this.notice(
      `the evaluation process is blocked by ${by}: Ctrl+D again (or Ctrl+C twice) kills it`,
    );
    return false;
  }

  /** Count presses afresh when this block is not the one they were for. */
  #sameBlock(ms: number): void {
    const start = performance.now() - ms;
    if (Math.abs(start - this.#blockStart) < 50) return;
    this.#blockStart = start;
    this.#idlePresses = 0;
    this.#eofs = 0;
  }

  /** The request is on its way: deliver a Ctrl+C pressed before. */
  started(): void {
    if (this.early) this.press();
    this.early = false;
  }

  end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  press(): void {
    if (!this.client.busy) {
      this.early = true;
      return;
    }
    this.#presses++;
    this.client.interrupt();
    const blocked = this.client.blocked();
    if (this.#presses === 1) {
      if (blocked === null) return this.show("^C\n");
      const by = blocked.by ?? "a callback";
      return this.notice(
        `^C ${by} blocks the event loop: Ctrl+C again restarts the evaluation process`,
      );
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      if (!this.client.busy) return;
      this.restarted = true;
      this.client.restart();
    }, blocked === null ? LET_GO_MS : 0);
  }
}

/** The bytes a key stands for, to pass it on to `prompt()`. */
function keyBytes(key: Key): string {
  if (key.name === "char") return key.text ?? "";
  if (key.name === "enter") return "\r";
  if (key.name === "backspace") return "\x7f";
  if (key.name === "tab") return "\t";
  const control = key.name.match(/^ctrl-([a-z])$/);
  return control ? String.fromCharCode(control[1].charCodeAt(0) - 96) : "";
}

async function readKeys(
  keys: ReadableStreamDefaultReader<Uint8Array>,
  dispatch: (key: Key) => void,
): Promise<void> {
  const decoder = new KeyDecoder();
  try {
    while (true) {
      const { value, done } = await keys.read();
      if (done) break;
      for (const key of decoder.decode(value)) dispatch(key);
    }
  } catch {
    // The terminal went away: treat it as the end of input.
  }
  for (const key of decoder.flush()) dispatch(key);
  dispatch({ name: "eof" });
}
