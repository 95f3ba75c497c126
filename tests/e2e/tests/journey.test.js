// A business's whole journey in a real browser, in Japanese: apply for ★ (typing full-width
// digits and a reading in hiragana), confirm by the link in the 受付確認 mail, see the ID, download
// the badge (SVG, PNG, PNG with QR code), sign out, sign in again by mail link, change details,
// step up to ★★, stop; the public page says 停止. Then the first half in English. axe checks every
// page visited.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { launch, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { pngHeader } from '../support/png.js';
import { Sengen } from '../support/sengen.js';
import { clickAndLoad, corporateNumber, pageChecker, SUBMIT, text, openLink } from '../support/pages.js';

const ja = catalogue('ja');
const en = catalogue('en');
const DESKTOP = { width: 1280, height: 900 };

let server;
let browser;
let tmp;

before(async () => {
  server = await new Sengen(['--mail-poll-ms', '50']).start();
  browser = await launch();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sengen-journey-'));
});

after(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// --- helpers ----------------------------------------------------------------------------------

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const fullWidth = (s) => s.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)]).replace(/-/g, '－');

// A 13-digit 法人番号 with its check digit in front (法人番号の指定等に関する省令 第2条).

// Damm's check over the whole ID (H. M. Damm, 2004), from the published table.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];
const dammValid = (digits) => [...digits].reduce((interim, d) => DAMM[interim][Number(d)], 0) === 0;

// Today in Japan (the server's "today" for the assessment date).
function todayInJapan() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

const fill = (template, values) => template.replace(/\{([a-z_]+)\}/g, (m, k) => values[k] ?? m);

// Every page: axe (WCAG 2.2 AA tags), a screenshot, no console errors or failed loads.

// Clicks and waits for the page it leads to (also a page re-rendered at the same URL).

async function download(page, selector, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const target = path.join(tmp, name);
  await file.saveAs(target);
  return { bytes: readFileSync(target), path: target, suggested: file.suggestedFilename() };
}

// Applies through the four pages; returns nothing, leaves the page on /apply/sent.
async function applyThroughThePages(page, check, lang, business, declaration) {
  const t = lang === 'ja' ? ja : en;
  await page.goto(server.url('/'));
  await check(page, 'home');
  await clickAndLoad(page, '.site-nav a[href="/apply"]');
  assert.equal(new URL(page.url()).pathname, '/apply');
  assert.equal(await text(page, 'h1'), t['apply.terms.title']);
  await check(page, 'apply-terms');

  // Forgetting the box shows an error, and axe checks the page with it.
  await clickAndLoad(page, SUBMIT);
  assert.equal(new URL(page.url()).pathname, '/apply');
  assert.ok((await text(page, '.field-error')).includes(t['field_error.terms_required']));
  await check(page, 'apply-terms-error');
  await page.check('#f-terms_agreed');
  await clickAndLoad(page, SUBMIT);
  assert.equal(new URL(page.url()).pathname, '/apply/business');
  await check(page, 'apply-business');

  // An empty form shows every error at once; nothing typed is lost afterwards.
  await clickAndLoad(page, SUBMIT);
  assert.equal(new URL(page.url()).pathname, '/apply/business');
  assert.ok((await page.locator('.field-error').count()) >= 10);
  await check(page, 'apply-business-errors');
  await page.check(`#f-entity_type_${business.entity_type}`);
  for (const [name, value] of Object.entries(business.text)) await page.fill(`#f-${name}`, value);
  for (const [name, value] of Object.entries(business.select)) await page.selectOption(`#f-${name}`, value);
  await clickAndLoad(page, SUBMIT);
  assert.equal(new URL(page.url()).pathname, '/apply/declaration', await text(page, 'main'));
  await check(page, 'apply-declaration');

  await page.check(`#f-level_${declaration.level}`);
  for (let n = 1; n <= 5; n++) await page.check(`#f-commitment_${n}`);
  for (const p of declaration.purposes) await page.check(`#f-purposes_${p}`);
  await clickAndLoad(page, SUBMIT);
  assert.equal(new URL(page.url()).pathname, '/apply/check', await text(page, 'main'));
  await check(page, 'apply-check');
}

