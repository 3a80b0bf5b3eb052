// Browser tests of the group page (#/group/G), the groups table's links and
// the xattrs on the inode page, in headless Chromium. The oracle is
// e2fsprogs: the image is made here with mkfs.ext4 + debugfs -w, and
// dumpe2fs and debugfs `ea_list`, `stat`, `blocks` say what the pages must show.
//
//   node e2e/group.mjs                 serves ../dist itself
//   BASE_URL=http://127.0.0.1:8080/ node e2e/group.mjs
//
// Env: E2E_ONLY=substring runs only the tests whose name contains it.
// Screenshots go to DIST/screenshots/. Prints "N passed, M failed" last and
// exits 1 on any failure.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, resolve, sep } from "node:path";
import assert from "node:assert/strict";
import { HERE, ROOT, DIST, SHOTS, CHROMIUM, ONLY, sh, shAnyway, debugfs, runPages, inodeOf, openImageAt, shot } from "./lib.mjs";

const TMP = mkdtempSync(join(tmpdir(), "ext4scope-group-"));
mkdirSync(SHOTS, { recursive: true });




// ------------------------------------------------------------------ the image

/** The ACL set on acl.txt, in the getxattr format (version 2): user::rw-
 * user:1000:r-- group::r-- mask::r-- other::r--. */
const ACL_TEXT = "user::rw-,user:1000:r--,group::r--,mask::r--,other::r--";
function aclXattr() {
  const entries = [[1, 6, 0xffffffff], [2, 4, 1000], [4, 4, 0xffffffff], [0x10, 4, 0xffffffff], [0x20, 4, 0xffffffff]];
  const b = Buffer.alloc(4 + 8 * entries.length);
  b.writeUInt32LE(2, 0);
  entries.forEach(([tag, perm, id], i) => {
    b.writeUInt16LE(tag, 4 + 8 * i);
    b.writeUInt16LE(perm, 6 + 8 * i);
    b.writeUInt32LE(id, 8 + 8 * i);
  });
  return b;
}

/** A 600 MiB ext4 image with 4 KiB blocks: five groups of up to 32768
 * blocks (the last one short), flex_bg (every group's bitmaps in group 0),
 * BLOCK_UNINIT groups, free space in pieces, a file with xattrs in the inode
 * and in a block, and one with a POSIX ACL. */
function makeImage() {
  const img = join(TMP, "group.img");
  sh("mkfs.ext4", ["-q", "-F", "-b", "4096", "-N", "4096", "-E", "root_owner=0:0", "-U", "e2e7e57a-0000-4000-8000-0000000000bb", img, "600M"]);
  const small = join(TMP, "s.bin");
  writeFileSync(small, Buffer.alloc(9 * 1024, 1));
  const big = join(TMP, "b.bin");
  writeFileSync(big, Buffer.alloc(3 << 20, 2));
  const cmds = ["mkdir dir"];
  // Small files, every third one removed: free space in pieces.
  for (let i = 0; i < 300; i++) cmds.push(`write ${small} dir/s${i}`);
  cmds.push(`write ${big} big.bin`);
  for (let i = 0; i < 300; i += 3) cmds.push(`rm dir/s${i}`);
  // xattrs: small (in the inode), 600 bytes (in a block), binary (hex), an ACL.
  const hi = join(TMP, "hi.txt");
  writeFileSync(hi, "hello\n");
  const large = join(TMP, "large.val");
  writeFileSync(large, "L".repeat(200) + "-".repeat(200) + "x".repeat(200));
  const bin = join(TMP, "bin.val");
  writeFileSync(bin, Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x7f]));
  const acl = join(TMP, "acl.val");
  writeFileSync(acl, aclXattr());
  cmds.push(
    `write ${hi} xattrs.txt`,
    "ea_set xattrs.txt user.small hello",
    `ea_set -f ${large} xattrs.txt user.large`,
    `ea_set -f ${bin} xattrs.txt trusted.bin`,
    `write ${hi} acl.txt`,
    `ea_set -f ${acl} acl.txt system.posix_acl_access`,
  );
  const script = join(TMP, "cmds.txt");
  writeFileSync(script, cmds.join("\n") + "\n");
  sh("debugfs", ["-w", "-f", script, img]);
  return img;
}

