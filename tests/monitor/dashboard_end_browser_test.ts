/**
 * The dashboard in a real headless Chromium (tests/_browser.ts) at 600 px,
 * then after the monitored program ended: rounded waits, tasks in foreign
 * awaits, warnings, the timeline legend, no overlapping sections, and the
 * final state with the clock stopped and no Cancel buttons.
 */
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { serveMonitor } from "../../monitor.ts";
import { launchBrowser, overlap } from "../_browser.ts";

Deno.test("the dashboard at 600 px: sections do not overlap; waits rounded; foreign awaits and a legend shown", async () => {
  const browser = await launchBrowser();
  const server = await serveMonitor();
  let release = () => {};
  const outside = new Promise<void>((resolve) => release = resolve);
  const napper = createTask(() => sleep(1729.531308879165), { name: "napper" });
  const foreign = createTask(() => outside, { name: "awaits-outside" });
  const child = createTask(() => createTask(() => sleep(60_000), { name: "grandchild" }), {
    name: "parent-with-a-long-name-that-could-push-the-table",
  });
  try {
    const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
    await page.goto(server.dashboardUrl);
    const row = (name: string) =>
      page.locator("#live-body tr").filter({
        has: page.locator("td:nth-child(2)", { hasText: new RegExp(`^${name}$`) }),
      });
    await row("napper").waitFor({ timeout: 10_000 });
    assert.match(await row("napper").innerText(), /sleep\(1730\)/);
    assert.match(
      await row("awaits-outside").innerText(),
      /waiting\s+\S+\s+a promise outside corun \(not cancellable\)/,
    );
    await page.locator("#tree", { hasText: "grandchild" }).waitFor({ timeout: 10_000 });
    await page.locator("#timeline .row").first().waitFor({ timeout: 10_000 });
    const legend = await page.locator("#legend").innerText();
    for (const word of ["pending", "running", "waiting", "done", "failed", "cancelled"]) {
      assert.match(legend, new RegExp(word));
    }
    const boxes = await page.locator("main > section").evaluateAll((sections) =>
      sections.map((s) => {
        const r = s.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      })
    );
    for (let i = 0; i < boxes.length; i++) {
      assert.ok(boxes[i].x >= 0 && boxes[i].x + boxes[i].width <= 600, `section ${i} fits`);
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(!overlap(boxes[i], boxes[j]), `sections ${i} and ${j} overlap`);
      }
    }
    const table = await page.locator("#live").boundingBox();
    const tree = await page.locator("#tree").boundingBox();
    assert.ok(table && tree && !overlap(table, tree), "the tree and the table do not overlap");
    await Deno.writeFile(
      Deno.env.get("CORUN_SCREENSHOT_600") ?? "/tmp/corun-dashboard-600.png",
      await page.screenshot({ fullPage: true }),
    );
  } finally {
    release();
    napper.cancel();
    child.cancel();
    await Promise.allSettled([napper, foreign, child]);
    await server.close();
    await browser.close();
  }
});

Deno.test("after the program ends the dashboard says so, keeps the final states, no Cancel buttons, ages stop", async () => {
  const browser = await launchBrowser();
  const server = await serveMonitor();
  let finish = () => {};
  const gate = new Promise<void>((resolve) => finish = resolve);
  const worker = createTask(async () => {
    await gate;
    return "finished";
  }, { name: "worker" });
  const doomed = createTask(() => sleep(60_000), { name: "doomed" });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(server.dashboardUrl);
    await page.locator("#live-body tr button.cancel").nth(1).waitFor({ timeout: 10_000 });
    finish();
    doomed.cancel();
    await worker;
    await doomed.catch(() => {});
    await server.close({ reason: "process ended" });
    await page.locator("#status", { hasText: /^process ended at \d\d:\d\d:\d\d$/ })
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.locator("button.cancel").count(), 0, "no Cancel buttons");
    const finished = await page.locator("#finished-body").innerText();
    assert.match(finished, /worker\s+done\s+\S+\s+= "finished"/);
    assert.match(finished, /doomed\s+cancelled/);
    const clock = () => page.locator("#axis-end").innerText();
    const first = await clock();
    await page.waitForTimeout(700);
    assert.equal(await clock(), first, "the time axis stopped at the end");
    assert.doesNotMatch(await page.locator("#status").innerText(), /retrying/);
    await Deno.writeFile(
      Deno.env.get("CORUN_SCREENSHOT_END") ?? "/tmp/corun-dashboard-end.png",
      await page.screenshot({ fullPage: true }),
    );
  } finally {
    finish();
    doomed.cancel();
    await Promise.allSettled([worker, doomed]);
    await server.close();
    await browser.close();
  }
});
