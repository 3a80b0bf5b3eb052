// Browser tests of the Files view (#/files/PATH) in headless Chromium. The
// oracle is e2fsprogs: the image is made here with mkfs.ext4 -d, indexed with
// e2fsck -D (htree directories), changed with debugfs -w (an entry in
// lost+found, a file unlinked so its inode stays in use), and debugfs `ls -l`
// and e2fsck -fn say what the page must show.
//
//   node e2e/files.mjs                 serves ../dist itself
//   BASE_URL=http://127.0.0.1:8080/ node e2e/files.mjs
//
// Screenshots go to DIST/screenshots/. Prints "N passed, M failed" last and
// exits 1 on any failure. E2E_ONLY=substring runs only matching tests.

import { chromium } from "playwright-core";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, statSync, existsSync, copyFileSync, openSync, readSync, writeSync, closeSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, resolve, sep } from "node:path";
import assert from "node:assert/strict";
import { HERE, ROOT, DIST, SHOTS, CHROMIUM, ONLY, sh, debugfs, runPages, inodeOf, openImageAt, shot } from "./lib.mjs";

const TMP = mkdtempSync(join(tmpdir(), "ext4scope-files-"));
mkdirSync(SHOTS, { recursive: true });

const ENV = { ...process.env, TZ: "UTC", LC_ALL: "C" };

// ------------------------------------------------------------------ the image

const BIG = 2500;
const DEEP = "a/b/c/d/e/deep.txt";
const SPACED = "dir with space/ünïcode name.txt";

/** A 48 MiB ext4 image: /etc, a deep path, a 2500-entry htree directory, a
 * name with a space and non-ASCII letters, an entry in lost+found and an
 * unlinked (unreachable, still in use) file. */
function makeImage() {
  const src = join(TMP, "src");
  for (const d of ["etc", "big", "a/b/c/d/e", "dir with space", "empty-dir"]) mkdirSync(join(src, d), { recursive: true });
  writeFileSync(join(src, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  writeFileSync(join(src, "etc/hosts"), "127.0.0.1 localhost\n");
  writeFileSync(join(src, "etc/orphan"), Buffer.alloc(5000, 7));
  writeFileSync(join(src, DEEP), "deep\n");
  writeFileSync(join(src, SPACED), "x".repeat(1234));
  writeFileSync(join(src, "README"), "hello\n");
  symlinkSync("passwd", join(src, "etc/passwd-link"));
  symlinkSync("/" + "x".repeat(40) + "/a/long/target/that/does/not/fit/in/i_block/" + "y".repeat(40), join(src, "etc/slow-link"));
  // A name that is not UTF-8 (bytes FF FE).
  mkdirSync(join(src, "odd"));
  writeFileSync(Buffer.concat([Buffer.from(join(src, "odd") + "/bad-"), Buffer.from([0xff, 0xfe]), Buffer.from(".bin")]), "odd");
  for (let i = 0; i < BIG; i++) writeFileSync(join(src, "big", `entry-${String(i).padStart(5, "0")}`), i % 7 ? "" : "seven");
  const img = join(TMP, "files.img");
  sh("mkfs.ext4", ["-q", "-F", "-N", "4096", "-E", "root_owner=0:0", "-U", "e2e7e57a-0000-4000-8000-0000000000f1", "-d", src, img, "48M"]);
  // Hash-index the big directory (mke2fs -d writes linear directories).
  const fsck = spawnSync("e2fsck", ["-fyD", img], { encoding: "utf8", env: ENV });
  assert.ok(fsck.status <= 1, `e2fsck -fyD: ${fsck.status} ${fsck.stdout}`);
  // The inode /etc/orphan has before debugfs unlink removes its only name.
  ORPHAN = inodeOf(img, "/etc/orphan");
  const script = join(TMP, "cmds.txt");
  writeFileSync(script, [`write ${join(src, "README")} lost+found/recovered-1`, "unlink /etc/orphan"].join("\n") + "\n");
  sh("debugfs", ["-w", "-f", script, img]);
  return img;
}

/** debugfs `ls -l DIR` without `.`, `..` and empty records: [{ino, mode, size, name}]. */
function ls(img, dir, { noCsum = false } = {}) {
  const out = [];
  // -n: read past bad checksums (debugfs refuses such a directory otherwise).
  const text = sh("debugfs", [...(noCsum ? ["-n"] : []), "-R", `ls -l "${dir}"`, img]);
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*(\d+)\s+(\d+)\s+\((\d+)\)\s+(\d+)\s+(\d+)\s+(\d+) (.{17}) (.*)$/);
    if (!m || m[1] === "0" || m[8] === "." || m[8] === "..") continue;
    out.push({ ino: +m[1], mode: m[2], size: +m[6], name: m[8] });
  }
  return out;
}

