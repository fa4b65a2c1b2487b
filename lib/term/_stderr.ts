/**
 * The process's stderr as a progress display sees it, found without
 * depending on Deno or Node: `globalThis.Deno` or `globalThis.process`,
 * each guarded, so the core still runs anywhere.
 */
import { envIfGranted } from "../_env.ts";

/** Where a progress line is drawn: injected in tests, stderr by default. */
export interface ProgressTerminal {
  /** Write text as it is (no newline added). */
  write(text: string): void;
  /** Whether this is an interactive terminal (else nothing is drawn). */
  isTerminal(): boolean;
  /** The terminal's width in columns. */
  columns(): number;
}

interface Runtimes {
  Deno?: {
    stderr?: { writeSync?(data: Uint8Array): number; isTerminal?(): boolean };
    consoleSize?(): { columns: number };
  };
  process?: {
    stderr?: { isTTY?: boolean; columns?: number; write?(text: string): unknown };
  };
}

const encoder = new TextEncoder();

/** The process's stderr, or a terminal that is not one where there is none. */
export function stderrTerminal(): ProgressTerminal {
  const { Deno: deno, process } = globalThis as Runtimes;
  return {
    write(text: string): void {
      try {
        if (deno?.stderr?.writeSync !== undefined) {
          const data = encoder.encode(text);
          for (let n = 0; n < data.length;) n += deno.stderr.writeSync(data.subarray(n));
        } else process?.stderr?.write?.(text);
      } catch {
        // A closed stderr loses the progress line, nothing else.
      }
    },
    isTerminal(): boolean {
      try {
        if (deno !== undefined) return deno.stderr?.isTerminal?.() === true;
        return process?.stderr?.isTTY === true;
      } catch {
        return false;
      }
    },
    columns(): number {
      let columns: number | undefined;
      try {
        columns = deno?.consoleSize !== undefined
          ? deno.consoleSize().columns
          : process?.stderr?.columns;
      } catch {
        columns = undefined;
      }
      // A pseudo-terminal may report 0 columns.
      return columns !== undefined && columns >= 20 ? columns : 80;
    },
  };
}

/**
 * Whether `NO_COLOR` or `CI` is set (non-empty) in the environment, read
 * only where that needs no permission prompt.
 */
export function quietEnvironment(): boolean {
  return Boolean(envIfGranted("NO_COLOR")) || Boolean(envIfGranted("CI"));
}
