// The subsidy catalogue in a real browser, with axe on every page: the footer leads to the list,
// whose plain GET filters need no script and say how many programmes "open only" hides; a
// programme's page says plainly that this registry's ID is not accepted there. Then a ★
// declarant, signed in through the mail link on a phone-sized screen, opens its readiness view
// from the declaration's page, sees what a ★★-only programme needs and follows the link to the
// self-assessment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, horizontalOverflow, launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, declareAll } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';
import { mailFiles, mailedPath } from '../support/toolkit.js';
import { openLink } from '../support/pages.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const PHONE = { width: 375, height: 740 };
const TWO_STAR_ONLY = 'tokyo-cyber-security';

let server;
let browser;
let declared;
const declarant = application({ business_name: '株式会社ほじょ準備' });

before(async () => {
  server = await new Sengen(['--mail-poll-ms', '50']).start();
  browser = await launch();
  [declared] = await declareAll(server, [declarant]);
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

function format(template, values) {
  return Object.entries(values).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), template);
}

async function check(page, lang, label) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, label);
  await assertAccessible(page, `${label} (${lang})`);
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= overflow.width, `${label} is wider than the phone: ${overflow.over.join(', ')}`);
  assert.deepEqual(overflow.over, [], `${label}: elements past the right edge`);
  await screenshot(page, `subsidies-${lang}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
  assertNoProblems(page);
}

async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

for (const lang of ['en', 'ja']) {
  const t = cat[lang];
  describe(`the catalogue in ${lang}`, () => {
    it('is reached from the footer, filters with a plain GET form and marks closed programmes', async () => {
      const context = await browser.newContext({ viewport: PHONE, locale: LOCALES[lang] });
      const page = await watchedPage(context);
      await page.goto(server.url('/'));
      await clickAndWait(page, page.locator('footer').getByRole('link', { name: t['subsidies.link'] }));
      assert.equal(new URL(page.url()).pathname, '/subsidies');
      assert.equal((await page.locator('h1').textContent()).trim(), t['subsidies.title']);
      const all = await page.locator('.subsidy-card').count();
      assert.ok(all > 0);
      assert.ok((await page.locator('.subsidy-card .subsidy-status-closed').count()) > 0, 'closed ones are shown');
      await check(page, lang, 'list');

      // A plain GET form: the site loads no script for it, so it works with JavaScript off.
      const form = page.getByRole('search', { name: t['subsidies.filter_label'] });
      assert.equal(await form.getAttribute('method'), 'get');
      await page.getByLabel(t['subsidies.filter_open']).check();
      await clickAndWait(page, page.getByRole('button', { name: t['subsidies.filter_submit'] }));
      assert.equal(new URL(page.url()).searchParams.get('open'), '1');
      const shown = await page.locator('.subsidy-card').count();
      assert.equal((await page.locator('.subsidy-hidden').textContent()).trim(),
        format(t['subsidies.hidden_count'], { n: String(all - shown) }));
      await check(page, lang, 'open only');

      await page.goto(server.url(`/subsidies/${TWO_STAR_ONLY}`));
      assert.ok((await page.locator('main').textContent()).includes(t['subsidies.not_this_registry']));
      assert.equal(await page.locator('main a[href="https://www.ipa.go.jp/security/security-action/"]').count(), 1);
      await check(page, lang, 'programme');
      await context.close();
    });
  });
}

describe('a ★ declarant and a ★★-only programme (ja)', () => {
  const t = cat.ja;
  it('sees what the programme needs and follows the link to the self-assessment', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: LOCALES.ja });
    const page = await watchedPage(context);
    const seen = mailFiles(server);
    await page.goto(server.url('/signin'));
    await page.getByRole('textbox', { name: t['field.email.label'] }).fill(declarant.contact_email);
    await clickAndWait(page, page.getByRole('button', { name: t['signin.submit'] }));
    const link = await mailedPath(server, declarant.contact_email, /https?:\/\/[^/\s]+(\/signin\/link#[A-Za-z0-9_-]{43})/, seen);
    await openLink(page, server.url(link));
    await clickAndWait(page, page.getByRole('button', { name: t['signin.confirm.submit'] }));

    await page.goto(server.url(`/mypage/declarations/${declared.id}`));
    await clickAndWait(page, page.getByRole('link', { name: t['subsidies.readiness_link'] }));
    assert.equal(new URL(page.url()).pathname, `/mypage/declarations/${declared.id}/subsidies`);
    await check(page, 'ja', 'readiness');

    const card = page.locator(`#programme-${TWO_STAR_ONLY}`);
    assert.ok((await card.textContent()).includes(t['subsidies.verdict_not_met']));
    const needs = card.locator('[data-gap="needs_two_stars"]');
    assert.equal(await needs.count(), 1);
    assert.ok((await needs.textContent()).includes(t['subsidies.link_policy']));
    // The registry is named too: this registry's ID does not count there.
    assert.equal(await card.locator('[data-gap="registry_not_accepted"] a[href^="https://www.ipa.go.jp/"]').count(), 1);

    await clickAndWait(page, needs.getByRole('link', { name: t['subsidies.link_assessment'] }));
    assert.equal(new URL(page.url()).pathname, '/assessment');
    await check(page, 'ja', 'assessment from readiness');
    await context.close();
  });
});