/** dumpe2fs's groups: [{ group, first, last, blockBitmap, inodeBitmap, itable, freeBlocks, freeInodes, freeBlocksList, freeInodesList, flags }]. */
function dumpe2fsGroups(img) {
  const groups = [];
  let g = null;
  for (const line of shAnyway("dumpe2fs", [img]).split("\n")) {
    let m;
    if ((m = line.match(/^Group (\d+): \(Blocks (\d+)-(\d+)\)(?:.*\[(.*)\])?/))) {
      g = { group: +m[1], first: +m[2], last: +m[3], flags: m[4] || "" };
      groups.push(g);
    } else if (!g) {
      continue;
    } else if ((m = line.match(/^\s+Block bitmap at (\d+)(?:.*csum 0x([0-9a-f]+))?/))) {
      g.blockBitmap = +m[1];
      g.blockBitmapCsum = m[2];
    } else if ((m = line.match(/^\s+Inode bitmap at (\d+)/))) {
      g.inodeBitmap = +m[1];
    } else if ((m = line.match(/^\s+Inode table at (\d+)-(\d+)/))) {
      g.itable = [+m[1], +m[2]];
    } else if ((m = line.match(/^\s+(\d+) free (?:blocks|clusters), (\d+) free inodes/))) {
      [g.freeBlocks, g.freeInodes] = [+m[1], +m[2]];
    } else if ((m = line.match(/^\s+Free blocks: ?(.*)$/))) {
      g.freeBlocksList = m[1].trim();
    } else if ((m = line.match(/^\s+Free inodes: ?(.*)$/))) {
      g.freeInodesList = m[1].trim();
    }
  }
  return groups;
}

/** debugfs ea_list: [{ name, size, value (Buffer, when printed) }]. */
function eaList(img, path) {
  const out = [];
  for (const line of debugfs(img, `ea_list ${path}`).split("\n")) {
    const m = line.match(/^  (\S+) \((\d+)\)(?: = (.*))?$/);
    if (!m) continue;
    let value = null;
    if (m[3] !== undefined) {
      const v = m[3].trim();
      value = v.startsWith('"') ? Buffer.from(v.slice(1, -1), "latin1") : Buffer.from(v.split(/\s+/).map((h) => parseInt(h, 16)));
    }
    out.push({ name: m[1], size: +m[2], value });
  }
  return out;
}

// ------------------------------------------------------------------ server


// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

let context, BASE, IMG, GROUPS;

const openImage = (page, hash) => openImageAt(page, BASE, IMG, hash);

/** Wait for the group page of group G to be drawn. */
async function groupPage(page, g) {
  await page.waitForFunction((g) => document.querySelector("[data-testid=group-view]")?.dataset.group === String(g), g);
  await page.locator("[data-testid=free-blocks]").waitFor();
}

/** Centre of bit I's cell on the grid CANVAS (relative to the canvas). */
async function cellCentre(canvas, i) {
  const d = await canvas.evaluate((c) => ({ cols: +c.dataset.cols, cell: +c.dataset.cell }));
  return { x: (i % d.cols) * d.cell + d.cell / 2, y: Math.floor(i / d.cols) * d.cell + d.cell / 2 };
}

test("group pages: counts and free ranges equal dumpe2fs for every group; arrows move", async (page) => {
  assert.ok(GROUPS.length >= 4, `want several groups, dumpe2fs has ${GROUPS.length}`);
  assert.ok(GROUPS.some((g) => /BLOCK_UNINIT/.test(g.flags)), "the image has a BLOCK_UNINIT group");
  await openImage(page, "#/group/0");
  const times = [];
  for (const gg of GROUPS) {
    const t0 = Date.now();
    if (gg.group > 0) await page.locator("body").press("ArrowRight");
    await groupPage(page, gg.group);
    await page.waitForFunction(() => +document.querySelector("[data-testid=block-bitmap]")?.height > 0);
    times.push(Date.now() - t0);
    const at = `group ${gg.group}`;
    const field = (f) => page.locator(`[data-field=${f}]`).innerText().then((t) => +t.trim());
    assert.equal(await field("recorded-free-blocks"), gg.freeBlocks, at);
    assert.equal(await field("recorded-free-inodes"), gg.freeInodes, at);
    // dumpe2fs's lists are the bitmap's clear bits: their total is the computed count.
    const count = (list) => list.split(", ").filter(Boolean).reduce((n, r) => {
      const [a, b] = r.split("-").map(Number);
      return n + (b === undefined ? 1 : b - a + 1);
    }, 0);
    assert.equal(await field("computed-free-blocks"), count(gg.freeBlocksList), at);
    assert.equal(await field("computed-free-inodes"), count(gg.freeInodesList), at);
    assert.equal(await page.locator("[data-testid=free-blocks]").getAttribute("data-runs"), gg.freeBlocksList, at);
    assert.equal(await page.locator("[data-testid=free-inodes]").getAttribute("data-runs"), gg.freeInodesList, at);
    // The grids have one cell per bit.
    const bits = await page.locator("[data-testid=block-bitmap]").getAttribute("data-bits");
    assert.equal(+bits, 32768, at);
    assert.equal(await page.locator("[data-testid=block-uninit]").count(), /BLOCK_UNINIT/.test(gg.flags) ? 1 : 0, at);
    assert.equal(await page.locator("[data-testid=inode-uninit]").count(), /INODE_UNINIT/.test(gg.flags) ? 1 : 0, at);
    if (gg.group === 0) await page.screenshot({ path: join(SHOTS, "group.png"), fullPage: true });
    if (/BLOCK_UNINIT/.test(gg.flags) && !existsSync(join(SHOTS, "group-uninit.png"))) {
      await page.locator("[data-testid=block-uninit]").scrollIntoViewIfNeeded();
      await shot(page, "group-uninit.png");
    }
  }
  console.log(`     group pages (32768-bit grids) shown in ${times.join(", ")} ms`);
  // ← goes back one group; the URL follows.
  await page.locator("body").press("ArrowLeft");
  await page.waitForFunction((n) => location.hash.startsWith(`#/group/${n}`), GROUPS.length - 2);
});