// ------------------------------------------------------------------ server


// ------------------------------------------------------------------ helpers

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
let context, BASE, IMG;
let ORPHAN = 0;

async function upload(page) {
  await page.locator("[data-testid=file-input]").setInputFiles(IMG);
}

const openImage = (page, hash) => openImageAt(page, BASE, IMG, hash);

const row = (page, path) => page.locator(`[data-testid=file-row][data-path="${path.replace(/"/g, '\\"')}"]`);

/** The loaded rows directly under directory PATH now in the DOM: [{ino, size, name}]. */
async function childRows(page, dir) {
  return page.locator("[data-testid=file-row]").evaluateAll((els, dir) => {
    const prefix = dir ? dir + "/" : "";
    return els
      .filter((e) => e.dataset.path.startsWith(prefix) && e.dataset.path.length > prefix.length && !e.dataset.path.slice(prefix.length).includes("/"))
      .map((e) => ({ ino: +e.dataset.ino, size: +e.dataset.size, name: e.dataset.name }));
  }, dir);
}

const selectedPath = (page) => page.locator("[data-testid=file-row][aria-selected=true]").getAttribute("data-path");
const hashPath = (page) => page.evaluate(() => decodeURIComponent(location.hash.replace(/^#\/files\/?/, "").replace(/\?.*$/, "")));

// ------------------------------------------------------------------ tests

test("tree: the root and /etc equal debugfs ls -l, expanded by click and by key", async (page) => {
  await openImage(page, "#/files/");
  await row(page, "etc").waitFor();
  const want = ls(IMG, "/").map(({ ino, size, name }) => ({ ino, size, name }));
  assert.deepEqual(await childRows(page, ""), want);
  // Expand /etc with a click.
  await row(page, "etc").locator(".ft-name").click();
  await row(page, "etc/passwd").waitFor();
  assert.deepEqual(await childRows(page, "etc"), ls(IMG, "/etc").map(({ ino, size, name }) => ({ ino, size, name })));
  assert.ok(!(await childRows(page, "etc")).some((r) => r.name === "orphan"), "the unlinked file is not listed");
  // Symlink targets: a fast one (in i_block, debugfs stat says it) and a slow one (in a block, debugfs cat reads it).
  const fast = debugfs(IMG, "stat /etc/passwd-link").match(/Fast link dest: "(.*)"/)[1];
  assert.equal(await row(page, "etc/passwd-link").locator("[data-testid=link-target]").innerText(), `→ ${fast}`);
  const slow = debugfs(IMG, "cat /etc/slow-link");
  assert.ok(slow.length > 60, "a slow symlink");
  assert.equal(await row(page, "etc/slow-link").locator("[data-testid=link-target]").textContent(), `→ ${slow}`);
  // Keyboard: select the deep path's top, → opens it, ↓ moves in, Enter on a file opens its inode page.
  const tree = page.locator("[data-testid=file-tree]");
  await row(page, "a").locator(".ft-name").click(); // selects and expands a
  await row(page, "a/b").waitFor();
  await tree.focus();
  await page.keyboard.press("ArrowDown"); // a/b
  await page.waitForFunction(() => location.hash.includes("#/files/a/b"));
  assert.equal(await selectedPath(page), "a/b");
  await page.keyboard.press("ArrowRight"); // expand a/b
  await row(page, "a/b/c").waitFor();
  await page.keyboard.press("ArrowDown"); // a/b/c
  assert.equal(await selectedPath(page), "a/b/c");
  await page.keyboard.press("ArrowLeft"); // a/b/c is closed: go up to a/b
  assert.equal(await selectedPath(page), "a/b");
  await page.keyboard.press("ArrowLeft"); // collapse a/b
  await row(page, "a/b/c").waitFor({ state: "detached" });
  assert.equal(await hashPath(page), "a/b");
  // README is a file: Enter opens its inode page.
  await row(page, "README").locator(".ft-name").click();
  await tree.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => location.hash.startsWith(`#/inode/${n}`), inodeOf(IMG, "/README"));
  await page.goBack();
  await page.locator("[data-testid=files-view]").waitFor();
});

test("htree: 2500 entries open fast, every one equals debugfs ls -l, End reaches the last", async (page) => {
  const want = ls(IMG, "/big");
  assert.equal(want.length, BIG);
  assert.match(debugfs(IMG, "stat /big"), /Flags: 0x[0-9a-f]*1[0-9a-f]{3}\b/, "big is hash-indexed");
  await openImage(page, "#/files/");
  await row(page, "big").waitFor();
  const t0 = Date.now();
  await row(page, "big").locator(".ft-name").click();
  await row(page, `big/${want[0].name}`).waitFor();
  const openMs = Date.now() - t0;
  const info = page.locator("[data-testid=dir-info]");
  assert.equal(await info.getAttribute("data-total"), String(BIG));
  assert.match(await info.innerText(), /htree/);
  // Virtualised: far fewer rows in the DOM than entries.
  const inDom = await page.locator("[data-testid=file-row]").count();
  assert.ok(inDom < 150, `${inDom} rows in the DOM`);
  // Scroll through the whole directory and collect every row.
  const seen = new Map();
  const t1 = Date.now();
  for (let i = 0; i < 400; i++) {
    await page.waitForFunction(() => !document.querySelector(".ft-row.placeholder"));
    for (const r of await childRows(page, "big")) seen.set(r.name, r);
    const atEnd = await page.locator("[data-testid=file-tree]").evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight - 60;
      return end;
    });
    if (atEnd) break;
    await page.waitForTimeout(20);
  }
  const scrollMs = Date.now() - t1;
  const got = want.map((w) => seen.get(w.name));
  assert.deepEqual(got, want.map(({ ino, size, name }) => ({ ino, size, name })));
  console.log(`     /big (${BIG} entries, htree): opened in ${openMs} ms, scrolled end to end in ${scrollMs} ms`);
  // End selects the tree's last row: the last entry of / (big sits in the middle).
  await page.locator("[data-testid=file-tree]").focus();
  await page.keyboard.press("End");
  const rootLast = ls(IMG, "/").at(-1).name;
  await page.waitForFunction((p) => /#\/files\/([^?]*)/.exec(location.hash)?.[1] === p, rootLast);
  assert.ok(await row(page, rootLast).isVisible());
  // A link to big's last entry opens the tree there: its page is fetched, the row scrolled into view.
  const last = `big/${want.at(-1).name}`;
  await page.goto(BASE + `#/files/${last}`);
  await page.waitForFunction((p) => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === p, last);
  assert.ok(await row(page, last).isVisible());
  assert.equal(await row(page, last).getAttribute("data-ino"), String(want.at(-1).ino));
  await page.locator("[data-testid=file-tree]").focus();
  await page.keyboard.press("ArrowUp");
  assert.equal(await selectedPath(page), `big/${want.at(-2).name}`);
  await page.keyboard.press("Home");
  await page.waitForFunction(() => /#\/files\/?(\?|$)/.test(location.hash));
});

test("order: by name lists the same entries sorted by their bytes; the selection stays", async (page) => {
  const pick = ({ ino, size, name }) => ({ ino, size, name });
  const byName = (xs) => [...xs].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))).map(pick);
  await openImage(page, "#/files/etc/hosts");
  await row(page, "etc/hosts").waitFor();
  const root = ls(IMG, "/");
  assert.notDeepEqual(root.map(pick), byName(root), "on-disk order differs from name order here");
  assert.deepEqual(await childRows(page, ""), root.map(pick));
  await page.locator("[data-testid=order-name]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=order-name]").getAttribute("aria-pressed") === "true");
  await page.waitForFunction((first) => document.querySelector("[data-testid=file-row][data-path]:not([data-path=''])")?.dataset.path === first, byName(root)[0].name);
  await row(page, "etc/hosts").waitFor();
  await page.waitForFunction(() => !document.querySelector(".ft-row.placeholder"));
  assert.deepEqual(await childRows(page, ""), byName(root));
  assert.deepEqual(await childRows(page, "etc"), byName(ls(IMG, "/etc")));
  assert.equal(await selectedPath(page), "etc/hosts");
  // The htree directory: its first rows are the first names.
  await row(page, "big").locator(".ft-name").click();
  await row(page, "big/entry-00000").waitFor();
  await page.waitForFunction(() => !document.querySelector(".ft-row.placeholder"));
  const got = await childRows(page, "big");
  assert.ok(got.length > 5, `${got.length} rows of big in view`);
  assert.deepEqual(got, byName(ls(IMG, "/big")).slice(0, got.length));
  // A link into big reveals its row in name order too.
  await page.goto(BASE + "#/files/big/entry-02000");
  await page.waitForFunction(() => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === "big/entry-02000");
  assert.ok(await row(page, "big/entry-02000").isVisible());
  // Back to disk order.
  await page.locator("[data-testid=order-disk]").click();
  await page.waitForFunction(() => !document.querySelector(".ft-row.placeholder") && document.querySelector("[data-testid=order-disk]").getAttribute("aria-pressed") === "true");
  await page.waitForFunction((p) => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === p, "big/entry-02000");
});

