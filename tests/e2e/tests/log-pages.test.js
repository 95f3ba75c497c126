// The transparency log on the pages a visitor sees (issue 14), in a real browser, in Japanese and
// English, with the log's key set: /about shows the verifier key, and /verify/{id} says which
// entry holds the declaration's latest change and offers the signed statement, which downloads as
// the statement API's JSON; the owner's badge page offers the same download. axe on every page; no
// console errors (CSP).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, horizontalOverflow, launch, watchedPage } from '../support/browser.js';
import { SUBMIT, clickAndLoad } from '../support/pages.js';
import { catalogue } from '../support/catalogue.js';
import { application, confirmationToken, declareAll, postJson } from '../support/registry.js';
import { Sengen, binary } from '../support/sengen.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let browser;
let declared;
let vkey;

before(async () => {
  server = new Sengen(['--mail-poll-ms', '50', '--base-url', 'https://registry.example.jp']);
  const key = path.join(server.dir, 'log.key');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SENGEN_')));
  const out = execFileSync(binary(), ['log', 'keygen', '--name', 'registry.example.jp/log', '--out', key],
    { env, encoding: 'utf8', timeout: 15000 });
  vkey = out.trim().split('\n').pop();
  server.args.push('--log-key', key);
  await server.start();
  browser = await launch();
  [declared] = await declareAll(server, [
    application({ business_name: '株式会社ログ印刷', business_name_kana: 'ログインサツ' }),
  ]);
  // A checkpoint covers the entry within a second or two.
  for (let n = 0; n < 100; n++) {
    const r = await fetch(server.url(`/api/v1/declarations/${declared.id}/statement`));
    if (r.status === 200) break;
    await sleep(100);
  }
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`the log's pages in ${lang}`, () => {
    it('/about shows the verifier key and has no axe violations', async () => {
      const context = await browser.newContext({ locale: LOCALES[lang], acceptDownloads: true });
      const page = await watchedPage(context);
      assert.equal((await page.goto(server.url('/about'))).status(), 200);
      assert.equal((await page.locator('code.log-key').textContent()).trim(), vkey);
      assert.equal(await page.locator('#about-log').textContent(), t['profile.about.log_title']);
      await assertAccessible(page, `about ${lang}`);
      assertNoProblems(page);
      await context.close();
    });

    it('/verify/{id} says where the declaration is in the log and downloads its statement', async () => {
      const context = await browser.newContext({ locale: LOCALES[lang], acceptDownloads: true });
      const page = await watchedPage(context);
      assert.equal((await page.goto(server.url(`/verify/${declared.id}`))).status(), 200);
      // Entry 1 of the size of the latest checkpoint when the page was made.
      const pattern = t['log.position'].replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{n}', '1').replace('{size}', '(\\d+)');
      const shown = (await page.locator('.verify-log').textContent()).trim().match(new RegExp(`^${pattern}$`));
      assert.ok(shown, 'the sentence with the entry and the size');
      const checkpoint = await (await fetch(server.url('/log/checkpoint'))).text();
      assert.ok(Number(shown[1]) >= 1 && Number(shown[1]) <= Number(checkpoint.split('\n')[1]), checkpoint);
      await assertAccessible(page, `verify ${lang}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`text=${t['log.download']}`)]);
      assert.equal(download.suggestedFilename(), `statement-${declared.id}.json`);
      const bundle = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(bundle.leaf_index, 0);
      assert.match(bundle.statement, new RegExp(`\nid ${declared.id}\n`));
      assertNoProblems(page);
      await context.close();
    });

    it('the verifier key and the log section fit a 360 px screen', async () => {
      const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 360, height: 740 },
        isMobile: true, hasTouch: true });
      const page = await watchedPage(context);
      for (const p of ['/about', `/verify/${declared.id}`]) {
        await page.goto(server.url(p));
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.width, `${p} (${lang}) is ${o.scrollWidth}px wide: ${o.over.join(', ')}`);
      }
      assertNoProblems(page);
      await context.close();
    });

    it('the badge page offers the signed statement and has no axe violations', async () => {
      const app = application({ business_name: `バッジ商店${lang}`, business_name_kana: 'バッジショウテン', lang });
      assert.equal((await postJson(server, '/api/v1/applications', app)).status, 202);
      const token = await confirmationToken(server, app.contact_email);
      const context = await browser.newContext({ locale: LOCALES[lang], acceptDownloads: true });
      const page = await watchedPage(context);
      await page.goto(server.url(`/confirm/${token}`));
      await clickAndLoad(page, SUBMIT);
      await clickAndLoad(page, 'main a[href$="/badge"]');
      assert.equal((await page.locator('h1').textContent()).trim(), t['badge.title']);
      const link = page.locator(`a[download]`, { hasText: t['log.download'] });
      // The checkpoint that covers the new entry is signed within a second or two.
      for (let n = 0; n < 50 && (await link.count()) === 0; n++) {
        await sleep(100);
        await page.reload();
      }
      assert.match(await link.getAttribute('href'), /^\/api\/v1\/declarations\/\d{11}\/statement$/);
      await assertAccessible(page, `badge ${lang}`);
      assertNoProblems(page);
      await context.close();
    });
  });
}
