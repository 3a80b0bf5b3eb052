// How the journal views feel on a big journal, in headless Chromium over the
// release build in dist/: the replay bench's image (128 MiB journal, 96 MiB of
// log in 3,300 transactions), from choosing the file to the timeline drawn,
// to its last columns, to one transaction's page, and to the whole app
// switched to "after recovery".
//
//   bash bench/journal-timeline.sh            # makes the image (bench/replay-vs-e2fsck.sh), builds, runs this
//   IMG=/path/to.img node bench/journal-timeline.mjs
//
// Prints one line per step; a bench, not a test (no thresholds).

import { suite } from "../e2e/lib.mjs";

const IMG = process.env.IMG;
if (!IMG) throw new Error("IMG=/path/to/image");
const s = suite("journal-feel");
const t = async (label, fn) => {
  const t0 = performance.now();
  await fn();
  console.log(`${label.padEnd(56)} ${String(Math.round(performance.now() - t0)).padStart(7)} ms`);
};
const go = (page, h) => page.evaluate((x) => { location.hash = x; }, h);

s.test("timings", async ({ page }) => {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").waitFor({ state: "attached" });
  await page.locator("[data-testid=file-input]").setInputFiles(IMG);
  await page.locator("[data-field=uuid]").waitFor({ timeout: 120000 });
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  let total = 0;
  await t("Journal tab → timeline drawn (first columns)", async () => {
    await go(page, `#/journal?fp=${fp}`);
    await page.locator("[data-testid=tx-row]").first().waitFor({ timeout: 120000 });
    total = +(await page.locator("[data-testid=timeline-count]").getAttribute("data-total"));
  });
  console.log(`  ${total} transactions on the timeline`);
  await t("End → the last columns drawn", async () => {
    await page.locator(".tl-scroll").focus();
    await page.keyboard.press("End");
    await page.waitForFunction((n) =>
      [...document.querySelectorAll("[data-testid=tx-row]")].some((r) => +r.dataset.seq >= n), total, { timeout: 120000 });
  });
  await s.shot(page, "feel-journal-end");
  // A transaction near the end that logs blocks (its "before" state is the
  // replay of nearly the whole log).
  const rows = await page.locator("[data-testid=tx-row]").evaluateAll((r) => r.map((x) => [+x.dataset.seq, +x.dataset.blocks]));
  const seq = rows.filter(([, n]) => n > 0).map(([q]) => q)[0];
  await t(`#/journal/${seq} (near the end) → its logged blocks decoded`, async () => {
    await go(page, `#/journal/${seq}?fp=${fp}`);
    await page.locator("[data-testid=logged-row]").first().waitFor({ timeout: 120000 });
  });
  await t("crash point: after recovery (all) → superblock view", async () => {
    await go(page, `#/super?fp=${fp}&crash=all`);
    await page.waitForFunction(() => /recovery|after/i.test(document.querySelector("header")?.innerText || ""), null, { timeout: 120000 });
    await page.locator("[data-field=uuid]").waitFor({ timeout: 120000 });
  });
});

await s.run();
