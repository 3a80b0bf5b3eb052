// #/simulate in headless Chromium: chattr +e on the ext3-migrate sample's
// fragmented file run by the simulator in the worker, the write stream, the
// crash point moved with the slider and the arrow keys (the whole app follows:
// the header, the inode page, the journal), the outcome of a point compared
// with `ext4scope simulate … --crash K --json` run now, the designs compared
// (a comparison cancelled first; then orphan-list loses data on a file with
// an extent leaf, the kernel never),
// errors next to the input, and a link reopened in a fresh profile.
//
//   node e2e/simulate.mjs              serves ../dist itself
//   E2E_SUITE=simulate bash e2e/run.sh

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import assert from "node:assert/strict";

import { suite, sh, inodeOf, ROOT, DIST } from "./lib.mjs";

const s = suite("simulate");

const IMG = join(s.tmp, "ext3-migrate.img");
writeFileSync(IMG, gunzipSync(readFileSync(join(ROOT, "static/samples/ext3-migrate.img.gz"))));
const FILE = "/var/log/fragmented";
const INO = inodeOf(IMG, FILE);
const OPS = `chattr +e ${FILE}; fsync ${FILE}`;

/** `ext4scope simulate IMG --ops OPS … --crash K --json` (built by cargo when needed). */
function cli(design, restartCommits, k) {
  const args = ["run", "-q", "--locked", "-p", "ext4scope-cli", "--", "simulate", IMG, "--ops", OPS, "--design", design, "--crash", String(k), "--json"];
  if (restartCommits) args.push("--restart-commits");
  return JSON.parse(sh("cargo", args, { cwd: ROOT }));
}

/** The outcome card once it shows point K: its data attributes. */
async function outcomeAt(page, k) {
  const card = page.locator(`[data-testid=sim-outcome][data-point='${k}']`);
  await card.waitFor({ timeout: 60000 });
  const a = (n) => card.getAttribute(n);
  return {
    verdict: await a("data-verdict"),
    exit: +(await a("data-exit")),
    replayed: (await a("data-replayed")).split(",").filter(Boolean).map(Number),
    codes: (await a("data-codes")).split(",").filter(Boolean),
  };
}

/** Wait until the worker shows the simulated disk after K writes. */
async function stateAt(page, k) {
  await page.locator(`[data-testid=sim-state][data-k='${k}']`).waitFor();
  await page.locator("[data-testid=crash-notice]").waitFor({ state: "detached" });
}

/** Move to route ROUTE keeping the link's image and state (its query), with PARAMS changed. */
async function go(page, route, params = {}) {
  await page.evaluate(({ route, params }) => {
    const q = new URLSearchParams(location.hash.split("?")[1] || "");
    for (const [k, v] of Object.entries(params)) v === null ? q.delete(k) : q.set(k, v);
    location.hash = `${route}?${q.toString()}`;
  }, { route, params });
}

async function flags(page) {
  await page.locator("[data-testid=inode-loading]").waitFor({ state: "detached" });
  await page.locator("h2", { hasText: "Flags" }).waitFor();
  return page.locator("[data-testid=inode-flags] [data-flag]").evaluateAll((l) => l.map((x) => x.dataset.flag));
}

async function run(page, { rc = false } = {}) {
  if (rc) await page.locator("[data-testid=sim-rc]").check();
  await page.locator("[data-testid=sim-run]").click();
  await page.locator("[data-testid=sim-stream]").waitFor();
}

// ------------------------------------------------------------------- tests

