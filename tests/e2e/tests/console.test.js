// The operators' console in a real browser, in Japanese and English: an operator created with
// `sengen operator create` follows the set-up link, chooses a password, reads the TOTP key shown
// as text and answers with a code computed here (RFC 6238, HMAC-SHA1 from node:crypto), sees the
// recovery codes once, finds a declaration, types a reason and switches language there and back
// (the reason stays, nothing is revoked), revokes it, sees /verify/{id} say it is revoked, and
// finds the revocation on the console's audit page; then opens each page for running the registry
// from the menu, creates a verifier key, lets the holder of the account made with it set up its
// sign-in codes again (ADR 56), then disables that account (whose address survives a language
// switch on the account form, key and password not written back, and whose account is made by the
// link mailed to it and set up with a code), and
// revokes the key; an open corporate-number dispute waits in the review queue. axe on every console page,
// and the sign-in page on a narrow screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, horizontalOverflow, launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { openLink } from '../support/pages.js';
import { application, confirmationToken, postJson } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';
import { totp } from '../support/totp.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const PASSWORD = 'a long and unusual phrase 42';
const DISPUTED_CLAIM = '株式会社番号の申し立て';

let server;
let browser;
let ids;

before(async () => {
  server = await new Sengen([]).start();
  browser = await launch();
  const seeded = server.cli(['seed', '--declarations', '4']);
  ids = { ja: seeded.match(/first (\d{11})/)[1], en: seeded.match(/last (\d{11})/)[1] };
  // A second business's claim to a corporate number that already has a declaration: the review
  // queue lists it as an open dispute (and axe checks the page with it).
  const holder = application();
  const claim = application({ corporate_number: holder.corporate_number, business_name: DISPUTED_CLAIM });
  for (const app of [holder, claim]) {
    const applied = await postJson(server, '/api/v1/applications', app);
    assert.equal(applied.status, 202, applied.body);
    const token = await confirmationToken(server, app.contact_email);
    const confirmed = await postJson(server, '/api/v1/applications/confirm', { token });
    // 200 with the new ID for the holder, 202 for the claim held as a dispute.
    assert.equal(confirmed.status, app === holder ? 200 : 202, confirmed.body);
  }
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// The header's language switch on a form page is a button of the form: it posts what was typed
// and the page comes back in the other language with it (never acting on it).
async function switchLanguage(page, to) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('header button.lang-switch').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), to);
}

