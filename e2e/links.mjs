// Shareable links in headless Chromium: a link copied from each view (read
// back from the real clipboard) opens in a fresh browser profile, asks for the
// image, and lands on the same view once the image is given again; a link
// opened with another image says so and offers to go on; links to built-in
// samples open with no upload at all. The oracle for what the views show is
// debugfs on the same image.
//
//   node e2e/links.mjs                 serves ../dist itself
//   BASE_URL=http://127.0.0.1:8080/ node e2e/links.mjs

import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import assert from "node:assert/strict";

import { suite, sh, debugfs, mkfs, inodeOf, DIST } from "./lib.mjs";

const s = suite("links");

// ------------------------------------------------------------------ images

/** Two images that differ only in UUID (so in fingerprint). */
const TREE = join(s.tmp, "tree");
mkdirSync(join(TREE, "docs"), { recursive: true });
writeFileSync(join(TREE, "hello.txt"), "hello, links\n");
writeFileSync(join(TREE, "docs", "notes.md"), "# notes\n".repeat(700));
const A = join(s.tmp, "a.img");
const B = join(s.tmp, "b.img");
mkfs(A, "8M", ["-b", "1024", "-U", "11111111-2222-4333-8444-555555555555", "-L", "image-a", "-d", TREE]);
mkfs(B, "8M", ["-b", "1024", "-U", "66666666-7777-4888-8999-000000000000", "-L", "image-b", "-d", TREE]);

/** i_size of inode INO by debugfs. */
const sizeOf = (img, ino) => debugfs(img, `stat <${ino}>`).match(/Size: (\d+)/)[1];
/** The byte count the inode page shows ("13 bytes (13 bytes)", "1024 bytes (1 KiB)"). */
const shownSize = async (page) => (await page.locator("[data-field=size]").innerText()).split(" ")[0];
/** First data block of PATH by debugfs blocks. */
const firstBlock = (img, path) => Number(debugfs(img, `blocks ${path}`).trim().split(/\s+/)[0]);

// ----------------------------------------------------------------- helpers

async function uploadAt(page, img, hash = "#/") {
  await page.goto(s.base + hash);
  await page.locator("[data-testid=file-input]").setInputFiles(img);
}

/** Click "Copy link" and read the clipboard; it must equal the button's address. */
async function copyLink(page) {
  const button = page.locator("[data-testid=copy-link]").first();
  await button.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await button.getAttribute("data-url"), "clipboard holds the shown address");
  assert.ok(copied.startsWith(s.base), copied);
  return copied;
}

const hashOf = (url) => url.slice(url.indexOf("#"));

// ------------------------------------------------------------------- tests

const ROUTES = [
  // [route to open, a selector that says the view is there, what to compare]
  ["#/super", "[data-field=uuid]", async (p) => p.locator("[data-field=uuid]").innerText()],
  ["#/groups?g=0", "[data-group='0']", async (p) => p.locator("[data-group='0']").first().innerText()],
  ["#/group/0", "[data-testid=free-blocks]", async (p) => p.locator("[data-testid=free-blocks]").getAttribute("data-runs")],
  ["#/files/docs/notes.md", "[data-testid=file-row][aria-selected=true][data-path='docs/notes.md']",
    async (p) => p.locator("[data-testid=file-row][aria-selected=true]").getAttribute("data-ino")],
  [() => `#/inode/${inodeOf(A, "/docs/notes.md")}`, "[data-testid=inode-view]", async (p) => p.locator("[data-field=size]").innerText()],
  [() => `#/block/${firstBlock(A, "/hello.txt")}`, "[data-testid=block-view]", async (p) => p.locator("[data-testid=block-what]").innerText()],
  ["#/map", "[data-testid=map-canvas]", async (p) => p.locator("h1").first().innerText()],
];

s.test("a link copied from every view reopens that view in a fresh profile once the image is given", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await uploadAt(page, A);
  await page.locator("[data-field=uuid]").waitFor();
  const fp = new URL(page.url()).hash.match(/fp=([0-9a-f]{16})/)[1];
  let checked = 0;
  for (const [r, ready, what] of ROUTES) {
    const route = typeof r === "function" ? r() : r;
    await page.evaluate((h) => { location.hash = h; }, `${route}${route.includes("?") ? "&" : "?"}fp=${fp}`);
    await page.locator(ready).first().waitFor();
    const expected = await what(page);
    const url = await copyLink(page);
    assert.ok(hashOf(url).startsWith(route.split("?")[0]), `${url} is a link to ${route}`);
    assert.match(url, new RegExp(`fp=${fp}`));
    assert.doesNotMatch(url, /sample=/, "an uploaded image is not a sample");

    // Someone else opens it: the link says what it shows and asks for the image.
    const fresh = await s.newPage();
    await fresh.goto(url);
    await fresh.locator("[data-testid=need-image]").waitFor();
    assert.match(await fresh.locator(".need-image").innerText(), new RegExp(fp));
    await fresh.locator("[data-testid=file-input]").setInputFiles(A);
    await fresh.locator(ready).first().waitFor();
    assert.equal(await fresh.evaluate(() => location.hash), hashOf(url), "same view, same link");
    assert.equal(await fresh.locator("[data-testid=fp-notice]").count(), 0, "same image: no notice");
    assert.equal(await what(fresh), expected, `${route}: same content`);
    await fresh.context().close();
    checked++;
  }
  assert.equal(checked, ROUTES.length);
  // And the values are right: the inode page's size is debugfs's.
  const ino = inodeOf(A, "/docs/notes.md");
  await page.evaluate((h) => { location.hash = h; }, `#/inode/${ino}?fp=${fp}`);
  assert.equal(await shownSize(page), sizeOf(A, ino));
});

