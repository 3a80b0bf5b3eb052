// Browser tests of the inspector views (inode, block, map) in headless
// Chromium. The oracle is e2fsprogs: the image is made here with mkfs.ext4 +
// debugfs -w, and debugfs `ex`, `stat` and `icheck` say what the pages must show.
//
//   node e2e/inspector.mjs                 serves ../dist itself
//   BASE_URL=http://127.0.0.1:8080/ node e2e/inspector.mjs
//   DIST=/path/to/dist node e2e/inspector.mjs
//
// Screenshots go to DIST/screenshots/. Prints "N passed, M failed" last and
// exits 1 on any failure.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, resolve, sep } from "node:path";
import assert from "node:assert/strict";
import { HERE, ROOT, DIST, SHOTS, CHROMIUM, ONLY, sh, debugfs, runPages, inodeOf, openImageAt, shot } from "./lib.mjs";

const TMP = mkdtempSync(join(tmpdir(), "ext4scope-insp-"));
mkdirSync(SHOTS, { recursive: true });



// ------------------------------------------------------------------ the image

/** A 16 MiB ext4 image (1 KiB blocks: deep enough trees) with a fragmented
 * file, a sparse file, a directory and a symlink. */
function makeImage() {
  const img = join(TMP, "insp.img");
  sh("mkfs.ext4", ["-q", "-F", "-b", "1024", "-N", "256", "-E", "root_owner=0:0", "-U", "e2e7e57a-0000-4000-8000-0000000000aa", img, "16M"]);
  // Fragment: interleave two files' writes so the big one has many extents.
  const a = join(TMP, "a.bin");
  const chunk = Buffer.alloc(3 * 1024);
  const parts = [];
  for (let i = 0; i < 160; i++) {
    chunk.fill(i & 0xff);
    parts.push(Buffer.from(chunk));
  }
  writeFileSync(a, Buffer.concat(parts));
  // Small files, every other one removed: later files fill the gaps in pieces.
  const small = join(TMP, "s.bin");
  writeFileSync(small, Buffer.alloc(3 * 1024, 1));
  const cmds = ["mkdir dir"];
  for (let i = 0; i < 400; i++) cmds.push(`write ${small} dir/s${i}`);
  for (let i = 0; i < 400; i += 2) cmds.push(`rm dir/s${i}`);
  const big2 = join(TMP, "b.bin");
  writeFileSync(big2, Buffer.alloc(200 * 1024, 3));
  cmds.push(`write ${big2} dir/b1`, `write ${big2} dir/b2`, `write ${a} dir/big.bin`);
  // A sparse file: data, a hole, data.
  const sparse = join(TMP, "sparse.bin");
  const sb = Buffer.alloc(600 * 1024);
  sb.fill(7, 0, 4096);
  sb.fill(9, sb.length - 4096);
  writeFileSync(sparse, sb);
  execFileSync("fallocate", ["-d", sparse]);
  cmds.push(`write ${sparse} sparse.bin`, "symlink link dir/big.bin");
  const script = join(TMP, "cmds.txt");
  writeFileSync(script, cmds.join("\n") + "\n");
  sh("debugfs", ["-w", "-f", script, img]);
  return img;
}

/** Leaf extents from debugfs `ex`: [{logical, physical, len, unwritten}]. */
function debugfsExtents(img, ino) {
  const out = [];
  for (const line of debugfs(img, `ex <${ino}>`).split("\n")) {
    // Level Entries       Logical      Physical Length Flags
    //  1/ 1   1/ 11     0 -   199  1234 -  1433    200 Uninit
    const m = line.match(/^\s*(\d+)\/\s*(\d+)\s+\d+\/\s*\d+\s+(\d+)\s*-\s*(\d+)\s+(\d+)\s*-\s*(\d+)\s+(\d+)\s*(\S*)/);
    if (!m) continue;
    const [level, max] = [+m[1], +m[2]];
    if (level !== max) continue; // index entries
    out.push({ logical: +m[3], physical: +m[5], len: +m[7], unwritten: m[8] === "Uninit" });
  }
  return out;
}

/** The inode debugfs icheck names for block B, or null. */
function icheck(img, b) {
  const line = debugfs(img, `icheck ${b}`).split("\n").find((l) => l.startsWith(`${b}\t`));
  const m = line && line.match(/^\d+\t(\d+)/);
  return m ? +m[1] : null;
}

// ------------------------------------------------------------------ server


// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

let context, BASE, IMG;

const openImage = (page, hash) => openImageAt(page, BASE, IMG, hash);

test("inode page: extents equal debugfs ex, fields equal debugfs stat", async (page) => {
  const ino = inodeOf(IMG, "dir/b2");
  const expected = debugfsExtents(IMG, ino);
  assert.ok(expected.length >= 2, `want a fragmented file, debugfs ex gave ${expected.length}`);
  await openImage(page, `#/inode/${ino}`);
  await page.locator("[data-testid=inode-view]").waitFor();
  // The table's rows come from the worker page by page.
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=extent-row]").length === n, expected.length);
  const rows = await page.locator("[data-testid=extent-row]").evaluateAll((els) =>
    els.map((e) => ({ logical: +e.dataset.logical, physical: +e.dataset.physical, len: +e.dataset.len, unwritten: e.dataset.unwritten === "true" })));
  assert.deepEqual(rows, expected, JSON.stringify({ rows, expected }));
  const stat = debugfs(IMG, `stat <${ino}>`);
  const size = +stat.match(/Size: (\d+)/)[1];
  assert.equal(await page.locator("[data-field=size]").innerText().then((t) => +t.split(" ")[0]), size);
  assert.match(await page.locator("[data-testid=inode-flags]").innerText(), /EXTENTS_FL/);
  assert.equal(await page.locator("[data-checksum]").first().getAttribute("data-checksum"), "ok");
  await page.locator("[data-testid=map-tree] svg").waitFor();
  await page.locator("[data-testid=strip]").waitFor();
  await page.evaluate(() => {
    const el = document.querySelector("[data-testid=strip]").closest("section");
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70);
  });
  await shot(page, "inode.png");
  // ← goes to the previous inode, and back works.
  await page.locator("body").press("ArrowLeft");
  await page.waitForFunction((n) => location.hash.startsWith(`#/inode/${n}`), ino - 1);
  await page.goBack();
  await page.waitForFunction((n) => location.hash.startsWith(`#/inode/${n}`), ino);
});