test("group page: layout equals dumpe2fs, flex_bg metadata linked to its group", async (page) => {
  await openImage(page, "#/group/0");
  await groupPage(page, 0);
  const pieces = await page.locator("[data-testid=piece]").evaluateAll((els) =>
    els.map((e) => ({ kind: e.dataset.kind, first: +e.dataset.first, last: +e.dataset.last, groups: e.dataset.groups })));
  const pieceAt = (b) => pieces.find((p) => p.first <= b && b <= p.last);
  // Every group's bitmaps and inode table sit in group 0 (flex_bg), named after their group.
  for (const h of GROUPS) {
    for (const [b, kind] of [[h.blockBitmap, "BlockBitmap"], [h.inodeBitmap, "InodeBitmap"], [h.itable[0], "InodeTable"], [h.itable[1], "InodeTable"]]) {
      if (b > GROUPS[0].last) continue;
      const p = pieceAt(b);
      assert.ok(p, `no piece at ${b}`);
      assert.equal(p.kind, kind, `block ${b}`);
      const [a, z] = p.groups.split("-").map(Number);
      assert.ok(a <= h.group && h.group <= z, `block ${b}: ${p.groups} should include group ${h.group}`);
    }
  }
  // The pieces cover the group without gaps.
  assert.equal(pieces[0].first, GROUPS[0].first);
  for (let i = 1; i < pieces.length; i++) assert.equal(pieces[i].first, pieces[i - 1].last + 1);
  assert.equal(pieces.at(-1).last, GROUPS[0].last);
  // Group 1's own bitmaps live in group 0: said, and linked.
  await page.goto(BASE + "#/group/1");
  await groupPage(page, 1);
  const away = await page.locator("[data-testid=own-elsewhere]").evaluateAll((els) => els.map((e) => [e.dataset.kind, e.dataset.holder]));
  assert.deepEqual(away, [["BlockBitmap", "0"], ["InodeBitmap", "0"], ["InodeTable", "0"]]);
  const bb = page.locator("[data-testid=own-elsewhere]").first().locator("a", { hasText: String(GROUPS[1].blockBitmap) });
  await bb.click();
  await page.waitForFunction((b) => location.hash.startsWith(`#/block/${b}`), GROUPS[1].blockBitmap);
  await page.locator("[data-testid=block-view]").waitFor();
  assert.match(await page.locator("[data-testid=block-what]").innerText(), /block bitmap/i);
});

