// The inode page of files with thousands of extents, in headless Chromium:
// every extent and every tree node reachable. The images are made here with
// `mkfs.ext4 -b 1024 -d` from a directory holding a sparse file (a block of
// data after every hole: one extent per block, depth 2), and its block-mapped
// twin (`-O ^extent`); debugfs `ex` and `stat` are the oracle.
//
//   E2E_SUITE=extents bash e2e/run.sh
//   BASE_URL=http://127.0.0.1:8080/ node e2e/extents.mjs

import { mkdirSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

import { suite, debugfs, mkfs, inodeOf, openImageAt } from "./lib.mjs";

const s = suite("extents");

// ------------------------------------------------------------------ images

const N = 4500;
const SRC = join(s.tmp, "src");
mkdirSync(SRC, { recursive: true });
{
  const fd = openSync(join(SRC, "sparse"), "w");
  for (let i = 0; i < N; i++) writeSync(fd, Buffer.alloc(1024, (i % 251) + 1), 0, 1024, (2 * i + 1) * 1024);
  closeSync(fd);
}
const EXT = join(s.tmp, "extents.img");
mkfs(EXT, "48M", ["-b", "1024", "-d", SRC]);
const IND = join(s.tmp, "indirect.img");
mkfs(IND, "48M", ["-b", "1024", "-O", "^extent,^flex_bg,^64bit", "-d", SRC]);

/** debugfs ex: { leaves: [{logical, physical, len, unwritten}], depth, nodes } */
function ex(img, ino) {
  const leaves = [];
  let depth = 0, nodes = 0;
  for (const line of debugfs(img, `ex <${ino}>`).split("\n")) {
    // Level Entries       Logical      Physical Length Flags
    //  2/ 2   1/ 83     1 -     1  2843 -  2843      1
    const m = line.match(/^\s*(\d+)\/\s*(\d+)\s+\d+\/\s*\d+\s+(\d+)\s*-\s*(\d+)\s+(\d+)(?:\s*-\s*(\d+))?\s+(\d+)\s*(\S*)/);
    if (!m) continue;
    const [level, max] = [+m[1], +m[2]];
    depth = max;
    if (level !== max) { nodes++; continue; } // an index entry: one child node
    leaves.push({ logical: +m[3], physical: +m[5], len: +m[7], unwritten: m[8] === "Uninit" });
  }
  return { leaves, depth, nodes };
}

/** debugfs stat's BLOCKS: data runs [{logical, physical, len}] (no IND/DIND/TIND). */
function statRuns(img, ino) {
  const text = debugfs(img, `stat <${ino}>`).split("BLOCKS:")[1] || "";
  const out = [];
  for (const m of text.matchAll(/\((\d+)(?:-(\d+))?\):(\d+)(?:-(\d+))?/g)) {
    const len = m[2] ? +m[2] - +m[1] + 1 : 1;
    out.push({ logical: +m[1], physical: +m[3], len });
  }
  return out;
}

const INO_EXT = inodeOf(EXT, "/sparse");
const INO_IND = inodeOf(IND, "/sparse");
const EX = ex(EXT, INO_EXT);

// ------------------------------------------------------------------ helpers

const total = async (page) => +(await page.locator("[data-testid=map-rows]").getAttribute("data-total"));
const rowAttrs = (loc) =>
  loc.evaluate((e) => ({ logical: +e.dataset.logical, physical: +e.dataset.physical, len: +e.dataset.len, unwritten: e.dataset.unwritten === "true" }));
const focused = (page) => page.locator("[data-testid=map-table] .xt-row.focus[data-row]");

async function find(page, query) {
  await page.locator("[data-testid=map-find-input]").fill(query);
  await page.locator("[data-testid=map-find-input]").press("Enter");
  await page.locator("[data-testid=map-find-result]").waitFor();
}

async function open(page, img, ino) {
  await openImageAt(page, s.base, img, `#/inode/${ino}`);
  await page.locator("[data-testid=inode-view]").waitFor();
  await page.locator("[data-testid=map-table]").waitFor();
}

// ------------------------------------------------------------------ tests

s.test("4,500 extents at depth 2: the table has every leaf extent debugfs ex lists", async ({ page }) => {
  assert.ok(EX.leaves.length >= 4096, `debugfs ex: ${EX.leaves.length} leaf extents`);
  assert.ok(EX.depth >= 2, `depth ${EX.depth}`);
  await open(page, EXT, INO_EXT);
  assert.equal(await total(page), EX.leaves.length);
  // Only what is in view is in the DOM.
  const rendered = await page.locator("[data-testid=extent-row]").count();
  assert.ok(rendered > 10 && rendered < 200, `${rendered} rows rendered`);
  // The first rows, then the last ones (End in the table), equal debugfs's.
  await page.locator("[data-testid=extent-row][data-row='0']").waitFor();
  for (const k of [0, 1, 2]) {
    assert.deepEqual(await rowAttrs(page.locator(`[data-testid=extent-row][data-row='${k}']`)), EX.leaves[k], `row ${k}`);
  }
  await page.locator("[data-testid=map-table]").focus();
  await page.keyboard.press("End");
  const last = EX.leaves.length - 1;
  await page.locator(`[data-testid=extent-row][data-row='${last}'].focus`).waitFor();
  assert.deepEqual(await rowAttrs(page.locator(`[data-testid=extent-row][data-row='${last}']`)), EX.leaves[last]);
  // ↑ and Page Up move the highlight; Home goes back to the first row.
  await page.keyboard.press("ArrowUp");
  await page.locator(`[data-testid=extent-row][data-row='${last - 1}'].focus`).waitFor();
  await page.keyboard.press("PageUp");
  await page.waitForFunction((l) => {
    const e = document.querySelector("[data-testid=map-table] .xt-row.focus[data-row]");
    return e && +e.dataset.row < l - 5;
  }, last);
  const k = +(await focused(page).getAttribute("data-row"));
  assert.deepEqual(await rowAttrs(focused(page)), EX.leaves[k]);
  await page.keyboard.press("Home");
  await page.locator("[data-testid=extent-row][data-row='0'].focus").waitFor();
  // Each row names its node: a leaf block at level 2.
  const node = await page.locator("[data-testid=extent-row][data-row='0']").getAttribute("data-node");
  assert.match(debugfs(EXT, `icheck ${node}`), new RegExp(`^${node}\\s+${INO_EXT}$`, "m"), "the node is the file's block");
});

s.test("search by logical and physical block scrolls to the right row", async ({ page }) => {
  await open(page, EXT, INO_EXT);
  const i = 3333, j = 1234;
  await find(page, `L ${EX.leaves[i].logical}`);
  await page.locator(`[data-testid=extent-row][data-row='${i}'].focus`).waitFor();
  assert.deepEqual(await rowAttrs(focused(page)), EX.leaves[i]);
  assert.match(await page.locator("[data-testid=map-find-result]").innerText(), new RegExp(`in row ${i + 1}\\b`));
  await find(page, `P ${EX.leaves[j].physical}`);
  await page.locator(`[data-testid=extent-row][data-row='${j}'].focus`).waitFor();
  assert.deepEqual(await rowAttrs(focused(page)), EX.leaves[j]);
  // A plain number is a logical block; one in a hole names the next row.
  await find(page, String(EX.leaves[100].logical - 1));
  await page.locator("[data-testid=extent-row][data-row='100'].focus").waitFor();
  assert.match(await page.locator("[data-testid=map-find-result]").innerText(), /not mapped; the next row up is 101\./);
  await find(page, "Q 1");
  assert.match(await page.locator("[data-testid=map-find-result]").innerText(), /type a logical block/);
});

s.test("the tree's collapsed parts open: more nodes, and more rows in the table", async ({ page }) => {
  await open(page, EXT, INO_EXT);
  await page.locator("[data-testid=map-tree] svg").waitFor();
  const nodes = page.locator("[data-testid=tree-node]");
  const more = page.locator("[data-testid=tree-more]");
  const before = await nodes.count();
  const hidden = +(await more.first().getAttribute("data-count"));
  // Index node + leaves drawn + the hidden ones = debugfs's nodes below the root.
  assert.equal(before + hidden, EX.nodes, `${before} drawn + ${hidden} hidden`);
  await more.first().click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=tree-node]").length === n, before + 16);
  // Keyboard: Enter on the placeholder shows 16 more.
  await more.first().focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=tree-node]").length === n, before + 32);
  // "… N more rows" in a leaf: the table scrolls to those rows.
  const moreRows = page.locator("[data-testid=tree-more-rows]");
  const target = +(await moreRows.nth(3).getAttribute("data-row"));
  await moreRows.nth(3).click();
  await page.locator(`[data-testid=extent-row][data-row='${target}'].focus`).waitFor();
  assert.deepEqual(await rowAttrs(focused(page)), EX.leaves[target]);
  assert.match(page.url(), new RegExp(`#/inode/${INO_EXT}`), "still on the inode page");
  // The leaves above, the table with the row below.
  await page.evaluate(() => {
    const t = document.querySelector("[data-testid=map-table]");
    window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 430);
  });
  await s.shot(page, "inode-extents");
  // Opened to the end, every node is drawn.
  while (await more.count()) await more.first().click();
  assert.equal(await nodes.count(), EX.nodes);
});

