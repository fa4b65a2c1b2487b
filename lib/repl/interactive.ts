/**
 * The REPL on a terminal. The terminal is in raw mode for the whole session,
 * so Ctrl+C arrives as a key, never as a signal: one loop reads keys and
 * hands them to whoever owns the keyboard now - the line editor at the
 * prompt, the `.top` view, or, while an input runs, the interrupt handler
 * (Ctrl+C cancels the input's task; other keys are kept and replayed at the
 * next prompt). The live panel redraws on a timer, below a scroll region.
 *
 * @module
 */
import { COMMAND_NAMES, type CommandHost, isCommand, runCommand } from "./commands.ts";
import { complete } from "./completion.ts";
import type { History } from "./history.ts";
import { isIncomplete } from "./incomplete.ts";
import { type Key, KeyDecoder } from "./keys.ts";
import { LineEditor } from "./line_editor.ts";
import type { ReplTerminal } from "./main.ts";
import type { Repl } from "./repl.ts";
import { Panel } from "./panel.ts";
import { watchResize } from "./resize.ts";
import { panelLines } from "./task_views.ts";
import { TopView } from "./top.ts";

/**
 * Run the interactive loop until the user leaves.
 *
 * @param repl The REPL state.
 * @param terminal Raw mode and size.
 * @param reader The terminal's input.
 * @param history Lines typed, saved on the way.
 */
export async function runInteractive(
  repl: Repl,
  terminal: ReplTerminal,
  reader: ReadableStream<Uint8Array>,
  history: History,
): Promise<void> {
  const { out } = repl;
  const size = () => terminal.size();
  const editor = new LineEditor(out, {
    history,
    complete: (line, cursor) => complete(repl.evaluator, COMMAND_NAMES, line, cursor),
    columns: () => size().columns,
  });
  const panel = new Panel(out, {
    size,
    content: (width, height) =>
      repl.monitor ? panelLines(repl.session, width, repl.color, height) : [],
  });
  let top: TopView | null = null;
  const typeahead: Key[] = [];
  const dispatch = (key: Key) => {
    if (top !== null) top.handleKey(key);
    else if (editor.active) editor.handleKey(key);
    else if (key.name === "ctrl-c") {
      if (repl.session.interrupt()) out.write("^C\n");
    } else if (key.name !== "eof") typeahead.push(key);
    else repl.exiting = true;
  };
  repl.notify = (text) => {
    editor.clear();
    repl.err.write(text);
    editor.render();
  };
  const host: CommandHost = {
    out,
    session: repl.session,
    color: repl.color,
    columns: () => size().columns,
    get monitor() {
      return repl.monitor;
    },
    set monitor(on: boolean) {
      repl.monitor = on;
      panel.refresh();
    },
    load: (path) => repl.load(path),
    top: async () => {
      panel.suspend();
      top = new TopView(out, { size, session: repl.session, color: repl.color });
      await top.closed;
      top = null;
      panel.resume();
    },
    exit: () => repl.exit(),
  };

  // Output of tasks while a line is being typed goes above that line.
  const restoreConsole = wrapConsole(
    () => editor.active,
    () => editor.clear(),
    () => editor.render(),
  );
  terminal.setRaw(true);
  const keys = reader.getReader();
  const reading = readKeys(keys, dispatch);
  panel.start();
  const unwatchResize = watchResize(() => {
    panel.resized();
    editor.render();
  });
  try {
    if (repl.options.banner !== false) out.write(repl.banner());
    await loop(repl, editor, history, host, typeahead);
  } finally {
    (top as TopView | null)?.close();
    unwatchResize();
    panel.stop();
    editor.clear();
    terminal.setRaw(false);
    restoreConsole();
    await keys.cancel().catch(() => {});
    await reading;
  }
}

async function loop(
  repl: Repl,
  editor: LineEditor,
  history: History,
  host: CommandHost,
  typeahead: Key[],
): Promise<void> {
  const base = new URL(`file://${Deno.cwd()}/`);
  const prompt = repl.out.paint("32", "> ");
  const more = repl.out.paint("2", "... ");
  let buffer: string[] = [];
  let warned = false;
  while (!repl.exiting) {
    const reading = editor.read(buffer.length === 0 ? prompt : more);
    while (typeahead.length > 0 && editor.active) editor.handleKey(typeahead.shift() as Key);
    const result = await reading;
    if (result.kind === "eof") break;
    if (result.kind === "interrupt") {
      if (result.text === "" && buffer.length === 0) {
        if (warned) break;
        repl.out.write("(To exit, press Ctrl+C again or Ctrl+D, or type .exit)\n");
        warned = true;
      }
      buffer = [];
      continue;
    }
    warned = false;
    history.add(result.text);
    if (buffer.length === 0 && isCommand(result.text)) {
      await runCommand(host, result.text);
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
    await repl.evaluate(source, base);
  }
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

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "dir", "table", "trace"] as const;

/** Make `console` output at the prompt erase and redraw the line being typed. */
function wrapConsole(atPrompt: () => boolean, clear: () => void, redraw: () => void): () => void {
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const [name, original] of originals) {
    console[name] = (...args: unknown[]) => {
      if (!atPrompt()) return (original as (...a: unknown[]) => void).apply(console, args);
      clear();
      (original as (...a: unknown[]) => void).apply(console, args);
      redraw();
    };
  }
  return () => {
    for (const [name, original] of originals) {
      (console as unknown as Record<string, unknown>)[name] = original;
    }
  };
}