s.test("a link opened with another image says it does not match and offers to go on", async ({ page }) => {
  await uploadAt(page, A);
  await page.locator("[data-field=uuid]").waitFor();
  const fpA = new URL(page.url()).hash.match(/fp=([0-9a-f]{16})/)[1];
  const ino = inodeOf(A, "/hello.txt");
  const link = `#/inode/${ino}?fp=${fpA}`;

  const other = await s.newPage();
  await uploadAt(other, B, link);
  const notice = other.locator("[data-testid=fp-notice]");
  await notice.waitFor();
  assert.match(await notice.innerText(), new RegExp(`another image \\(fingerprint ${fpA}\\)`));
  assert.match(await notice.innerText(), /b\.img/);
  // The view is still the linked one, now on image B.
  await other.locator("[data-testid=inode-view]").waitFor();
  assert.equal(await shownSize(other), sizeOf(B, ino));
  const fpB = (await other.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  assert.notEqual(fpB, fpA);
  await s.shot(other, "link-mismatch");
  // Go on with this image: the notice goes, the view stays.
  await other.locator("[data-testid=fp-go-on]").click();
  await notice.waitFor({ state: "detached" });
  assert.match(await other.evaluate(() => location.hash), new RegExp(`^#/inode/${ino}\\?fp=${fpB}$`));

  // The same link again, then the right image from the notice: no notice, same view.
  await other.evaluate((h) => { location.hash = h; }, link);
  await notice.waitFor();
  await other.locator("[data-testid=fp-file-input]").setInputFiles(A);
  await other.waitForFunction((fp) => location.hash.includes(`fp=${fp}`), fpA);
  await notice.waitFor({ state: "detached" });
  assert.equal(await other.evaluate(() => location.hash), link);
  assert.equal(await other.locator("[data-testid=image-name]").innerText(), "a.img");
  await other.context().close();
});

s.test("a link to a built-in sample opens it with no upload, on the same view", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const index = JSON.parse(readFileSync(join(DIST, "samples", "index.json"), "utf8"));
  const sample = index.find((x) => x.name === "ext4-small") || index[0];
  const img = join(s.tmp, `${sample.name}.img`);
  writeFileSync(img, gunzipSync(readFileSync(join(DIST, "samples", sample.file))));

  await page.goto(s.base + "#/");
  await page.locator(`[data-sample="${sample.name}"]`).click();
  await page.locator("[data-field=uuid]").waitFor();
  assert.match(page.url(), new RegExp(`sample=${sample.name}`));
  // Moving between views keeps naming the sample.
  await page.locator("a.tab", { hasText: "Groups" }).click();
  await page.waitForFunction((n) => location.hash.startsWith("#/groups") && location.hash.includes(`sample=${n}`), sample.name);
  await page.evaluate(() => { location.hash = "#/inode/2"; });
  await page.locator("[data-testid=inode-view]").waitFor();
  await page.waitForFunction((n) => location.hash.includes(`sample=${n}`), sample.name);
  const url = await copyLink(page);
  assert.match(url, new RegExp(`#/inode/2\\?fp=[0-9a-f]{16}&sample=${sample.name}$`));

  // A fresh profile: no upload, straight to the view, values equal debugfs.
  const fresh = await s.newPage();
  const requests = [];
  fresh.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await fresh.goto(url);
  await fresh.locator("[data-testid=inode-view]").waitFor();
  assert.equal(await fresh.locator("[data-testid=need-image]").count(), 0);
  assert.equal(await fresh.locator("[data-testid=fp-notice]").count(), 0, "same sample, same fingerprint");
  assert.equal(await fresh.evaluate(() => location.hash), hashOf(url));
  assert.equal(await shownSize(fresh), sizeOf(img, 2));
  assert.ok(requests.some((p) => p.endsWith(`/samples/${sample.file}`)), "the sample came from this site");
  // Reload: opened again by itself.
  await fresh.reload();
  await fresh.locator("[data-testid=inode-view]").waitFor();
  assert.equal(await fresh.evaluate(() => location.hash), hashOf(url));
  await s.shot(fresh, "link-sample");
  await fresh.context().close();
});

s.test("a link naming an unknown sample says so and offers to open an image", async ({ page }) => {
  await page.goto(s.base + "#/super?sample=no-such-sample");
  const text = page.locator("[data-testid=need-image]");
  await text.waitFor();
  await page.waitForFunction(() => /does not have/.test(document.querySelector("[data-testid=need-image]").innerText));
  assert.match(await text.innerText(), /no-such-sample/);
  await page.locator("[data-testid=file-input]").waitFor({ state: "attached" });
});

s.test("a file chosen the moment the page loads is opened (requests wait for the worker)", async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    // A new query each time: a real page load, not a hash change.
    await page.goto(`${s.base}?load=${i}` + (i % 2 ? "#/" : "#/super"));
    // No waiting for anything but the input itself: the worker may still be loading.
    await page.locator("[data-testid=file-input]").setInputFiles(A);
    await page.locator("[data-field=uuid]").waitFor({ timeout: 20000 });
    assert.equal(await page.locator("[data-field=uuid]").innerText(), "11111111-2222-4333-8444-555555555555");
  }
});

await s.run();
