// #/check in headless Chromium: "what e2fsck would say" and "what mount
// would do" for the current state of an image uploaded through the real file
// input. The oracle is e2fsprogs, run here at test time: `e2fsck -fn -E
// problem_log=FILE` gives the exit code and every problem code it raised;
// the mount verdicts are compared with `ext4scope mount-verdict --json` (the
// CLI's own test holds those against the kernel's recorded answers).
//
//   node e2e/check.mjs              serves ../dist itself
//   E2E_ONLY=stop node e2e/check.mjs

import { readFileSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";

import { suite, sh, mkfs, debugfsWrite, inodeOf, ROOT } from "./lib.mjs";

const s = suite("check");

// ------------------------------------------------------------------ oracle

/** `e2fsck -fn -E problem_log` on a copy of IMG: { exit, codes (sorted, unique) }. */
function e2fsck(img) {
  const copy = join(s.tmp, "fsck-copy.img");
  const log = join(s.tmp, "fsck.xml");
  copyFileSync(img, copy);
  let exit = 0;
  try {
    execFileSync("e2fsck", ["-fn", "-E", `problem_log=${log}`, copy], { stdio: "ignore", env: { ...process.env, LC_ALL: "C" } });
  } catch (e) {
    exit = e.status;
  }
  const xml = readFileSync(log, "utf8");
  const codes = [...new Set([...xml.matchAll(/<problem code="(0x[0-9a-f]+)"/g)].map((m) => m[1]))].sort();
  return { exit, codes };
}

/** `ext4scope mount-verdict IMG --json` (built by cargo when needed). */
function mountVerdict(img) {
  const out = sh("cargo", ["run", "-q", "--locked", "-p", "ext4scope-cli", "--", "mount-verdict", img, "--json"], { cwd: ROOT });
  return JSON.parse(out);
}

const sample = (name) => {
  const img = join(s.tmp, `${name}.img`);
  writeFileSync(img, gunzipSync(readFileSync(join(ROOT, "static/samples", `${name}.img.gz`))));
  return img;
};

// ------------------------------------------------------------------ images

const BROKEN = sample("ext4-broken");
const CRASH = sample("ext4-crash");

/** A tree damaged now with debugfs -w: a lost directory, a wrong link count,
 * a directory entry to a cleared inode, a block freed in the bitmap. */
const DAMAGED = join(s.tmp, "damaged.img");
{
  const tree = join(s.tmp, "tree");
  for (const d of ["docs/old", "src", "lost-dir/inner"]) mkdirSync(join(tree, d), { recursive: true });
  for (let i = 0; i < 12; i++) writeFileSync(join(tree, "src", `f${i}.c`), `int f${i};\n`.repeat(200 * (i + 1)));
  writeFileSync(join(tree, "docs/old/notes.txt"), "notes\n".repeat(3000));
  writeFileSync(join(tree, "lost-dir/inner/x"), "x");
  mkfs(DAMAGED, "8M", ["-b", "1024", "-N", "256", "-E", "lazy_itable_init=0", "-U", "e2e7e57a-0000-4000-8000-00000000c4ec", "-d", tree]);
  const f3 = inodeOf(DAMAGED, "/src/f3.c");
  const notes = inodeOf(DAMAGED, "/docs/old/notes.txt");
  const block = +sh("debugfs", ["-R", `bmap <${notes}> 0`, DAMAGED]).trim();
  debugfsWrite(DAMAGED, [
    "unlink /lost-dir",
    `sif <${f3}> links_count 4`,
    "clri /src/f7.c",
    `freeb ${block}`,
  ]);
}

/** A clean image with a few thousand files, for stopping a check half way. */
const MANY = join(s.tmp, "many.img");
{
  const tree = join(s.tmp, "many");
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(tree, `d${d}`), { recursive: true });
    for (let i = 0; i < 100; i++) writeFileSync(join(tree, `d${d}`, `f${i}`), "");
  }
  mkfs(MANY, "32M", ["-N", "4096", "-d", tree]);
}

// ----------------------------------------------------------------- helpers

