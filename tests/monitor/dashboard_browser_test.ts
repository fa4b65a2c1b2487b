/**
 * The dashboard in a real headless Chromium (from the npm registry, driven
 * by playwright-core; see tests/_browser.ts).
 */
import assert from "node:assert/strict";
import { createTask, run, sleep, type Task } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";
import { launchBrowser } from "../_browser.ts";

Deno.test("the dashboard lists a live task, drops it when it ends, and its Cancel button cancels", async () => {
  const browser = await launchBrowser();
  await using server = await serveMonitor();
  let release = () => {};
  let finishShort = () => {};
  const workload = run(async () => {
    const gate = new Promise<void>((resolve) => release = resolve);
    const shortGate = new Promise<void>((resolve) => finishShort = resolve);
    // A little history, so the finished list and the timeline have something to show.
    await createTask(() => sleep(40, { ok: true }), { name: "fetch-config" });
    await createTask(() => sleep(20).then(() => JSON.parse("{")), { name: "parse-cache" })
      .catch(() => {});
    const sleeper = createTask(() => sleep(60_000), { name: "sleeps-a-minute" });
    const short = createTask(async () => {
      await shortGate;
      return "ok";
    }, { name: "short-job" });
    const worker = createTask(async () => {
      const inner = createTask(() => sleep(30_000), { name: "inner-poll" });
      await inner;
    }, { name: "worker" });
    await sleep(50);
    await short;
    await gate;
    return { sleeper, worker };
  }, { name: "main" });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    await page.goto(server.dashboardUrl);
    const byName = (name: string) =>
      page.locator("td:nth-child(2)", { hasText: new RegExp(`^${name}$`) });
    const row = (name: string) => page.locator("#live-body tr").filter({ has: byName(name) });
    // Listed while alive, with its state and what it waits on.
    await row("sleeps-a-minute").waitFor({ timeout: 10_000 });
    assert.match(await row("sleeps-a-minute").innerText(), /waiting\s+\S+\s+sleep\(60000\)/);
    assert.equal(await row("short-job").count(), 1);
    await page.locator("#tree", { hasText: "inner-poll" }).waitFor({ timeout: 10_000 });
    await page.locator("#timeline .row").first().waitFor({ timeout: 10_000 });
    // The README's screenshot, refreshed only on request so that a test run
    // leaves the work tree as it was: CORUN_UPDATE_SCREENSHOT=1 deno task test
    const screenshot = await page.screenshot();
    assert.ok(screenshot.byteLength > 1000, "the page rendered");
    if (Deno.env.get("CORUN_UPDATE_SCREENSHOT") === "1") {
      await Deno.writeFile(new URL("../../docs/dashboard.png", import.meta.url), screenshot);
    }
    // Gone from the live list once it ended, and listed as finished.
    finishShort();
    await row("short-job").waitFor({ state: "detached", timeout: 10_000 });
    await page.locator("#finished-body tr").filter({ has: byName("short-job") })
      .waitFor({ timeout: 10_000 });
    // The Cancel button cancels the task through the token-protected API.
    const sleeperRow = row("sleeps-a-minute");
    await sleeperRow.locator("button.cancel").click();
    await sleeperRow.waitFor({ state: "detached", timeout: 10_000 });
    await page.locator("#message", { hasText: "Cancelled task" }).waitFor({ timeout: 10_000 });
    release();
    const { sleeper, worker } = await workload;
    assert.equal(sleeper.cancelled(), true);
    await assert.rejects(sleeper as Task<unknown>, { message: "cancelled from the monitor" });
    assert.equal(worker.cancelled(), true, "run() cancelled what was left over");
  } finally {
    finishShort();
    release();
    await workload.catch(() => {});
    await browser.close();
  }
});
