// The journal views and crash points in headless Chromium, on the image the
// kernel left with three committed, unreplayed transactions
// (tests/fixtures/crash/kernel-journal.img.gz, uploaded through the real file
// input): the timeline against `debugfs -R logdump`, each transaction's
// logged blocks against `logdump -a`, the whole app switched to the image as
// of a crash point (files, inodes, superblock), links with `crash=` reopened
// in a fresh profile, the replayed image downloaded and compared with what
// `e2fsck -E journal_only` makes of the same image; then a 128 MiB journal
// with thousands of transactions (debugfs jo/jw/jc), paged and virtualised.
//
//   node e2e/crash.mjs              serves ../dist itself
//   E2E_ONLY=timeline node e2e/crash.mjs

import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import assert from "node:assert/strict";

import { suite, sh, debugfs, ROOT } from "./lib.mjs";

const s = suite("crash");

// ------------------------------------------------------------------ images

const IMG = join(s.tmp, "kernel-journal.img");
writeFileSync(IMG, gunzipSync(readFileSync(join(ROOT, "tests/fixtures/crash/kernel-journal.img.gz"))));

/** `debugfs -R logdump`: the transactions in log order, and where the log ends. */
function logdump(img) {
  const text = debugfs(img, "logdump");
  const seqs = [];
  let committed = 0;
  for (const m of text.matchAll(/Found expected sequence (\d+), type (\d+)/g)) {
    const n = +m[1];
    if (seqs[seqs.length - 1] !== n) seqs.push(n);
    if (m[2] === "2") committed++;
  }
  const start = text.match(/Journal starts at block (\d+), transaction (\d+)/);
  const end = text.match(/No magic number at block (\d+): end of journal/);
  return { seqs, committed, start: +start[1], sequence: +start[2], end: end ? +end[1] : null };
}

/** `logdump -a` (REQ): per sequence, its tags "fs/journal/flags" in order, and its revoked blocks. */
function logdumpTags(img, req = "logdump -a") {
  const tags = new Map();
  const revoked = new Map();
  let seq = null;
  for (const line of debugfs(img, req).split("\n")) {
    let m;
    if ((m = line.match(/^Found expected sequence (\d+)/))) {
      seq = +m[1];
      if (!tags.has(seq)) tags.set(seq, []);
      if (!revoked.has(seq)) revoked.set(seq, []);
    } else if ((m = line.match(/FS block (\d+) logged at journal block (\d+) \(flags (0x[0-9a-f]+)\)/))) {
      tags.get(seq).push(`${m[1]}/${m[2]}/${m[3]}`);
    } else if ((m = line.match(/Revoke FS block (\d+)/))) {
      revoked.get(seq).push(+m[1]);
    }
  }
  return { tags, revoked };
}

const LOG = logdump(IMG);
const { tags: TAGS, revoked: REVOKED } = logdumpTags(IMG);
const HEAD = Object.fromEntries(
  sh("dumpe2fs", ["-h", IMG]).split("\n").map((l) => l.match(/^([^:]+):\s+(.*)$/)).filter(Boolean).map((m) => [m[1], m[2].trim()]));

/** The image after e2fsck replays its journal and nothing else. */
const RECOVERED = join(s.tmp, "recovered.img");
copyFileSync(IMG, RECOVERED);
sh("e2fsck", ["-E", "journal_only", "-y", RECOVERED]);
/** Names in `ls` of PATH in IMG (without . and ..). */
const names = (img, path) =>
  debugfs(img, `ls "${path}"`).split(/\s+/).filter((w) => w && !/^\(?\d+\)?$/.test(w) && w !== "." && w !== "..");
const sizeOf = (img, ino) => debugfs(img, `stat <${ino}>`).match(/Size: (\d+)/)[1];

// ----------------------------------------------------------------- helpers