/** Upload IMG at #/check; return its fingerprint. */
async function openCheck(page, img) {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  await page.locator("[data-testid=image-name]").waitFor();
  await page.waitForFunction(() => /fp=[0-9a-f]{16}/.test(location.hash));
  await page.locator("a.tab", { hasText: "Check" }).click();
  await page.locator("[data-testid=check-card]").waitFor();
  return (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
}

/** The finished report as the page shows it: { exit, complete, codes, names, passes }. */
async function report(page, complete = "true") {
  const r = page.locator(`[data-testid=check-report][data-complete='${complete}']`);
  await r.waitFor({ timeout: 60000 });
  const items = await page.locator("[data-testid=check-problem]").evaluateAll((l) =>
    l.map((x) => ({ code: x.dataset.code, name: x.dataset.name, pass: x.dataset.pass })));
  return {
    exit: +(await r.getAttribute("data-exit")),
    codes: [...new Set(items.map((i) => i.code).filter(Boolean))].sort(),
    names: [...new Set(items.map((i) => i.name))].sort(),
    passes: await page.locator(".check-pass").evaluateAll((l) => l.map((x) => x.dataset.pass)),
    count: items.length,
  };
}

/** The mount card's outcomes: { ro, rw, noblock_validity: {ro, rw}, noload: {ro, rw} }. */
async function mountShown(page) {
  await page.locator("[data-testid=mount-ro]").waitFor();
  const at = (sel) => page.locator(sel).getAttribute("data-outcome");
  const opt = async (name) => {
    const cells = page.locator(`[data-option=${name}] .mount-option-row [data-outcome]`);
    return { ro: await cells.nth(0).getAttribute("data-outcome"), rw: await cells.nth(1).getAttribute("data-outcome") };
  };
  return {
    ro: await at("[data-testid=mount-ro]"),
    rw: await at("[data-testid=mount-rw]"),
    noblock_validity: await opt("noblock_validity"),
    noload: await opt("noload"),
    roLog: await page.locator("[data-testid=mount-ro] pre.klog").innerText(),
  };
}

function assertMount(shown, cli, what) {
  assert.equal(shown.ro, cli.ro.outcome, `${what}: read-only`);
  assert.equal(shown.rw, cli.rw.outcome, `${what}: read-write`);
  for (const o of ["noblock_validity", "noload"]) {
    assert.deepEqual(shown[o], { ro: cli.options[o].ro.outcome, rw: cli.options[o].rw.outcome }, `${what}: -o ${o}`);
  }
  for (const line of cli.ro.messages) assert.ok(shown.roLog.includes(line), `${what}: the kernel's line "${line}" is shown`);
}

// ------------------------------------------------------------------- tests

s.test("broken sample: exit code and problem codes equal e2fsck -fn's problem_log; grouped by pass; linked", async ({ page }) => {
  const want = e2fsck(BROKEN);
  assert.equal(want.exit, 4, "the sample is broken as made");
  const fp = await openCheck(page, BROKEN);
  const got = await report(page);
  assert.equal(got.exit, want.exit, "exit code");
  assert.deepEqual(got.codes, want.codes, "problem codes");
  assert.deepEqual(got.passes, ["1", "2", "4", "5"], "sections in e2fsck's order, only passes with problems");
  assert.match(await page.locator("[data-testid=check-exit]").innerText(), /exit 4/);
  // e2fsck's own wording and names, searchable.
  const text = await page.locator("[data-testid=check-report]").innerText();
  assert.match(text, /Inode 27, i_size is 1000, should be 20480\. +Fix\? no/);
  assert.match(text, /PR_1_BAD_I_SIZE/);
  assert.match(text, /0x01000c/);
  assert.match(text, /Pass 4: Checking reference counts/);
  await s.shot(page, "check");
  // A problem links to its inode's page, in the same image and state.
  await page.locator("[data-testid=check-problem][data-name=PR_1_BAD_I_SIZE] a", { hasText: "inode 27" }).click();
  await page.waitForFunction((fp) => location.hash.startsWith("#/inode/27?") && location.hash.includes(`fp=${fp}`), fp);
  await page.locator("[data-testid=image-name]").waitFor();
  // Back returns to the report, which the worker kept (no second run).
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith("#/check"));
  assert.equal((await report(page)).count, got.count);
  // The mount verdicts beside it, as the CLI gives them.
  assertMount(await mountShown(page), mountVerdict(BROKEN), "broken sample");
  await page.emulateMedia({ colorScheme: "dark" });
  await s.shot(page, "check-dark");
});

