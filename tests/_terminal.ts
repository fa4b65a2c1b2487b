/**
 * A real terminal for end-to-end tests, from the npm registry alone: a
 * pseudo-terminal (`@lydell/node-pty`, prebuilt binaries inside the package)
 * runs the program, and a headless terminal emulator (`@xterm/headless`)
 * keeps its screen, so a test types keys, reads what a person would see,
 * resizes the window and checks colours. Nothing comes from apt.
 */
import pty from "npm:@lydell/node-pty@1.1.0";
import xterm from "npm:@xterm/headless@6.0.0";

/** Named keys, as a terminal sends them. */
export const KEYS = {
  Enter: "\r",
  Tab: "\t",
  Backspace: "\x7f",
  Escape: "\x1b",
  Up: "\x1b[A",
  Down: "\x1b[B",
  Right: "\x1b[C",
  Left: "\x1b[D",
  Home: "\x1b[H",
  End: "\x1b[F",
  "C-a": "\x01",
  "C-c": "\x03",
  "C-d": "\x04",
  "C-e": "\x05",
  "C-l": "\x0c",
  "C-r": "\x12",
  "C-u": "\x15",
} as const;

/** A key name of {@linkcode KEYS}, or literal text. */
export type Key = keyof typeof KEYS | (string & Record<never, never>);

/** Options for {@linkcode Terminal.spawn}. */
export interface SpawnOptions {
  /** @default {100} */
  cols?: number;
  /** @default {24} */
  rows?: number;
  /** @default {the repository root} */
  cwd?: string;
  /** Added to a copy of this process's environment (`TERM` is xterm-256color). */
  env?: Record<string, string>;
}

/** How the program ended. */
export interface Exit {
  exitCode: number;
  signal?: number;
}

const ROOT = new URL("../", import.meta.url).pathname;

/** One program in a pseudo-terminal, with the screen it draws. */
export class Terminal implements AsyncDisposable {
  readonly #pty: pty.IPty;
  readonly #screen: xterm.Terminal;
  readonly #exited: Promise<Exit>;
  #written = Promise.resolve();
  #exit: Exit | undefined;

  private constructor(command: string, args: string[], options: SpawnOptions) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 24;
    this.#screen = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    this.#pty = pty.spawn(command, args, {
      name: "xterm-256color",
      cols,
      rows,
      cwd: options.cwd ?? ROOT,
      env: { ...Deno.env.toObject(), TERM: "xterm-256color", ...options.env },
    });
    this.#pty.onData((data) => {
      // The emulator parses asynchronously; keep the writes in order so that
      // a read after `settled()` sees every byte received so far.
      this.#written = this.#written.then(() =>
        new Promise<void>((resolve) => this.#screen.write(data, resolve))
      );
    });
    this.#exited = new Promise((resolve) =>
      this.#pty.onExit((exit) => {
        this.#exit = exit;
        resolve(exit);
      })
    );
  }

  /** Start `command` in a new terminal. */
  static spawn(command: string, args: string[], options: SpawnOptions = {}): Terminal {
    return new Terminal(command, args, options);
  }

  /** Start a Deno script in a new terminal. */
  static deno(args: string[], options: SpawnOptions = {}): Terminal {
    return new Terminal(Deno.execPath(), args, options);
  }

  /** The program's process id. */
  get pid(): number {
    return this.#pty.pid;
  }

  /** Resolves when the program has ended. */
  get exited(): Promise<Exit> {
    return this.#exited;
  }

  /** How the program ended, or `undefined` while it runs. */
  get exit(): Exit | undefined {
    return this.#exit;
  }

  /** Type literal text. */
  type(text: string): void {
    this.#pty.write(text);
  }

  /** Press keys by name (`Enter`, `C-c`, `Up`); anything else is typed as is. */
  press(...keys: Key[]): void {
    for (const key of keys) this.#pty.write(KEYS[key as keyof typeof KEYS] ?? key);
  }

  /** Resize the window, as a person dragging its corner would. */
  resize(cols: number, rows: number): void {
    this.#screen.resize(cols, rows);
    this.#pty.resize(cols, rows);
  }

  /** Wait until every byte received so far is on the screen. */
  settled(): Promise<void> {
    return this.#written;
  }

  /** The visible rows, trailing blanks trimmed. */
  rows(): string[] {
    const buffer = this.#screen.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.#screen.rows; y++) {
      rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "");
    }
    return rows;
  }

  /** The visible screen as text. */
  text(): string {
    return this.rows().join("\n");
  }

  /** The row the cursor is on. */
  cursorRow(): number {
    return this.#screen.buffer.active.cursorY;
  }

  /** The column the cursor is on (0 is the first). */
  cursorColumn(): number {
    return this.#screen.buffer.active.cursorX;
  }

  /**
   * The foreground colours of the cells showing `text` on the visible screen
   * (`default`, or `palette <n>` / `rgb <n>`), or `undefined` when it is not
   * shown.
   */
  colorsOf(text: string): string[] | undefined {
    const buffer = this.#screen.buffer.active;
    for (let y = 0; y < this.#screen.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      const x = line?.translateToString(false).indexOf(text) ?? -1;
      if (!line || x < 0) continue;
      const colors: string[] = [];
      for (let i = 0; i < text.length; i++) {
        const cell = line.getCell(x + i)!;
        colors.push(
          cell.isFgDefault()
            ? "default"
            : `${cell.isFgRGB() ? "rgb" : "palette"} ${cell.getFgColor()}`,
        );
      }
      return colors;
    }
    return undefined;
  }

  /**
   * Poll the screen until `test` holds (a pattern, a text, or a predicate),
   * and return the screen; fail with the last screen after `timeoutMs`.
   */
  async waitFor(
    test: RegExp | string | ((text: string) => boolean),
    what = String(test),
    timeoutMs = 15_000,
  ): Promise<string> {
    const holds = typeof test === "function"
      ? test
      : typeof test === "string"
      ? (text: string) => text.includes(test)
      : (text: string) => test.test(text);
    const deadline = performance.now() + timeoutMs;
    let text = "";
    while (true) {
      await this.settled();
      text = this.text();
      if (holds(text)) return text;
      if (performance.now() > deadline) break;
      if (this.#exit) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await this.settled();
        text = this.text();
        if (holds(text)) return text;
        throw new Error(
          `the program exited (${JSON.stringify(this.#exit)}) before ${what}; the screen:\n${text}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
  }

  /** Send `signal` to the program. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (!this.#exit) this.#pty.kill(signal);
  }

  /** Kill the program if it still runs, wait for it, free the emulator. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exit) {
      this.kill("SIGKILL");
      await this.#exited;
    }
    await this.settled();
    this.#screen.dispose();
  }
}