// --- the journey in Japanese --------------------------------------------------------------------

describe('journey in Japanese', () => {
  it('applies for ★, confirms, downloads the badge, signs in again, changes, steps up and stops', async () => {
    const check = pageChecker('journey-ja');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP', acceptDownloads: true });
    const page = await watchedPage(context);
    const corp = corporateNumber('201234567890');
    const email = 'hanako@sakura-tech.example.jp';

    // 1. Apply: full-width digits in the corporate number, postal code and phone; ふりがな in hiragana.
    await applyThroughThePages(
      page,
      check,
      'ja',
      {
        entity_type: 'corporation',
        text: {
          corporate_number: fullWidth(corp),
          business_name: '株式会社さくらテック',
          business_name_kana: 'さくらてっく',
          postal_code: '１００－０００５',
          address: '千代田区丸の内１－１－１',
          representative_title: '代表取締役',
          representative_name: '桜 太郎',
          contact_name: '桜 花子',
          contact_email: email,
          phone: '０３－１２３４－５６７８',
        },
        select: { prefecture: '13', industry: 'G', employees: '6-20' },
      },
      { level: '1', purposes: ['customer', 'subsidy'] },
    );
    // The check page shows what will be stored: folded to half width, the reading in katakana.
    const summary = await text(page, 'main');
    assert.ok(summary.includes(corp), summary);
    assert.ok(summary.includes('100-0005'), summary);
    assert.ok(summary.includes('サクラテック'), summary);
    assert.ok(summary.includes('03-1234-5678'), summary);
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, '/apply/sent');
    assert.ok((await text(page, 'main')).includes(email));
    await check(page, 'apply-sent');

    // 2. The 受付確認 mail, and its link.
    const receipt = await waitForMail(server.mailDir, (m) => m.to.includes(email));
    assert.equal(receipt.subject, fill(ja['mail.receipt.subject'], { site_name: ja['site.name'] }));
    assert.ok(receipt.body.includes('株式会社さくらテック'));
    const confirmLink = linkIn(receipt, '/confirm/');
    assert.ok(confirmLink.startsWith(server.origin + '/confirm#'), confirmLink);

    // 3. Open the link: nothing happens until the button is pressed.
    await openLink(page, confirmLink);
    assert.equal(await text(page, 'h1'), ja['confirm.title']);
    assert.ok((await text(page, 'main')).includes('株式会社さくらテック'));
    await check(page, 'confirm');
    await clickAndLoad(page, SUBMIT);
    assert.equal(await text(page, 'h1'), ja['confirm.done.title']);
    // The ID is shown in 3-4-4 groups spaced by CSS, and its text (what a copy gives) is the 11 digits.
    const id = await text(page, '.declaration-id .id-digits');
    assert.match(id, /^\d{11}$/);
    assert.equal(await page.locator('.declaration-id .id-group').count(), 3);
    assert.ok(dammValid(id), `${id} fails the Damm check`);
    await check(page, 'confirm-done');
    const declaredMail = await waitForMail(server.mailDir, (m) => m.to.includes(email) && m.subject.includes(id));
    assert.ok(declaredMail.body.includes(`${ja['field.id.label']}：${id}\n`), declaredMail.body);

    // 4. The badge: the owner was signed in by confirming.
    await clickAndLoad(page, `main a[href="/mypage/declarations/${id}/badge"]`);
    assert.equal(await text(page, 'h1'), ja['badge.title']);
    await check(page, 'badge');

    const svg = await download(page, `a[href$="/badge/ja-small.svg?download=1"]`, 'badge.svg');
    assert.match(svg.suggested, /\.svg$/);
    const svgText = svg.bytes.toString('utf8');
    const parsed = await page.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: doc.documentElement.localName,
        text: doc.documentElement.textContent,
      };
    }, svgText);
    assert.equal(parsed.error, false, 'the SVG is not well-formed XML');
    assert.equal(parsed.root, 'svg');
    assert.ok(parsed.text.replace(/\s+/g, '').includes(id), 'the SVG does not contain the ID');

    const png = await download(page, `a[href$="/badge/ja-large.png?download=1"]`, 'badge.png');
    assert.match(png.suggested, /\.png$/);
    const header = pngHeader(png.bytes);
    assert.ok(header.width > 100 && header.height > 50, JSON.stringify(header));
    // The browser decodes it to the size its header promises.
    const decoded = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    }, png.bytes.toString('base64'));
    assert.deepEqual(decoded, { width: header.width, height: header.height });

    const qr = await download(page, `a[href$="/badge/ja-large-qr.png?download=1"]`, 'badge-qr.png');
    pngHeader(qr.bytes);
    const scanned = execFileSync('zbarimg', ['--raw', '-q', qr.path], { encoding: 'utf8' }).trim();
    assert.equal(scanned, `${server.origin}/verify/${id}`);

    // The confirmation link works once: opened again, it says so and offers signing in.
    const used = await openLink(page, confirmLink);
    assert.equal(used.status(), 410);
    assert.equal(await text(page, 'h1'), ja['confirm.used.title']);
    assert.equal(await page.locator('main a[href="/signin"]').count(), 1);
    await check(page, 'confirm-used');

    // 5. Sign out from My Page.
    await page.goto(server.url('/mypage'));
    await check(page, 'mypage');
    await clickAndLoad(page, 'main form[action="/signout"] button');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.site-nav a[href="/signin"]').count(), 1);
    const gone = await page.goto(server.url('/mypage'));
    assert.equal(new URL(page.url()).pathname, '/signin', 'My Page needs signing in again');
    assert.equal(gone.status(), 200);

    // 6. Sign in by mail link.
    await check(page, 'signin');
    await page.fill('#f-email', email);
    await clickAndLoad(page, SUBMIT);
    assert.equal(await text(page, 'h1'), ja['signin.sent.title']);
    await check(page, 'signin-sent');
    const signinMail = await waitForMail(server.mailDir, (m) => m.to.includes(email) && m.body.includes('/signin/'));
    assert.equal(signinMail.subject, fill(ja['mail.signin.subject'], { site_name: ja['site.name'] }));
    await openLink(page, linkIn(signinMail, '/signin/'));
    assert.equal(await text(page, 'h1'), ja['signin.confirm.title']);
    await check(page, 'signin-confirm');
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, '/mypage');
    assert.ok((await text(page, 'main .card')).includes('株式会社さくらテック'));
    assert.equal(await text(page, 'main .card .status'), ja['status.declared']);
    await check(page, 'mypage-signed-in');

    // 7. Change details: the change shows in the history.
    await clickAndLoad(page, `main a[href="/mypage/declarations/${id}"]`);
    await check(page, 'declaration');
    await clickAndLoad(page, `main a[href="/mypage/declarations/${id}/edit"]`);
    // The address is kept as typed (full-width digits are usual in Japanese addresses).
    assert.equal(await page.inputValue('#f-address'), '千代田区丸の内１－１－１');
    await check(page, 'edit');
    await page.fill('#f-address', '千代田区丸の内２－２－２');
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, `/mypage/declarations/${id}`);
    const history = await text(page, 'main table.table tbody');
    assert.ok(history.includes(ja['field.address.label']), history);
    assert.ok(history.includes('千代田区丸の内１－１－１'), history);
    assert.ok(history.includes('千代田区丸の内２－２－２'), history);
    await check(page, 'declaration-changed');

    // 8. Step up to ★★ with the assessment date (typed in full width) and the policy URL.
    await clickAndLoad(page, `main a[href="/mypage/declarations/${id}/step-up"]`);
    await check(page, 'step-up');
    await page.fill('#f-assessment_date', fullWidth(todayInJapan()));
    await page.fill('#f-policy_url', 'https://sakura-tech.example.jp/security-policy');
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, `/mypage/declarations/${id}`, await text(page, 'main'));
    assert.ok((await text(page, 'main dl.summary')).includes('★★'));
    assert.ok((await text(page, 'main')).includes('https://sakura-tech.example.jp/security-policy'));
    await check(page, 'declaration-two-stars');

    // 9. Stop, after a confirmation step.
    await clickAndLoad(page, `main a[href="/mypage/declarations/${id}/stop"]`);
    assert.equal(await text(page, 'h1'), ja['mypage.stop.title']);
    await check(page, 'stop-confirm');
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, `/mypage/declarations/${id}`);
    assert.equal(await text(page, 'main .status'), ja['status.stopped']);
    await check(page, 'declaration-stopped');
    await page.goto(server.url('/mypage'));
    assert.equal(await text(page, 'main .card .status'), ja['status.stopped']);
    await check(page, 'mypage-stopped');
    // The public page says 停止 too.
    await page.goto(server.url(`/verify/${id}`));
    assert.equal(await text(page, 'main .verify-details .status'), ja['verify.status.stopped']);
    assert.equal(await text(page, 'main .verify-banner-title'), `✕ ${ja['verify.banner.stopped.title']}`);
    await check(page, 'verify-stopped');
    // The badge is no longer served.
    const badge = await page.request.get(server.url(`/mypage/declarations/${id}/badge/ja-small.svg`));
    assert.equal(badge.status(), 404);

    // Sign out on every device: the session ends, and My Page asks for signing in again.
    await page.goto(server.url('/mypage'));
    await clickAndLoad(page, 'main form[action="/signout/everywhere"] button');
    assert.equal(await text(page, 'h1'), ja['signout.everywhere.done.title']);
    await check(page, 'signed-out-everywhere');
    await page.goto(server.url('/mypage'));
    assert.equal(new URL(page.url()).pathname, '/signin');

    // 10. The operator's CLI sees it stopped.
    const shown = server.cli(['declaration', 'show', id]);
    assert.match(shown, /^status: stopped$/m, shown);
    assert.match(shown, new RegExp(`^id: ${id}$`, 'm'), shown);
    await context.close();
  });
});

