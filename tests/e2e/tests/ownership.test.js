// Who holds a declaration, in a real browser: a new contact address is proven by its link before it
// takes the declaration over (the holder in Japanese and the successor in English, then the other way
// round), and a second business's claim to a corporate number that already has a declaration is held
// as a dispute with a page that says what happens next; a change of details is told to the contact
// by the form's labels.
// axe checks every page visited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { application, applyForConfirmLink } from '../support/registry.js';
import { sengenAndChromium } from '../support/suite.js';
import { clickAndLoad, corporateNumber, pageChecker, SUBMIT, text, openLink } from '../support/pages.js';

const ja = catalogue('ja');
const en = catalogue('en');
const DESKTOP = { width: 1280, height: 900 };

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

// An application through the API with this suite's details; the link of its 受付確認 mail.
function apply(overrides) {
  const details = { business_name_kana: 'ショユウ', industry: 'G', representative_name: '持主 太郎', contact_name: '持主 花子' };
  return applyForConfirmLink(server, application({ ...details, purposes: ['customer'], ...overrides }));
}

describe('ownership', () => {
  it('hands a declaration over to a proven new contact address, in either language on either side', async () => {
    const cases = [
      { holder: 'ja', successor: 'en', base: '301234567890' },
      { holder: 'en', successor: 'ja', base: '301234567892' },
    ];
    const words = { ja, en };
    const locales = { ja: 'ja-JP', en: 'en-US' };
    for (const c of cases) {
      const said = words[c.holder];
      const heard = words[c.successor];
      const check = pageChecker(`ownership-handover-${c.holder}-${c.successor}`);
      const leaving = `leaving-${c.holder}@hikitsugi.example.jp`;
      const successorAddress = `successor-${c.successor}@hikitsugi.example.jp`;
      const holder = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: locales[c.holder] }));
      await openLink(holder, await apply({
        corporate_number: corporateNumber(c.base),
        business_name: `株式会社引継ぎ商事${c.holder}`,
        contact_email: leaving,
        lang: c.holder,
      }));
      await clickAndLoad(holder, SUBMIT);
      const id = await text(holder, '.declaration-id .id-digits');

      await holder.goto(server.url(`/mypage/declarations/${id}/edit`));
      await holder.fill('#f-contact_email', successorAddress);
      await clickAndLoad(holder, SUBMIT);
      assert.equal(new URL(holder.url()).pathname, `/mypage/declarations/${id}`);
      assert.ok((await text(holder, 'main')).includes(said['mypage.flash.contact_change_sent']));
      await check(holder, 'change-asked');

      const mail = await waitForMail(server.mailDir, (m) => m.to.includes(successorAddress));
      const successor = await watchedPage(
        await browser.newContext({ viewport: DESKTOP, locale: locales[c.successor] }));
      await openLink(successor, linkIn(mail, '/contact-change/'));
      assert.equal(await text(successor, 'h1'), heard['contact_change.title']);
      await check(successor, 'contact-change');
      await clickAndLoad(successor, SUBMIT);
      assert.equal(new URL(successor.url()).pathname, `/mypage/declarations/${id}`);
      assert.ok((await text(successor, 'main')).includes(heard['mypage.flash.contact_changed']));
      await check(successor, 'taken-over');
      // The declaration is the new contact's on My Page.
      await successor.goto(server.url('/mypage'));
      assert.ok((await successor.locator(`a[href="/mypage/declarations/${id}"]`).count()) >= 1);
      await check(successor, 'mypage');

      // The former holder's browser is signed out of it.
      await holder.goto(server.url(`/mypage/declarations/${id}`));
      assert.equal(new URL(holder.url()).pathname, '/signin');
      await holder.context().close();
      await successor.context().close();
    }
  });

  it('tells the contact which details changed, by the labels of the form, in its language', async () => {
    const check = pageChecker('change-notice');
    const cases = [
      { locale: 'ja-JP', lang: 'ja', words: ja, separator: '、', base: '401234567890' },
      { locale: 'en-US', lang: 'en', words: en, separator: ', ', base: '401234567891' },
    ];
    for (const c of cases) {
      const address = `labels-${c.lang}@henkou.example.jp`;
      const page = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: c.locale }));
      await openLink(page, await apply({
        corporate_number: corporateNumber(c.base),
        business_name: `株式会社変更${c.lang}`,
        contact_email: address,
        lang: c.lang,
      }));
      await clickAndLoad(page, SUBMIT);
      const id = await text(page, '.declaration-id .id-digits');
      await page.goto(server.url(`/mypage/declarations/${id}/edit`));
      await page.fill('#f-business_name_kana', 'ヘンコウゴ');
      await page.fill('#f-phone', '03-1234-5678');
      await check(page, `edit-${c.lang}`);
      await clickAndLoad(page, SUBMIT);
      assert.equal(new URL(page.url()).pathname, `/mypage/declarations/${id}`);
      const subject = c.words['mail.changed.subject'].split('}')[1].split('{')[0];
      const notice = await waitForMail(server.mailDir, (m) => m.to.includes(address) && m.subject.includes(subject));
      const labels = c.words['field.business_name_kana.label'] + c.separator + c.words['field.phone.label'];
      assert.ok(notice.body.includes(labels), notice.body);
      for (const code of ['business_name_kana', 'phone']) assert.doesNotMatch(notice.body, new RegExp(`\\b${code}\\b`));
    }
  });

  it('holds a second claim to a corporate number as a dispute and says what happens next', async () => {
    const check = pageChecker('ownership-dispute');
    const number = corporateNumber('301234567891');
    const first = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' }));
    await openLink(first, await apply({ corporate_number: number, business_name: '株式会社本家', contact_email: 'a@honke.example.jp' }));
    await clickAndLoad(first, SUBMIT);

    for (const [lang, t, locale] of [['ja', ja, 'ja-JP'], ['en', en, 'en-US']]) {
      const page = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale }));
      await openLink(page, await apply({
        corporate_number: number,
        business_name: `株式会社主張${lang}`,
        contact_email: `claim-${lang}@example.jp`,
        lang,
      }));
      await clickAndLoad(page, SUBMIT);
      assert.equal(await text(page, 'h1'), t['confirm.disputed.title']);
      assert.ok((await text(page, 'main')).includes(t['confirm.disputed.step_review']));
      assert.equal(await page.locator('.declaration-id').count(), 0);
      await check(page, `disputed-${lang}`);
    }
    assert.match(server.cli(['disputes', 'list']), /^2 open$/m);
  });
});
