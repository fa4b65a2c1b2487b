/**
 * The `corun` command line: `corun run`, `ps`, `top`, `examples`, `repl`.
 * `deno run -A cli.ts --help` lists them.
 *
 * The only place that prints errors and exits: a `UsageError` prints one
 * `error: ...` line and exits with 2, a `CommandError` one line and 1; any
 * other error is a bug and is printed with its stack.
 *
 * @module
 */
import { CommandError, errorLine, UsageError } from "./lib/cli/errors.ts";
import { denoIo } from "./lib/cli/io.ts";
import { runCli } from "./lib/cli/main.ts";
import { describe } from "./lib/runtime/mod.ts";

/**
 * Run the CLI with `args` and end the process.
 *
 * @param args The command line, without the executable.
 */
export async function main(args: readonly string[]): Promise<void> {
  const io = denoIo();
  try {
    const { code, drain } = await runCli(args, { io });
    if (drain) Deno.exitCode = code;
    else Deno.exit(code);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandError) {
      io.err(`${errorLine(error)}\n`);
      Deno.exit(error.exitCode);
    }
    io.err(`corun: internal error: ${describe(error, { stack: true })}\n`);
    Deno.exit(70);
  }
}

// Not awaited at the top level: a script whose top-level await never settles is
// then reported by Deno at its own line, not at this one.
if (import.meta.main) main(Deno.args);