test("search: by path, by inode number of a file and of a directory", async (page) => {
  await openImage(page, "#/files/");
  await row(page, "etc").waitFor();
  const search = page.locator("[data-testid=files-search]");
  await search.fill("/" + DEEP);
  await search.press("Enter");
  await row(page, DEEP).waitFor();
  assert.equal(await selectedPath(page), DEEP);
  assert.equal(await hashPath(page), DEEP);
  assert.equal(await row(page, DEEP).getAttribute("data-ino"), String(inodeOf(IMG, "/" + DEEP)));
  // A file by inode number: needs the tree walk.
  const passwd = inodeOf(IMG, "/etc/passwd");
  await search.fill(`#${passwd}`);
  await search.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#/files/etc/passwd"));
  await row(page, "etc/passwd").waitFor();
  assert.equal(await selectedPath(page), "etc/passwd");
  // A directory by bare number: found through its .. entries.
  const d = inodeOf(IMG, "/a/b/c");
  await search.fill(String(d));
  await search.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#/files/a/b/c"));
  await page.waitForFunction(() => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === "a/b/c");
  // A name with a space and non-ASCII letters round-trips through the URL.
  await search.fill("/" + SPACED);
  await search.press("Enter");
  await row(page, SPACED).waitFor();
  assert.equal(await hashPath(page), SPACED);
  assert.equal(+(await row(page, SPACED).getAttribute("data-size")), 1234);
  // A path that does not exist says so.
  await search.fill("/etc/nope");
  await search.press("Enter");
  await page.locator("[data-testid=files-notice]").waitFor();
  assert.match(await page.locator("[data-testid=files-notice]").innerText(), /\/etc\/nope: no such file/);
  assert.equal(await selectedPath(page), "etc");
});

