// The wasm core in the worker against the native core (see wasm-vs-native.sh):
// the scan and the check of IMG natively and in headless Chromium, median of
// RUNS; the renderer's peak memory on IMG and BIG_IMG. A bench, not a test.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { suite } from "../e2e/lib.mjs";

const { IMG, BIG_IMG, BIN } = process.env;
const RUNS = Number(process.env.RUNS || 5);
const s = suite("wasm-vs-native");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall ms of BIN ARGS (output discarded; check exits with e2fsck's code). */
function native(args) {
  const t0 = performance.now();
  try { execFileSync(BIN, args, { stdio: ["ignore", "ignore", "ignore"], maxBuffer: 1 << 30 }); } catch (e) { if (e.status == null) throw e; }
  return performance.now() - t0;
}

/** PID is a descendant of this node process (our Chromium's). */
function descends(pid) {
  for (let p = pid, i = 0; p && p !== "1" && i < 64; i++) {
    if (Number(p) === process.pid) return true;
    p = readFileSync(`/proc/${p}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1];
  }
  return false;
}

/** Chromium's renderer processes (page and its worker): their peak RSS in KiB. */
function rendererPeakKiB() {
  let peak = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.includes("--type=renderer") || !descends(pid)) continue;
      const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch { /* gone */ }
  }
  return peak;
}

async function openImage(page, img) {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  await page.locator("[data-field=uuid]").waitFor({ timeout: 120000 });
  return (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
}

/** Ms from setting HASH to DONE showing, timed in the page (a mutation
 *  observer: Playwright's own polling would add its latency). */
async function timed(page, hash, done, timeout = 600000) {
  await page.evaluate(({ h, sel }) => {
    window.__t0 = Date.now();
    window.__t1 = 0;
    const mo = new MutationObserver(() => {
      if (!window.__t1 && document.querySelector(sel)) { window.__t1 = Date.now(); mo.disconnect(); }
    });
    mo.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    location.hash = h;
  }, { h: hash, sel: done });
  await page.locator(done).waitFor({ timeout });
  return page.evaluate(() => (window.__t1 || Date.now()) - window.__t0);
}

const rows = [];
s.test("scan and check, native and in the worker", async () => {
  const nat = { scan: [], check: [] };
  const web = { scan: [], check: [] };
  for (let i = 0; i < RUNS; i++) {
    nat.scan.push(native(["scan", IMG, "--json"]));
    nat.check.push(native(["check", IMG, "--json"]));
    // A fresh page each run: a new worker, nothing cached but the OS page cache.
    const page = await s.newPage();
    const fp = await openImage(page, IMG);
    web.scan.push(await timed(page, `#/map?fp=${fp}`, "[data-testid=map-done]"));
    web.check.push(await timed(page, `#/check?fp=${fp}`, "[data-testid=check-report][data-complete='true']"));
    await page.context().close();
  }
  for (const k of ["scan", "check"]) {
    const n = median(nat[k]), w = median(web[k]);
    rows.push([k, n, w, w / n]);
  }
});

const mem = [];
for (const [label, img] of [["100k-inode image", IMG], ["15 TiB image", BIG_IMG]]) {
  if (!img) continue;
  s.test(`peak memory: ${label}`, async () => {
    const page = await s.newPage();
    const fp = await openImage(page, img);
    await timed(page, `#/map?fp=${fp}`, "[data-testid=map-done]");
    await timed(page, `#/check?fp=${fp}`, "[data-testid=check-report][data-complete='true']");
    mem.push([label, rendererPeakKiB()]);
    await page.context().close();
  });
}

s.test("report", async () => {
  console.log(`\n${IMG}, median of ${RUNS} runs (wall ms; the browser's includes messages and drawing)`);
  console.log("| | native | wasm (worker, Chromium) | ratio |\n| --- | ---: | ---: | ---: |");
  for (const [k, n, w, r] of rows) console.log(`| ${k} | ${n.toFixed(0)} | ${w.toFixed(0)} | ${r.toFixed(2)} |`);
  console.log("\n| renderer peak RSS (page + worker) | |\n| --- | ---: |");
  for (const [label, kib] of mem) console.log(`| ${label} | ${(kib / 1024).toFixed(1)} MiB |`);
});

await s.run();
