// The public statistics in a real browser, in Japanese and English: reached from the footer, four
// SVG bar charts named for screen readers, each with its numbers in a table and a CSV download
// that starts with a byte order mark. axe on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, declareAll } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const TOKYO = { ja: '東京都', en: 'Tokyo' };

let server;
let browser;

before(async () => {
  server = await new Sengen(['--mail-poll-ms', '50']).start();
  browser = await launch();
  await declareAll(server, [
    application({ business_name: '統計ブラウザ商店一', prefecture: '13' }),
    application({ business_name: '統計ブラウザ商店二', prefecture: '13' }),
    application({ business_name: '統計ブラウザ商店三', prefecture: '27' }),
  ]);
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`the statistics in ${lang}`, () => {
    it('the footer leads to charts with tables of the same numbers and CSV downloads', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: LOCALES[lang], acceptDownloads: true });
      const page = await watchedPage(context);
      await page.goto(server.url('/'));
      await Promise.all([
        page.waitForURL(server.url('/statistics')),
        page.locator('footer').getByRole('link', { name: t['statistics.link'] }).click(),
      ]);
      assert.equal((await page.locator('h1').textContent()).trim(), t['statistics.title']);
      for (const key of ['level', 'prefecture', 'industry', 'month']) {
        const chart = page.getByRole('img', { name: t[`statistics.${key}.title`] });
        assert.equal(await chart.count(), 1, key);
        const table = page.getByRole('table', { name: t[`statistics.${key}.title`] });
        assert.equal(await table.count(), 1, key);
      }
      const prefectures = page.getByRole('table', { name: t['statistics.prefecture.title'] });
      assert.equal((await prefectures.getByRole('row', { name: new RegExp(`^${TOKYO[lang]} 2$`) }).count()), 1);
      await assertAccessible(page, `/statistics (${lang})`);
      await screenshot(page, `statistics-${lang}`);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a[href="/statistics/prefecture.csv"]').click(),
      ]);
      assert.equal(download.suggestedFilename(), 'statistics-prefecture.csv');
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.match(bytes.toString('utf8'), new RegExp(`\\r\\n13,${TOKYO[lang]},2\\r\\n`));
      assertNoProblems(page);
      await context.close();
    });
  });
}
