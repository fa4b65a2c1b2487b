import assert from "node:assert/strict";
import { KeyDecoder, keyName } from "../../lib/term/keys.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("KeyDecoder decodes text, control keys and escape sequences", () => {
  const keys = new KeyDecoder().decode(bytes("aé\x03\x04\r\t\x7f\x1b[A\x1b[3~\x1b[1;5C\x1bOH"));
  assert.deepEqual(keys.map((k) => k.text ?? k.name), [
    "a",
    "é",
    "ctrl-c",
    "ctrl-d",
    "enter",
    "tab",
    "backspace",
    "up",
    "delete",
    "word-right",
    "home",
  ]);
});

Deno.test("KeyDecoder completes a sequence split across reads", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.decode(bytes("x\x1b[")), [{ name: "char", text: "x" }]);
  assert.deepEqual(decoder.decode(bytes("D")), [{ name: "left" }]);
});

Deno.test("KeyDecoder treats CR LF as one Enter", () => {
  assert.deepEqual(new KeyDecoder().decode(bytes("1\r\n")).map((k) => k.name), ["char", "enter"]);
});

Deno.test("KeyDecoder: a read ending in a lone ESC is the Escape key, at once", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.decode(bytes("a\x1b")), [{ name: "char", text: "a" }, {
    name: "escape",
  }]);
  assert.deepEqual(decoder.decode(bytes("b")), [{ name: "char", text: "b" }], "b is not eaten");
  assert.deepEqual(new KeyDecoder().decode(bytes("\x07")), [{ name: "ctrl-g" }]);
});

Deno.test("keyName() names arrows, Escape and Ctrl keys, and passes characters through", () => {
  assert.deepEqual(
    ["\x1b[A", "\x1bOB", "\x1b", "\x03", "\x04", "q"].map(keyName),
    ["up", "down", "escape", "ctrl-c", "ctrl-d", "q"],
  );
});