test("inode page: Show in Files opens the tree at the inode's path", async (page) => {
  await openImage(page, "#/super");
  for (const path of ["etc/hosts", "a/b/c"]) {
    // Same document: the image stays open.
    await page.goto(BASE + `#/inode/${inodeOf(IMG, "/" + path)}`);
    await page.locator(`[data-testid=inode-view][data-ino="${inodeOf(IMG, "/" + path)}"]`).waitFor();
    await page.locator("[data-testid=show-in-files]").click();
    await page.waitForFunction((p) => location.hash.startsWith(`#/files/${p}?`), path);
    await page.waitForFunction((p) => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === p, path);
  }
});

test("a name that is not UTF-8: shown with its bytes, selectable, a link to it reopens there", async (page) => {
  await openImage(page, "#/files/odd");
  const r = page.locator("[data-testid=file-row][data-path^='odd/']");
  await r.waitFor();
  const name = await r.getAttribute("data-name");
  assert.equal(name, "bad-\ufffd\ufffd.bin");
  assert.match(await r.locator(".ft-name").getAttribute("title"), /bytes 6261642dfffe2e62696e/);
  const want = ls(IMG, "/odd");
  assert.equal(want.length, 1);
  assert.equal(+(await r.getAttribute("data-ino")), want[0].ino);
  assert.equal(+(await r.getAttribute("data-size")), want[0].size);
  await r.locator(".ft-name").click();
  await page.waitForFunction(() => location.hash.startsWith("#/files/odd/bad-%EF%BF%BD%EF%BF%BD.bin?"));
  await page.reload();
  await upload(page);
  await page.waitForFunction(() => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === "odd/bad-\ufffd\ufffd.bin");
  assert.equal(await page.locator("[data-testid=files-notice]").count(), 0);
});