s.test("image damaged now with debugfs: same exit code and problem codes as e2fsck -fn", async ({ page }) => {
  const want = e2fsck(DAMAGED);
  assert.notEqual(want.exit, 0, "the damage is seen by e2fsck");
  await openCheck(page, DAMAGED);
  const got = await report(page);
  assert.equal(got.exit, want.exit, "exit code");
  assert.deepEqual(got.codes, want.codes, "problem codes");
  assert.ok(got.passes.includes("3"), "the unlinked directory is found in pass 3");
  await page.locator(".check-pass[data-pass='3']").scrollIntoViewIfNeeded();
  await s.shot(page, "check-damaged");
});

s.test("crash image: mount refuses ro (needs recovery) and mounts rw; on disk and replayed, as e2fsck says", async ({ page }) => {
  const fp = await openCheck(page, CRASH);
  const cli = mountVerdict(CRASH);
  assert.equal(cli.ro.outcome, "refused");
  assert.equal(cli.rw.outcome, "mounted-rw");
  const shown = await mountShown(page);
  assertMount(shown, cli, "crash image");
  assert.match(shown.roLog, /write access unavailable, cannot proceed \(try mounting with noload\)/);
  // On disk, e2fsck -n does not replay (it says it skips recovery) and checks what is there.
  const onDisk = e2fsck(CRASH);
  const got = await report(page);
  assert.equal(got.exit, onDisk.exit, "on disk: exit code");
  assert.deepEqual(got.codes, onDisk.codes, "on disk: problem codes");
  await s.shot(page, "check-crash-disk");

  // The state after recovery: what e2fsck says once the journal is replayed.
  const replayed = join(s.tmp, "crash-replayed.img");
  copyFileSync(CRASH, replayed);
  sh("e2fsck", ["-E", "journal_only", "-y", replayed]);
  const after = e2fsck(replayed);
  await page.evaluate((fp) => { location.hash = `#/check?fp=${fp}&crash=all`; }, fp);
  await page.locator("[data-testid=crash-control][data-crash='all']").waitFor();
  await page.locator("[data-testid=crash-pending]").waitFor({ state: "detached" });
  const r = await report(page);
  assert.equal(r.exit, after.exit, "replayed: exit code");
  assert.deepEqual(r.codes, after.codes, "replayed: problem codes");
  assert.match(await page.locator(".check-view .title-row").innerText(), /all|replay/i);
  const m = await mountShown(page);
  assertMount(m, mountVerdict(replayed), "replayed crash image");
  assert.equal(m.ro, "mounted-ro", "nothing left to recover");
  await s.shot(page, "check-crash-replayed");
});

s.test("stop: a partial report, then go on to the full one", async ({ page }) => {
  // Press Stop the moment it shows (before the scan of 3,000 inodes can end).
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const b = document.querySelector("[data-testid=check-stop]");
      if (b && !window.__stopped) { window.__stopped = true; b.click(); }
    }).observe(document, { childList: true, subtree: true });
  });
  const want = e2fsck(MANY);
  await openCheck(page, MANY);
  await page.locator("[data-testid=check-report][data-complete='false']").waitFor();
  assert.match(await page.locator("[data-testid=check-card]").innerText(), /stopped early: partial/);
  await s.shot(page, "check-stopped");
  await page.locator("[data-testid=check-resume]").click();
  const got = await report(page);
  assert.equal(got.exit, want.exit);
  assert.deepEqual(got.codes, want.codes);
  assert.equal(await page.locator("[data-testid=check-resume]").count(), 0);
});

await s.run();
