/** Helpers for the REPL tests: the REPL in a subprocess, on piped input. */

/** Where the REPL entry point used by the tests lives. */
export const REPL_MAIN: string = new URL("./fixtures/repl_main.ts", import.meta.url).pathname;
/** Fixture files loaded with `.load`. */
export const FIXTURES: string = new URL("./fixtures/", import.meta.url).pathname;
/** The repository root (the REPL runs there, like `deno task repl`). */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

/** What a REPL run printed. */
export interface ReplRun {
  stdout: string;
  stderr: string;
  /** The lines of `stdout`. */
  out: string[];
  /** The lines of `stderr`. */
  err: string[];
  code: number;
}

/**
 * Run the REPL with `input` on its stdin (a pipe) and wait for it to end.
 *
 * @param input The lines to type (each ends with a newline).
 * @param env Extra environment variables.
 * @returns Its output and exit code.
 */
export async function runRepl(
  input: readonly string[],
  env: Record<string, string> = {},
): Promise<ReplRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", REPL_MAIN],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input.map((line) => `${line}\n`).join("")));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  const stdout = decoder.decode(output.stdout);
  const stderr = decoder.decode(output.stderr);
  return { code: output.code, stdout, stderr, out: lines(stdout), err: lines(stderr) };
}

/** The lines of `text`, without the empty last one. */
function lines(text: string): string[] {
  return text.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);
}