s.test("run chattr +e; fsync on the fragmented file: the stream, the slider, the outcome, the header", async ({ page }) => {
  await page.goto(s.base + "#/simulate?sample=ext3-migrate");
  await page.locator("[data-testid=sim-ops]").waitFor();
  assert.match(await page.locator("[data-testid=sim-ops]").inputValue(), /chattr \+e \/var\/log\/fragmented/, "the example fits the sample");
  await page.locator("[data-testid=sim-ops]").fill(OPS);
  await run(page);
  const stream = page.locator("[data-testid=sim-stream]");
  const want = cli("kernel", false, 0);
  assert.equal(+(await stream.getAttribute("data-writes")), want.stream.writes.length, "as many writes as the CLI's stream");
  assert.equal(+(await stream.getAttribute("data-end")), want.end);
  assert.equal(+(await stream.getAttribute("data-transactions")), 1, "one transaction for the fsync");
  // Run lands at the operations' end; the URL names the simulated state.
  await page.waitForFunction((k) => location.hash.includes("sim=") && location.hash.includes(`&k=${k}`), want.end);
  await stateAt(page, want.end);
  assert.match(await page.locator("[data-testid=sim-state]").innerText(), new RegExp(`simulated: after ${want.end} of ${want.stream.writes.length} writes`));
  const end = await outcomeAt(page, want.end);
  assert.equal(end.verdict, "clean");
  assert.deepEqual(end.replayed, [want.stream.transactions[0].tid]);
  // The groups of writes name their kinds; journal and home writes apart.
  const kinds = await page.locator("[data-testid=sim-groups] .sim-group").evaluateAll((l) => l.map((x) => x.dataset.kind));
  for (const k of ["superblock", "descriptor", "logged", "commit", "checkpoint"]) assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  await s.shot(page, "simulate");

  // Restarts committing: the kernel's crash windows show (a leaked temporary inode).
  await run(page, { rc: true });
  const rcRun = cli("kernel", true, 0);
  await page.waitForFunction((n) => document.querySelector("[data-testid=sim-stream]")?.dataset.writes === String(n), rcRun.stream.writes.length);
  const leakAt = rcRun.stream.transactions[0].commit_write + 1;
  await page.locator("[data-testid=sim-slider]").fill(String(leakAt));
  await stateAt(page, leakAt);
  const leak = await outcomeAt(page, leakAt);
  const leakCli = cli("kernel", true, leakAt).outcome;
  assert.equal(leak.verdict, "leak");
  assert.deepEqual(
    { verdict: leak.verdict, exit: leak.exit, replayed: leak.replayed, codes: leak.codes },
    { verdict: leakCli.verdict, exit: leakCli.exit_code, replayed: leakCli.replayed, codes: leakCli.codes },
    "the page's outcome is the CLI's",
  );
  // ← steps back one write: before that commit landed, nothing to replay, clean.
  await page.locator("h1").click();
  await page.keyboard.press("ArrowLeft");
  await stateAt(page, leakAt - 1);
  const before = await outcomeAt(page, leakAt - 1);
  assert.equal(before.verdict, "clean", "the verdict changes with the crash point");
  await page.keyboard.press("ArrowRight");
  await stateAt(page, leakAt);
  assert.match(await page.locator("[data-testid=sim-problems]").innerText(), /PR_1_ZERO_DTIME 0x01/);
  await s.shot(page, "simulate-leak");
});

s.test("the inode page and the journal read the simulated disk at each point", async ({ page }) => {
  await page.goto(s.base + "#/simulate?sample=ext3-migrate");
  await page.locator("[data-testid=sim-ops]").fill(OPS);
  await run(page);
  const r = cli("kernel", false, 0);
  const n = r.stream.writes.length;
  await stateAt(page, r.end);
  // Before any write: block-mapped.
  await go(page, `#/inode/${INO}`, { k: "0" });
  await stateAt(page, 0);
  assert.ok(!(await flags(page)).includes("EXTENTS_FL"), "at 0 writes the file is block-mapped");
  // After the clean unmount the checkpoint wrote the inode home: extents.
  await go(page, `#/inode/${INO}`, { k: String(n) });
  await stateAt(page, n);
  assert.ok((await flags(page)).includes("EXTENTS_FL"), `after ${n} writes the file has extents`);
  // The table's rows come from the worker page by page.
  await page.locator("[data-testid=extent-row][data-row='4']").waitFor();
  assert.ok((await page.locator("[data-testid=extent-row]").count()) > 4, "more extents than the inode holds: a leaf");
  await s.shot(page, "simulate-inode");
  // At the operations' end it is only in the journal; the journal view walks this disk.
  await go(page, `#/inode/${INO}`, { k: String(r.end) });
  await stateAt(page, r.end);
  assert.ok(!(await flags(page)).includes("EXTENTS_FL"), "committed, not yet at home");
  await go(page, "#/journal", {});
  await page.locator("[data-testid=crash-select]").waitFor();
  const points = await page.locator("[data-testid=crash-select] option").evaluateAll((l) => l.map((o) => o.value));
  assert.ok(points.includes(String(r.stream.transactions[0].tid)), `the simulated transaction is a crash point: ${points}`);
  await s.shot(page, "simulate-journal");
  // Replayed on top of the simulated disk: extents.
  await go(page, `#/inode/${INO}`, { crash: "all" });
  await page.locator("[data-testid=crash-control][data-crash='all']").waitFor();
  assert.ok((await flags(page)).includes("EXTENTS_FL"), "after recovery of the simulated disk");
  // Off the simulation: the image as on disk.
  await page.locator("[data-testid=sim-leave]").click();
  await page.waitForFunction(() => !location.hash.includes("sim="));
  await page.locator("[data-testid=sim-state]").waitFor({ state: "detached" });
  assert.ok(!(await flags(page)).includes("EXTENTS_FL"));
});

