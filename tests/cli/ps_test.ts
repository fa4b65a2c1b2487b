import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";
import { ps } from "../../lib/cli/ps.ts";
import { CommandError, UsageError } from "../../lib/cli/errors.ts";
import { captureIo } from "./_io.ts";

Deno.test("ps() prints the live tasks of a monitor URL as a table, --all adds finished ones", async () => {
  await using server = await serveMonitor();
  await createTask(() => "early", { name: "finished-one" });
  const task = createTask(() => sleep(5_000), { name: "ps-visible" });
  await sleep(2);
  try {
    const io = captureIo(80);
    assert.equal(await ps(server.dashboardUrl, {}, io), 0);
    assert.match(io.stdout, /^ID +NAME +STATE +AGE +WAITING ON\n/);
    assert.match(io.stdout, /ps-visible +waiting +\S+ +sleep\(5000\)\n/);
    assert.doesNotMatch(io.stdout, /finished-one/);
    for (const line of io.stdout.trimEnd().split("\n")) assert.ok(line.length <= 80, line);
    const all = captureIo();
    await ps(server.dashboardUrl, { all: true }, all);
    assert.match(all.stdout, /finished-one +done +\S+ += "early"/);
  } finally {
    task.cancel();
    await task.catch(() => {});
  }
});

Deno.test("ps() fails with a usage error for a bad URL, a command error without the token or when nobody answers", async () => {
  await assert.rejects(ps("nope", {}, captureIo()), UsageError);
  {
    await using open = await serveMonitor();
    await assert.rejects(ps(open.url, {}, captureIo()), CommandError, "wants its token");
  }
  const server = await serveMonitor();
  await server.close();
  await assert.rejects(ps(server.url, {}, captureIo()), CommandError);
});
