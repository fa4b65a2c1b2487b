/**
 * `Deno.exit()` and `process.exit()` called while the inspector evaluates an
 * input make Deno 2.9.6 panic (`RefCell already mutably borrowed` in
 * `libs/core/inspector.rs`): the process would end inside the inspector's
 * own call. So inside that call, exit ends the evaluation instead (it throws
 * a private sentinel) and the process exits once the call has returned.
 * Outside it (`await sleep(10); Deno.exit(4)`), exit is immediate.
 *
 * @module
 */
import process from "node:process";

/** Thrown by exit inside an evaluation: the input stops there. */
class ExitRequested extends Error {
  override name = "ExitRequested";
}

type Exit = (code?: number) => never;

let depth = 0;
let requested: { exit: Exit; code: number | undefined } | null = null;
let installed = false;
let beforeExit: (code: number) => void = () => {};

function install(): void {
  if (installed) return;
  installed = true;
  const wrap = (exit: Exit, fallback: () => number | undefined) => (code?: number): never => {
    beforeExit(code ?? fallback() ?? 0);
    if (depth === 0) return exit(code);
    requested = { exit, code };
    throw new ExitRequested("the REPL exits once this evaluation call returns");
  };
  Deno.exit = wrap(Deno.exit, () => Deno.exitCode);
  process.exit = wrap(
    process.exit.bind(process) as Exit,
    () => Number(process.exitCode ?? 0),
  ) as typeof process.exit;
}

/**
 * Say what user code's exit code is before the process exits (the
 * evaluation process tells the front).
 *
 * @param hook Called with the exit code, once per exit call.
 */
export function onExit(hook: (code: number) => void): void {
  install();
  beforeExit = hook;
}

/**
 * Run `body` (a synchronous inspector call) with exit deferred to its end.
 *
 * @param body The call; user code may run in it.
 * @returns What `body` returns.
 *
 * @example Code that does not exit runs as usual
 * ```ts
 * import { deferExit } from "./_exit.ts";
 *
 * if (deferExit(() => 1 + 1) !== 2) throw new Error();
 * ```
 */
export function deferExit<T>(body: () => T): T {
  install();
  depth++;
  try {
    return body();
  } finally {
    depth--;
    if (depth === 0 && requested !== null) {
      const { exit, code } = requested;
      requested = null;
      exit(code);
    }
  }
}
