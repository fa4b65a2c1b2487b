/**
 * Terminal input as keys: decodes the bytes a terminal in raw mode sends
 * (UTF-8 text, control characters, CSI and SS3 escape sequences) into named
 * keys. A sequence split across two reads is completed by the next one
 * (except right after its ESC: a read ending in a lone ESC is Escape).
 *
 * @module
 */

/** One key press (or one printable character). */
export interface Key {
  /**
   * `"char"` for printable text, else the key's name: `enter`, `tab`,
   * `backspace`, `delete`, `left`, `right`, `up`, `down`, `home`, `end`,
   * `word-left`, `word-right`, `escape`, `ctrl-<letter>`, or `eof` when the
   * input ended.
   */
  name: string;
  /** The character, for `"char"`. */
  text?: string;
}

const CSI_NAMES: Record<string, string> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  "1~": "home",
  "7~": "home",
  "4~": "end",
  "8~": "end",
  "3~": "delete",
  "1;5C": "word-right",
  "1;5D": "word-left",
  "1;3C": "word-right",
  "1;3D": "word-left",
};

/** Turns chunks of bytes into keys. */
export class KeyDecoder {
  #decoder = new TextDecoder();
  #pending = "";

  /**
   * Decode one chunk.
   *
   * @param chunk Bytes read from the terminal.
   * @returns The complete keys it (with earlier leftovers) contains.
   */
  decode(chunk: Uint8Array): Key[] {
    const text = this.#pending + this.#decoder.decode(chunk, { stream: true });
    this.#pending = "";
    const keys: Key[] = [];
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === "\x1b") {
        // A lone ESC that ends a read is the Escape key: terminals send an
        // escape sequence in one write, so waiting would only swallow the
        // key typed next.
        if (i === text.length - 1) {
          keys.push({ name: "escape" });
          break;
        }
        const end = sequenceEnd(text, i);
        if (end === -1) {
          this.#pending = text.slice(i);
          break;
        }
        keys.push(escapeKey(text.slice(i, end)));
        i = end;
        continue;
      }
      const char = String.fromCodePoint(text.codePointAt(i) as number);
      keys.push(controlKey(char));
      i += char.length;
      if (char === "\r" && text[i] === "\n") i++;
    }
    return keys;
  }

  /**
   * The input ended: a lone escape left over is the Escape key.
   *
   * @returns The last keys.
   */
  flush(): Key[] {
    const rest = this.#pending;
    this.#pending = "";
    return rest === "" ? [] : [{ name: "escape" }];
  }
}

/** End index of the escape sequence at `i`, or -1 if it is cut off. */
function sequenceEnd(text: string, i: number): number {
  const next = text[i + 1];
  if (next === undefined) return -1;
  if (next === "[") {
    for (let j = i + 2; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code >= 0x40 && code <= 0x7e) return j + 1;
    }
    return -1;
  }
  if (next === "O") return text.length > i + 2 ? i + 3 : -1;
  return i + 2; // Alt+key, or a lone ESC followed by a key
}

function escapeKey(sequence: string): Key {
  if (sequence.startsWith("\x1b[")) {
    return { name: CSI_NAMES[sequence.slice(2)] ?? "unknown" };
  }
  if (sequence.startsWith("\x1bO")) {
    return { name: CSI_NAMES[sequence.slice(2)] ?? "unknown" };
  }
  const key = sequence[1];
  if (key === "b") return { name: "word-left" };
  if (key === "f") return { name: "word-right" };
  if (key === "\x7f") return { name: "ctrl-w" };
  return { name: "escape" };
}

function controlKey(c: string): Key {
  const code = c.charCodeAt(0);
  if (c === "\r" || c === "\n") return { name: "enter" };
  if (c === "\t") return { name: "tab" };
  if (code === 0x7f || code === 0x08) return { name: "backspace" };
  if (code < 0x20) return { name: `ctrl-${String.fromCharCode(code + 0x60)}` };
  return { name: "char", text: c };
}

/**
 * The name a view acts on for one key: the character for printable text,
 * else the key's name (`up`, `escape`, `ctrl-c`, ...).
 *
 * @param key A decoded key.
 * @returns Its name.
 */
export function nameOf(key: Key): string {
  return key.name === "char" ? key.text ?? "" : key.name;
}

/**
 * The name of one key given as the text a terminal sends for it
 * (`"\x1b[A"` is `up`, `"\x03"` is `ctrl-c`, `"q"` is `q`), decoded by
 * {@linkcode KeyDecoder}.
 *
 * @param raw The key's characters.
 * @returns Its name (the first key's, if `raw` holds several).
 */
export function keyName(raw: string): string {
  const decoder = new KeyDecoder();
  const [key] = [...decoder.decode(new TextEncoder().encode(raw)), ...decoder.flush()];
  return key === undefined ? "" : nameOf(key);
}