/** Upload the crash image at HASH; return its fingerprint. */
async function open(page, hash = "#/") {
  await page.goto(s.base + hash);
  await page.locator("[data-testid=file-input]").setInputFiles(IMG);
  await page.locator("[data-testid=image-name]").waitFor();
  await page.waitForFunction(() => /fp=[0-9a-f]{16}/.test(location.hash));
  return (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

/** Wait until the worker shows crash point C ("disk", "all", "N"). */
async function stateIs(page, c) {
  await page.locator(`[data-testid=crash-control][data-crash='${c}']`).waitFor();
  await page.locator("[data-testid=crash-pending]").waitFor({ state: "detached" });
}

/** Names the Files view lists at the root (the tree's first level). */
async function rootNames(page) {
  await page.locator("[data-testid=file-row][data-path='']").waitFor();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=file-row]").length > 1);
  const paths = await page.locator("[data-testid=file-row]").evaluateAll((rows) => rows.map((r) => r.dataset.path));
  return paths.filter((p) => p && !p.includes("/")).sort();
}

// ------------------------------------------------------------------- tests

s.test("timeline: transactions and sequences equal debugfs logdump; superblock and verdict", async ({ page }) => {
  await open(page);
  await page.locator("a.tab", { hasText: "Journal" }).click();
  await page.locator("[data-testid=journal-view]").waitFor();
  await page.locator("[data-testid=tx-row]").first().waitFor();
  const seqs = await page.locator("[data-testid=tx-row]").evaluateAll((r) => r.map((x) => +x.dataset.seq));
  assert.deepEqual(seqs, LOG.seqs, "columns in log order");
  assert.equal(await page.locator("[data-testid=timeline-count]").getAttribute("data-total"), String(LOG.seqs.length));
  assert.equal(LOG.committed, LOG.seqs.length);
  for (const r of await page.locator("[data-testid=tx-row]").all()) assert.equal(await r.getAttribute("data-state"), "replayed");
  // Logged blocks per transaction, as logdump -a counts the tags.
  for (const seq of LOG.seqs) {
    const n = await page.locator(`[data-testid=tx-row][data-seq='${seq}']`).getAttribute("data-blocks");
    assert.equal(+n, TAGS.get(seq).length, `transaction ${seq}`);
  }
  // The journal superblock as dumpe2fs -h says, the log as logdump walks it.
  assert.equal(await page.locator("[data-field=j-start]").innerText(), String(LOG.start));
  assert.equal(await page.locator("[data-field=j-sequence]").innerText(), String(LOG.sequence));
  assert.match(await page.locator("[data-field=j-maxlen]").innerText(), new RegExp(`^${HEAD["Total journal blocks"]} blocks`));
  const features = await page.locator("[data-testid=j-features] [data-feature]").evaluateAll((l) => l.map((x) => x.dataset.feature));
  assert.deepEqual(features, HEAD["Journal features"].split(/\s+/));
  assert.match(await page.locator("[data-field=j-checksum]").innerText(), /crc32c/);
  assert.equal(await page.locator("[data-testid=j-end]").getAttribute("data-block"), String(LOG.end));
  const verdict = await page.locator("[data-testid=journal-verdict]").innerText();
  assert.match(verdict, new RegExp(`e2fsck replays transactions ${LOG.seqs[0]}–${LOG.seqs.at(-1)} \\(${LOG.seqs.length} transactions`));
  // The canvas names what is under the pointer; a click opens the transaction.
  const canvas = page.locator("[data-testid=timeline-canvas]");
  const pitch = +(await canvas.getAttribute("data-pitch"));
  await canvas.hover({ position: { x: pitch / 2, y: 31 } });
  await page.waitForFunction(() => /Transaction \d+ \(replayed\)/.test(document.querySelector("[data-testid=timeline-hover]").innerText));
  assert.match(await page.locator("[data-testid=timeline-hover]").innerText(),
    new RegExp(`Transaction ${LOG.seqs[0]} \\(replayed\\): ${TAGS.get(LOG.seqs[0]).length} logged blocks.*journal block \\d+: descriptor block`));
  await s.shot(page, "crash-timeline");
  await page.emulateMedia({ colorScheme: "dark" });
  await canvas.hover({ position: { x: pitch * 2.5, y: 60 } });
  await s.shot(page, "crash-timeline-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await canvas.click({ position: { x: pitch * 1.5, y: 40 } });
  await page.waitForFunction((n) => location.hash.startsWith(`#/journal/${n}?`), LOG.seqs[1]);
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[1]}']`).waitFor();
});

s.test("transaction pages: logged blocks equal logdump -a's tags; revokes; ← → and back", async ({ page }) => {
  const fp = await open(page);
  for (const seq of LOG.seqs) {
    await go(page, `#/journal/${seq}?fp=${fp}`);
    await page.locator(`[data-testid=tx-view][data-seq='${seq}'] [data-testid=logged-row]`).first().waitFor();
    const rows = await page.locator("[data-testid=logged-row]").evaluateAll((r) =>
      r.map((x) => `${x.dataset.fsBlock}/${x.dataset.journalBlock}/${x.dataset.flags}`));
    assert.deepEqual(rows, TAGS.get(seq), `transaction ${seq}`);
    const revoked = await page.locator("[data-testid=revoked-block]").evaluateAll((l) => l.map((x) => +x.innerText));
    assert.deepEqual(revoked, REVOKED.get(seq), `revoked by ${seq}`);
    assert.match(await page.locator("[data-testid=tx-commit]").innerText(), /journal block \d+ ✓/);
    assert.match(await page.locator("[data-testid=tx-state]").innerText(), /recovery replays it/);
    if (seq === LOG.seqs[0]) {
      assert.equal(await page.locator("[data-testid=tx-against]").innerText(), "the block on disk");
      // The superblock (block 1 of a 1 KiB-block file system) decoded at home, and an inode changed.
      const sb = await page.locator("[data-testid=logged-row][data-fs-block='1']").innerText();
      assert.match(sb, /superblock/);
      assert.match(await page.locator("[data-testid=logged-table]").innerText(), /inode 12: /);
      // The copies a later transaction revokes are marked.
      for (const b of REVOKED.get(LOG.seqs[1])) {
        assert.match(await page.locator(`[data-testid=logged-row][data-fs-block='${b}']`).innerText(), new RegExp(`revoked by transaction ${LOG.seqs[1]}`));
      }
      await s.shot(page, "crash-transaction");
    } else {
      assert.equal(await page.locator("[data-testid=tx-against]").innerText(), `the block after transaction ${seq - 1}`);
    }
  }
  // Keyboard: ← → step through the log, back returns.
  await go(page, `#/journal/${LOG.seqs[0]}?fp=${fp}`);
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[0]}'] [data-testid=logged-row]`).first().waitFor();
  await page.keyboard.press("ArrowRight");
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[1]}'] [data-testid=logged-row]`).first().waitFor();
  await page.keyboard.press("ArrowRight");
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[2]}'] [data-testid=logged-row]`).first().waitFor();
  await page.keyboard.press("ArrowRight"); // the last: stays
  await page.keyboard.press("ArrowLeft");
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[1]}'] [data-testid=logged-row]`).first().waitFor();
  await page.goBack();
  await page.locator(`[data-testid=tx-view][data-seq='${LOG.seqs[2]}']`).waitFor();
  assert.match(await page.evaluate(() => location.hash), new RegExp(`^#/journal/${LOG.seqs[2]}\\?`));
});

