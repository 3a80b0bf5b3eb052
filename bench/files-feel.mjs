// How the Files view feels on big images, in headless Chromium over the
// release build in dist/: a 1000-entry directory opened from its URL, a file
// found by inode number (a walk of the whole tree), the unreachable-inode
// walk, and a single hash-indexed directory of 100,000 entries (open it,
// then open its last entry from a link).
//
//   IMG=/path/to/1g-100k-files.img DIR=/d0050 node bench/files-feel.mjs
//     (bench/browser-feel.sh makes such an image; WORK holds the 100k-entry one)
//
// Prints one line per step; a bench, not a test (no thresholds).

import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { suite, sh, debugfs } from "../e2e/lib.mjs";

const IMG = process.env.IMG;
if (!IMG) throw new Error("IMG=/path/to/image");
const DIR = process.env.DIR || "/d0050";
const WORK = process.env.WORK || "/tmp/ext4scope-files-bench";
const HUGE_N = Number(process.env.HUGE_N || 100000);

/** One directory of HUGE_N empty files, hash-indexed by e2fsck -D. */
function hugeImage() {
  const img = join(WORK, `huge-${HUGE_N}.img`);
  if (existsSync(img)) return img;
  const src = join(WORK, `huge-src-${HUGE_N}`, "huge");
  mkdirSync(src, { recursive: true });
  for (let i = 0; i < HUGE_N; i++) writeFileSync(join(src, `f${String(i).padStart(6, "0")}`), "");
  sh("mkfs.ext4", ["-q", "-F", "-N", String(HUGE_N + 1000), "-d", join(src, ".."), img, "512M"]);
  const r = spawnSync("e2fsck", ["-fyD", img], { encoding: "utf8" });
  if (r.status > 1) throw new Error(`e2fsck -fyD: ${r.status}`);
  return img;
}

const s = suite("files-feel");
const t = async (label, fn) => {
  const t0 = performance.now();
  await fn();
  console.log(`${label.padEnd(60)} ${String(Math.round(performance.now() - t0)).padStart(7)} ms`);
};

async function open(page, img) {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  await page.locator("[data-field=uuid]").waitFor({ timeout: 120000 });
  return (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
}

const selected = (page, p) =>
  page.waitForFunction((p) => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === p, p, { timeout: 300000 });

s.test("1 GiB, 100k files", async ({ page }) => {
  const fp = await open(page, IMG);
  const dir = DIR.replace(/^\//, "");
  await t(`#/files${DIR} → the directory open and selected`, async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/files/${dir}?fp=${fp}`);
    await selected(page, dir);
    await page.locator(`[data-testid=file-row][data-path^="${dir}/"]`).first().waitFor();
  });
  const names = debugfs(IMG, `ls ${DIR}`).split(/\s+/).filter((n) => /^[^.(0-9]/.test(n));
  const name = names[names.length - 1];
  const ino = Number(debugfs(IMG, `stat ${DIR}/${name}`).match(/^Inode: (\d+)/m)[1]);
  await t(`search #${ino} (a file: walks the tree first) → selected`, async () => {
    await page.locator("[data-testid=files-search]").fill(`#${ino}`);
    await page.locator("[data-testid=files-search]").press("Enter");
    await selected(page, `${dir}/${name}`);
  });
  await t("unreachable in-use inodes → done (tree walked by the search)", async () => {
    await page.locator("[data-testid=unreachable-start]").click();
    await page.locator("[data-testid=unreachable-done]").waitFor({ timeout: 300000 });
  });
  // A fresh page has a fresh worker: the whole walk from nothing.
  const cold = await s.newPage();
  const fp2 = await open(cold, IMG);
  await cold.evaluate((h) => { location.hash = h; }, `#/files/?fp=${fp2}`);
  await t("unreachable in-use inodes, cold → done", async () => {
    await cold.locator("[data-testid=unreachable-start]").click();
    await cold.locator("[data-testid=unreachable-done]").waitFor({ timeout: 300000 });
  });
  await cold.context().close();
  await s.shot(page, "files-feel-1g");
});

s.test(`one htree directory of ${HUGE_N} entries`, async ({ page }) => {
  const img = hugeImage();
  const names = debugfs(img, "ls /huge").split(/\s+/).filter((n) => /^f\d+$/.test(n));
  const fp = await open(page, img);
  await t(`#/files/huge (${names.length} entries) → first rows`, async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/files/huge?fp=${fp}`);
    await page.locator("[data-testid=file-row][data-path^='huge/']").first().waitFor({ timeout: 120000 });
  });
  const rows = await page.locator("[data-testid=file-row]").count();
  console.log(`rows in the DOM: ${rows}`);
  await t("scroll to the bottom → last entry drawn", async () => {
    await page.locator("[data-testid=file-tree]").evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.locator(`[data-testid=file-row][data-path="huge/${names[names.length - 1]}"]`).waitFor({ timeout: 120000 });
  });
  const mid = names[Math.floor(names.length / 2)];
  await t("a link to the middle entry → selected (fresh page, same image)", async () => {
    await page.evaluate((h) => { location.hash = h; }, `#/files/huge/${mid}?fp=${fp}`);
    await selected(page, `huge/${mid}`);
  });
  await s.shot(page, "files-feel-huge");
});

await s.run();
