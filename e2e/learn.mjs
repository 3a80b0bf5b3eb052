// #/learn in headless Chromium: the landing page and the header link the
// guided scenarios; every scenario is walked start to end in every variant
// with the arrow keys, each step's verdict, exit code and write range
// compared with `ext4scope learn NAME IMAGE --variant V --json` run now (the
// same core natively); crashes at two points (C at a step's end, a crash
// point of the step by its badge) switch the whole app to the simulated disk,
// the check view agrees; back leaves the crash; a step's link reopens in a
// fresh profile.
//
//   node e2e/learn.mjs                 serves ../dist itself
//   E2E_SUITE=learn bash e2e/run.sh

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import assert from "node:assert/strict";

import { suite, sh, ROOT } from "./lib.mjs";

const s = suite("learn");

const images = {};
function sample(name) {
  if (!images[name]) {
    images[name] = join(s.tmp, `${name}.img`);
    writeFileSync(images[name], gunzipSync(readFileSync(join(ROOT, `static/samples/${name}.img.gz`))));
  }
  return images[name];
}

/** `ext4scope learn …` (built by cargo when needed), its JSON. */
function cli(...args) {
  return JSON.parse(sh("cargo", ["run", "-q", "--locked", "-p", "ext4scope-cli", "--", "learn", ...args, "--json"], { cwd: ROOT, maxBuffer: 1 << 28 }));
}

const walks = {};
function walk(sc, variant) {
  const key = `${sc.name}/${variant}`;
  walks[key] ??= cli(sc.name, sample(sc.sample), "--variant", variant);
  return walks[key];
}

/** The step card once it shows step I (1-based): its data attributes. */
async function stepAt(page, i) {
  const card = page.locator(`[data-testid=learn-step][data-step='${i}']`);
  await card.waitFor({ timeout: 120000 });
  const a = (n) => card.getAttribute(n);
  return { steps: +(await a("data-steps")), first: +(await a("data-first")), end: +(await a("data-end")), verdict: await a("data-verdict") };
}

/** The outcome card once it shows point K. */
async function outcomeAt(page, k) {
  const card = page.locator(`[data-testid=learn-outcome][data-point='${k}']`);
  await card.waitFor({ timeout: 60000 });
  return { verdict: await card.getAttribute("data-verdict"), exit: +(await card.getAttribute("data-exit")) };
}

/** Wait until the app shows the simulated disk after K writes. */
async function stateAt(page, k) {
  await page.locator(`[data-testid=sim-state][data-k='${k}']`).waitFor({ timeout: 60000 });
  await page.locator("[data-testid=crash-notice]").waitFor({ state: "detached" });
}

let scenarios = null;

// ------------------------------------------------------------------- tests

s.test("the landing page and the header link the scenarios; the list is the CLI's", async ({ page }) => {
  const want = cli();
  scenarios = want.scenarios ?? want;
  assert.ok(Array.isArray(scenarios) && scenarios.length >= 6, `the CLI lists the scenarios: ${JSON.stringify(want).slice(0, 200)}`);
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=home-learn] a").click();
  await page.waitForFunction(() => location.hash.startsWith("#/learn"));
  const list = page.locator("[data-testid=learn-list]");
  await list.waitFor();
  const names = await list.locator("li[data-scenario]").evaluateAll((l) => l.map((x) => x.dataset.scenario));
  assert.deepEqual(names, scenarios.map((x) => x.name));
  for (const x of scenarios) {
    const card = list.locator(`li[data-scenario='${x.name}']`);
    assert.equal(await card.locator("h2").textContent(), x.title);
    assert.match(await card.innerText(), new RegExp(`${x.sample} sample`));
  }
  assert.equal(await page.locator("[data-testid=tab-learn]").getAttribute("aria-current"), null);
  assert.match(await page.locator("[data-testid=tab-learn]").getAttribute("class"), /current/);
  await s.shot(page, "learn");
});

