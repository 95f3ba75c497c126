// A declaration ID is copied as its 11 digits wherever a declarant copies it: the 完了 page, My
// Page, the badge page and /verify. The 3-4-4 grouping is CSS spacing only, so selecting the ID
// (a double-click, or a selection of its element) and copying gives the digits; with JavaScript on
// a copy button puts the digits on the clipboard and announces that it did. In ja and en.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, confirmationToken, postJson } from '../support/registry.js';
import { sengenAndChromium } from '../support/suite.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-GB' };
const SUBMIT = 'main form.form button[type="submit"]';

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

async function open(lang, options = {}) {
  const context = await browser.newContext({ locale: LOCALES[lang], ...options });
  if (options.javaScriptEnabled !== false)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  return { context, page: await watchedPage(context) };
}

// What a selection of `selector` holds, as copying it would give.
async function selectionOf(page, selector) {
  return page.evaluate((sel) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(sel));
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(range);
    return s.toString();
  }, selector);
}

// Selects the ID by double-clicking its middle group, as people do, copies it with the keyboard
// and returns what reached the clipboard.
async function doubleClickAndCopy(page, scope) {
  await page.evaluate(() => navigator.clipboard.writeText('-'));
  await page.locator(`${scope} .id-group`).nth(1).dblclick();
  const selected = await page.evaluate(() => window.getSelection().toString());
  await page.keyboard.press('Control+C');
  return { selected, copied: await page.evaluate(() => navigator.clipboard.readText()) };
}

// The ID in `scope` is grouped on screen, copies as digits, and its button copies and says so.
async function checkId(page, scope, id, t, label) {
  assert.equal(await page.locator(`${scope} .id-group`).count(), 3, `${label}: three groups`);
  assert.equal(await selectionOf(page, `${scope} .id-digits`), id, `${label}: selection`);
  const byHand = await doubleClickAndCopy(page, scope);
  assert.equal(byHand.selected, id, `${label}: double-click selects the digits`);
  assert.equal(byHand.copied, id, `${label}: copying the selection gives the digits`);

  const button = page.locator(`${scope} button.copy-id`);
  assert.ok(await button.isVisible(), `${label}: the copy button shows where JavaScript runs`);
  assert.equal((await button.textContent()).trim(), t['id_copy.button']);
  await page.evaluate(() => navigator.clipboard.writeText('-'));
  await button.click();
  const status = page.locator(`${scope} .copy-id-status[role="status"]`);
  await status.filter({ hasText: t['id_copy.copied'] }).waitFor({ timeout: 5000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id, `${label}: the button copies the digits`);
}

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`copying the declaration ID in ${lang}`, () => {
    let id;

    it('on the 完了 page, My Page, the badge page and /verify', async () => {
      const app = application({ lang });
      const applied = await postJson(server, '/api/v1/applications', app);
      assert.equal(applied.status, 202, applied.body);
      const token = await confirmationToken(server, app.contact_email);

      const { context, page } = await open(lang);
      await page.goto(server.url(`/confirm/${token}`));
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(SUBMIT)]);
      assert.equal((await page.locator('h1').textContent()).trim(), t['confirm.done.title']);
      id = await page.locator('.declaration-id .id-digits').textContent();
      assert.match(id, /^\d{11}$/);
      await checkId(page, '.declaration-id', id, t, 'the 完了 page');
      await assertAccessible(page, `the 完了 page (${lang})`);

      await page.goto(server.url('/mypage'));
      await checkId(page, '.card', id, t, 'My Page');
      await page.goto(server.url(`/mypage/declarations/${id}`));
      await checkId(page, '.summary', id, t, 'the declaration on My Page');
      await page.goto(server.url(`/mypage/declarations/${id}/badge`));
      await checkId(page, '.badge-id', id, t, 'the badge page');
      await assertAccessible(page, `the badge page (${lang})`);

      await page.goto(server.url(`/verify/${id}`));
      await checkId(page, '.verify-details', id, t, '/verify');
      assert.equal(await selectionOf(page, '.verify-id'), id, '/verify: the ID above the name');
      await assertAccessible(page, `/verify (${lang})`);
      assertNoProblems(page);
      await context.close();
    });

    it('without JavaScript there is no button, and a selection still gives the digits', async () => {
      const { context, page } = await open(lang, { javaScriptEnabled: false });
      await page.goto(server.url(`/verify/${id}`));
      assert.equal(await page.locator('.verify-details button.copy-id').isVisible(), false);
      assert.equal(await selectionOf(page, '.verify-details .declaration-id-value'), id);
      assertNoProblems(page);
      await context.close();
    });
  });
}