test("group page: clicking bitmap cells opens the block and the inode they stand for", async (page) => {
  const ino = inodeOf(IMG, "big.bin");
  const blocks = debugfs(IMG, `blocks <${ino}>`).trim().split(/\s+/).map(Number);
  const b = blocks[Math.floor(blocks.length / 2)];
  const g = GROUPS.find((x) => x.first <= b && b <= x.last);
  await openImage(page, `#/group/${g.group}`);
  await groupPage(page, g.group);
  const canvas = page.locator("[data-testid=block-bitmap]");
  const pos = await cellCentre(canvas, b - g.first);
  await canvas.hover({ position: pos });
  await page.waitForFunction((b) => (document.querySelector("[data-testid=block-bitmap-hover]")?.textContent || "").startsWith(`Block ${b},`), b);
  assert.match(await page.locator("[data-testid=block-bitmap-hover]").innerText(), /in use/);
  await canvas.scrollIntoViewIfNeeded();
  await shot(page, "group-hover.png");
  // Bigger cells (2×): more rows, the same block under the same bit.
  const cols1 = +(await canvas.getAttribute("data-cols"));
  await page.locator(".grid-zoom").first().getByRole("button", { name: "2×" }).click();
  await page.waitForFunction((c) => +document.querySelector("[data-testid=block-bitmap]").dataset.cols < c, cols1);
  const pos2 = await cellCentre(canvas, b - g.first);
  await canvas.hover({ position: pos2 });
  await page.waitForFunction((b) => (document.querySelector("[data-testid=block-bitmap-hover]")?.textContent || "").startsWith(`Block ${b},`), b);
  await canvas.click({ position: pos2 });
  await page.waitForFunction((b) => location.hash.startsWith(`#/block/${b}`), b);
  await page.locator("[data-testid=block-view]").waitFor();
  // Back on the group page, the inode grid: the file's inode.
  await page.goBack();
  await groupPage(page, g.group);
  const ipg = await page.locator("[data-testid=inode-bitmap]").getAttribute("data-bits").then(Number);
  const home = Math.floor((ino - 1) / ipg);
  if (home !== g.group) {
    await page.goto(BASE + `#/group/${home}`);
    await groupPage(page, home);
  }
  const icanvas = page.locator("[data-testid=inode-bitmap]");
  const first = +(await icanvas.getAttribute("data-first"));
  const ipos = await cellCentre(icanvas, ino - first);
  await icanvas.hover({ position: ipos });
  await page.waitForFunction((n) => (document.querySelector("[data-testid=inode-bitmap-hover]")?.textContent || "").startsWith(`Inode ${n},`), ino);
  await icanvas.click({ position: ipos });
  await page.waitForFunction((n) => location.hash.startsWith(`#/inode/${n}`), ino);
  await page.locator("[data-testid=inode-view]").waitFor();
});