s.test("every scenario walked start to end in every variant with → and ←: each step as the CLI walks it", async ({ page }) => {
  assert.ok(scenarios, "the list test ran first");
  let walked = 0;
  for (const sc of scenarios) {
    for (const [vi, v] of sc.variants.entries()) {
      const want = walk(sc, v.name);
      const n = want.steps.length;
      // The first variant is the scenario's link on the list; the others by name.
      if (vi === 0) {
        await page.goto(s.base + "#/learn");
        await page.locator(`li[data-scenario='${sc.name}'] [data-testid=learn-open]`).click();
      } else {
        await page.locator(`[data-testid=learn-variants] a[data-variant='${v.name}']`).click();
        await page.waitForFunction((v) => location.hash.includes(`variant=${v}`), v.name);
      }
      await page.locator("[data-testid=image-name]", { hasText: sc.sample }).waitFor({ timeout: 60000 });
      for (let i = 1; i <= n; i++) {
        const st = want.steps[i - 1];
        const got = await stepAt(page, i);
        const where = `${sc.name}/${v.name} step ${i}`;
        assert.deepEqual(
          { steps: got.steps, first: got.first, end: got.end, verdict: got.verdict },
          { steps: n, first: st.writes[0], end: st.writes[1], verdict: st.crash.verdict },
          `${where}: the page's step is the CLI's`,
        );
        assert.equal(await page.locator("[data-testid=learn-ops]").innerText(), st.ops, `${where}: operations`);
        const narration = await page.locator("[data-testid=learn-narration] li").allInnerTexts();
        assert.deepEqual(narration, st.narration, `${where}: narration generated by the core`);
        const out = await outcomeAt(page, st.crash.point);
        assert.equal(out.exit, st.crash.exit_code, `${where}: e2fsck's exit code`);
        assert.equal(await page.locator("[data-testid=learn-changes] li").count(), st.changes.length, `${where}: one line per logged block`);
        const written = new Set(want.run.stream.writes.slice(st.writes[0], st.writes[1]).map((x) => x.block)).size;
        assert.equal(+(await page.locator("[data-testid=learn-disk]").getAttribute("data-blocks")), written, `${where}: the step's blocks against the disk`);
        if (i === 1 && vi === 0) await s.shot(page, `learn-${sc.name}`);
        await page.locator("h1").click();
        if (i < n) await page.keyboard.press("ArrowRight");
      }
      // ← goes back a step; the first step has no "previous".
      if (n > 1) {
        await page.keyboard.press("ArrowLeft");
        await stepAt(page, n - 1);
      }
      walked++;
    }
  }
  assert.equal(walked, scenarios.reduce((a, x) => a + x.variants.length, 0));
});

