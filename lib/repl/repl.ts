/**
 * The REPL's state shared by the terminal and the piped loops: evaluating an
 * input (imports, types, the input's task, printing how it ended), `.load`,
 * the banner, background failure notices, and leaving.
 *
 * @module
 */
import config from "../../deno.json" with { type: "json" };
import { type Task, taskContext } from "../runtime/mod.ts";
import type { CommandHost } from "./commands.ts";
import { Evaluator } from "./evaluator.ts";
import { resolveSpecifier, rewriteImports } from "./imports.ts";
import type { ReplOptions, ReplTerminal } from "./types.ts";
import { formatError, formatValue, Output, summarizeError } from "./output.ts";
import { installScope, setLastError, setLastValue } from "./scope.ts";
import { ReplSession } from "./session.ts";
import { stripTypes } from "./strip_types.ts";
import { surviveUncaught } from "./survival.ts";

/** Where imported modules are kept for rewritten `import` declarations. */
const MODULES = Symbol.for("corun.repl.modules");
const MODULES_EXPRESSION = `globalThis[Symbol.for("corun.repl.modules")]`;
/** What a dynamic `import()` in an input calls, to resolve against the input's base. */
const IMPORT = Symbol.for("corun.repl.import");
const IMPORT_EXPRESSION = `globalThis[Symbol.for("corun.repl.import")]`;

/**
 * The state shared by both loops. It is what the commands act on in the
 * piped loop (the terminal loop adds the panel and the full-screen `.top`).
 */
export class Repl implements CommandHost {
  /** Values and command output. */
  readonly out: Output;
  /** Errors and notices. */
  readonly err: Output;
  /** Evaluates input in this isolate. */
  readonly evaluator: Evaluator = new Evaluator();
  /** The task side of the session. */
  session!: ReplSession;
  /** Names in scope, for the banner. */
  names: string[] = [];
  /** Whether the live panel is on. */
  monitor: boolean;
  /** Set by `.exit`, Ctrl+D, a second Ctrl+C or the end of input. */
  exiting = false;
  /** Writes a notice so that it does not mangle the prompt (set by the loop). */
  notify: (text: string) => void;
  /** How many inputs failed, and errors nobody caught: piped input then exits with 1. */
  failures = 0;
  /** The terminal width when there is no terminal here (the evaluation process). */
  width = 80;
  readonly #modules: unknown[] = [];
  #stopSurviving: () => void = () => {};

  /**
   * A session; `terminal` is `null` for piped input.
   *
   * @param options Where output goes, colors, the monitor.
   * @param terminal The terminal, or `null` when input is not a TTY.
   */
  constructor(readonly options: ReplOptions, readonly terminal: ReplTerminal | null) {
    const color = options.color ?? (terminal !== null && !Deno.noColor);
    this.out = new Output(options.writer ?? Deno.stdout, color);
    this.err = new Output(options.errorWriter ?? Deno.stderr, color);
    this.monitor = options.monitor ?? true;
    this.notify = (text) => this.err.write(text);
    (globalThis as Record<symbol, unknown>)[MODULES] = this.#modules;
    (globalThis as Record<symbol, unknown>)[IMPORT] = dynamicImport;
  }

  /** Colours on. */
  get color(): boolean {
    return this.out.color;
  }

  /** Terminal width (80 for piped output). */
  columns(): number {
    return this.terminal?.size().columns ?? this.width;
  }

