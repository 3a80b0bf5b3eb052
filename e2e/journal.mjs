// The block page on journal blocks, in headless Chromium: an image with
// transactions written by debugfs jo/jw/jc (never replayed); the page must
// name the jbd2 structures and their fields as dumpe2fs -h and logdump say.
//
//   node e2e/journal.mjs            serves ../dist itself

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

import { suite, sh, debugfs, mkfs } from "./lib.mjs";

const s = suite("journal");

const IMG = join(s.tmp, "journal.img");
mkfs(IMG, "16M", ["-b", "1024"]);
writeFileSync(join(s.tmp, "data"), Buffer.alloc(8192, 0x5a));
sh("debugfs", ["-w", "-f", "-", IMG], {
  input: "jo -c\njw -b 300,301,302 data\njc\njo\njw -r 301\njc\n",
  cwd: s.tmp,
  stdio: ["pipe", "pipe", "pipe"],
});
const LOG = debugfs(IMG, "logdump -a");
const HEAD = Object.fromEntries(
  sh("dumpe2fs", ["-h", IMG]).split("\n").map((l) => l.match(/^([^:]+):\s+(.*)$/)).filter(Boolean).map((m) => [m[1], m[2].trim()]));
/** Physical block of journal block J. */
const bmap = (j) => Number(debugfs(IMG, `bmap <8> ${j}`).trim());

async function openBlock(page, block) {
  await page.goto(s.base + "#/");
  await page.locator("[data-testid=file-input]").setInputFiles(IMG);
  await page.locator("[data-field=uuid]").waitFor();
  const fp = (await page.evaluate(() => location.hash)).match(/fp=([0-9a-f]{16})/)[1];
  await page.evaluate((h) => { location.hash = h; }, `#/block/${block}?fp=${fp}`);
  await page.locator(`[data-testid=block-view][data-block='${block}']`).waitFor();
}

/** Hover the byte at OFF and read the named field and its value. */
async function fieldAt(page, off) {
  await page.locator(`[data-testid=block-view] [data-off='${off}']`).first().hover();
  await page.waitForFunction(
    (o) => !/Point at a byte|not part of a known field/.test(document.querySelector("[data-testid=field-name]")?.textContent || ""),
    off);
  return {
    name: (await page.locator("[data-testid=field-name]").innerText()).trim(),
    value: (await page.locator("[data-testid=field-value]").innerText()).trim(),
  };
}

s.test("journal superblock: named, fields equal dumpe2fs -h, checksum verified", async ({ page }) => {
  await openBlock(page, bmap(0));
  const what = await page.locator("[data-testid=block-what]").innerText();
  assert.match(what, /jbd2 journal superblock \(v2\)/);
  assert.match(what, new RegExp(`${HEAD["Total journal blocks"]} blocks`));
  assert.match(what, /checksum ok/);
  assert.match(what, new RegExp(HEAD["Journal features"].split(/\s+/).join(" ")));
  // s_maxlen is the big-endian word at 0x10.
  const f = await fieldAt(page, 0x10);
  assert.match(f.name, /s_maxlen/);
  assert.match(f.value, new RegExp(`\\b${HEAD["Total journal blocks"]}\\b`));
  await s.shot(page, "block-journal-superblock");
});

s.test("descriptor and revoke blocks: tags and revoked blocks equal logdump -a", async ({ page }) => {
  const desc = Number(LOG.match(/type 1 \(descriptor block\) at block (\d+)/)[1]);
  const tags = [...LOG.matchAll(/FS block (\d+) logged at journal block \d+ \(flags (0x[0-9a-f]+)\)/g)].map((m) => [m[1], m[2]]);
  assert.equal(tags.length, 3);
  await openBlock(page, bmap(desc));
  const what = await page.locator("[data-testid=block-what]").innerText();
  assert.match(what, /jbd2 descriptor block, transaction 1: 3 tags; checksum ok/);
  const text = await page.locator("[data-testid=block-view]").innerText();
  for (const [b, flags] of tags) assert.match(text, new RegExp(`tag \\d: FS block ${b} \\(flags ${flags}\\)`));
  await s.shot(page, "block-journal-descriptor");

  const rev = Number(LOG.match(/type 5 \(revoke table\) at block (\d+)/)[1]);
  const revoked = LOG.match(/Revoke FS block (\d+)/)[1];
  await openBlock(page, bmap(rev));
  assert.match(await page.locator("[data-testid=block-what]").innerText(), /jbd2 revoke block, transaction 2: 1 block revoked; checksum ok/);
  const f = await fieldAt(page, 16);
  assert.match(f.value, new RegExp(`\\b${revoked}\\b`));
});

await s.run();