async function pageAt(lang, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: LOCALES[lang] });
  return [context, await watchedPage(context)];
}

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`the operators' console in ${lang}`, () => {
    it('an operator sets up, finds a declaration, revokes it and sees it in the audit log', async () => {
      const email = `ops-${lang}@example.jp`;
      const out = server.cli(['operator', 'create', '--email', email, '--role', 'admin', '--base-url', server.origin]);
      const link = out.trim().split('\n').at(-1);
      assert.ok(link.startsWith(server.url('/console/setup#')), out);

      const [context, page] = await pageAt(lang);
      await openLink(page, link);
      assert.equal((await page.locator('h1').textContent()).trim(), t['console.setup.title']);
      await assertAccessible(page, `set-up (${lang})`);
      await page.getByLabel(t['console.field.new_password'], { exact: true }).fill(PASSWORD);
      await page.getByLabel(t['console.field.password_again'], { exact: true }).fill(PASSWORD);
      await Promise.all([page.waitForURL(server.url('/console/totp')),
        page.getByRole('button', { name: t['console.setup.submit'] }).click()]);

      assert.equal(await page.locator('img.console-qr').count(), 1);
      await assertAccessible(page, `TOTP set-up (${lang})`);
      await screenshot(page, `console-totp-${lang}`);
      const secret = (await page.locator('#totp-secret').textContent()).trim();
      await page.getByLabel(t['console.field.code']).fill(totp(secret));
      await page.getByRole('button', { name: t['console.totp.submit'] }).click();
      await page.waitForSelector('#recovery-codes');
      assert.equal(await page.locator('#recovery-codes li').count(), 10);
      await assertAccessible(page, `recovery codes (${lang})`);

      await Promise.all([page.waitForURL(server.url('/console')),
        page.getByRole('link', { name: t['console.recovery.continue'] }).click()]);
      assert.equal((await page.locator('h1').textContent()).trim(), t['console.dashboard.title']);
      await assertAccessible(page, `dashboard (${lang})`);
      await screenshot(page, `console-dashboard-${lang}`);

      // Each language revokes its own declaration: the ja run finds it by its ID, the en run by
      // its business name.
      await page.getByRole('navigation', { name: t['console.nav.label'] })
        .getByRole('link', { name: t['console.find.title'] }).click();
      await page.waitForURL(server.url('/console/declarations'));
      await assertAccessible(page, `find (${lang})`);
      const id = ids[lang];
      const name = server.cli(['declaration', 'show', id]).match(/business_name: (.+)/)[1];
      await page.getByLabel(t['console.find.label']).fill(lang === 'ja' ? id : name);
      await page.getByRole('button', { name: t['console.find.submit'] }).click();
      await page.waitForSelector('table.data-table');
      await assertAccessible(page, `find results (${lang})`);
      await Promise.all([page.waitForURL(server.url(`/console/declarations/${id}`)),
        page.getByRole('link', { name: id, exact: true }).click()]);
      await assertAccessible(page, `record (${lang})`);
      const reason = lang === 'ja' ? '申告内容が事実と異なるため' : 'The details were found untrue';
      await page.getByLabel(t['console.record.reason']).fill(reason);
      // Switching language and back keeps the reason typed, and revokes nothing.
      const other = lang === 'ja' ? 'en' : 'ja';
      await switchLanguage(page, other);
      assert.equal(await page.getByLabel(cat[other]['console.record.reason']).inputValue(), reason);
      assert.equal(await page.getByRole('button', { name: cat[other]['console.record.revoke_submit'] }).count(), 1);
      await switchLanguage(page, lang);
      assert.equal(await page.getByLabel(t['console.record.reason']).inputValue(), reason);
      await page.getByRole('button', { name: t['console.record.revoke_submit'] }).click();
      // The same address answers after the post: wait for the page that shows the new status.
      await page.locator('#record-status', { hasText: t['status.revoked'] }).waitFor();
      assert.equal(await page.getByRole('button', { name: t['console.record.reinstate_submit'] }).count(), 1);
      await assertAccessible(page, `record after revoking (${lang})`);
      await screenshot(page, `console-record-${lang}`);

      await page.goto(server.url(`/verify/${id}`));
      assert.match(await page.locator('main').textContent(), new RegExp(t['verify.status.revoked']));

      await page.goto(server.url('/console'));
      await page.getByRole('navigation', { name: t['console.nav.label'] })
        .getByRole('link', { name: t['console.audit.title'] }).click();
      await page.waitForURL(server.url('/console/audit'));
      await page.getByLabel(t['console.col.action'], { exact: true }).fill('declaration.revoke');
      await page.getByRole('button', { name: t['console.audit.submit'] }).click();
      await page.waitForURL(/\/console\/audit\?/);
      const rows = await page.locator('#audit-events tbody tr').allTextContents();
      assert.ok(rows.length >= 1, 'no revocation in the audit log');
      assert.match(rows[0], /declaration\.revoke/);
      assert.match(rows[0], /operator:\d+/);
      await assertAccessible(page, `audit (${lang})`);
      await screenshot(page, `console-audit-${lang}`);

      await page.goto(server.url('/console/operators'));
      assert.match(await page.locator('main').textContent(), new RegExp(email));
      await assertAccessible(page, `operators (${lang})`);

      // The pages for running the registry: each reached from the menu, each checked by axe.
      const nav = () => page.getByRole('navigation', { name: t['console.nav.label'] });
      for (const [title, path] of [['console.review.title', '/console/review'],
        ['console.disputes.title', '/console/disputes'], ['console.mail.title', '/console/mail'],
        ['console.terms.title', '/console/terms'], ['console.export.title', '/console/export']]) {
        await Promise.all([page.waitForURL(server.url(path)), nav().getByRole('link', { name: t[title] }).click()]);
        assert.equal((await page.locator('h1').textContent()).trim(), t[title]);
        if (path === '/console/review') {
          const queue = page.getByRole('region', { name: t['console.review.disputes_title'] });
          await queue.getByRole('link', { name: DISPUTED_CLAIM }).waitFor();
        }
        await assertAccessible(page, `${path} (${lang})`);
      }
      // A verifier key: shown once on the page that creates it, then revoked after confirming.
      await Promise.all([page.waitForURL(server.url('/console/verifier-keys')),
        nav().getByRole('link', { name: t['console.keys.title'] }).click()]);
      await assertAccessible(page, `verifier keys (${lang})`);
      await page.getByLabel(t['console.keys.name_label']).fill(`Office ${lang}`);
      await page.getByRole('button', { name: t['console.keys.submit'] }).click();
      await page.locator('#created-key').waitFor();
      assert.match(await page.locator('#created-key').textContent(), /^sv_/);
      await assertAccessible(page, `verifier key created (${lang})`);
      await screenshot(page, `console-keys-${lang}`);
      // Its holder makes an account (in a browser of their own); the page lists it under the keys,
      // and disabling it asks first.
      const keySecret = (await page.locator('#created-key').textContent()).trim();
      const [holderContext, holder] = await pageAt(lang);
      await holder.goto(server.url('/verifier/register'));
      await holder.getByLabel(t['verifier.field.key']).fill(keySecret);
      await holder.getByLabel(t['console.field.email'], { exact: true }).fill(`clerk-${lang}@example.jp`);
      await holder.getByLabel(t['console.field.new_password'], { exact: true }).fill(PASSWORD);
      // Switching language keeps the address; the key and the password are not written back.
      await switchLanguage(holder, other);
      assert.equal(await holder.getByLabel(cat[other]['console.field.email'], { exact: true }).inputValue(),
        `clerk-${lang}@example.jp`);
      assert.equal(await holder.getByLabel(cat[other]['verifier.field.key']).inputValue(), '');
      assert.equal(await holder.getByLabel(cat[other]['console.field.new_password'], { exact: true }).inputValue(), '');
      await switchLanguage(holder, lang);
      assert.equal(await holder.getByLabel(t['console.field.email'], { exact: true }).inputValue(), `clerk-${lang}@example.jp`);
      await holder.getByLabel(t['verifier.field.key']).fill(keySecret);
      await holder.getByLabel(t['console.field.new_password'], { exact: true }).fill(PASSWORD);
      await holder.getByLabel(t['console.field.password_again']).fill(PASSWORD);
      await Promise.all([holder.waitForNavigation({ waitUntil: 'load' }),
        holder.getByRole('button', { name: t['verifier.register.submit'] }).click()]);
      assert.equal((await holder.locator('h1').textContent()).trim(), t['verifier.register.sent.title']);
      await assertAccessible(holder, `verifier account mail sent (${lang})`);
      // The account is made by the link mailed to the address, from a page with a button (ADR 49).
      const mail = await waitForMail(server.mailDir,
        (m) => m.to.includes(`clerk-${lang}@example.jp`) && m.body.includes('/verifier/register/'));
      const registration = new URL(linkIn(mail, '/verifier/register/'));
      await openLink(holder, server.url(registration.pathname) + registration.hash);
      await assertAccessible(holder, `finish a verifier account (${lang})`);
      // Made, the account goes on to set up its second factor (ADR 0056).
      await Promise.all([holder.waitForURL(server.url('/verifier/totp')),
        holder.getByRole('button', { name: t['verifier.register.submit'] }).click()]);
      const holderSecret = (await holder.locator('#totp-secret').textContent()).trim();
      await holder.getByLabel(t['console.field.code']).fill(totp(holderSecret));
      await Promise.all([holder.waitForURL(server.url('/verifier')),
        holder.getByRole('button', { name: t['console.totp.submit'] }).click()]);
      await holderContext.close();
      await page.goto(server.url('/console/verifier-keys'));
      const accountRow = page.locator('tr', { hasText: `clerk-${lang}@example.jp` });
      assert.match(await accountRow.textContent(), new RegExp(t['console.accounts.status_active']));
      await assertAccessible(page, `verifier accounts (${lang})`);
      // The holder lost the phone: after checking who asks, the admin lets it set up codes again.
      await accountRow.getByRole('link', { name: t['console.accounts.reset_link'] }).click();
      await page.locator('#reset-question').waitFor();
      await assertAccessible(page, `reset a verifier's codes (${lang})`);
      await Promise.all([page.waitForURL(/\/console\/verifier-keys/),
        page.getByRole('button', { name: t['console.accounts.reset_submit'] }).click()]);
      assert.equal(await accountRow.getByRole('link', { name: t['console.accounts.reset_link'] }).count(), 0);
      await accountRow.getByRole('link', { name: t['console.accounts.disable_link'] }).click();
      await page.locator('#disable-question').waitFor();
      await assertAccessible(page, `disable an account (${lang})`);
      await Promise.all([page.waitForURL(/\/console\/verifier-keys/),
        page.getByRole('button', { name: t['console.accounts.disable_submit'] }).click()]);
      assert.equal(await accountRow.getByRole('link', { name: t['console.accounts.disable_link'] }).count(), 0);
      const keyRow = page.locator('tr', { hasText: `Office ${lang}` });
      await keyRow.getByRole('link', { name: t['console.keys.revoke_link'] }).click();
      await page.locator('#revoke-question').waitFor();
      await assertAccessible(page, `revoke a key (${lang})`);
      await Promise.all([page.waitForURL(server.url('/console/verifier-keys')),
        page.getByRole('button', { name: t['console.keys.revoke_submit'] }).click()]);
      assert.equal(await keyRow.getByRole('link', { name: t['console.keys.revoke_link'] }).count(), 0);
      assertNoProblems(page);
      await context.close();
    });
  });
}

describe('the console on a narrow screen', () => {
  it('the sign-in page and its forms fit a 320-pixel screen', async () => {
    const [context, page] = await pageAt('ja', 320);
    await page.goto(server.url('/console/signin'));
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow.scrollWidth <= overflow.width, overflow.over.join('\n'));
    await assertAccessible(page, 'sign-in (narrow)');
    await context.close();
  });
});
