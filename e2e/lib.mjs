// What every browser suite needs: running e2fsprogs, serving dist/, a
// headless Chromium with console/CSP/request problems collected, a tiny test
// runner that prints "N passed, M failed" and screenshots failures.
//
//   import { suite, sh } from "./lib.mjs";
//   const s = suite("links");          // temp dir, screenshot dir
//   s.test("name", async ({ page }) => { ... });
//   await s.run();                     // exits the process

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, "..");
export const DIST = process.env.DIST || join(ROOT, "dist");
export const SHOTS = join(DIST, "screenshots");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** E2E_ONLY=substring runs only the tests whose name contains it. */
export const ONLY = process.env.E2E_ONLY || "";
mkdirSync(SHOTS, { recursive: true });

/** Run a command (UTC, C locale) and return its stdout. */
export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TZ: "UTC", LC_ALL: "C" },
    ...opts,
  });
}

/** stdout of a command that may exit non-zero after printing what is needed
 * (dumpe2fs on an image with bad checksums). */
export function shAnyway(cmd, args) {
  try {
    return sh(cmd, args);
  } catch (e) {
    if (typeof e.stdout === "string" && e.stdout) return e.stdout;
    throw e;
  }
}

/** debugfs -R REQ IMG (read-only). */
export const debugfs = (img, req) => sh("debugfs", ["-R", req, img]);

/** Inode number of PATH in IMG (debugfs stat; the path is quoted, so spaces work). */
export function inodeOf(img, path) {
  const m = debugfs(img, `stat "${path}"`).match(/Inode: (\d+)/);
  if (!m) throw new Error(`debugfs stat ${path}: no inode`);
  return +m[1];
}

/** Run debugfs -w with one request per line on IMG. */
export function debugfsWrite(img, requests) {
  return sh("debugfs", ["-w", "-f", "-", img], { input: requests.join("\n") + "\n", stdio: ["pipe", "pipe", "pipe"] });
}

/** A fresh image of SIZE made by mkfs.ext4 ARGS. */
export function mkfs(img, size, args) {
  rmSync(img, { force: true });
  sh("truncate", ["-s", size, img]);
  sh("mkfs.ext4", ["-q", "-F", ...args, img]);
}

const MIME = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json",
  ".gz": "application/gzip", ".png": "image/png",
};

/** A static server for dist/ on 127.0.0.1 (no listings, nothing outside dist). */
export function serveDist() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let p = resolve(DIST, "." + decodeURIComponent(url.pathname));
    if (p !== DIST && !p.startsWith(DIST + sep)) { res.writeHead(403).end(); return; }
    if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
    if (!existsSync(p)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": MIME[extname(p)] || "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(p));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const LAUNCH_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Load BASE + HASH in PAGE, choose IMG in the file input, wait until it is open. */
export async function openImageAt(page, base, img, hash = "#/") {
  await page.goto(base + hash);
  await page.locator("[data-testid=file-input]").setInputFiles(img);
  await page.locator("[data-testid=image-name]").waitFor();
}

/** Screenshot of the viewport to dist/screenshots/NAME (with its extension). */
export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name), fullPage: false });
}

/**
 * Run TESTS ([{ name, fn(page) }]) in one persistent Chromium profile, a new
 * page each, failing a test on any console or page error; `setup({ base,
 * context })` runs first (make images, set the suite's globals). Prints
 * "N passed, M failed" and exits.
 */
export async function runPages(name, tests, setup) {
  const server = process.env.BASE_URL ? null : await serveDist();
  const base = process.env.BASE_URL || `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), `ext4scope-${name}-profile-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: LAUNCH_ARGS,
  });
  let passed = 0;
  let failed = 0;
  try {
    await setup({ base, context });
    for (const t of tests) {
      if (ONLY && !t.name.includes(ONLY)) continue;
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const t0 = Date.now();
      try {
        await t.fn(page);
        if (errors.length) throw new Error(`console or page errors:\n${errors.join("\n")}`);
        passed++;
        console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${t.name}\n     ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
        const shot = join(SHOTS, `fail-${name}-${t.name.replace(/\W+/g, "-").slice(0, 40)}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
      }
      await page.close();
    }
  } catch (e) {
    failed++;
    console.log(`FAIL setup\n     ${(e && e.stack) || e}`);
  } finally {
    await context.close().catch(() => {});
    server?.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** A suite: its temp dir, tests, browser and problem log. */
export function suite(name) {
  const tmp = mkdtempSync(join(tmpdir(), `ext4scope-${name}-`));
  mkdirSync(SHOTS, { recursive: true });
  const tests = [];
  const problems = [];
  const s = {
    tmp,
    base: "",
    browser: null,
    problems,
    test: (title, fn) => tests.push({ title, fn }),
    /** A fresh page in a new, empty profile (as someone else opening a link). */
    async newPage() {
      const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
      });
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      page.setDefaultTimeout(20000);
      return page;
    },
    /** Screenshot of PAGE to dist/screenshots/NAME.png. */
    async shot(page, shotName) {
      const p = join(SHOTS, `${shotName}.png`);
      await page.screenshot({ path: p, fullPage: false });
      return p;
    },
    async run() {
      let server, passed = 0, failed = 0;
      try {
        if (process.env.BASE_URL) {
          s.base = process.env.BASE_URL;
        } else {
          if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/index.html missing: run trunk build --release first");
          server = await serveDist();
          s.base = `http://127.0.0.1:${server.address().port}/`;
        }
        s.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
        for (const t of tests) {
          if (ONLY && !t.title.includes(ONLY)) continue;
          const t0 = Date.now();
          const page = await s.newPage();
          try {
            await t.fn({ page });
            passed++;
            console.log(`ok   ${t.title} (${Date.now() - t0} ms)`);
          } catch (e) {
            failed++;
            console.log(`FAIL ${t.title}\n     ${String((e && e.stack) || e).split("\n").slice(0, 6).join("\n     ")}`);
            try { await s.shot(page, `FAILED-${name}-${t.title.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`); } catch {}
          } finally {
            await page.context().close().catch(() => {});
          }
        }
        if (problems.length) {
          failed++;
          console.log(`FAIL no console errors, page errors or CSP violations\n     ${problems.join("\n     ")}`);
        } else {
          passed++;
          console.log("ok   no console errors, page errors or CSP violations");
        }
      } catch (e) {
        failed++;
        console.log(`FAIL setup\n     ${(e && e.stack) || e}`);
      } finally {
        if (s.browser) await s.browser.close().catch(() => {});
        if (server) server.close();
        rmSync(tmp, { recursive: true, force: true });
      }
      console.log(`screenshots in ${SHOTS}`);
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
  return s;
}