s.test("the designs side by side: orphan-list loses data on a file with a leaf, the kernel never", async ({ page }) => {
  await page.goto(s.base + "#/simulate?sample=ext3-migrate");
  await page.locator("[data-testid=sim-ops]").fill(OPS);
  await run(page);
  // Cancelled: the page lets go at once (Compare is enabled again, no table
  // comes later) and the worker drops the comparison between two slices.
  await page.locator("[data-testid=sim-compare]").click();
  await page.locator("[data-testid=sim-compare-cancel]").click();
  await page.locator("[data-testid=sim-compare-cancelled]").waitFor();
  assert.ok(await page.locator("[data-testid=sim-compare]").isEnabled(), "Compare is enabled again after Cancel");
  await page.waitForTimeout(3000);
  assert.equal(await page.locator("[data-testid=sim-compare-table]").count(), 0, "a cancelled comparison shows nothing");
  await page.locator("[data-testid=sim-compare]").click();
  const table = page.locator("[data-testid=sim-compare-table]");
  await table.waitFor({ timeout: 120000 });
  const cells = await table.locator("td[data-design]").evaluateAll((l) => l.map((x) => ({ d: x.dataset.design, k: +x.dataset.k, v: x.dataset.verdict })));
  const of = (d) => cells.filter((c) => c.d === d).map((c) => c.v);
  assert.ok(of("kernel").length > 5 && !of("kernel").includes("data-loss"), `kernel: ${of("kernel")}`);
  assert.ok(of("kernel").includes("leak"), "the kernel's windows leak the temporary inode");
  assert.ok(of("orphan-list").includes("data-loss"), `orphan-list: ${of("orphan-list")}`);
  for (const d of ["single-transaction", "in-memory-temp"]) assert.ok(of(d).every((v) => v === "clean"), `${d}: ${of(d)}`);
  assert.match(await page.locator("[data-testid=sim-compare-card]").innerText(), /every restart committing/);
  await page.locator("[data-testid=sim-compare-card]").scrollIntoViewIfNeeded();
  await s.shot(page, "simulate-compare");
  // A data-loss cell opens that design's state there, with the CLI's outcome.
  const loss = cells.find((c) => c.d === "orphan-list" && c.v === "data-loss");
  await table.locator(`td[data-design=orphan-list][data-k='${loss.k}'] a`).click();
  await page.waitForFunction((k) => location.hash.includes("design=orphan-list") && location.hash.includes("rc=1") && location.hash.includes(`k=${k}`), loss.k);
  await stateAt(page, loss.k);
  const got = await outcomeAt(page, loss.k);
  const want = cli("orphan-list", true, loss.k).outcome;
  assert.equal(got.verdict, "data-loss");
  assert.deepEqual({ exit: got.exit, replayed: got.replayed, codes: got.codes }, { exit: want.exit_code, replayed: want.replayed, codes: want.codes });
  const kept = await page.locator("[data-testid=sim-file]").getAttribute("data-kept");
  const f = want.files[0];
  assert.equal(+kept, f.blocks - f.unmapped - f.freed, "blocks kept as the CLI counts them");
  assert.ok(+kept < f.blocks);
  await s.shot(page, "simulate-data-loss");
  // The same link in a fresh profile reopens the sample, the run and the point.
  const hash = await page.evaluate(() => location.hash);
  const other = await s.newPage();
  await other.goto(s.base + hash);
  await stateAt(other, loss.k);
  assert.equal((await outcomeAt(other, loss.k)).verdict, "data-loss");
  await other.context().close();
});

s.test("errors next to the input: a bad line, and chattr +e where there is no extents feature", async ({ page }) => {
  await page.goto(s.base + "#/simulate?sample=ext3-migrate");
  await page.locator("[data-testid=sim-ops]").fill("sync\nchattr +x /var/log/fragmented");
  await page.locator("[data-testid=sim-run]").click();
  await page.locator("[data-testid=sim-error]").waitFor();
  assert.equal(await page.locator("[data-testid=sim-error]").innerText(), "line 2: `chattr`: only +e and -e are simulated (got `+x`)");
  assert.equal(await page.locator("[data-testid=sim-ops]").getAttribute("aria-invalid"), "true");
  assert.ok(!(await page.evaluate(() => location.hash)).includes("sim="), "nothing ran");
  await s.shot(page, "simulate-error");
  // The ext3 sample has no extents feature: EINVAL, as the kernel says.
  const other = await s.newPage();
  await other.goto(s.base + "#/simulate?sample=ext3-indirect");
  await other.locator("[data-testid=image-name]", { hasText: "ext3-indirect" }).waitFor();
  await other.locator("[data-testid=sim-ops]").fill("chattr +e /var/log/messages; fsync /var/log/messages");
  await other.locator("[data-testid=sim-run]").click();
  await other.locator("[data-testid=sim-error]").waitFor();
  assert.match(await other.locator("[data-testid=sim-error]").innerText(), /no extents feature \(EINVAL\)/);
  await other.context().close();
});