s.test("crash point: files, inode and superblock pages change with it; back returns", async ({ page }) => {
  const fp = await open(page);
  // As on disk: what debugfs lists.
  await go(page, `#/files/?fp=${fp}`);
  assert.deepEqual(await rootNames(page), names(IMG, "/").sort());
  assert.ok(!(await rootNames(page)).includes("d"), "no /d on disk");
  // After transaction 2 (picked in the header's control): /d with its 300 files.
  await page.locator("[data-testid=crash-select]").selectOption(String(LOG.seqs[0]));
  await stateIs(page, String(LOG.seqs[0]));
  assert.match(await page.evaluate(() => location.hash), new RegExp(`^#/files/\\?fp=${fp}&crash=${LOG.seqs[0]}$`));
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=file-row]")].some((r) => r.dataset.path === "d"));
  const after2 = await rootNames(page);
  assert.ok(after2.includes("d") && !after2.includes("e"), after2.join(" "));
  await go(page, `#/files/d?fp=${fp}&crash=${LOG.seqs[0]}`);
  await page.locator("[data-testid=dir-info][data-total='300']").waitFor();
  await s.shot(page, "crash-files-after-2");
  // Inode 12 is /d then: a 6-block htree directory; on disk it is /e.
  await go(page, `#/inode/12?fp=${fp}&crash=${LOG.seqs[0]}`);
  await page.locator("[data-testid=inode-view]").waitFor();
  assert.equal((await page.locator("[data-field=size]").innerText()).split(" ")[0], "6144");
  assert.match(await page.title(), /after transaction 2/);
  await s.shot(page, "crash-inode-after-2");
  // After transaction 3 /d is gone; after recovery (all) it is what e2fsck recovers.
  await page.locator("[data-testid=crash-select]").selectOption(String(LOG.seqs[1]));
  await stateIs(page, String(LOG.seqs[1]));
  await go(page, `#/files/?fp=${fp}&crash=${LOG.seqs[1]}`);
  const after3 = await rootNames(page);
  assert.ok(!after3.includes("d") && !after3.includes("e"), after3.join(" "));
  await page.locator("[data-testid=crash-select]").selectOption("all");
  await stateIs(page, "all");
  assert.deepEqual(await rootNames(page), names(RECOVERED, "/").sort());
  await go(page, `#/inode/12?fp=${fp}&crash=all`);
  await page.locator("[data-testid=inode-view]").waitFor();
  assert.equal((await page.locator("[data-field=size]").innerText()).split(" ")[0], sizeOf(RECOVERED, 12));
  await go(page, `#/super?fp=${fp}&crash=all`);
  await page.locator("[data-field=uuid]").waitFor();
  assert.equal(await page.locator("[data-field=needs_recovery]").count(), 0, "recovery clears needs_recovery");
  assert.equal(await page.locator("[data-field=fingerprint]").innerText(), fp, "the fingerprint is the image's on disk");
  await s.shot(page, "crash-super-recovered");
  // Back through the states: inode 12 after 3, then … the disk again.
  await page.goBack();
  await page.locator("[data-testid=inode-view]").waitFor();
  await stateIs(page, "all");
  for (let i = 0; i < 4; i++) await page.goBack();
  await stateIs(page, String(LOG.seqs[0]));
  await page.locator("[data-testid=inode-view]").waitFor();
  assert.equal((await page.locator("[data-field=size]").innerText()).split(" ")[0], "6144");
  await page.goBack();
  await page.goBack();
  await page.goBack();
  await stateIs(page, "disk");
  assert.deepEqual(await rootNames(page), names(IMG, "/").sort());
});

