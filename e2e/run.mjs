// Browser tests of the ext4scope web app in headless Chromium (playwright-core,
// the system's /usr/bin/chromium). The oracle is e2fsprogs: every image is
// made here with mkfs.ext4 and read back with dumpe2fs.
//
//   node e2e/run.mjs            serves ../dist itself on 127.0.0.1
//   BASE_URL=http://127.0.0.1:8080/ node e2e/run.mjs
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_ONLY=substring (run only the
// tests whose name contains it), E2E_UPDATE_DOCS=1 (rewrite
// docs/screenshot-super.png; it is also written when missing).
// Prints "N passed, M failed" last and exits 1 on any failure.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync, existsSync, copyFileSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, resolve, sep } from "node:path";
import { gunzipSync, deflateSync } from "node:zlib";
import assert from "node:assert/strict";
import { HERE, ROOT, DIST, SHOTS, CHROMIUM, ONLY, sh, shAnyway, serveDist } from "./lib.mjs";

const UUID = "e2e7e57a-0000-4000-8000-00000000e2e7";

// ------------------------------------------------------------------ helpers

const TMP = mkdtempSync(join(tmpdir(), "ext4scope-e2e-"));
// Huge sparse images go to tmpfs when there is one: on a disk mounted with
// `discard`, deleting their scattered metadata blocks takes minutes.
const BIG_TMP = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "ext4scope-e2e-big-"));
mkdirSync(SHOTS, { recursive: true });



/** dumpe2fs -h as { key: value }. */
function dumpe2fsHeader(img) {
  const out = {};
  for (const line of sh("dumpe2fs", ["-h", img]).split("\n")) {
    const m = line.match(/^([^:]+):\s+(.*)$/);
    if (m && !(m[1] in out)) out[m[1]] = m[2].trim();
  }
  return out;
}

/** dumpe2fs group lines as [{ group, first, last, blockBitmap, inodeBitmap, itable, free, freeInodes, dirs }]. */
function dumpe2fsGroups(img) {
  const groups = [];
  let g = null;
  for (const line of sh("dumpe2fs", [img]).split("\n")) {
    let m;
    if ((m = line.match(/^Group (\d+): \(Blocks (\d+)-(\d+)\)/))) {
      g = { group: +m[1], first: +m[2], last: +m[3] };
      groups.push(g);
    } else if (g && (m = line.match(/Block bitmap at (\d+)/))) {
      g.blockBitmap = +m[1];
      const i = line.match(/Inode bitmap at (\d+)/);
      if (i) g.inodeBitmap = +i[1];
    } else if (g && (m = line.match(/^\s+Inode bitmap at (\d+)/))) {
      g.inodeBitmap = +m[1];
    } else if (g && (m = line.match(/Inode table at (\d+)-(\d+)/))) {
      g.itable = `${m[1]}-${m[2]}`;
    } else if (g && (m = line.match(/^\s+(\d+) free (?:blocks|clusters), (\d+) free inodes, (\d+) directories/))) {
      g.free = +m[1];
      g.freeInodes = +m[2];
      g.dirs = +m[3];
    }
  }
  return groups;
}

function mkfs(img, size, args) {
  rmSync(img, { force: true });
  sh("truncate", ["-s", size, img]);
  sh("mkfs.ext4", ["-q", "-F", ...args, img]);
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A valid 64x64 RGB PNG of noise (bigger than 2 KiB, so the magic check sees it). */
function makePng() {
  const w = 64, h = 64;
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  let x = 12345;
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = i % (1 + w * 3) === 0 ? 0 : x >>> 24;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}



// ------------------------------------------------------------------- runner

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
let page, context, BASE;
const problems = []; // console errors, page errors, CSP violations, failed requests

async function field(name) {
  return (await page.locator(`[data-field="${name}"]`).first().innerText()).trim();
}

async function upload(path) {
  await page.goto(BASE + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(path);
}

async function shot(name) {
  const p = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: p, fullPage: false });
  return p;
}

