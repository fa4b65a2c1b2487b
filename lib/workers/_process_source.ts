/**
 * The program a process pool member runs (`deno eval`, `node -e`, `bun -e`),
 * and the framing of its messages: each message is a 4-byte big-endian
 * length and a `node:v8` serialization (the structured-clone format). Jobs
 * come in on file descriptor 3 and replies go out on 4, so the job's own
 * stdout and stderr stay free.
 */
import { RUNNER_SOURCE } from "./_worker_source.ts";

/** The child's program, an ES module. */
export const PROCESS_SOURCE = `
import { Buffer } from "node:buffer";
import { createReadStream, createWriteStream } from "node:fs";
import process from "node:process";
import { deserialize, serialize as encode } from "node:v8";

const output = createWriteStream(null, { fd: 4 });

function clonable(value) {
  try {
    encode(value);
    return true;
  } catch {
    return false;
  }
}

function post(reply) {
  const body = encode(reply);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  output.write(Buffer.concat([head, body]));
}

function syncCall(fn, args) {
  return fn(...args);
}
${RUNNER_SOURCE}
let pending = Buffer.alloc(0);
const input = createReadStream(null, { fd: 3 });
input.on("data", (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const length = pending.readUInt32BE(0);
    const job = deserialize(pending.subarray(4, 4 + length));
    pending = pending.subarray(4 + length);
    runJob(job);
  }
});
input.on("end", () => process.exit(0));
`;
