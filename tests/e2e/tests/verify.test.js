// Public verification and search in a real browser, in Japanese and English: the /verify page,
// a declared, a stopped and a revoked declaration, a not-found and a mistyped ID, typing an ID
// the way people do, and search results with pages. axe on every page; no console errors (CSP).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertAccessible,
  assertNoProblems,
  horizontalOverflow,
  launch,
  screenshot,
  watchedPage,
} from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, declarationId, declareAll, revoke, stop } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let server;
let browser;
let declared;
let stopped;
let revoked;

before(async () => {
  server = await new Sengen(['--mail-poll-ms', '50']).start();
  browser = await launch();
  const many = Array.from({ length: 21 }, (_, n) =>
    application({ business_name: `検索用商会${String(n + 1).padStart(2, '0')}`, business_name_kana: 'ケンサクヨウショウカイ' }),
  );
  const made = await declareAll(server, [
    application({
      business_name: '株式会社さくら印刷',
      business_name_kana: 'サクラインサツ',
      level: 2,
      assessment_date: '2026-01-15',
      policy_url: 'https://example.jp/security-policy',
    }),
    application({ business_name: '停止した商店', business_name_kana: 'テイシシタショウテン' }),
    application({ business_name: '取り消された工房', business_name_kana: 'トリケサレタコウボウ' }),
    ...many,
  ]);
  [declared, stopped, revoked] = made;
  stop(server, stopped.id);
  revoke(server, revoked.id, 'ロゴを認証マークとして表示していたため');
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

async function open(lang, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: LOCALES[lang], ...options });
  const page = await watchedPage(context);
  return { context, page };
}

async function h1(page) {
  return (await page.locator('h1').textContent()).trim();
}