/** The superblock view of an image agrees with dumpe2fs -h. */
async function checkSuperblockAgainstDumpe2fs(img) {
  const d = dumpe2fsHeader(img);
  await page.locator("[data-field=io_bytes]").waitFor();
  assert.equal(await field("blocks_count"), d["Block count"], "block count");
  assert.equal(await field("inodes_count"), d["Inode count"], "inode count");
  assert.equal(await field("free_blocks_count"), d["Free blocks"], "free blocks");
  assert.equal(await field("free_inodes_count"), d["Free inodes"], "free inodes");
  assert.equal(await field("block_size"), d["Block size"], "block size");
  assert.equal(await field("uuid"), d["Filesystem UUID"], "UUID");
  assert.equal(await field("label"), d["Filesystem volume name"], "label");
  const features = await page.locator("[data-feature]").evaluateAll((els) => els.map((e) => e.dataset.feature));
  assert.deepEqual([...features].sort(), d["Filesystem features"].split(/\s+/).sort(), "features");
  // Every summary line we print that dumpe2fs -h also prints must say the same.
  const rows = await page.locator("[data-testid=summary] tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.key, tr.querySelector("td").innerText.trim()]));
  assert.ok(rows.length >= 20, `summary has ${rows.length} lines`);
  let compared = 0;
  for (const [k, v] of rows) {
    if (k in d) {
      assert.equal(v, d[k], `summary "${k}"`);
      compared++;
    }
  }
  assert.ok(compared >= 20, `compared only ${compared} summary lines with dumpe2fs -h`);
  return d;
}

// -------------------------------------------------------------- fixtures

const IMG = join(TMP, "e2e.img");
mkfs(IMG, "8M", ["-b", "1024", "-g", "2048", "-L", "e2etest", "-U", UUID]);
// A few files, so the free counts are not the mkfs defaults.
const cmds = join(TMP, "e2e.debugfs");
writeFileSync(cmds, "mkdir dir1\nmkdir dir1/sub\nwrite /etc/hostname hostname\nwrite /etc/services dir1/services\n");
sh("debugfs", ["-w", "-f", cmds, IMG]);
const PNG = join(TMP, "picture.png");
writeFileSync(PNG, makePng());
const EMPTY = join(TMP, "empty.img");
writeFileSync(EMPTY, Buffer.alloc(0));
const NOISE = join(TMP, "noise.bin");
{
  let x = 99;
  writeFileSync(NOISE, Buffer.from(Array.from({ length: 65536 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24))));
}
const TINY = join(TMP, "tiny.img");
writeFileSync(TINY, readFileSync(IMG).subarray(0, 1500));
// Group 2's descriptor checksum overwritten; dumpe2fs prints what it expected.
const BADCSUM = join(TMP, "badcsum.img");
copyFileSync(IMG, BADCSUM);
sh("debugfs", ["-w", "-R", "set_bg 2 checksum 0x1234", BADCSUM]);
// An unknown compat feature bit (debugfs keeps the superblock checksum right).
const UNKNOWN_FEATURE = join(TMP, "unknown-feature.img");
copyFileSync(IMG, UNKNOWN_FEATURE);
sh("debugfs", ["-w", "-R", "feature FEATURE_C20", UNKNOWN_FEATURE]);
const HALF = join(TMP, "half.img");
copyFileSync(IMG, HALF);
truncateSync(HALF, 3 * 1024 * 1024);

// ------------------------------------------------------------------ tests

test("home page: drop zone, privacy note, samples", async () => {
  await page.goto(BASE);
  await page.locator("[data-testid=file-input]").waitFor({ state: "attached" });
  const text = await page.locator("main").innerText();
  assert.match(text, /never uploaded/);
  // The list comes from samples/index.json, fetched after the page starts.
  await page.locator("[data-sample]").first().waitFor();
  const samples = await page.locator("[data-sample]").count();
  const index = JSON.parse(readFileSync(join(DIST, "samples", "index.json"), "utf8"));
  assert.equal(samples, index.length, "every sample is listed");
  await shot("home");
});

test("upload an mkfs.ext4 image: superblock view equals dumpe2fs -h", async () => {
  await upload(IMG);
  await checkSuperblockAgainstDumpe2fs(IMG);
  assert.match(page.url(), /#\/super\?fp=[0-9a-f]{16}$/);
  assert.equal(await page.locator("[data-testid=image-name]").innerText(), "e2e.img");
  assert.equal(await field("sb_checksum"), "crc32c ok");
  assert.equal(await field("image_len"), `${statSync(IMG).size} B · 8 MiB`);
  await shot("superblock");
});

test("a one-digit day: times keep dumpe2fs's spacing (\"Wed Dec  2\")", async () => {
  // Made as if on 2 December 2026, 09:05 UTC, whatever today is: the summary's
  // dates must equal dumpe2fs -h on days 1-9 of a month too.
  const img = join(TMP, "one-digit-day.img");
  rmSync(img, { force: true });
  sh("truncate", ["-s", "4M", img]);
  sh("mkfs.ext4", ["-q", "-F", img], { env: { ...process.env, TZ: "UTC", LC_ALL: "C", E2FSPROGS_FAKE_TIME: "1796202300" } });
  const d = dumpe2fsHeader(img);
  assert.equal(d["Filesystem created"], "Wed Dec  2 09:05:00 2026", "mkfs took the fake time");
  await upload(img);
  await checkSuperblockAgainstDumpe2fs(img);
  const created = await page.locator('[data-testid=summary] tr[data-key="Filesystem created"] td').innerText();
  assert.equal(created, "Wed Dec  2 09:05:00 2026");
});

test("groups view equals dumpe2fs; back returns to the superblock; reload keeps the route", async () => {
  await upload(IMG);
  await page.locator("[data-field=io_bytes]").waitFor();
  await page.locator("a.tab", { hasText: "Groups" }).click();
  await page.waitForURL(/#\/groups\?fp=/);
  const expected = dumpe2fsGroups(IMG);
  assert.ok(expected.length >= 4, "the e2e image has several groups");
  for (const g of expected) {
    const row = page.locator(`.gt-rows [data-group="${g.group}"]`);
    await row.locator("[role=cell]").nth(3).waitFor();
    const cells = await row.locator("[role=cell]").allInnerTexts();
    assert.equal(cells[1], `${g.first}-${g.last}`, `group ${g.group} blocks`);
    assert.equal(cells[3], String(g.blockBitmap), `group ${g.group} block bitmap`);
    assert.equal(cells[4], String(g.inodeBitmap), `group ${g.group} inode bitmap`);
    assert.equal(cells[5], g.itable.split("-")[0], `group ${g.group} inode table`);
    assert.equal(cells[6], String(g.free), `group ${g.group} free blocks`);
    assert.equal(cells[7], String(g.freeInodes), `group ${g.group} free inodes`);
    assert.equal(cells[8], String(g.dirs), `group ${g.group} directories`);
    assert.equal(cells[11], "crc32c ok", `group ${g.group} checksum`);
  }
  const [a, b] = expected[0].itable.split("-").map(Number);
  assert.equal(await field("inode_table_blocks"), `inode tables of ${b - a + 1} blocks`);
  await shot("groups");
  await page.goBack();
  await page.waitForURL(/#\/super\?fp=/);
  await page.locator("[data-field=blocks_count]").waitFor();
  await page.goForward();
  await page.waitForURL(/#\/groups\?fp=/);
  const fp = new URL(page.url()).hash.match(/fp=([0-9a-f]{16})/)[1];
  await page.reload();
  // The image is gone after a reload (never uploaded): the route stays and asks for it.
  await page.locator("[data-testid=need-image]").waitFor();
  assert.match(page.url(), /#\/groups\?fp=/);
  assert.match(await page.locator("main").innerText(), new RegExp(`Groups[\\s\\S]*${fp}`));
  await shot("need-image");
  // Opening the same image again shows that view, with no "other image" note.
  await page.locator("[data-testid=file-input]").setInputFiles(IMG);
  await page.locator(".gt-rows [data-group='0']").waitFor();
  assert.match(page.url(), new RegExp(`#/groups\\?fp=${fp}$`));
  assert.equal(await page.locator("[data-testid=fp-notice]").count(), 0);
});

test("go to group: the URL names the group, the row is highlighted", async () => {
  await upload(IMG);
  await page.locator("[data-field=io_bytes]").waitFor();
  await page.locator("a.tab", { hasText: "Groups" }).click();
  await page.locator("#jump-g").fill("3");
  await page.locator("#jump-g").press("Enter");
  await page.waitForURL(/#\/groups\?g=3&fp=/);
  await page.locator(".gt-row.focus[data-group='3']").waitFor();
});

for (const [name, file, pattern] of [
  ["a PNG", PNG, /PNG/],
  ["an empty file", EMPTY, /empty \(0 bytes\)/],
  ["random bytes", NOISE, /magic number 0xEF53 at byte 1080/],
  ["a 1500-byte truncated image", TINY, /1500 bytes; an ext4 image needs at least 2048/],
]) {
  test(`error view for ${name}`, async () => {
    await upload(file);
    await page.locator("[data-testid=error]").waitFor();
    const msg = await page.locator("[data-testid=error-message]").innerText();
    assert.match(msg, pattern);
    if (file === PNG) {
      assert.match(msg, /0xEF53/);
      assert.match(msg, /PNG image/);
      await shot("error-png");
    }
    // The error view offers another try.
    await page.locator("[data-testid=file-input]").waitFor({ state: "attached" });
  });
}

test("a bad group descriptor checksum: stored and computed, as dumpe2fs expects", async () => {
  const line = shAnyway("dumpe2fs", [BADCSUM]).split("\n").find((l) => l.startsWith("Group 2:"));
  const m = line.match(/csum 0x([0-9a-f]+) \(EXPECTED 0x([0-9a-f]+)\)/);
  assert.ok(m, line);
  const [stored, expected] = [m[1].padStart(4, "0"), m[2].padStart(4, "0")];
  await upload(BADCSUM);
  const problems = await page.locator("[data-testid=problems]").innerText();
  assert.match(problems, new RegExp(`group descriptor 2[\\s\\S]*stored 0x0*${m[1]}, computed 0x0*${m[2]}`));
  await page.locator("[data-testid=problems] a", { hasText: "group descriptor 2" }).click();
  await page.waitForURL(/#\/groups\?g=2&fp=/);
  const row = page.locator(".gt-row.focus[data-group='2']");
  await row.locator("[role=cell]").nth(11).waitFor();
  assert.equal((await row.locator("[role=cell]").nth(11).innerText()).trim(), `crc32c BAD 0000${stored}≠0000${expected}`);
  assert.ok(await row.evaluate((el) => el.classList.contains("bad-row")));
  await shot("groups-bad-checksum");
});

test("an unknown feature bit is shown and marked, as dumpe2fs names it", async () => {
  await upload(UNKNOWN_FEATURE);
  const d = await checkSuperblockAgainstDumpe2fs(UNKNOWN_FEATURE);
  assert.match(d["Filesystem features"], /FEATURE_C20/);
  const chip = page.locator("[data-feature=FEATURE_C20]");
  assert.ok(await chip.evaluate((el) => el.classList.contains("unknown")));
  assert.match(await chip.innerText(), /unknown/);
  assert.match(await chip.getAttribute("title"), /unknown compat bit 0x100000/);
  // Known features carry the kernel's name for hover.
  assert.match(await page.locator("[data-feature=has_journal]").getAttribute("title"), /COMPAT_HAS_JOURNAL/);
});

test("a truncated image opens and says it is truncated", async () => {
  await upload(HALF);
  await page.locator("[data-testid=problems]").waitFor();
  assert.match(await page.locator("[data-testid=problems]").innerText(), /truncated/);
});

test("built-in sample: fetched, gunzipped by the browser, equal to dumpe2fs -h", async () => {
  const index = JSON.parse(readFileSync(join(DIST, "samples", "index.json"), "utf8"));
  const s = index.find((x) => x.name === "ext4-small") || index[0];
  const img = join(TMP, `${s.name}.img`);
  writeFileSync(img, gunzipSync(readFileSync(join(DIST, "samples", s.file))));
  await page.goto(BASE + "#/");
  await page.locator(`[data-sample="${s.name}"]`).click();
  await checkSuperblockAgainstDumpe2fs(img);
  assert.equal(await page.locator("[data-testid=image-name]").innerText(), `${s.name}.img`);
  await page.setViewportSize({ width: 1280, height: 800 });
  const p = await shot("sample-superblock");
  const docs = join(ROOT, "docs", "screenshot-super.png");
  if (process.env.E2E_UPDATE_DOCS === "1" || !existsSync(docs)) {
    mkdirSync(dirname(docs), { recursive: true });
    copyFileSync(p, docs);
  }
});

test("every sample opens without problems", async () => {
  const index = JSON.parse(readFileSync(join(DIST, "samples", "index.json"), "utf8"));
  for (const s of index) {
    await page.goto(BASE + "#/");
    await page.locator(`[data-sample="${s.name}"]`).click();
    await page.locator("[data-testid=no-problems]").waitFor();
    assert.equal(await field("image_len"), `${s.size} B · ${s.size / 1048576} MiB`, s.name);
  }
});

test("16 GiB sparse image opens at once, reading well under 1 MiB", async () => {
  const big = join(BIG_TMP, "big16g.img");
  mkfs(big, "16G", ["-E", "lazy_itable_init=1,lazy_journal_init=1", "-U", UUID]);
  try {
    await page.goto(BASE + "#/");
    const t0 = Date.now();
    await page.locator("[data-testid=file-input]").setInputFiles(big);
    await page.locator("[data-field=io_bytes]").waitFor();
    const ms = Date.now() - t0;
    const bytes = Number((await field("io_bytes")).split(" ")[0]);
    const reads = Number(await field("io_reads"));
    console.log(`    16 GiB image: superblock visible ${ms} ms after setInputFiles; ${reads} reads, ${bytes} bytes`);
    assert.ok(bytes < 256 * 1024, `read ${bytes} bytes`);
    const d = dumpe2fsHeader(big);
    assert.equal(await field("blocks_count"), d["Block count"]);
    assert.equal(await field("image_len"), "17179869184 B · 16 GiB");
    await shot("superblock-16g");
  } finally {
    rmSync(big, { force: true });
  }
});

test("122880 groups (15 TiB sparse image): the virtualised table stays small and reaches the last group", async () => {
  const big = join(BIG_TMP, "many-groups.img");
  const GROUPS = "122880";
  mkfs(big, "15T", ["-E", "lazy_itable_init=1,lazy_journal_init=1"]);
  try {
    await page.goto(BASE + "#/");
    const t0 = Date.now();
    await page.locator("[data-testid=file-input]").setInputFiles(big);
    await page.locator("[data-field=io_bytes]").waitFor();
    const openMs = Date.now() - t0;
    assert.equal(await field("groups_count"), GROUPS);
    const t1 = Date.now();
    await page.locator("a.tab", { hasText: "Groups" }).click();
    await page.locator(".gt-rows [data-group='0'] [role=cell]").nth(5).waitFor();
    const tableMs = Date.now() - t1;
    const rows = await page.locator(".gt-rows .gt-row").count();
    assert.ok(rows < 200, `${rows} rows in the DOM`);
    // The table scrolls from the keyboard and fetches the rows it reaches.
    await page.locator("[data-testid=group-table]").focus();
    await page.keyboard.press("End");
    await page.locator(`.gt-rows [data-group='${GROUPS - 1}'] [role=cell]`).nth(5).waitFor();
    assert.ok(await page.locator("[data-testid=group-table]").evaluate((el) => el.scrollTop > 1e6));
    await page.keyboard.press("Home");
    await page.locator(".gt-rows [data-group='0'] [role=cell]").nth(5).waitFor();
    await page.locator("#jump-g").fill(String(GROUPS - 1));
    await page.locator("#jump-g").press("Enter");
    const last = page.locator(`.gt-row.focus[data-group='${GROUPS - 1}']`);
    await last.locator("[role=cell]").nth(5).waitFor();
    // dumpe2fs -g: group:block:super:gdt:bbitmap:ibitmap:itable (plain dumpe2fs takes 30 s here).
    const [g, first, , , bbitmap, ibitmap, itable] = sh("dumpe2fs", ["-g", big]).trim().split("\n").at(-1).split(":");
    const cells = await last.locator("[role=cell]").allInnerTexts();
    assert.equal(cells[0], g);
    assert.ok(cells[1].startsWith(`${first}-`), `${cells[1]} starts at ${first}`);
    assert.equal(cells[3], bbitmap);
    assert.equal(cells[4], ibitmap);
    assert.equal(cells[5], itable);
    console.log(`    ${GROUPS} groups: open ${openMs} ms, first table rows ${tableMs} ms, ${rows} rows in the DOM`);
    await shot("groups-many");
  } finally {
    rmSync(big, { force: true });
  }
});

test("131072 groups with meta_bg: the superblock view at once, under 1 MiB read", async () => {
  // 1 KiB blocks, 256 per group: 8192 descriptor blocks spread over the disk
  // (meta_bg). They are read when a view needs them, not at open (issue 12).
  const big = join(BIG_TMP, "meta-bg.img");
  mkfs(big, "32G", ["-b", "1024", "-g", "256", "-N", "262144", "-E", "lazy_itable_init=1,lazy_journal_init=1"]);
  try {
    assert.match(dumpe2fsHeader(big)["Filesystem features"], /meta_bg/);
    await page.goto(BASE + "#/");
    const t0 = Date.now();
    await page.locator("[data-testid=file-input]").setInputFiles(big);
    await page.locator("[data-field=io_bytes]").waitFor({ timeout: 120000 });
    const ms = Date.now() - t0;
    assert.equal(await field("groups_count"), "131072");
    const bytes = parseInt(await field("io_bytes"), 10);
    assert.ok(bytes < 1 << 20, `open read ${bytes} bytes (budget 1 MiB)`);
    console.log(`    131072 meta_bg groups: superblock view ${ms} ms, ${await field("io_reads")} reads, ${bytes} bytes`);
    await shot("meta-bg-open");
    // The groups table still reads the descriptors it shows, first and last.
    await page.locator("a.tab", { hasText: "Groups" }).click();
    await page.locator(".gt-rows [data-group='0'] [role=cell]").nth(5).waitFor();
  } finally {
    rmSync(big, { force: true });
  }
});

test("keyboard: tabs are reachable and followable", async () => {
  await upload(IMG);
  await page.locator("[data-field=io_bytes]").waitFor();
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.textContent === "Groups");
  }
  assert.ok(reached, "Tab reaches the Groups tab");
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/groups/);
});

test("dark mode follows the system", async () => {
  await page.emulateMedia({ colorScheme: "dark" });
  try {
    await upload(IMG);
    await page.locator("[data-field=io_bytes]").waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 120, `dark background, got ${bg}`);
    await shot("superblock-dark");
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
  }
});

test("unknown route says so", async () => {
  await page.goto(BASE + "#/nowhere");
  await page.locator("text=No such view").waitFor();
});

test("download weight: the wasm stays within its budget (gzip -9)", async () => {
  // Today's sizes plus a little headroom, so growth is a decision, not an
  // accident. Issue 12's target is 600 KB for both together; these budgets go
  // down as the app is slimmed (it deserialises every report the worker sends).
  // 2026-12-04: the worker now links the checker (e2fsck's problem table, all
  // its passes, journal/orphan/quota checks) and the mount model for #/check:
  // 346,570 -> 457,786 B; app 444,921 B (node's gzip level 9). Over issue 12's
  // target: see its note.
  // 2026-12-04: #/simulate. The worker runs the simulator (jbd2 log writer,
  // buffer cache, allocation, the migration in four designs, crash outcomes):
  // 457,788 -> 509,140 B. The app gets the page and the plain mirror types
  // (it does not link ext4scope_core::sim: e2e/simulate.mjs checks its
  // strings are absent): 444,843 -> 484,476 B, then 470,213 B once encoding
  // a request stopped linking the serialiser of every Response.
  // 2026-12-04: the inode page's map table (virtualised, paged from the
  // worker, search by logical/physical block) and the tree's expandable
  // collapsed parts; pages and the map summary travel packed (no serde
  // structs in the app): app 471,044 -> 479,824 B, worker 541,096 -> 546,005 B
  // (the worker was already over its budget at 6299ed0 on this toolchain:
  // left as it was, for the weight work to decide).
  // 2026-12-04: the stale-data verdict had taken the worker to 541,096 B
  // (app 471,044 B). Issue 12's cuts: the app decodes structs only as objects
  // (worker/objects.rs: no visit_seq per struct) 471,044 -> 453,173 B; the
  // worker builds its crc32c tables at run time and uses byte-wise crc16 and
  // crc32_be tables (-41 KB), and casefold's NFD no longer links
  // unicode-normalization's compatibility tables (-31 KB): 464,034 B.
  // Together 1,012,140 -> 917,207 B. With #/learn merged: app 482,683 B,
  // worker 480,467 B, 963,150 B together.
  // Then the map table (app +8.8 KB), the learn view's disk drawing and the
  // crash outcomes' mount verdicts: app 491,149 B, worker 485,521 B, 976,670 B.
  // Then the simulator's mb_optimize_scan group order, the 4.14 kernel era
  // (sync_range, conversion of unwritten extents at writeback, zeroout), the
  // designs' comparison in slices with progress and Cancel, and the checker's
  // pass-1 htree and encryption questions: app 494,028 B, worker 493,292 B,
  // 987,320 B. Budgets moved up to them (issue 12's 600 KB is still open).
  const BUDGET = { app: 484 * 1024, worker: 484 * 1024, total: 966 * 1024 };
  const { readdirSync } = await import("node:fs");
  const { gzipSync } = await import("node:zlib");
  const size = (re) => {
    const f = readdirSync(DIST).filter((n) => re.test(n));
    assert.equal(f.length, 1, `one ${re} in dist/: ${f}`);
    const raw = readFileSync(join(DIST, f[0]));
    return { raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
  };
  const app = size(/^app-.*_bg\.wasm$/), worker = size(/^worker_bg\.wasm$/);
  console.log(`    wasm gzipped: app ${(app.gz / 1024).toFixed(0)} KB (${(app.raw / 1024).toFixed(0)} KB raw), worker ${(worker.gz / 1024).toFixed(0)} KB (${(worker.raw / 1024).toFixed(0)} KB raw), total ${((app.gz + worker.gz) / 1024).toFixed(0)} KB`);
  assert.ok(app.gz <= BUDGET.app, `app wasm ${app.gz} B gzipped > ${BUDGET.app}`);
  assert.ok(worker.gz <= BUDGET.worker, `worker wasm ${worker.gz} B gzipped > ${BUDGET.worker}`);
  assert.ok(app.gz + worker.gz <= BUDGET.total, `wasm ${app.gz + worker.gz} B gzipped > ${BUDGET.total}`);
});

test("no console errors, page errors or CSP violations", async () => {
  assert.deepEqual(problems, []);
});

// -------------------------------------------------------------------- main

let server;
let passed = 0, failed = 0;
try {
  if (process.env.BASE_URL) {
    BASE = process.env.BASE_URL;
  } else {
    assert.ok(existsSync(join(DIST, "index.html")), "dist/index.html missing: run trunk build --release first");
    server = await serveDist();
    BASE = `http://127.0.0.1:${server.address().port}/`;
  }
  context = await chromium.launchPersistentContext(join(TMP, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] || (await context.newPage());
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
  });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.setDefaultTimeout(20000);

  for (const t of tests) {
    if (ONLY && !t.name.includes(ONLY) && !t.name.startsWith("no console")) continue;
    const t0 = Date.now();
    try {
      await t.fn();
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${String(e && e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
      try { await shot(`FAILED-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`); } catch {}
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL setup\n     ${e && e.stack || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  if (server) server.close();
  rmSync(TMP, { recursive: true, force: true });
  rmSync(BIG_TMP, { recursive: true, force: true });
}
console.log(`screenshots in ${SHOTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
