/**
 * REPL history: the lines typed, newest last, kept in a file in the user's
 * home that only the user can read. Every line is appended to the file the
 * moment it is added (synchronously, one write), so a crash or a `kill -9`
 * of the REPL loses nothing. The file is created with mode 0600 and set to
 * 0600 again when opened, in case it was created some other way. It is
 * rewritten (through a temporary file and a rename) only when it has grown
 * well past the limit.
 *
 * @module
 */
import { writeAll } from "../term/deno_terminal.ts";

/** How many lines are kept. */
const LIMIT = 1000;
/** The file is compacted back to `LIMIT` lines once it holds this many. */
const COMPACT_AT = 2 * LIMIT;

/** The lines typed so far, loaded from a file and appended to it. */
export class History {
  /** Oldest first. */
  entries: string[] = [];
  /** Lines in the file (it can hold more than `entries`, until compacted). */
  #fileLines = 0;

  /**
   * A history kept in `path`, or in memory only when `null`.
   *
   * @param path The history file.
   */
  constructor(readonly path: string | null) {}

  /**
   * The default history file: `~/.corun_repl_history`.
   *
   * @returns Its path, or `null` when there is no home directory.
   */
  static defaultPath(): string | null {
    const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
    return home ? `${home.replace(/[\\/]$/, "")}/.corun_repl_history` : null;
  }

  /** Read the file, if there is one, and make it private. */
  async load(): Promise<void> {
    if (this.path === null) return;
    try {
      const text = await Deno.readTextFile(this.path);
      const lines = text.split("\n").filter((line) => line !== "");
      this.#fileLines = lines.length;
      this.entries = lines.map(unescapeLine).slice(-LIMIT);
      await Deno.chmod(this.path, 0o600).catch(() => {});
    } catch {
      this.entries = [];
      this.#fileLines = 0;
    }
    if (this.#fileLines >= COMPACT_AT) this.#rewrite();
  }

  /**
   * Remember a line (not empty, not the same as the previous one) and append
   * it to the file at once.
   *
   * @param line The line typed.
   */
  add(line: string): void {
    if (line.trim() === "" || this.entries[this.entries.length - 1] === line) return;
    this.entries.push(line);
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
    if (this.path === null) return;
    if (++this.#fileLines >= COMPACT_AT) return this.#rewrite();
    try {
      const file = Deno.openSync(this.path, { append: true, create: true, mode: 0o600 });
      try {
        writeAll(file, `${escapeLine(line)}\n`);
      } finally {
        file.close();
      }
    } catch {
      // No history is better than a REPL that fails on input.
    }
  }

  /**
   * Lines are saved as they are added; this only trims the file to the
   * limit (another session may be appending to it too: it is left whole
   * until then).
   */
  save(): Promise<void> {
    if (this.#fileLines > LIMIT) this.#rewrite();
    return Promise.resolve();
  }

  /** Replace the file with `entries`, atomically, readable by the user only. */
  #rewrite(): void {
    if (this.path === null) return;
    const temporary = `${this.path}.${Deno.pid}.tmp`;
    try {
      const file = Deno.openSync(temporary, {
        write: true,
        create: true,
        truncate: true,
        mode: 0o600,
      });
      try {
        writeAll(file, this.entries.map((line) => `${escapeLine(line)}\n`).join(""));
      } finally {
        file.close();
      }
      Deno.renameSync(temporary, this.path);
      this.#fileLines = this.entries.length;
    } catch {
      try {
        Deno.removeSync(temporary);
      } catch {
        // It was never created.
      }
    }
  }
}

function escapeLine(line: string): string {
  return line.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function unescapeLine(line: string): string {
  return line.replace(/\\(\\|n)/g, (_m, c) => c === "n" ? "\n" : "\\");
}