s.test("a link with crash= reopens the same state in a fresh profile", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const fp = await open(page);
  await go(page, `#/inode/12?fp=${fp}&crash=${LOG.seqs[0]}`);
  await stateIs(page, String(LOG.seqs[0]));
  await page.locator("[data-testid=inode-view] [data-field=size]").waitFor();
  const button = page.locator("[data-testid=copy-link]").first();
  await button.click();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(url, await button.getAttribute("data-url"));
  assert.match(url, new RegExp(`#/inode/12\\?fp=${fp}&crash=${LOG.seqs[0]}$`));
  // Links inside the views carry the state too.
  const tab = await page.locator("a.tab", { hasText: "Files" }).getAttribute("href");
  assert.match(tab, new RegExp(`crash=${LOG.seqs[0]}`));

  const fresh = await s.newPage();
  await fresh.goto(url);
  await fresh.locator("[data-testid=need-image]").waitFor();
  await fresh.locator("[data-testid=file-input]").setInputFiles(IMG);
  await stateIs(fresh, String(LOG.seqs[0]));
  await fresh.locator("[data-testid=inode-view] [data-field=size]").waitFor();
  assert.equal((await fresh.locator("[data-field=size]").innerText()).split(" ")[0], "6144");
  assert.equal(await fresh.evaluate(() => location.hash), url.slice(url.indexOf("#")));
  assert.equal(await fresh.locator("[data-testid=fp-notice]").count(), 0, "same image");
  await s.shot(fresh, "crash-link-reopened");
  // And a reload keeps it.
  await fresh.reload();
  await fresh.locator("[data-testid=file-input]").setInputFiles(IMG);
  await stateIs(fresh, String(LOG.seqs[0]));
  await fresh.context().close();
});

