// A declarant's sign-in code from an authenticator app in a real browser (ADR 61): the declarant
// confirms an application (which signs it in), sets up the code from My Page (the QR code and the
// key for typing, then a first code), signs out, and signs in again by the mailed link, which stops
// at the code page: a wrong code is refused on its field, the right one opens My Page. Codes are
// computed as an authenticator app would (support/totp.js). axe on every page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, readMails, waitForMail } from '../support/mail.js';
import { application, applyForConfirmLink } from '../support/registry.js';
import { sengenAndChromium } from '../support/suite.js';
import { clickAndLoad, openLink, pageChecker, SUBMIT, text } from '../support/pages.js';
import { totp } from '../support/totp.js';

const t = catalogue('ja');
const ADDRESS = 'code-owner@example.jp';

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

// The code of the authenticator app `steps` time steps from now: one account's codes are taken at
// successive steps, since a code is good once; the server accepts one step of drift either way, so a
// step that ends between computing a code and checking it costs nothing.
function codeAt(secret, steps) {
  return totp(secret, Date.now() / 1000 + 30 * steps);
}

describe('a declarant sign-in code', () => {
  it('is set up from My Page and asked for after the mailed link', async () => {
    const check = pageChecker('declarant-code');
    const page = await watchedPage(await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' }));

    // Confirming the application signs the owner in.
    await openLink(page, await applyForConfirmLink(server, application({ contact_email: ADDRESS })));
    await clickAndLoad(page, SUBMIT);
    await page.goto(server.url('/mypage'));
    assert.ok((await text(page, 'main')).includes(t['declarant_code.mypage.off']));
    await check(page, 'mypage before');

    // The set-up: the QR code and the key, then a first code from the app.
    await clickAndLoad(page, 'a[href="/mypage/signin-code"]');
    assert.equal(await text(page, 'h1'), t['declarant_code.setup.title']);
    assert.ok(await page.getByRole('img', { name: t['declarant_code.setup.qr_alt'] }).isVisible());
    await check(page, 'set-up');
    const secret = (await page.locator('#totp-secret').textContent()).trim();
    await page.getByLabel(t['declarant_code.field']).fill(codeAt(secret, 0));
    await Promise.all([page.waitForURL(server.url('/mypage')),
      page.getByRole('button', { name: t['declarant_code.setup.submit'] }).click()]);
    assert.ok((await text(page, 'main')).includes(t['declarant_code.flash.on']));
    assert.ok((await text(page, 'main')).includes(t['declarant_code.mypage.on']));
    await check(page, 'mypage after');

    // Signed out and in again by the mailed link: the code page comes before My Page.
    await clickAndLoad(page, 'header form[action="/signout"] button');
    await page.goto(server.url('/signin'));
    const seen = new Set(readMails(server.mailDir).map((m) => m.file));
    await page.fill('#f-email', ADDRESS);
    await clickAndLoad(page, SUBMIT);
    const mail = await waitForMail(server.mailDir, (m) => m.to.includes(ADDRESS) && m.body.includes('/signin/'),
      { seen });
    await openLink(page, linkIn(mail, '/signin/'));
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, '/signin-code');
    assert.equal(await text(page, 'h1'), t['declarant_code.signin.title']);
    await check(page, 'code');

    const right = codeAt(secret, 1);
    await page.getByLabel(t['declarant_code.field']).fill(String((Number(right) + 1) % 1000000).padStart(6, '0'));
    await clickAndLoad(page, SUBMIT);
    assert.ok((await page.locator('#f-code-error').textContent()).includes(t['declarant_code.wrong']));
    assert.equal(await page.getByLabel(t['declarant_code.field']).inputValue(), '');
    await check(page, 'code refused');
    await page.getByLabel(t['declarant_code.field']).fill(right);
    await Promise.all([page.waitForURL(server.url('/mypage')),
      page.getByRole('button', { name: t['declarant_code.signin.submit'] }).click()]);
    assert.equal(await text(page, 'h1'), t['mypage.title']);
    await check(page, 'mypage signed in');
  });
});