test("inode page: a deeper extent tree links its nodes to block pages", async (page) => {
  const ino = inodeOf(IMG, "dir/big.bin");
  const ex = debugfs(IMG, `ex <${ino}>`);
  await openImage(page, `#/inode/${ino}`);
  await page.locator("[data-testid=inode-view]").waitFor();
  const want = debugfsExtents(IMG, ino).length;
  assert.equal(+(await page.locator("[data-testid=map-rows]").getAttribute("data-total")), want);
  await page.locator(`[data-testid=extent-row][data-row='${Math.min(want, 20) - 1}']`).waitFor();
  const nodes = page.locator("[data-testid=tree-node]");
  if (/^\s*0\/\s*1/m.test(ex)) {
    assert.ok((await nodes.count()) > 0, "an index node is drawn");
    const b = await nodes.first().getAttribute("data-block");
    await nodes.first().click();
    await page.waitForFunction((b) => location.hash.startsWith(`#/block/${b}`), b);
    await page.locator("[data-testid=block-view]").waitFor();
    assert.match(await page.locator("[data-testid=block-what]").innerText(), /extent/);
  }
  await shot(page, "inode-tree.png");
});

test("block page: owner equals debugfs icheck, hex shows named fields", async (page) => {
  const ino = inodeOf(IMG, "dir/b1");
  const first = debugfsExtents(IMG, ino)[0];
  const b = first.physical;
  assert.equal(icheck(IMG, b), ino);
  await openImage(page, `#/block/${b}`);
  await page.locator("[data-testid=block-view]").waitFor();
  // Before a scan only layout owners are known; run the map scan, come back.
  await page.goto(BASE + "#/map");
  await page.locator("[data-testid=map-done]").waitFor({ timeout: 60000 });
  await page.goto(BASE + `#/block/${b}`);
  await page.locator("[data-testid=block-owner]").waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=block-owner]")?.dataset.inodes?.length > 0);
  const owners = await page.locator("[data-testid=block-owner]").getAttribute("data-inodes");
  assert.deepEqual(owners.split(",").map(Number), [ino]);
  // The primary superblock block: s_magic named on hover.
  await page.goto(BASE + "#/block/1");
  // Block 1's own bytes (not the previous block's, still on screen until its answer comes).
  const magic = page.locator("[data-testid=block-view][data-block='1'] [data-off='56']");
  await magic.waitFor();
  await magic.hover();
  await page.waitForFunction(() => /s_magic/.test(document.querySelector("[data-testid=field-name]")?.textContent || ""));
  await shot(page, "block.png");
  // → goes to the next block.
  await page.locator("body").press("ArrowRight");
  await page.waitForFunction(() => location.hash.startsWith("#/block/2"));
});

test("map: the scan finishes, shows the legend, a click opens a block", async (page) => {
  await openImage(page, "#/map");
  await page.locator("[data-testid=map-done]").waitFor({ timeout: 60000 });
  const legend = await page.locator("[data-testid=map-legend]").innerText();
  for (const k of ["inode table", "file data", "directory", "free"]) assert.match(legend, new RegExp(k));
  await shot(page, "map.png");
  const canvas = page.locator("[data-testid=map-canvas]");
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: 3, y: 3 } });
  await page.waitForFunction(() => location.hash.startsWith("#/block/"));
  assert.ok(box.width > 600);
});

test("shared link: opened in a fresh page, re-uploading the image lands on the same view", async (page) => {
  const ino = inodeOf(IMG, "sparse.bin");
  await openImage(page, `#/inode/${ino}`);
  await page.locator("[data-testid=inode-view]").waitFor();
  const url = await page.locator("[data-testid=copy-link]").getAttribute("data-url");
  assert.match(url, /#\/inode\/\d+\?fp=[0-9a-f]{16}$/);
  const fresh = await context.newPage();
  await fresh.goto(url);
  await fresh.locator("[data-testid=need-image]").waitFor();
  await fresh.locator("[data-testid=file-input]").setInputFiles(IMG);
  await fresh.locator("[data-testid=inode-view]").waitFor();
  assert.equal(await fresh.evaluate(() => location.hash), url.slice(url.indexOf("#")));
  assert.equal(await fresh.locator("[data-testid=fp-notice]").count(), 0);
  // The sparse file shows its hole on the strip.
  assert.match(await fresh.locator("[data-testid=strip]").innerText(), /hole \(reads as zeros\) \([1-9]/);
  await fresh.close();
});

// ------------------------------------------------------------------ run

await runPages("inspector", tests, async ({ base, context: c }) => {
  BASE = base;
  context = c;
  IMG = makeImage();
});
