// How a big image feels in the browser: times from choosing the file to the
// superblock view, to the file tree's first rows, to a 1000-entry directory,
// to an inode page, and to the finished whole-disk block map, in headless
// Chromium over the release build in dist/.
//
//   bash bench/browser-feel.sh            # makes a 1 GiB image with ~100k files, builds, runs this
//   IMG=/path/to.img DIR=/d0050 node bench/browser-feel.mjs
//
// Prints one line per step; a bench, not a test (no thresholds).

import { join } from "node:path";
import { suite, debugfs } from "../e2e/lib.mjs";

const IMG = process.env.IMG;
if (!IMG) throw new Error("IMG=/path/to/image");
const DIR = process.env.DIR || "/d0050";
const s = suite("feel");
const rows = [];
const t = async (label, fn) => {
  const t0 = performance.now();
  await fn();
  const ms = Math.round(performance.now() - t0);
  rows.push([label, ms]);
  console.log(`${label.padEnd(52)} ${String(ms).padStart(7)} ms`);
};

s.test("timings", async ({ page }) => {
  const inUse = debugfs(IMG, "stats").match(/Inode count:\s+(\d+)[\s\S]*?Free inodes:\s+(\d+)/);
  console.log(`image ${IMG}: ${inUse ? Number(inUse[1]) - Number(inUse[2]) : "?"} in-use inodes`);
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").waitFor({ state: "attached" });
  await t("choose file → superblock view", async () => {
    await page.locator("[data-testid=file-input]").setInputFiles(IMG);
    await page.locator("[data-field=uuid]").waitFor({ timeout: 120000 });
  });
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  await t("Files tab → first rows of /", async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/files/?fp=${fp}`);
    await page.locator("[data-testid=file-row]").first().waitFor({ timeout: 120000 });
  });
  await t(`open ${DIR} (a directory of 1000 files) → its rows`, async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/files${DIR}?fp=${fp}`);
    await page.waitForFunction(
      (d) => [...document.querySelectorAll("[data-testid=file-row]")].some((r) => r.innerText.includes(d.split("/").pop())) &&
        document.querySelectorAll("[data-testid=file-row]").length > 20,
      DIR, { timeout: 120000 });
  });
  const ino = Number(debugfs(IMG, `stat ${DIR}`).match(/^Inode: (\d+)/m)[1]) + 500;
  await t(`inode page (#/inode/${ino})`, async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/inode/${ino}?fp=${fp}`);
    await page.locator("[data-field=size]").waitFor({ timeout: 120000 });
  });
  await t("block map → scan finished and drawn", async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/map?fp=${fp}`);
    await page.locator("[data-testid=map-done]").waitFor({ timeout: 600000 });
  });
  await s.shot(page, "feel-map");
  await t("back to the inode page (scan done)", async () => {
    await page.goBack();
    await page.locator("[data-field=size]").waitFor({ timeout: 120000 });
  });
});

await s.run();