s.test("crash at two points: C at a step's end and a crash point's badge; the whole app and the checker follow; back leaves", async ({ page }) => {
  const sc = scenarios.find((x) => x.name === "migration");
  const want = walk(sc, "orphan-list");
  await page.goto(s.base + "#/learn/migration/1?variant=orphan-list");
  await page.locator("[data-testid=image-name]", { hasText: "ext3-migrate" }).waitFor({ timeout: 60000 });
  const st = want.steps[0];
  await stepAt(page, 1);
  // 1. C: a crash at the end of step 1.
  await page.locator("h1").click();
  await page.keyboard.press("c");
  await stateAt(page, st.crash.point);
  await page.locator("[data-testid=learn-crashed]").waitFor();
  const end = await outcomeAt(page, st.crash.point);
  assert.deepEqual(end, { verdict: st.crash.verdict, exit: st.crash.exit_code });
  assert.match(await page.evaluate(() => location.hash), new RegExp(`sim=.*k=${st.crash.point}`));
  await s.shot(page, "learn-crash-end");
  // 2. The point where the old design loses data, by its badge.
  const loss = want.crash_points.find((c) => c.verdict === "data-loss" && c.point >= st.writes[0] && c.point <= st.writes[1]);
  assert.ok(loss, `orphan-list loses data somewhere in step 1: ${want.crash_points.map((c) => `${c.point}:${c.verdict}`)}`);
  await page.locator(`[data-testid=learn-point][data-k='${loss.point}']`).click();
  await stateAt(page, loss.point);
  const got = await outcomeAt(page, loss.point);
  assert.deepEqual(got, { verdict: "data-loss", exit: loss.exit_code });
  // What mount does with that crashed disk, as the core says (a read-only
  // device cannot run the recovery the superblock asks for).
  const mountLine = (id) => page.locator(`[data-testid=learn-outcome] [data-testid=${id}]`).getAttribute("data-outcome");
  assert.deepEqual({ ro: await mountLine("mount-ro-line"), rw: await mountLine("mount-rw-line") }, { ro: loss.mount.ro, rw: loss.mount.rw });
  assert.equal(loss.mount.ro, "refused");
  assert.match(await page.locator("[data-testid=learn-outcome]").innerText(), /write access unavailable, cannot proceed/);
  assert.match(await page.locator("[data-testid=learn-outcome]").innerText(), /orphan cleanup at the next mount/);
  await page.locator("[data-testid=learn-outcome]").scrollIntoViewIfNeeded();
  await s.shot(page, "learn-crash-data-loss");
  // The check view reads the same simulated disk: e2fsck's verdict there.
  const hash = await page.evaluate(() => location.hash);
  await page.locator("[data-testid=learn-outcome] a", { hasText: "Check" }).click();
  const report = page.locator("[data-testid=check-report][data-complete='true']");
  await report.waitFor({ timeout: 60000 });
  await page.locator("[data-testid=sim-state]").waitFor();
  assert.match(await page.locator("[data-testid=sim-state]").innerText(), new RegExp(`after ${loss.point} of`));
  // The checker on the crashed disk before recovery: the learn outcome is after recovery and the mount.
  assert.ok(Number.isInteger(+(await report.getAttribute("data-exit"))));
  // Back: the step at the crash point again, then the step at its end.
  await page.goBack();
  await outcomeAt(page, loss.point);
  await page.goBack();
  await outcomeAt(page, st.crash.point);
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes("sim="));
  await page.locator("[data-testid=learn-crash]").waitFor();
  // The crash link reopens in a fresh profile: sample, step, simulated disk.
  const other = await s.newPage();
  await other.goto(s.base + hash);
  await stateAt(other, loss.point);
  assert.equal((await outcomeAt(other, loss.point)).verdict, "data-loss");
  await other.context().close();
  // The short form, opened by someone else: crash=K on a step is the same state.
  const third = await s.newPage();
  await third.goto(s.base + `#/learn/migration/1?variant=orphan-list&crash=${loss.point}`);
  await stateAt(third, loss.point);
  assert.equal((await outcomeAt(third, loss.point)).verdict, "data-loss");
  const h = await third.evaluate(() => location.hash);
  assert.match(h, new RegExp(`sim=.*k=${loss.point}`), `replaced by the long form: ${h}`);
  await third.context().close();
});

s.test("the revoke scenario shows the guard; your own operations open in Simulate", async ({ page }) => {
  const sc = scenarios.find((x) => x.name === "revoke");
  const want = walk(sc, sc.variants[0].name);
  const n = want.steps.length;
  await page.goto(s.base + `#/learn/revoke/${n}`);
  await stepAt(page, n);
  const guards = want.steps[n - 1].crash.revoke_guards ?? [];
  const text = await page.locator("[data-testid=learn-outcome]").innerText();
  for (const g of guards) assert.match(text, new RegExp(`revoke record of transaction ${g.revoked_in} keeps recovery from copying transaction ${g.logged_in}'s old block ${g.block}`));
  assert.ok(guards.length > 0, "the last step's crash has a revoke guard");
  await s.shot(page, "learn-revoke");
  await page.locator("[data-testid=learn-own]").click();
  await page.locator("[data-testid=sim-ops]").waitFor();
  assert.equal((await page.locator("[data-testid=sim-ops]").inputValue()).trim().split(/\s*[;\n]\s*/).filter(Boolean).join("; "),
    want.steps.map((x) => x.ops).join("; ").split(/\s*;\s*/).join("; "));
});

s.test("an unknown scenario says so and links the list", async ({ page }) => {
  await page.goto(s.base + "#/learn/no-such/1");
  await page.locator("[data-testid=learn-error]").waitFor();
  assert.match(await page.locator("[data-testid=learn-error]").innerText(), /No scenario `no-such`/);
});

await s.run();
