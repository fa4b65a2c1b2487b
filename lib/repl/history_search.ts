/**
 * Reverse incremental search of the history (Ctrl+R), as in bash and
 * `deno repl`: each character typed narrows the search, starting from the
 * newest line; Ctrl+R again moves to the next older line that matches. When
 * nothing matches, the last match stays shown and the search is marked
 * failed. Pure state: the line editor feeds it keys and draws it.
 *
 * @module
 */

/**
 * The state of one reverse search over `entries` (oldest first).
 *
 * @example Ctrl+R, type, Ctrl+R again
 * ```ts
 * import { HistorySearch } from "./history_search.ts";
 *
 * const search = new HistorySearch(["a = 1", "b", "a = 2"]);
 * search.type("a =");
 * const newest = search.match;
 * search.older();
 * if (newest !== "a = 2" || search.match !== "a = 1" || search.prompt !== "(reverse-i-search)`a =': ") throw new Error();
 * ```
 */
export class HistorySearch {
  /** What was typed since Ctrl+R. */
  query = "";
  /** Whether the last step found nothing (the previous match stays). */
  failed = false;
  #index: number;

  /**
   * Search `entries`, newest first.
   *
   * @param entries The history, oldest first.
   */
  constructor(readonly entries: readonly string[]) {
    this.#index = entries.length;
  }

  /** The line found, or `undefined` before anything matched. */
  get match(): string | undefined {
    return this.entries[this.#index];
  }

  /** Where the query starts in the match, in code points (bash puts the cursor there). */
  get position(): number {
    const match = this.match;
    if (match === undefined) return 0;
    const at = Math.max(0, match.lastIndexOf(this.query));
    return [...match.slice(0, at)].length;
  }

  /** The prompt that replaces the REPL's while searching. */
  get prompt(): string {
    return `(${this.failed ? "failed " : ""}reverse-i-search)\`${this.query}': `;
  }

  /**
   * Extend the query; the current match is kept if it still matches.
   *
   * @param text The characters typed.
   */
  type(text: string): void {
    this.query += text;
    this.#find(Math.min(this.#index, this.entries.length - 1), false);
  }

  /** Drop the last character of the query and search again from the newest line. */
  backspace(): void {
    this.query = [...this.query].slice(0, -1).join("");
    this.#index = this.entries.length;
    this.failed = false;
    if (this.query !== "") this.#find(this.entries.length - 1, false);
  }

  /** Move to the next older line that matches (and differs from the one shown). */
  older(): void {
    if (this.query === "") return;
    this.#find(this.#index - 1, true);
  }

  #find(from: number, skipSame: boolean): void {
    const shown = this.match;
    for (let i = from; i >= 0; i--) {
      const entry = this.entries[i];
      if (!entry.includes(this.query) || (skipSame && entry === shown)) continue;
      this.#index = i;
      this.failed = false;
      return;
    }
    this.failed = true;
  }
}
