/**
 * REPL history: the lines typed, newest last, kept in a file in the user's
 * home that only the user can read (mode 0600, set again on every save in
 * case the file was created some other way).
 *
 * @module
 */

/** How many lines are kept. */
const LIMIT = 1000;

/** The lines typed so far, loaded from and saved to a file. */
export class History {
  /** Oldest first. */
  entries: string[] = [];

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

  /** Read the file, if there is one. */
  async load(): Promise<void> {
    if (this.path === null) return;
    try {
      const text = await Deno.readTextFile(this.path);
      this.entries = text.split("\n").filter((line) => line !== "").map(unescapeLine).slice(-LIMIT);
    } catch {
      this.entries = [];
    }
  }

  /**
   * Remember a line (not empty, not the same as the previous one).
   *
   * @param line The line typed.
   */
  add(line: string): void {
    if (line.trim() === "" || this.entries[this.entries.length - 1] === line) return;
    this.entries.push(line);
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
  }

  /** Write the file, readable and writable by the user only. */
  async save(): Promise<void> {
    if (this.path === null) return;
    const text = this.entries.map(escapeLine).join("\n") + "\n";
    try {
      await Deno.writeTextFile(this.path, text, { mode: 0o600 });
      await Deno.chmod(this.path, 0o600);
    } catch {
      // No history is better than a REPL that fails on exit.
    }
  }
}

function escapeLine(line: string): string {
  return line.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function unescapeLine(line: string): string {
  return line.replace(/\\(\\|n)/g, (_m, c) => c === "n" ? "\n" : "\\");
}