// --- the first half in English ------------------------------------------------------------------

describe('journey in English', () => {
  it('applies as a sole proprietor, confirms and sees the ID', async () => {
    const check = pageChecker('journey-en');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const page = await watchedPage(context);
    const email = 'owner@maple-works.example.com';
    await applyThroughThePages(
      page,
      check,
      'en',
      {
        entity_type: 'sole_proprietor',
        text: {
          business_name: 'Maple Works',
          business_name_kana: 'メープルワークス',
          postal_code: '530-0001',
          address: '1-1 Umeda, Kita-ku, Osaka',
          representative_title: 'Owner',
          representative_name: 'Alex Smith',
          contact_name: 'Alex Smith',
          contact_email: email,
        },
        select: { prefecture: '27', industry: 'I', employees: '1-5' },
      },
      { level: '1', purposes: ['trust'] },
    );
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await clickAndLoad(page, SUBMIT);
    assert.equal(new URL(page.url()).pathname, '/apply/sent');
    await check(page, 'apply-sent');

    const receipt = await waitForMail(server.mailDir, (m) => m.to.includes(email));
    assert.equal(receipt.subject, fill(en['mail.receipt.subject'], { site_name: en['site.name'] }));
    assert.equal(receipt.headers['content-language'], 'en');
    await openLink(page, linkIn(receipt, '/confirm/'));
    assert.equal(await text(page, 'h1'), en['confirm.title']);
    await check(page, 'confirm');
    await clickAndLoad(page, SUBMIT);
    assert.equal(await text(page, 'h1'), en['confirm.done.title']);
    // Grouped by CSS only: the ID's text, what a copy gives, is the 11 digits.
    const id = await text(page, '.declaration-id .id-digits');
    assert.match(id, /^\d{11}$/);
    assert.ok(dammValid(id));
    await check(page, 'confirm-done');
    await context.close();
  });
});