s.test("a link to the built-in crash sample with crash= opens it in that state with no upload", async ({ page }) => {
  await page.goto(s.base + `#/files/d?sample=ext4-crash&crash=${LOG.seqs[0]}`);
  await stateIs(page, String(LOG.seqs[0]));
  await page.locator("[data-testid=dir-info][data-total='300']").waitFor();
  assert.equal(await page.locator("[data-testid=need-image]").count(), 0);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`^#/files/d\\?fp=[0-9a-f]{16}&crash=${LOG.seqs[0]}&sample=ext4-crash$`));
  // The header's control moves the whole app; the sample stays in the link.
  await page.locator("[data-testid=crash-select]").selectOption("disk");
  await stateIs(page, "disk");
  await page.waitForFunction(() => !location.hash.includes("crash=") && location.hash.includes("sample=ext4-crash"));
});

s.test("diff between two crash points and the replayed image downloaded (= e2fsck -E journal_only)", async ({ page }) => {
  const fp = await open(page);
  await go(page, `#/journal/diff?fp=${fp}&to=${LOG.seqs[0]}`);
  await page.locator("[data-testid=diff-view]").waitFor();
  const total = +(await page.locator("[data-testid=diff-total]").getAttribute("data-total"));
  assert.ok(total > 0);
  assert.equal(await page.locator("[data-testid=diff-row]").count(), Math.min(total, 128));
  // /d's first directory block held /e's entries on disk.
  assert.match(await page.locator("[data-testid=diff-row][data-fs-block='1172']").innerText(), /entry 'g1' removed/);
  await s.shot(page, "crash-diff");
  // From a state to itself: nothing.
  await page.locator("[data-testid=diff-from]").selectOption(String(LOG.seqs[0]));
  await page.waitForFunction(() => /^No block differs/.test(document.querySelector("[data-testid=diff-total]")?.innerText || ""));

  // After recovery, downloaded from the journal page.
  await go(page, `#/journal?fp=${fp}&crash=all`);
  await stateIs(page, "all");
  await page.locator("[data-testid=journal-verdict] [data-testid=download-state]").waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-testid=journal-verdict] [data-testid=download-state]").click(),
  ]);
  assert.equal(download.suggestedFilename(), "kernel-journal-recovered.img");
  const got = join(s.tmp, "downloaded.img");
  await download.saveAs(got);
  const a = readFileSync(got);
  const b = readFileSync(RECOVERED);
  assert.equal(a.length, b.length);
  // e2fsck also stamps the superblock (s_wtime, s_kbytes_written, s_checksum): compare the rest.
  const differ = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ.push(i);
  const allowed = (i) => (i >= 1024 + 0x30 && i < 1024 + 0x34) || (i >= 1024 + 0x178 && i < 1024 + 0x180) || (i >= 1024 + 0x3fc && i < 2048);
  assert.deepEqual(differ.filter((i) => !allowed(i)), [], "only the superblock's stamps differ");
  assert.match(await page.locator("[data-testid=download-state-status]").innerText(), /saved kernel-journal-recovered\.img/);
});