s.test("a block-mapped sparse file: the same table, rows under IND/DIND blocks", async ({ page }) => {
  const runs = statRuns(IND, INO_IND);
  assert.equal(runs.length, N, `debugfs stat lists ${runs.length} runs`);
  await open(page, IND, INO_IND);
  assert.equal(await total(page), runs.length);
  await page.locator("[data-testid=run-row][data-row='0']").waitFor();
  const attrs = (loc) => loc.evaluate((e) => ({ logical: +e.dataset.logical, physical: +e.dataset.physical, len: +e.dataset.len }));
  assert.deepEqual(await attrs(page.locator("[data-testid=run-row][data-row='0']")), runs[0]);
  assert.equal(await page.locator("[data-testid=run-row][data-row='0']").getAttribute("data-node"), "", "direct slots: i_block");
  const i = 4000;
  await find(page, `P ${runs[i].physical}`);
  await page.locator(`[data-testid=run-row][data-row='${i}'].focus`).waitFor();
  assert.deepEqual(await attrs(focused(page)), runs[i]);
  // Row 4000 is past 12 + 256 blocks: under the DIND block, in an IND block.
  const node = await focused(page).getAttribute("data-node");
  assert.ok(node !== "", "in an indirect block");
  assert.match(await focused(page).innerText(), /level 2/);
  await page.locator("[data-testid=map-tree] svg").waitFor();
  await page.locator("[data-testid=tree-more]").first().click();
  await s.shot(page, "inode-indirect");
});

await s.run();
