/**
 * The one terminal type: what `corun top`, the REPL and the full-screen top
 * view draw on and read keys from. {@linkcode denoTerminal} in
 * `deno_terminal.ts` is the process's own; tests pass fakes.
 *
 * @module
 */

/** A terminal's size in character cells. */
export interface TerminalSize {
  /** Columns. */
  columns: number;
  /** Rows. */
  rows: number;
}

/** A terminal: write, size, raw mode and keys. */
export interface Terminal {
  /** Whether a person looks at it (else views print once instead of drawing). */
  interactive: boolean;
  /** Use colours. */
  color: boolean;
  /** Write raw text (escape sequences included). */
  write(text: string): void;
  /** Its size now. */
  size(): TerminalSize;
  /** Switch raw mode (keys one by one, Ctrl+C as a key) on or off. */
  setRaw(on: boolean): void;
  /**
   * Start delivering keys by name (`up`, `escape`, `ctrl-c`, or the
   * character typed; see `keys.ts`), in raw mode; returns the function that
   * stops and restores the terminal mode.
   */
  listen(onKey: (key: string) => void): () => void;
}