s.test("an empty journal: older transactions greyed as history, nothing to replay", async ({ page }) => {
  // Four transactions by debugfs, then replayed by e2fsck: s_start 0, the log intact in the ring.
  const img = join(s.tmp, "history.img");
  sh("truncate", ["-s", "16M", img]);
  sh("mkfs.ext4", ["-q", "-F", "-b", "1024", img]);
  writeFileSync(join(s.tmp, "hdata"), Buffer.alloc(4096, 0x33));
  const data = join(s.tmp, "hdata");
  sh("debugfs", ["-w", "-f", "-", img], {
    input: `jo\njw -b 300,301 ${data}\njc\njo\njw -b 302 ${data}\njc\njo\njw -r 300\njc\njo\njw -b 303 ${data}\njc\n`,
    stdio: ["pipe", "pipe", "pipe"],
  });
  sh("e2fsck", ["-E", "journal_only", "-y", img]);
  const old = logdumpTags(img, "logdump -a -O");
  const seqs = [...old.tags.keys()];
  assert.deepEqual(seqs, [1, 2, 3, 4]);
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  await page.locator("[data-testid=image-name]").waitFor();
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  assert.equal(await page.locator("[data-testid=crash-control]").count(), 0, "nothing to replay: no crash points");
  await go(page, `#/journal?fp=${fp}`);
  await page.locator("[data-testid=tx-row]").first().waitFor();
  const rows = await page.locator("[data-testid=tx-row]").evaluateAll((r) => r.map((x) => [+x.dataset.seq, x.dataset.state, +x.dataset.blocks]));
  assert.deepEqual(rows, seqs.map((n) => [n, "history", old.tags.get(n).length]));
  assert.equal(await page.locator("[data-field=j-start]").innerText(), "0");
  assert.match(await page.locator("[data-testid=journal-verdict]").innerText(), /The journal is empty \(s_start 0\): e2fsck replays nothing/);
  await s.shot(page, "crash-timeline-history");
  await go(page, `#/journal/3?fp=${fp}`);
  await page.locator("[data-testid=tx-view][data-seq='3']").waitFor();
  assert.match(await page.locator("[data-testid=tx-state]").innerText(), /^history/);
  const revoked = await page.locator("[data-testid=revoked-block]").evaluateAll((l) => l.map((x) => +x.innerText));
  assert.deepEqual(revoked, old.revoked.get(3));
  await go(page, `#/journal/1?fp=${fp}`);
  await page.locator("[data-testid=tx-view][data-seq='1'] [data-testid=logged-row]").first().waitFor();
  const tags = await page.locator("[data-testid=logged-row]").evaluateAll((r) =>
    r.map((x) => `${x.dataset.fsBlock}/${x.dataset.journalBlock}/${x.dataset.flags}`));
  assert.deepEqual(tags, old.tags.get(1));
  assert.match(await page.locator("[data-testid=tx-against]").innerText(), /^the block on disk/);
});

// A kernel-written fast-commit image: the area's tags as logdump -a prints them,
// and "after recovery" showing what the kernel's fast-commit replay leaves.
const FC = join(s.tmp, "fc-basic.img");
writeFileSync(FC, gunzipSync(readFileSync(join(ROOT, "tests/fixtures/fastcommit/fc-basic.img.gz"))));

s.test("fast commits: the area's tags equal logdump -a; after recovery the files are the kernel's", async ({ page }) => {
  const theirs = debugfs(FC, "logdump -a").split("\n").filter((l) => /^tag [A-Z_]+/.test(l)).map((l) => l.match(/^tag ([A-Z_]+)/)[1]);
  assert.ok(theirs.length > 10, `${theirs.length} fast-commit tags`);
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(FC);
  await page.locator("[data-testid=image-name]").waitFor();
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  await go(page, `#/journal?fp=${fp}`);
  await page.locator("[data-testid=fast-commit]").waitFor();
  const ours = await page.locator("[data-testid=fc-tag] code").evaluateAll((l) => l.map((x) => x.textContent));
  assert.deepEqual(ours.slice(0, theirs.length), theirs);
  await page.locator("[data-testid=fast-commit]").scrollIntoViewIfNeeded();
  await s.shot(page, "crash-fast-commit");
  // After recovery, every file the kernel shows has the kernel's size.
  const kernel = readFileSync(join(ROOT, "tests/fixtures/fastcommit/fc-basic.kernel.txt"), "utf8")
    .split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t"));
  await go(page, `#/super?fp=${fp}&crash=all`);
  await stateIs(page, "all");
  let checked = 0;
  for (const [path, ino, type, size] of kernel.filter((f) => f[2] === "regular file")) {
    await go(page, `#/inode/${ino}?fp=${fp}&crash=all`);
    const field = page.locator(`[data-testid=inode-view][data-ino='${ino}'] [data-field=size]`);
    await field.waitFor();
    assert.match(await field.innerText(), new RegExp(`^${size}\\b`), path);
    checked++;
  }
  assert.ok(checked >= 3, `${checked} files`);
});