s.test("a stream of thousands of writes stays usable: grouped around the crash point, the slider moves", async ({ page }) => {
  const pair = "chattr +e /etc/passwd; fsync /etc/passwd; chattr -e /etc/passwd; fsync /etc/passwd\n";
  const ops = pair.repeat(300);
  const want = JSON.parse(sh("cargo", ["run", "-q", "--locked", "-p", "ext4scope-cli", "--", "simulate", IMG, "--ops", ops, "--restart-commits", "--json"], { cwd: ROOT }));
  const n = want.stream.writes.length;
  assert.ok(n > 2000, `${n} writes`);
  await page.goto(s.base + "#/simulate?sample=ext3-migrate");
  await page.locator("[data-testid=sim-ops]").fill(ops);
  const t0 = Date.now();
  await run(page, { rc: true });
  await page.waitForFunction((n) => document.querySelector("[data-testid=sim-stream]")?.dataset.writes === String(n), n);
  await stateAt(page, want.end);
  console.log(`     ${n} writes, ${want.stream.transactions.length} transactions: run to the state shown in ${Date.now() - t0} ms`);
  const rows = () => page.locator("[data-testid=sim-groups] .sim-group").count();
  assert.ok((await rows()) <= 240, `at most 240 groups listed, not ${await rows()}`);
  const mid = Math.floor(n / 2);
  const t1 = Date.now();
  await page.locator("[data-testid=sim-slider]").fill(String(mid));
  await stateAt(page, mid);
  await outcomeAt(page, mid);
  console.log(`     crash point moved to ${mid}: state and outcome in ${Date.now() - t1} ms`);
  const first = +(await page.locator("[data-testid=sim-groups] .sim-group").first().getAttribute("data-start"));
  assert.ok(first > 0 && first < mid, `the list is the groups around ${mid} (from write ${first})`);
  await page.locator("text=earlier groups of writes").waitFor();
  await s.shot(page, "simulate-long");
});

s.test("the home page links #/simulate on the sample made for it; dark theme", async ({ page }) => {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=home-simulate] a").click();
  await page.locator("[data-testid=image-name]", { hasText: "ext3-migrate" }).waitFor();
  assert.ok((await page.evaluate(() => location.hash)).startsWith("#/simulate"));
  await page.locator("a.tab.current", { hasText: "Simulate" }).waitFor();
  await page.emulateMedia({ colorScheme: "dark" });
  await run(page);
  await stateAt(page, 11);
  await outcomeAt(page, 11);
  await s.shot(page, "simulate-dark");
});

s.test("the app's wasm does not link the simulator (the worker runs it)", async () => {
  const { readdirSync } = await import("node:fs");
  const app = readFileSync(join(DIST, readdirSync(DIST).find((n) => /^app-.*_bg\.wasm$/.test(n)))).toString("latin1");
  const worker = readFileSync(join(DIST, "worker_bg.wasm")).toString("latin1");
  // Messages only the core's simulator has (sim/mod.rs, sim/migrate.rs, sim/outcome.rs).
  for (const m of ["blocks for the group preallocation (a shorter one", "ext4_ext_migrate", "so not truncated; only the inode is freed"]) {
    assert.ok(worker.includes(m), `the worker has "${m}"`);
    assert.ok(!app.includes(m), `the app has "${m}"`);
  }
});

// Chromium sometimes reports the sample's fetch as net::ERR_ABORTED a few ms
// after it starts on a page opened right after another test's context closed,
// though that page then opens the sample (one request, the image shown, the
// test passing). Logged here, not counted; any other failed request still is.
s.test("(sample fetches reported aborted by Chromium are logged, not counted)", async () => {
  const artefact = /^request failed: \S+\/samples\/[a-z0-9-]+\.img\.gz net::ERR_ABORTED$/;
  for (let i = s.problems.length - 1; i >= 0; i--) {
    if (artefact.test(s.problems[i])) console.log(`     note: ${s.problems.splice(i, 1)[0]}`);
  }
});

await s.run();