async function robots(page) {
  return page.locator('meta[name="robots"]').getAttribute('content');
}

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`verification in ${lang}`, () => {
    it('the /verify page has both forms, is not indexed and has no axe violations', async () => {
      const { context, page } = await open(lang);
      const response = await page.goto(server.url('/verify'));
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['x-robots-tag'], 'noindex');
      assert.equal(await robots(page), 'noindex');
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await h1(page), t['verify.title']);
      assert.equal(await page.getByRole('textbox', { name: t['field.id.label'] }).count(), 1);
      assert.equal(await page.getByRole('searchbox', { name: t['field.search_name.label'] }).count(), 1);
      await assertAccessible(page, `/verify (${lang})`);
      await screenshot(page, `verify-${lang}-desktop`);
      assertNoProblems(page);
      await context.close();
    });

    it('typing an ID with hyphens and full-width digits and pressing Check shows the declaration', async () => {
      const { context, page } = await open(lang);
      await page.goto(server.url('/verify'));
      const p = declared.id;
      const wide = [...p].map((c) => String.fromCharCode(0xff10 + Number(c))).join('');
      await page.getByRole('textbox', { name: t['field.id.label'] }).fill(`${wide.slice(0, 3)}－${p.slice(3, 7)}-${p.slice(7)}`);
      await Promise.all([
        page.waitForURL(server.url(`/verify/${p}`)),
        page.getByRole('button', { name: t['verify.id.submit'] }).click(),
      ]);
      assert.equal(await h1(page), '株式会社さくら印刷');
      assert.equal(await robots(page), 'noindex');
      await assertAccessible(page, `declared /verify/{id} (${lang})`);
      const banner = page.locator('.verify-banner');
      assert.match(await banner.textContent(), new RegExp(t['verify.banner.declared.title']));
      // The public history (issue 12): the issue of the ID, with its date, level and status.
      const history = page.locator('.verify-history');
      assert.equal(await page.getByRole('heading', { name: t['verify.history.title'] }).count(), 1);
      assert.ok((await history.textContent()).includes(t['verify.history.event.issued']));
      assert.ok((await history.textContent()).includes(t['verify.status.declared']));
      const policy = page.locator('a[rel="nofollow noopener"]');
      assert.equal(await policy.getAttribute('href'), 'https://example.jp/security-policy');
      await screenshot(page, `verify-declared-${lang}-desktop`);
      assertNoProblems(page);
      await context.close();
    });

    it('stopped and revoked declarations show a banner in words and pass axe', async () => {
      const { context, page } = await open(lang);
      for (const [d, key] of [
        [stopped, 'stopped'],
        [revoked, 'revoked'],
      ]) {
        const response = await page.goto(server.url(`/verify/${d.id}`));
        assert.equal(response.status(), 200);
        const banner = page.locator('.verify-banner-ended');
        assert.equal((await banner.locator('h2').textContent()).replace('✕', '').trim(), t[`verify.banner.${key}.title`]);
        assert.equal((await page.locator(`.status-${key}`).textContent()).trim(), t[`verify.status.${key}`]);
        // The history ends with the stop or the revocation, and names no reason.
        const last = (await page.locator('.verify-history tbody tr').last().textContent());
        assert.ok(last.includes(t[`verify.history.event.${key}`]), last);
        assert.ok(!(await page.locator('.verify-history').textContent()).includes('ロゴ'));
        await assertAccessible(page, `${key} (${lang})`);
        await screenshot(page, `verify-${key}-${lang}-desktop`);
      }
      assertNoProblems(page);
      await context.close();
    });

    it('an unknown ID is a 404 with its own message, and a mistyped one a field error', async () => {
      const { context, page } = await open(lang);
      const unknown = await page.goto(server.url(`/verify/${declarationId(987654321)}`));
      assert.equal(unknown.status(), 404);
      assert.equal(await h1(page), t['verify.title']);
      assert.equal((await page.locator('.verify-banner-alert h2').textContent()).trim(), t['verify.not_found.title']);
      assert.equal(await robots(page), 'noindex');
      await assertAccessible(page, `not found (${lang})`);
      await screenshot(page, `verify-not-found-${lang}-desktop`);

      const p = declared.id;
      const wrong = p.slice(0, 10) + String((Number(p[10]) + 1) % 10);
      await page.goto(server.url('/verify'));
      await page.getByRole('textbox', { name: t['field.id.label'] }).fill(wrong);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: t['verify.id.submit'] }).click()]);
      assert.match(await page.locator('#f-id-error').textContent(), new RegExp(t['field_error.check_digit']));
      assert.equal(await page.locator('#f-id').getAttribute('aria-invalid'), 'true');
      await assertAccessible(page, `mistyped ID (${lang})`);
      await screenshot(page, `verify-mistyped-${lang}-desktop`);
      await context.close();
    });

    it('search shows public results with pages, and passes axe', async () => {
      const { context, page } = await open(lang);
      await page.goto(server.url('/verify'));
      await page.getByRole('searchbox', { name: t['field.search_name.label'] }).fill('けんさくよう');
      await Promise.all([
        page.waitForURL(/\/verify\/search\?/),
        page.getByRole('button', { name: t['verify.search.submit'] }).click(),
      ]);
      assert.equal(await robots(page), 'noindex');
      assert.equal(await page.locator('.result').count(), 20);
      await assertAccessible(page, `search results (${lang})`);
      await screenshot(page, `verify-search-${lang}-desktop`);
      await Promise.all([page.waitForURL(/page=2/), page.locator('a[rel="next"]').click()]);
      assert.equal(await page.locator('.result').count(), 1);
      assert.equal(await page.getByRole('searchbox', { name: t['field.search_name.label'] }).inputValue(), 'けんさくよう');
      await assertAccessible(page, `search results page 2 (${lang})`);
      const first = page.locator('.result-name a').first();
      const href = await first.getAttribute('href');
      await Promise.all([page.waitForURL(server.url(href)), first.click()]);
      assert.match(await h1(page), /^検索用商会\d\d$/);
      assertNoProblems(page);
      await context.close();
    });

    it('the verification and search pages fit a 360 px screen', async () => {
      const { context, page } = await open(lang, { viewport: PHONE, isMobile: true, hasTouch: true });
      for (const p of ['/verify', `/verify/${declared.id}`, `/verify/${revoked.id}`, '/verify/search?name=%E6%A4%9C%E7%B4%A2']) {
        await page.goto(server.url(p));
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.width, `${p} (${lang}) is ${o.scrollWidth}px wide: ${o.over.join(', ')}`);
      }
      await page.goto(server.url(`/verify/${declared.id}`));
      await screenshot(page, `verify-declared-${lang}-360`);
      assertNoProblems(page);
      await context.close();
    });
  });
}