// A 128 MiB journal with thousands of transactions, written by debugfs (never replayed).
const BIG = join(s.tmp, "big-journal.img");
const N_TX = Number(process.env.CRASH_BIG_TX || 2000);

s.test("timeline of a 128 MiB journal with thousands of transactions: paged, virtualised", async ({ page }) => {
  sh("truncate", ["-s", "600M", BIG]);
  sh("mkfs.ext4", ["-q", "-F", "-J", "size=128", BIG]);
  writeFileSync(join(s.tmp, "data"), Buffer.alloc(8192, 0x5a));
  const script = [];
  for (let i = 0; i < N_TX; i++) {
    const b = 5000 + ((i * 3) % 20000);
    script.push("jo", `jw -b ${b},${b + 1} ${join(s.tmp, "data")}`, "jc");
    if (i % 10 === 0) script.push("jo", `jw -r ${b}`, "jc");
  }
  sh("debugfs", ["-w", "-f", "-", BIG], { input: script.join("\n") + "\n", stdio: ["pipe", "pipe", "pipe"] });
  const log = logdump(BIG);
  assert.ok(log.seqs.length > 2000, `${log.seqs.length} transactions`);
  // Every message from the worker, measured.
  await page.addInitScript(() => {
    window.__msgs = [];
    const d = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
    Object.defineProperty(Worker.prototype, "onmessage", {
      set(f) { d.set.call(this, (ev) => { if (typeof ev.data === "string") window.__msgs.push(ev.data.length); return f(ev); }); },
      get() { return d.get.call(this); },
    });
  });
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(BIG);
  await page.locator("[data-testid=image-name]").waitFor();
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  await go(page, `#/journal?fp=${fp}`);
  await page.locator("[data-testid=tx-row]").first().waitFor({ timeout: 60000 });
  assert.equal(+(await page.locator("[data-testid=timeline-count]").getAttribute("data-total")), log.seqs.length);
  const first = await page.locator("[data-testid=tx-row]").evaluateAll((r) => r.map((x) => +x.dataset.seq));
  assert.deepEqual(first, log.seqs.slice(0, first.length));
  assert.ok(first.length < 100, `only the columns in view are listed (${first.length})`);
  // End: the last columns, fetched as they come into view.
  await page.locator(".tl-scroll").focus();
  await page.keyboard.press("End");
  await page.waitForFunction((last) =>
    [...document.querySelectorAll("[data-testid=tx-row]")].some((r) => +r.dataset.seq === last), log.seqs.at(-1), { timeout: 30000 });
  const last = await page.locator("[data-testid=tx-row]").evaluateAll((r) => r.map((x) => +x.dataset.seq));
  assert.deepEqual(last, log.seqs.slice(log.seqs.length - last.length));
  await s.shot(page, "crash-timeline-big");
  const sizes = await page.evaluate(() => window.__msgs);
  const max = Math.max(...sizes);
  assert.ok(max < 512 * 1024, `largest message from the worker: ${max} bytes`);
  // Half the crash points at most in the header's control, the rest through the journal page.
  const options = await page.locator("[data-testid=crash-select] option").count();
  assert.ok(options <= 303, `${options} options`);
  // The middle of the log: a transaction page of a journal that size.
  const mid = log.seqs[Math.floor(log.seqs.length / 2)];
  await go(page, `#/journal/${mid}?fp=${fp}`);
  await page.locator(`[data-testid=tx-view][data-seq='${mid}'] [data-testid=tx-total]`).waitFor({ timeout: 30000 });
});

await s.run();