test("groups table: rows open the group page; copy link on the groups and superblock pages", async (page) => {
  await openImage(page, "#/groups");
  const row = page.locator(".gt-row[data-group='2']");
  await row.locator("[role=cell]").nth(6).click();
  await page.waitForFunction(() => location.hash.startsWith("#/group/2"));
  await groupPage(page, 2);
  const url = await page.locator("[data-testid=copy-link]").getAttribute("data-url");
  assert.match(url, /#\/group\/2\?fp=[0-9a-f]{16}$/);
  await page.goto(BASE + "#/groups");
  await page.locator("[data-testid=group-table]").waitFor();
  assert.match(await page.locator("[data-testid=copy-link]").getAttribute("data-url"), /#\/groups\?fp=[0-9a-f]{16}$/);
  await page.locator(".gt-row[data-group='1'] [data-testid=group-link]").click();
  await page.waitForFunction(() => location.hash.startsWith("#/group/1"));
  await page.goto(BASE + "#/super");
  await page.locator("[data-field=uuid]").waitFor();
  assert.match(await page.locator("[data-testid=copy-link]").getAttribute("data-url"), /#\/super\?fp=[0-9a-f]{16}$/);
  // A copied group link opened in a fresh page lands on the same group.
  const fresh = await context.newPage();
  await fresh.goto(url);
  await fresh.locator("[data-testid=need-image]").waitFor();
  await fresh.locator("[data-testid=file-input]").setInputFiles(IMG);
  await groupPage(fresh, 2);
  await fresh.close();
});

test("inode page: xattrs equal debugfs ea_list, with where they live and the ACL decoded", async (page) => {
  const ino = inodeOf(IMG, "xattrs.txt");
  const expected = eaList(IMG, "xattrs.txt");
  assert.ok(expected.length >= 3, `ea_list gave ${expected.length}`);
  await openImage(page, `#/inode/${ino}`);
  await page.locator("[data-testid=xattrs]").waitFor();
  const rows = await page.locator("[data-testid=xattr]").evaluateAll((els) =>
    els.map((e) => ({ name: e.dataset.name, size: +e.dataset.size, place: e.dataset.place, hex: e.dataset.valueHex, hash: e.dataset.hash })));
  const byName = (a, b) => (a.name < b.name ? -1 : 1);
  assert.deepEqual(rows.map(({ name, size }) => ({ name, size })).sort(byName), expected.map(({ name, size }) => ({ name, size })).sort(byName));
  for (const e of expected) {
    const r = rows.find((x) => x.name === e.name);
    if (e.value) assert.equal(r.hex, [...e.value].map((b) => b.toString(16).padStart(2, "0")).join(" "), e.name);
    // libext2fs leaves e_hash 0 in the inode (not checked, as by the kernel); in the block it must match.
    if (r.place === "inode") assert.ok(["None", "Some(true)"].includes(r.hash), `${e.name}: ${r.hash}`);
    else assert.equal(r.hash, "Some(true)", `${e.name}: entry hash checked and ok`);
  }
  // Small values in the inode, the large one in the block debugfs names.
  const fileAcl = +debugfs(IMG, `stat <${ino}>`).match(/File ACL: (\d+)/)[1];
  assert.ok(fileAcl > 0);
  assert.equal(rows.find((r) => r.name === "user.small").place, "inode");
  assert.equal(rows.find((r) => r.name === "user.large").place, "block");
  assert.equal(await page.locator("[data-testid=xattr-block]").getAttribute("data-block"), String(fileAcl));
  assert.equal(await page.locator("[data-field=xattr-block-checksum] [data-checksum]").getAttribute("data-checksum"), "ok");
  await page.locator("[data-testid=xattrs]").scrollIntoViewIfNeeded();
  await page.evaluate(() => {
    const el = document.querySelector("[data-testid=xattrs]").closest("section");
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70);
  });
  await shot(page, "inode-xattrs.png");
  // The long value is cut until "show all".
  const large = page.locator("[data-testid=xattr][data-name='user.large']");
  assert.ok((await large.locator("[data-testid=xattr-value]").innerText()).length < 600);
  await large.locator("[data-testid=xattr-show-all]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=xattr][data-name='user.large'] [data-testid=xattr-value]").textContent.length === 600);
  assert.equal(await large.locator("[data-testid=xattr-value]").innerText(), "L".repeat(200) + "-".repeat(200) + "x".repeat(200));
  // The ACL: decoded as getfacl writes it.
  const acl = inodeOf(IMG, "acl.txt");
  assert.ok(eaList(IMG, "acl.txt").some((e) => e.name === "system.posix_acl_access"));
  await page.goto(BASE + `#/inode/${acl}`);
  await page.locator("[data-testid=xattr][data-name='system.posix_acl_access']").waitFor();
  assert.equal(await page.locator("[data-testid=xattr][data-name='system.posix_acl_access'] [data-testid=xattr-value]").innerText(), ACL_TEXT);
});

test("inode page: a value in an EA inode (ea_inode) links to that inode and equals debugfs ea_get", async (page) => {
  const img = join(TMP, "ea.img");
  sh("mkfs.ext4", ["-q", "-F", "-b", "4096", "-O", "ea_inode", "-U", "e2e7e57a-0000-4000-8000-0000000000cc", img, "32M"]);
  const hi = join(TMP, "hi2.txt");
  writeFileSync(hi, "hi\n");
  const v = join(TMP, "huge.val");
  // 4096 bytes (what debugfs ea_set -f reads at most): too big for the xattr block.
  writeFileSync(v, "E".repeat(3000) + "e".repeat(1096));
  const cmd = join(TMP, "ea.cmd");
  writeFileSync(cmd, `write ${hi} f\nea_set -f ${v} f user.huge\n`);
  sh("debugfs", ["-w", "-f", cmd, img]);
  const value = execFileSync("debugfs", ["-R", "ea_get -V f user.huge", img], { stdio: ["ignore", "pipe", "ignore"] }).subarray(0, -1);
  assert.equal(value.length, 4096, "debugfs reads the whole value back");
  // The EA inode: the one debugfs stat shows with EXT4_EA_INODE_FL (0x200000).
  let eaIno = 0;
  for (let n = 12; n < 64 && !eaIno; n++) {
    const m = debugfs(img, `stat <${n}>`).match(/Flags: 0x([0-9a-f]+)/);
    if (m && parseInt(m[1], 16) & 0x200000) eaIno = n;
  }
  assert.ok(eaIno, "debugfs made an EA inode");
  const ino = inodeOf(img, "f");
  await page.goto(BASE + `#/inode/${ino}`);
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  const row = page.locator("[data-testid=xattr][data-name='user.huge']");
  await row.waitFor();
  assert.equal(await row.getAttribute("data-place"), "ea_inode");
  assert.equal(+(await row.getAttribute("data-size")), value.length);
  assert.equal(await row.getAttribute("data-value-hex"), [...value].map((b) => b.toString(16).padStart(2, "0")).join(" "));
  assert.equal(await row.getAttribute("data-hash"), "Some(true)", "e_hash from the EA inode's value hash");
  await row.locator("a", { hasText: String(eaIno) }).click();
  await page.waitForFunction((n) => location.hash.startsWith(`#/inode/${n}`), eaIno);
  await page.locator("[data-testid=inode-flags]").waitFor();
  assert.match(await page.locator("[data-testid=inode-flags]").innerText(), /EA_INODE_FL/);
});

test("group page in dark mode", async (page) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await openImage(page, "#/group/0");
  await groupPage(page, 0);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, "rgb(255, 255, 255)");
  await page.locator("[data-testid=block-bitmap]").scrollIntoViewIfNeeded();
  await shot(page, "group-dark.png");
});

