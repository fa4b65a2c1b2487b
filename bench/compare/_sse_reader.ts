/**
 * A raw dashboard client for W6s: reads `serveMonitor`'s event stream (the
 * URL is the first argument) until the server closes it, and prints one line
 * per complete event (`snapshot`, `update`), then `end <events>`.
 *
 * @module
 */
const response = await fetch(Deno.args[0]);
if (!response.ok || response.body === null) {
  throw new Error(`the event stream answered ${response.status}`);
}
let pending = "";
let events = 0;
try {
  for await (const text of response.body.pipeThrough(new TextDecoderStream())) {
    pending += text;
    let end = pending.indexOf("\n\n");
    while (end !== -1) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      events++;
      console.log(event.startsWith("event: snapshot") ? "snapshot" : "update");
      end = pending.indexOf("\n\n");
    }
  }
} catch {
  // The server went away mid-event: what was read counts.
}
console.log(`end ${events}`);