test("reload on a deep path lands there; back returns to the previous path", async (page) => {
  await openImage(page, `#/files/${DEEP}`);
  await row(page, DEEP).waitFor();
  assert.equal(await selectedPath(page), DEEP);
  assert.ok(await row(page, DEEP).isVisible());
  const url = await page.locator("[data-testid=copy-link]").getAttribute("data-url");
  assert.match(url, new RegExp(`#/files/${DEEP}\\?fp=[0-9a-f]{16}$`));
  await page.reload();
  await page.locator("[data-testid=need-image]").waitFor();
  await upload(page);
  await row(page, DEEP).waitFor();
  assert.equal(await selectedPath(page), DEEP);
  assert.equal(await page.locator("[data-testid=fp-notice]").count(), 0);
  // The tree has the focus: ↑ moves the selection to the directory above, and the URL follows.
  await page.keyboard.press("ArrowUp");
  await page.waitForFunction(() => location.hash.startsWith("#/files/a/b/c/d/e?"));
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction((p) => location.hash.startsWith(`#/files/${p}?`), DEEP);
  // Two searches, then back: the first path again, expanded and selected.
  const search = page.locator("[data-testid=files-search]");
  await search.fill("/etc/hosts");
  await search.press("Enter");
  await row(page, "etc/hosts").waitFor();
  await search.fill("/big");
  await search.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === "big");
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith("#/files/etc/hosts"));
  await page.waitForFunction(() => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === "etc/hosts");
  await page.goBack();
  await page.waitForFunction((p) => location.hash.startsWith(`#/files/${p}`), DEEP);
  await page.waitForFunction((p) => document.querySelector("[data-testid=file-row][aria-selected=true]")?.dataset.path === p, DEEP);
});

