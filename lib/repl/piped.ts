/**
 * The REPL on piped input, for scripting: lines are read until an input is
 * complete, then evaluated, one after the other. No prompt, no ANSI codes,
 * no panel; results the same as on a terminal. When input comes from the
 * process's stdin, a SIGINT (Ctrl+C in the terminal that runs the pipeline)
 * cancels the running input, and ends the REPL when nothing runs.
 *
 * @module
 */
import { isCommand, runCommand } from "./commands.ts";
import { isIncomplete } from "./incomplete.ts";
import type { Repl } from "./repl.ts";

/**
 * Read and evaluate `reader` to its end (or `.exit`).
 *
 * @param repl The REPL state.
 * @param reader The input.
 * @param handleSignals Listen to SIGINT (only for the process's own stdin).
 */
export async function runPiped(
  repl: Repl,
  reader: ReadableStream<Uint8Array>,
  handleSignals: boolean,
): Promise<void> {
  const lines = reader.pipeThrough(new TextDecoderStream()).getReader();
  const onSignal = () => {
    if (!repl.session.interrupt()) {
      repl.exiting = true;
      lines.cancel().catch(() => {});
    }
  };
  if (handleSignals) Deno.addSignalListener("SIGINT", onSignal);
  const base = new URL(`file://${Deno.cwd()}/`);
  let buffer: string[] = [];
  let rest = "";
  try {
    while (!repl.exiting) {
      const { value, done } = await lines.read();
      const chunks = done ? [rest] : (rest + value).split("\n");
      rest = done ? "" : chunks.pop() as string;
      for (const line of chunks) {
        if (repl.exiting) break;
        if (buffer.length === 0 && isCommand(line)) {
          await runCommand(repl, line);
          continue;
        }
        buffer.push(line.replace(/\r$/, ""));
        const source = buffer.join("\n");
        if (source.trim() === "") buffer = [];
        if (source.trim() === "" || isIncomplete(source)) continue;
        buffer = [];
        await repl.evaluate(source, base);
      }
      if (done) break;
    }
    if (!repl.exiting && buffer.join("\n").trim() !== "") {
      await repl.evaluate(buffer.join("\n"), base);
    }
  } finally {
    if (handleSignals) Deno.removeSignalListener("SIGINT", onSignal);
    await lines.cancel().catch(() => {});
  }
}
