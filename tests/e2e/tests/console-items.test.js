// The language switch on the console's pages with one form per item (issue 11 point 10), in a real
// browser: on the review queue an operator types a rejection reason into the second application's
// form, and on the disputes page chooses an outcome and types a reason for the second dispute,
// then switches language. The page comes back in the other language with what was typed still in
// that item's form (static/lang-switch.js makes the header's switch a button of the form being
// filled in; the server alone ties it to the first item's form), and nothing was rejected or
// settled. axe on each page after the switch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, confirmationToken, postJson } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';
import { totp } from '../support/totp.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const PASSWORD = 'a long and unusual phrase 42';

let server;
let browser;
let waiting;   // two applications awaiting review, in the queue's order

async function applyAndConfirm(app, expected) {
  const applied = await postJson(server, '/api/v1/applications', app);
  assert.equal(applied.status, 202, applied.body);
  const token = await confirmationToken(server, app.contact_email);
  const confirmed = await postJson(server, '/api/v1/applications/confirm', { token });
  assert.equal(confirmed.status, expected, confirmed.body);
}

// The applications awaiting review, as `sengen declaration pending` lists them: id, name.
function pending() {
  return server.cli(['declaration', 'pending']).trim().split('\n').slice(0, -1)
    .map((line) => line.split('\t')).map(([id, name]) => ({ id, name }));
}

function openDisputes() {
  return server.cli(['disputes', 'list']).trim().split('\n').slice(1, -1).map((line) => line.split('\t')[0]);
}

before(async () => {
  server = await new Sengen(['--review-applications', 'true']).start();
  browser = await launch();
  // Two holders, approved from the command line, and a claim to each one's number: two disputes.
  const holders = [application({ business_name: '株式会社保有者一' }), application({ business_name: '株式会社保有者二' })];
  for (const app of holders) await applyAndConfirm(app, 202);
  for (const { id } of pending()) server.cli(['declaration', 'approve', id]);
  for (const [n, holder] of holders.entries()) {
    const claim = application({ corporate_number: holder.corporate_number, business_name: `株式会社申し立て${n + 1}` });
    await applyAndConfirm(claim, 202);
  }
  for (const name of ['株式会社審査待ち一', '株式会社審査待ち二'])
    await applyAndConfirm(application({ business_name: name }), 202);
  waiting = pending();
  assert.equal(waiting.length, 2, JSON.stringify(waiting));
  assert.equal(openDisputes().length, 2);
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// An operator through set-up, TOTP and the recovery codes, on the dashboard in `lang`.
let operators = 0;
async function signedInOperator(lang) {
  operators += 1;
  const out = server.cli(['operator', 'create', '--email', `items-${operators}-${lang}@example.jp`, '--role', 'staff',
    '--base-url', server.origin]);
  const t = cat[lang];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
  const page = await watchedPage(context);
  await page.goto(out.trim().split('\n').at(-1));
  await page.getByLabel(t['console.field.new_password'], { exact: true }).fill(PASSWORD);
  await page.getByLabel(t['console.field.password_again'], { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForURL(server.url('/console/totp')),
    page.getByRole('button', { name: t['console.setup.submit'] }).click()]);
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  await page.getByLabel(t['console.field.code']).fill(totp(secret));
  await page.getByRole('button', { name: t['console.totp.submit'] }).click();
  await page.waitForSelector('#recovery-codes');
  await Promise.all([page.waitForURL(server.url('/console')),
    page.getByRole('link', { name: t['console.recovery.continue'] }).click()]);
  return [context, page];
}

async function switchLanguage(page, to) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('header button.lang-switch').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), to);
}

for (const lang of ['ja', 'en']) {
  const other = lang === 'ja' ? 'en' : 'ja';
  const t = cat[lang];
  const o = cat[other];

  describe(`the console's pages with a form per item in ${lang}`, () => {
    it('a reason typed for the second application survives a language switch, and nothing is decided', async () => {
      const [context, page] = await signedInOperator(lang);
      await page.goto(server.url('/console/review'));
      // The header's switch belongs to the first item's form until a script moves it.
      const item = (p, n) => p.locator('main section[aria-labelledby^="app-"]').nth(n);
      const reason = lang === 'ja' ? '法人番号の確認が取れません（二件目）' : 'The number could not be checked (second)';
      await item(page, 1).getByLabel(t['console.record.reason']).fill(reason);
      await switchLanguage(page, other);
      assert.equal(await item(page, 1).getByLabel(o['console.record.reason']).inputValue(), reason);
      assert.equal(await item(page, 0).getByLabel(o['console.record.reason']).inputValue(), '');
      assert.deepEqual(pending(), waiting, 'an application was decided by the switch');
      await assertAccessible(page, `review queue after switching (${lang} → ${other})`);
      assertNoProblems(page);
      await context.close();
    });

    it('an outcome and reason chosen for the second dispute survive a language switch, and nothing is settled', async () => {
      const [context, page] = await signedInOperator(lang);
      await page.goto(server.url('/console/disputes'));
      const item = (p, n) => p.locator('main section[aria-labelledby^="dispute-"]').nth(n);
      const reason = lang === 'ja' ? '登記事項証明書で確かめた（二件目）' : 'Checked against the register (second)';
      await item(page, 1).getByLabel(t['console.disputes.to_claimant']).check();
      await item(page, 1).getByLabel(t['console.record.reason']).fill(reason);
      await switchLanguage(page, other);
      assert.equal(await item(page, 1).getByLabel(o['console.record.reason']).inputValue(), reason);
      assert.equal(await item(page, 1).getByLabel(o['console.disputes.to_claimant']).isChecked(), true);
      assert.equal(await item(page, 0).getByLabel(o['console.record.reason']).inputValue(), '');
      assert.equal(openDisputes().length, 2, 'a dispute was settled by the switch');
      await assertAccessible(page, `disputes after switching (${lang} → ${other})`);
      assertNoProblems(page);
      await context.close();
    });
  });
}
