import assert from "node:assert/strict";
import { marker, type MarkerKind, MarkerReader } from "../../lib/repl/_channel.ts";

function reader() {
  const seen: string[] = [];
  const markers = new MarkerReader("secret", {
    text: (text) => seen.push(text),
    marker: (kind: MarkerKind, id: number) => seen.push(`<${kind} ${id}>`),
  });
  return { seen, markers };
}

Deno.test("MarkerReader keeps output and markers in order, a marker split anywhere", () => {
  const output = `a\r\n${marker("secret", "done", 7)}b${marker("secret", "stdin-on")}c`;
  for (let cut = 0; cut <= output.length; cut++) {
    const { seen, markers } = reader();
    markers.feed(output.slice(0, cut));
    markers.feed(output.slice(cut));
    assert.equal(seen.join(""), "a\r\n<done 7>b<stdin-on 0>c", `cut at ${cut}`);
  }
});

Deno.test("MarkerReader passes on a marker with another nonce as plain output", () => {
  const { seen, markers } = reader();
  const forged = marker("guess", "done", 1);
  markers.feed(`${forged}x`);
  assert.equal(seen.join(""), `${forged}x`);
});