test("group page: a descriptor that disagrees with its bitmap, and bad checksums, as dumpe2fs says", async (page) => {
  // A copy with group 2's free count changed (its descriptor checksum left
  // stale) and group 0's block bitmap checksum changed (descriptor re-summed).
  const bad = join(TMP, "bad.img");
  writeFileSync(bad, readFileSync(IMG));
  const cmd = join(TMP, "bad.cmd");
  // And group 1's block bitmap moved into group 0's inode tables.
  const it = GROUPS[0].itable;
  const inside = it[0] + 4;
  writeFileSync(cmd, `set_bg 2 free_blocks_count 100\nset_bg 0 block_bitmap_csum 0x1234\nset_bg 0 checksum calc\nset_bg 1 block_bitmap ${inside}\nset_bg 1 checksum calc\n`);
  sh("debugfs", ["-w", "-f", cmd, bad]);
  const groups = dumpe2fsGroups(bad);
  const g2 = groups[2];
  const dump = shAnyway("dumpe2fs", [bad]);
  const expected = dump.match(/^Group 2: .* csum 0x([0-9a-f]+) \(EXPECTED 0x([0-9a-f]+)\)/m);
  assert.ok(expected, "dumpe2fs flags group 2's descriptor checksum");
  assert.equal(g2.freeBlocks, 100);
  await page.goto(BASE + "#/group/2");
  await page.locator("[data-testid=file-input]").setInputFiles(bad);
  await groupPage(page, 2);
  const field = (f) => page.locator(`[data-field=${f}]`).innerText().then((t) => +t.trim());
  assert.equal(await field("recorded-free-blocks"), 100);
  assert.equal(await page.locator("[data-testid=free-blocks]").getAttribute("data-runs"), g2.freeBlocksList);
  assert.notEqual(await field("computed-free-blocks"), 100);
  const row = page.locator("[data-field=recorded-free-blocks]").locator("xpath=..");
  assert.match(await row.getAttribute("class"), /bad-row/);
  assert.match(await row.innerText(), /differs by/);
  const desc = page.locator("[data-field=desc-checksum] [data-checksum]");
  assert.equal(await desc.getAttribute("data-checksum"), "bad");
  const text = await desc.innerText();
  assert.match(text, new RegExp(`stored 0x0*${expected[1]}, computed 0x0*${expected[2]}`), text);
  // Group 0: the block bitmap checksum stored is dumpe2fs's, computed is the clean image's.
  await page.locator("[data-testid=prev-group]").click();
  await groupPage(page, 1);
  await page.locator("[data-testid=prev-group]").click();
  await groupPage(page, 0);
  const bb = page.locator("[data-field=block-bitmap-checksum] [data-checksum]");
  assert.equal(await bb.getAttribute("data-checksum"), "bad");
  const clean = GROUPS[0];
  assert.match(await bb.innerText(), new RegExp(`stored 0x0*1234, computed 0x${clean.blockBitmapCsum}`));
  assert.equal(groups[1].blockBitmap, inside, "dumpe2fs sees the moved bitmap");
  assert.match(await page.locator("[data-testid=overlaps]").innerText(), new RegExp(`blocks ${inside} hold both the inode table of groups 0-\\d+ and the block bitmap of group 1`));
  await page.locator("[data-testid=counts]").scrollIntoViewIfNeeded();
  await shot(page, "group-bad.png");
});

// ------------------------------------------------------------------ run

await runPages("group", tests, async ({ base, context: c }) => {
  BASE = base;
  context = c;
  IMG = makeImage();
  GROUPS = dumpe2fsGroups(IMG);
});
