// Whose registry this is, in a real browser, in Japanese and English: the demonstration banner and
// the operator in the footer of every page, the about, privacy and terms pages reached from the
// footer, and an ID shaped like IPA's on /verify sent to IPA's lookup page. axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { declarationId } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const OPERATOR = { ja: 'せんげん デモ運営事務局', en: 'sengen demo operations office' };
const IPA_LOOKUP = 'https://sme-security.ipa.go.jp/';

let server;
let browser;

before(async () => {
  server = await new Sengen([]).start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// An ID of IPA's shape: 11 digits starting with 4 whose last digit fails sengen's check digit.
function ipaShapedId() {
  const valid = declarationId(12345, 4);
  return valid.slice(0, 10) + String((Number(valid[10]) + 1) % 10);
}

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`the operator in ${lang}`, () => {
    it('the home page shows the demo banner and the operator, and its footer leads to about, privacy and terms', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: LOCALES[lang] });
      const page = await watchedPage(context);
      await page.goto(server.url('/'));
      const banner = page.getByRole('note');
      assert.match(await banner.textContent(), new RegExp(t['profile.demo_banner.title']));
      assert.match(await banner.textContent(), new RegExp(t['profile.demo_banner.body']));
      const footer = page.locator('footer');
      assert.match(await footer.textContent(), new RegExp(OPERATOR[lang]));
      await screenshot(page, `operator-home-${lang}`);

      await Promise.all([page.waitForURL(server.url('/about')), footer.getByRole('link', { name: t['profile.about.link'] }).click()]);
      assert.equal((await page.locator('h1').textContent()).trim(), t['profile.about.title']);
      assert.match(await page.locator('main').textContent(), new RegExp(OPERATOR[lang]));
      assert.equal(await page.locator(`main a[href="${IPA_LOOKUP}"]`).count(), 1);
      await assertAccessible(page, `/about (${lang})`);
      await screenshot(page, `operator-about-${lang}`);

      await Promise.all([page.waitForURL(server.url('/privacy')), footer.getByRole('link', { name: t['profile.privacy.link'] }).click()]);
      assert.equal((await page.locator('h1').textContent()).trim(), t['profile.privacy.title']);
      for (const key of ['purposes_title', 'sharing_title', 'retention_title', 'safeguards_title', 'requests_title'])
        assert.equal(await page.getByRole('heading', { name: t[`profile.privacy.${key}`], exact: true }).count(), 1, key);
      // What is public: the one list every page that speaks of it shows.
      assert.equal(await page.getByRole('heading', { name: t['public_fields.title'], exact: true }).count(), 1);
      assert.equal(await page.locator('.public-fields-list li').count(), 11);
      await assertAccessible(page, `/privacy (${lang})`);
      await screenshot(page, `operator-privacy-${lang}`);

      await Promise.all([page.waitForURL(server.url('/terms')), footer.getByRole('link', { name: t['profile.terms.link'] }).click()]);
      assert.match(await page.locator('main').textContent(), new RegExp(t['profile.terms.current']));
      // The terms show the same list of what is public as the privacy policy.
      assert.equal(await page.getByRole('heading', { name: t['public_fields.title'], exact: true }).count(), 1);
      assert.equal(await page.locator('.public-fields-list li').count(), 11);
      await assertAccessible(page, `/terms (${lang})`);
      // The earlier version, which declarants agreed to, is still there, linked from the list of versions.
      await Promise.all([page.waitForURL(server.url('/terms/2026-1')), page.locator('main a[href="/terms/2026-1"]').click()]);
      assert.match(await page.locator('main').textContent(), new RegExp(t['profile.terms.not_current']));
      assert.equal(await page.locator('.public-fields-list li').count(), 11);
      await assertAccessible(page, `/terms/2026-1 (${lang})`);
      await screenshot(page, `operator-terms-${lang}`);
      assertNoProblems(page);
      await context.close();
    });

    it('an ID shaped like IPA\'s typed on /verify is sent to IPA\'s lookup page, not called a typo', async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: LOCALES[lang] });
      const page = await watchedPage(context);
      await page.goto(server.url('/verify'));
      await page.getByRole('textbox', { name: t['field.id.label'] }).fill(ipaShapedId());
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/verify')),
        page.getByRole('button', { name: t['verify.id.submit'] }).click(),
      ]);
      await page.waitForLoadState('load');
      assert.equal(response.status(), 404);
      const alert = page.locator('.verify-banner-alert');
      assert.equal((await alert.locator('h2').textContent()).trim(), t['verify.other_registry.title']);
      assert.equal(await alert.locator(`a[href="${IPA_LOOKUP}"]`).count(), 1);
      assert.equal(await page.locator('#f-id-error').count(), 0);
      await assertAccessible(page, `other registry on /verify (${lang})`);
      await screenshot(page, `operator-other-registry-${lang}-phone`);
      assertNoProblems(page);
      await context.close();
    });
  });
}