test("lost+found and unreachable inodes equal debugfs and e2fsck -fn", async (page) => {
  const orphan = ORPHAN;
  await openImage(page, "#/files/");
  const lost = page.locator("[data-testid=lost-found]");
  await lost.waitFor();
  const wantLost = ls(IMG, "/lost+found");
  assert.deepEqual(
    await lost.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ name: tr.cells[0].innerText, ino: +tr.cells[3].innerText }))),
    wantLost.map(({ name, ino }) => ({ name, ino })),
  );
  // e2fsck's unattached inodes are the ones the walk finds.
  const fsck = spawnSync("e2fsck", ["-fn", IMG], { encoding: "utf8", env: ENV });
  const unattached = [...fsck.stdout.matchAll(/Unattached (?:zero-length )?inode (\d+)/g)].map((m) => +m[1]);
  assert.deepEqual(unattached, [orphan], fsck.stdout);
  await page.locator("[data-testid=unreachable-start]").click();
  await page.locator("[data-testid=unreachable-done]").waitFor({ timeout: 60000 });
  const rows = await page.locator("[data-testid=unreachable-row]").evaluateAll((els) => els.map((e) => +e.dataset.ino));
  assert.deepEqual(rows, unattached);
  const cells = await page.locator("[data-testid=unreachable-row]").first().locator("td").allInnerTexts();
  assert.equal(cells[1], "file");
  assert.equal(+cells[3], 5000);
  // Walk results stay with the image: a new page of the same open image shows them.
  await page.goto(BASE + "#/super");
  await page.goto(BASE + "#/files/etc");
  await page.locator("[data-testid=unreachable-done]").waitFor();
  // The unlinked name is still in /etc's block, in the slack after a live entry
  // (debugfs ls -d shows it in <>), with the inode number it had.
  const lsd = debugfs(IMG, "ls -d -l /etc");
  assert.match(lsd, /^<\s*0>.* orphan$/m, lsd);
  const del = page.locator("[data-testid=deleted-entries]");
  await del.locator("summary").click();
  const items = await del.locator("[data-testid=deleted-entry]").evaluateAll((els) => els.map((e) => ({ name: e.dataset.name, ino: +e.dataset.ino })));
  assert.deepEqual(items, [{ name: "orphan", ino: orphan }]);
  // The unreachable inode's number has no path: the search says so.
  const search = page.locator("[data-testid=files-search]");
  await search.fill(`#${orphan}`);
  await search.press("Enter");
  await page.locator("[data-testid=files-notice]").waitFor();
  assert.match(await page.locator("[data-testid=files-notice]").innerText(), new RegExp(`Inode ${orphan}: .*not reached`));
});

test("a directory block with a bad checksum: marked, its problem listed, its entries still shown (e2fsck -fn agrees)", async (page) => {
  const bad = join(TMP, "bad-csum.img");
  copyFileSync(IMG, bad);
  const ino = inodeOf(bad, "/a/b");
  const bs = +sh("dumpe2fs", ["-h", bad]).match(/Block size:\s+(\d+)/)[1];
  const blk = +debugfs(bad, "blocks /a/b").trim().split(/\s+/)[0];
  // Flip the last byte of the leaf's checksum tail.
  const fd = openSync(bad, "r+");
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, blk * bs + bs - 1);
  b[0] ^= 0xff;
  writeSync(fd, b, 0, 1, blk * bs + bs - 1);
  closeSync(fd);
  const fsck = spawnSync("e2fsck", ["-fn", bad], { encoding: "utf8", env: ENV });
  assert.match(fsck.stdout, new RegExp(`Directory inode ${ino}, block #0: directory passes checks but fails checksum`), fsck.stdout);
  await page.goto(BASE + "#/files/a/b");
  await page.locator("[data-testid=file-input]").setInputFiles(bad);
  await row(page, "a/b/c").waitFor();
  const info = page.locator(`[data-testid=dir-info][data-ino="${ino}"]`);
  await info.waitFor();
  assert.match(await info.innerText(), /1 of 1 block checksums bad/);
  assert.match(await info.locator(".problems").innerText(), /checksum/);
  const want = ls(bad, "/a/b", { noCsum: true });
  assert.equal(want.length, 1);
  assert.deepEqual(await childRows(page, "a/b"), want.map(({ ino, size, name }) => ({ ino, size, name })));
});

test("screenshots: light and dark at 1280x800", async (page) => {
  await openImage(page, `#/files/etc/passwd`);
  await row(page, "etc/passwd").waitFor();
  await row(page, "a").locator(".ft-name").click();
  await row(page, "a/b").waitFor();
  await page.locator("[data-testid=unreachable-start]").click();
  await page.locator("[data-testid=unreachable-done]").waitFor({ timeout: 60000 });
  await row(page, "etc/passwd").locator(".ft-name").click();
  // Nothing wider than the window.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page wider than the window by ${overflow}px`);
  await shot(page, "files.png");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "files-dark.png");
});

// ------------------------------------------------------------------ run

await runPages("files", tests, async ({ base, context: c }) => {
  BASE = base;
  context = c;
  const t0 = Date.now();
  IMG = makeImage();
  assert.match(debugfs(IMG, `stat <${ORPHAN}>`), /Size: 5000/);
  console.log(`     image made in ${Date.now() - t0} ms`);
});
