/**
 * The dashboard's layout in a real headless Chromium (tests/_browser.ts) with
 * 120-character task names, from a phone's width to a wide screen; and its
 * warnings and dropped count.
 */
import assert from "node:assert/strict";
import { createTask, sleep } from "../../mod.ts";
import { getHistoryLimit, serveMonitor, setHistoryLimit } from "../../monitor.ts";
import { launchBrowser, overlap } from "../_browser.ts";

Deno.test("at 360, 600, 1000 and 1300 px with 120-character names every Cancel button is on screen and clickable, tree and table apart", async () => {
  const browser = await launchBrowser();
  const server = await serveMonitor();
  const long = (prefix: string) => (prefix + "-").padEnd(120, "n");
  const tasks = Array.from(
    { length: 4 },
    (_, i) =>
      createTask(() => createTask(() => sleep(60_000), { name: long(`child${i}`) }), {
        name: long(`parent${i}`),
      }),
  );
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(server.dashboardUrl);
    await page.locator("#live-body tr button.cancel").nth(7).waitFor({ timeout: 10_000 });
    await page.locator("#tree", { hasText: "child3" }).waitFor({ timeout: 10_000 });
    for (const width of [360, 600, 1000, 1300]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300);
      const buttons = await page.locator("#live-body button.cancel").evaluateAll((all) =>
        all.map((b) => {
          const r = b.getBoundingClientRect();
          const hit = b.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return {
            hit: hit === b ? "itself" : `${hit?.tagName}#${hit?.id}`,
            left: r.left,
            right: r.right,
          };
        })
      );
      assert.equal(buttons.length, 8, `${width}: every live task has its button`);
      for (const [i, b] of buttons.entries()) {
        assert.equal(b.hit, "itself", `${width} px: button ${i} is the element at its centre`);
        assert.ok(b.left >= 0 && b.right <= width, `${width} px: button ${i} inside the viewport`);
      }
      const table = await page.locator("#live").boundingBox();
      const tree = await page.locator("#tree").boundingBox();
      assert.ok(table && tree && !overlap(table, tree), `${width} px: tree and table apart`);
      const scrollWidth = (await page.evaluate("document.documentElement.scrollWidth")) as number;
      assert.ok(scrollWidth <= width, `${width} px: no page-wide horizontal scroll`);
      await Deno.writeFile(
        `${Deno.env.get("CORUN_SCREENSHOT_DIR") ?? "/tmp"}/corun-dashboard-w${width}.png`,
        await page.screenshot({ fullPage: true }),
      );
    }
  } finally {
    for (const task of tasks) task.cancel();
    await Promise.allSettled(tasks);
    await server.close();
    await browser.close();
  }
});

Deno.test("the dashboard shows the warnings and how many finished tasks the history dropped", async () => {
  const limit = getHistoryLimit();
  const browser = await launchBrowser();
  const server = await serveMonitor();
  setHistoryLimit(5);
  for (let i = 0; i < 12; i++) await createTask(() => i);
  const failer = createTask(() => {
    throw new Error("nobody looks");
  }, { name: "lonely-failure" });
  try {
    await sleep(10);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(server.dashboardUrl);
    const warning = page.locator("#warnings li", { hasText: "lonely-failure" });
    await warning.waitFor({ timeout: 10_000 });
    assert.match(
      await warning.innerText(),
      /task lonely-failure #\d+ failed \(Error: nobody looks\) and nobody retrieved its error/,
    );
    const dropped = await page.locator("#dropped").textContent() ?? "";
    const count = Number(
      /^\((\d+) older finished tasks dropped from the history\)$/.exec(dropped)?.[1],
    );
    assert.ok(count >= 7, `dropped: ${dropped}`);
  } finally {
    setHistoryLimit(limit);
    await failer.catch(() => {});
    await server.close();
    await browser.close();
  }
});
