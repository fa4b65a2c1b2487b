/**
 * A dashboard open on `corun run --monitor` in a real headless Chromium
 * (tests/_browser.ts) when the process does not end normally: stopped by
 * SIGTERM, dead of an uncaught error (both send the end event), or gone
 * without one (`Deno.exit()`: the dashboard notices the lost connection).
 */
import assert from "node:assert/strict";
import { launchBrowser, type Page } from "../_browser.ts";
import { cancelByName, type MonitoredProcess, startMonitored } from "./_process.ts";

/** The live row of the task named `name`. */
const liveRow = (page: Page, name: string) =>
  page.locator("#live-body tr").filter({
    has: page.locator("td:nth-child(2)", { hasText: new RegExp(`^${name}$`) }),
  });

/** Open the child's dashboard and wait until it lists `long-waiter` with a Cancel button. */
async function openDashboard(page: Page, child: MonitoredProcess): Promise<void> {
  await page.goto(child.url);
  await liveRow(page, "long-waiter").locator("button.cancel").waitFor({ timeout: 10_000 });
}

/** The page is frozen: `status` shown, no Cancel buttons, ages no longer counting. */
async function assertFrozen(page: Page, status: RegExp): Promise<void> {
  await page.locator("#status", { hasText: status }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("button.cancel").count(), 0, "no Cancel buttons");
  const age = () =>
    page.locator("#live-body tr", { hasText: "long-waiter" }).locator("td").nth(3)
      .innerText();
  const first = await age();
  await page.waitForTimeout(600);
  assert.equal(await age(), first, "ages stopped");
  assert.doesNotMatch(await page.locator("#status").innerText(), /retrying/);
}

Deno.test("a dashboard on corun run --monitor stopped by SIGTERM shows 'process stopped by SIGTERM at ...', frozen", async () => {
  const browser = await launchBrowser();
  const child = await startMonitored("ok_waits_until_cancelled.ts");
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await openDashboard(page, child);
    child.kill("SIGTERM");
    assert.equal((await child.done).code, 143);
    await assertFrozen(page, /^process stopped by SIGTERM at \d\d:\d\d:\d\d$/);
    assert.match(await page.locator("#finished-body").innerText(), /warm-up\s+done/);
  } finally {
    child.kill();
    await child.done;
    await browser.close();
  }
});

Deno.test("a dashboard on a script dying of an uncaught error shows 'process failed (uncaught ...) at ...', frozen", async () => {
  const browser = await launchBrowser();
  const child = await startMonitored("fail_uncaught_when_cancelled.ts");
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await openDashboard(page, child);
    await cancelByName(child.url, child.token, "trigger");
    assert.equal((await child.done).code, 1);
    await assertFrozen(
      page,
      /^process failed \(uncaught .*crash from a timer\) at \d\d:\d\d:\d\d$/,
    );
    await Deno.writeFile(
      Deno.env.get("CORUN_SCREENSHOT_CRASH") ?? "/tmp/corun-dashboard-crash.png",
      await page.screenshot({ fullPage: true }),
    );
  } finally {
    child.kill();
    await child.done;
    await browser.close();
  }
});

Deno.test("a dashboard on a script that calls Deno.exit() says the connection was lost after ~3 s, frozen", async () => {
  const browser = await launchBrowser();
  const child = await startMonitored("fail_exits_when_cancelled.ts");
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await openDashboard(page, child);
    // The process exits while answering: the answer may never come.
    await cancelByName(child.url, child.token, "trigger").catch(() => {});
    assert.equal((await child.done).code, 3);
    const gone = performance.now();
    await assertFrozen(
      page,
      /^connection lost at \d\d:\d\d:\d\d \(the process probably ended\)$/,
    );
    assert.ok(performance.now() - gone >= 2500, "it retried for a while first");
  } finally {
    child.kill();
    await child.done;
    await browser.close();
  }
});