  /** Start the session's run and bring the exports into scope. */
  async open(): Promise<void> {
    this.session = await ReplSession.start((task, error) => this.#backgroundFailed(task, error));
    this.names = await installScope(this.evaluator);
    this.#stopSurviving = surviveUncaught((error, kind) => {
      this.failures++;
      const text = formatError(error, kind === "rejection" ? "Uncaught (in promise)" : "Uncaught");
      this.notify(`${this.err.paint("31", text)}\n`);
    });
  }

  /** The banner: version, how to get help, the names in scope. */
  banner(): string {
    return bannerText(this.out, this.names, { columns: this.columns() });
  }

  /**
   * Evaluate one input: rewrite its imports, strip its types, load the
   * modules it imports (outside any task), run it as a task and print how it
   * ended.
   *
   * @param source What was typed, or a loaded file's text.
   * @param base The URL relative imports are resolved against.
   * @returns Whether the input failed.
   */
  async evaluate(source: string, base: URL): Promise<boolean> {
    let code: string;
    try {
      const rewritten = rewriteImports(
        source,
        base,
        MODULES_EXPRESSION,
        this.#modules.length,
        IMPORT_EXPRESSION,
      );
      code = asObjectLiteral(rewritten.code) ?? stripTypes(rewritten.code);
      for (const { specifier, slot, attributes } of rewritten.modules) {
        this.#modules[slot] = attributes === undefined
          ? await import(specifier)
          : await import(specifier, { with: attributes });
      }
    } catch (error) {
      this.#failed(error);
      return true;
    }
    if (code.trim() === "") return false;
    const result = await this.session.execute(this.evaluator, code);
    if (result.ok) {
      setLastValue(result.value);
      if (result.value !== undefined) this.out.write(`${formatValue(result.value, this.color)}\n`);
    } else if ("abandoned" in result && result.swallowed) {
      const { name, id } = result.task;
      this.err.write(
        `${name} caught the cancellation and goes on in the background (.cancel ${id} to ask again)\n`,
      );
    } else if ("abandoned" in result) {
      const { name, id } = result.task;
      this.err.write(
        `${name} is not at a library await, so it cannot stop yet: it goes on in the background ` +
          `and stops at its next library await (.cancel ${id} to ask again)\n`,
      );
    } else {
      this.#failed(result.error);
      return true;
    }
    return false;
  }

  /**
   * `.load <file>`: evaluate a file's code as one input.
   *
   * @param path The file, relative to the working directory.
   * @returns Whether it failed.
   */
  async load(path: string): Promise<boolean> {
    let text: string;
    const url = new URL(path, `file://${Deno.cwd()}/`);
    try {
      text = await Deno.readTextFile(url);
    } catch (error) {
      this.failures++;
      this.err.write(`cannot read ${path}: ${error instanceof Error ? error.message : error}\n`);
      return true;
    }
    return await this.evaluate(text.replace(/^#!.*/, ""), url);
  }

  /**
   * After the last piped input: let callbacks that are due soon run (a timer
   * that throws, a task that fails), so that their errors are printed and
   * counted, until nothing has been reported for a moment (at most `maxMs`).
   *
   * @param quietMs How long nothing must be reported.
   * @param maxMs The longest wait.
   */
  async settle(quietMs = 100, maxMs = 1000): Promise<void> {
    const start = performance.now();
    let seen = -1;
    while (seen !== this.failures && performance.now() - start < maxMs) {
      seen = this.failures;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** `.exit`: stop reading input. */
  exit(): void {
    this.exiting = true;
  }

  /**
   * Leave: cancel the tasks still alive and say which ones.
   *
   * @returns The exit code: 1 if an input failed or an error went uncaught.
   */
  async close(): Promise<number> {
    const { cancelled, stuck } = await this.session.close();
    if (cancelled.length > 0) {
      this.out.write(
        `cancelled ${cancelled.length} task${plural(cancelled)} still running: ${
          list(cancelled)
        }\n`,
      );
    }
    if (stuck.length > 0) {
      this.err.write(
        `${stuck.length} task${plural(stuck)} did not finish after cancellation: ${list(stuck)}\n`,
      );
    }
    this.evaluator.close();
    this.#stopSurviving();
    return this.failures > 0 ? 1 : 0;
  }

  #failed(error: unknown): void {
    this.failures++;
    setLastError(error);
    this.err.write(`${this.err.paint("31", formatError(error))}\n`);
  }

  #backgroundFailed(task: Task<unknown>, error: unknown): void {
    this.failures++;
    const text = `task ${task.name} (#${task.id}) failed: ${summarizeError(error)}`;
    this.notify(`${this.err.paint("31", text)}\n`);
  }
}

/**
 * `import()` in an input: resolved against the input's base (the working
 * directory, or the loaded file), as in `deno repl`, and started outside any
 * task, since a dynamic import inside a task context leaks that context.
 */
function dynamicImport(
  base: string,
  specifier: unknown,
  options?: ImportCallOptions,
): Promise<unknown> {
  const resolved = resolveSpecifier(String(specifier), new URL(base));
  return taskContext.exit(() => import(resolved, options));
}

/**
 * The banner: version, how to get help, the names in scope.
 *
 * @param out Paints the headline.
 * @param names The names in scope.
 * @param size The terminal width.
 * @returns The banner's lines.
 */
export function bannerText(out: Output, names: string[], size: { columns: number }): string {
  const width = Math.min(size.columns, 100);
  const head =
    `corun ${config.version} REPL, Deno ${Deno.version.deno}. TypeScript, top-level await; ` +
    "Ctrl+C cancels the running input.";
  const lines = [
    out.paint("1", head),
    "Type .help for commands, .examples for examples. In scope:",
  ];
  let line = " ";
  for (const name of names) {
    if (line.length + name.length + 2 > width) {
      lines.push(line.trimEnd());
      line = " ";
    }
    line += ` ${name}`;
  }
  lines.push(line.trimEnd());
  return `${lines.join("\n")}\n`;
}

/** `{ a: 1 }` alone is an object, not a block, as in Node's and Deno's REPLs. */
function asObjectLiteral(source: string): string | undefined {
  if (!/^\s*\{/.test(source) || !/\}\s*;?\s*$/.test(source)) return undefined;
  try {
    return stripTypes(`(${source.trim().replace(/;$/, "")})`);
  } catch {
    return undefined;
  }
}

function plural(tasks: Task<unknown>[]): string {
  return tasks.length === 1 ? "" : "s";
}

function list(tasks: Task<unknown>[]): string {
  return tasks.map((task) => `${task.name} (#${task.id})`).join(", ");
}
