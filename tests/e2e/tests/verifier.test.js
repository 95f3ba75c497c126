// The verifiers' bulk verification page in a real browser: a key made with `sengen verifier-key
// create`, an account asked for with it in the browser and made by the mailed link, a Shift_JIS CSV (as Excel in Japan saves it)
// with a good row, an unknown ID, a mistyped ID, a corporate number that differs and a malformed
// row, the result page's counts and problem rows, and both downloads read back: the CSV decoded
// as Shift_JIS and the .xlsx read with Python's zipfile (support/spreadsheet.py), row by row.
// Before any of that the new account sets up its second factor (ADR 0056), and a later sign-in
// takes the password and then a code, a wrong one refused on its field. axe on every page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { openLink } from '../support/pages.js';
import { application, corporateNumber, declarationId, declareAll } from '../support/registry.js';
import { Sengen } from '../support/sengen.js';
import { totp } from '../support/totp.js';

const t = catalogue('ja');
const PASSWORD = 'a long and unusual phrase 42';
const SPREADSHEET = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'spreadsheet.py');

function spreadsheet(args, input) {
  return execFileSync('/usr/bin/python3', [SPREADSHEET, ...args], input === undefined ? {} : { input });
}

let server;
let browser;
let declared;

before(async () => {
  server = await new Sengen([]).start();
  browser = await launch();
  const apps = [application({ business_name: '株式会社一括確認' }), application({ business_name: '有限会社照合' })];
  declared = (await declareAll(server, apps)).map((d, i) => ({ id: d.id, corporate: apps[i].corporate_number }));
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

describe('the bulk verification page', () => {
  it('a verifier makes an account, uploads a Shift_JIS CSV and gets the right CSV and .xlsx back', async () => {
    const key = server.cli(['verifier-key', 'create', '--name', '補助金事務局']).trim().split('\n').at(-1);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await watchedPage(context);

    await page.goto(server.url('/verifier'));
    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.signin.title']);
    await assertAccessible(page, 'verifier sign-in');
    await page.getByRole('link', { name: t['verifier.register.title'] }).click();
    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.register.title']);
    await assertAccessible(page, 'verifier account');
    await page.getByLabel(t['verifier.field.key']).fill(key);
    await page.getByLabel(t['console.field.email'], { exact: true }).fill('clerk@example.jp');
    await page.getByLabel(t['console.field.new_password'], { exact: true }).fill(PASSWORD);
    await page.getByLabel(t['console.field.password_again']).fill(PASSWORD);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: t['verifier.register.submit'] }).click()]);
    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.register.sent.title']);
    await assertAccessible(page, 'verifier account mail sent');
    // The account is made by the link mailed to the address, from a page with a button (ADR 49).
    const mail = await waitForMail(server.mailDir,
      (m) => m.to.includes('clerk@example.jp') && m.body.includes('/verifier/register/'));
    const registration = new URL(linkIn(mail, '/verifier/register/'));
    await openLink(page, server.url(registration.pathname) + registration.hash);
    assert.equal(await page.locator('#registration-email').textContent(), 'clerk@example.jp');
    await assertAccessible(page, 'verifier account finish');
    await Promise.all([page.waitForURL(server.url('/verifier/totp')),
      page.getByRole('button', { name: t['verifier.register.submit'] }).click()]);

    // The account is usable once a code from an authenticator app confirms its second factor.
    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.totp.title']);
    assert.ok(await page.getByRole('img', { name: t['console.totp.qr_alt'] }).isVisible());
    await assertAccessible(page, 'verifier second factor set-up');
    await screenshot(page, 'verifier-totp');
    const secret = (await page.locator('#totp-secret').textContent()).trim();
    await page.getByLabel(t['console.field.code']).fill(totp(secret));
    await Promise.all([page.waitForURL(server.url('/verifier')),
      page.getByRole('button', { name: t['console.totp.submit'] }).click()]);

    // Signed out and in again: the password, then a code; a wrong code is refused on its field.
    await Promise.all([page.waitForURL(server.url('/verifier/signin')),
      page.getByRole('button', { name: t['verifier.signout'] }).click()]);
    await page.getByLabel(t['console.field.email'], { exact: true }).fill('clerk@example.jp');
    await page.getByLabel(t['console.field.password'], { exact: true }).fill(PASSWORD);
    await Promise.all([page.waitForURL(server.url('/verifier/signin/code')),
      page.getByRole('button', { name: t['verifier.signin.submit'] }).click()]);
    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.code.title']);
    await assertAccessible(page, 'verifier code');
    const next = totp(secret, Date.now() / 1000 + 30);
    await page.getByLabel(t['console.field.code']).fill(String((Number(next) + 1) % 1000000).padStart(6, '0'));
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: t['console.code.submit'], exact: true }).click()]);
    assert.equal((await page.locator('#f-code-error').textContent()).includes(t['console.code.wrong']), true);
    assert.equal(await page.getByLabel(t['console.field.code']).inputValue(), '');
    await assertAccessible(page, 'verifier code refused');
    await page.getByLabel(t['console.field.code']).fill(next);
    await Promise.all([page.waitForURL(server.url('/verifier')),
      page.getByRole('button', { name: t['console.code.submit'], exact: true }).click()]);

    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.upload.title']);
    await assertAccessible(page, 'verifier upload');
    await screenshot(page, 'verifier-upload');

    const [good, other] = declared;
    const unknown = declarationId(999999);
    const mistyped = good.id.slice(0, -1) + String((Number(good.id.at(-1)) + 1) % 10);
    const differing = corporateNumber('123456789012');
    const lines = [
      '自己宣言ID,法人番号,申請日,メモ',
      `${good.id},${good.corporate},,正しい行`,
      `${unknown},,,登録のないID`,
      `${mistyped},,,打ち間違い`,
      `${other.id},${differing},,法人番号違い`,
      `${good.id},12345,,壊れた行`,
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'sengen-verifier-'));
    const file = path.join(dir, '申請者.csv');
    writeFileSync(file, spreadsheet(['encode', 'cp932'], lines.join('\r\n') + '\r\n'));
    await page.getByLabel(t['verifier.field.file']).setInputFiles(file);
    await page.getByRole('button', { name: t['verifier.upload.submit'], exact: true }).click();

    assert.equal((await page.locator('h1').textContent()).trim(), t['verifier.result.title']);
    const count = async (k) => (await page.locator(`#count-${k}`).textContent()).trim();
    assert.deepEqual(
      { found: await count('found'), not_found: await count('not_found'), mistyped: await count('mistyped'),
        mismatch: await count('mismatch'), bad_row: await count('bad_row') },
      { found: '1', not_found: '1', mistyped: '1', mismatch: '1', bad_row: '1' },
    );
    const problemLines = await page.locator('#problem-rows tbody tr td:first-child').allTextContents();
    assert.deepEqual(problemLines.map((s) => s.trim()), ['3', '4', '5', '6']);
    await assertAccessible(page, 'verifier result');
    await screenshot(page, 'verifier-result');

    const expected = [
      [good.id, good.corporate, '', '正しい行', '2', t['verifier.outcome.found'], '1', t['status.declared'], '株式会社一括確認'],
      [unknown, '', '', '登録のないID', '3', t['verifier.outcome.not_found'], '', '', ''],
      [mistyped, '', '', '打ち間違い', '4', t['verifier.outcome.mistyped'], '', '', ''],
      [other.id, differing, '', '法人番号違い', '5', t['verifier.outcome.mismatch'], '1', t['status.declared'], '有限会社照合'],
      [good.id, '12345', '', '壊れた行', '6', t['verifier.outcome.bad_row'], '', '', ''],
    ];
    // The reason column; a differing corporate number shows in the match column instead.
    const reasons = ['', '', t['verifier.reason.id_check_digit'], '', t['verifier.reason.row_corporate_number']];
    const checkRows = (rows, label) => {
      assert.equal(rows.length, 1 + expected.length, label);
      assert.deepEqual(rows[0].slice(0, 6), ['自己宣言ID', '法人番号', '申請日', 'メモ', t['verifier.col.line'], t['verifier.col.result']], label);
      expected.forEach((want, i) => {
        assert.deepEqual(rows[i + 1].slice(0, 9), want, `${label} row ${i + 1}`);
        assert.equal(rows[i + 1].at(-1), reasons[i], `${label} reason of row ${i + 1}`);
      });
      assert.equal(rows[1].at(-2), t['verifier.match.yes'], label);
      assert.equal(rows[4].at(-2), t['verifier.match.no'], label);
    };

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: t['verifier.result.csv'] }).click(),
    ]);
    const csvPath = path.join(dir, 'results.csv');
    await csvDownload.saveAs(csvPath);
    const csv = JSON.parse(spreadsheet(['csv', csvPath, 'cp932']).toString('utf8'));
    assert.equal(csv.bom, false, 'a Shift_JIS upload comes back without a BOM');
    checkRows(csv.rows, 'CSV');

    const [xlsxDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: t['verifier.result.xlsx'] }).click(),
    ]);
    const xlsxPath = path.join(dir, 'results.xlsx');
    await xlsxDownload.saveAs(xlsxPath);
    checkRows(JSON.parse(spreadsheet(['xlsx', xlsxPath]).toString('utf8')).rows, 'xlsx');

    assertNoProblems(page);
    await context.close();
  });
});
