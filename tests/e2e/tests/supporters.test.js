// Supporters in a real browser (issue 13 point 6, ADR 42): an owner invites a supporter by email,
// the supporter accepts by the mailed link, sees the business on its My Page and edits its details,
// then the owner ends the support and the supporter's next visit is refused. Once with the owner in
// Japanese and the supporter in English, once the other way round. A supporter given the right to
// prepare for two stars answers the self-assessment and writes the policy draft for the business,
// which the owner then finds on its own My Page (ADR 48). axe checks every page visited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { application, applyForConfirmLink } from '../support/registry.js';
import { sengenAndChromium } from '../support/suite.js';
import { clickAndLoad, corporateNumber, pageChecker, SUBMIT, text, openLink } from '../support/pages.js';

const words = { ja: catalogue('ja'), en: catalogue('en') };
const locales = { ja: 'ja-JP', en: 'en-US' };
const DESKTOP = { width: 1280, height: 900 };

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

// An application through the API with this suite's details; the link of its 受付確認 mail.
function apply(overrides) {
  const details = { business_name_kana: 'シエン', industry: 'G', representative_name: '支援 太郎', contact_name: '支援 花子' };
  return applyForConfirmLink(server, application({ ...details, purposes: ['customer'], ...overrides }));
}

describe('supporters', () => {
  it('invites a supporter who accepts and edits the details, until the owner ends the support', async () => {
    const cases = [
      { owner: 'ja', supporter: 'en', base: '501234567890' },
      { owner: 'en', supporter: 'ja', base: '501234567891' },
    ];
    for (const c of cases) {
      const said = words[c.owner];
      const heard = words[c.supporter];
      const check = pageChecker(`supporters-${c.owner}-${c.supporter}`);
      const ownerAddress = `owner-${c.owner}@shien.example.jp`;
      const helperAddress = `helper-${c.supporter}@vendor.example.jp`;

      // The owner declares and opens its declaration's page.
      const owner = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: locales[c.owner] }));
      await openLink(owner, await apply({
        corporate_number: corporateNumber(c.base),
        business_name: `株式会社支援先${c.owner}`,
        contact_email: ownerAddress,
        lang: c.owner,
      }));
      await clickAndLoad(owner, SUBMIT);
      const id = await text(owner, '.declaration-id .id-digits');
      await owner.goto(server.url(`/mypage/declarations/${id}`));
      assert.ok((await text(owner, 'main')).includes(said['supporters.page.none']));
      await check(owner, 'declaration-no-supporters');

      // It invites a supporter, letting it change the details only.
      await clickAndLoad(owner, `a[href="/mypage/declarations/${id}/supporters/invite"]`);
      assert.equal(await text(owner, 'h1'), said['supporters.invite.title']);
      await owner.fill('#f-supporter_email', 'not an address');
      await clickAndLoad(owner, SUBMIT);
      assert.ok((await text(owner, 'main')).includes(said['field_error.invalid_email']));
      await check(owner, 'invite-error');
      await owner.fill('#f-supporter_email', helperAddress);
      await owner.uncheck('#rights-prepare_two_star');
      await check(owner, 'invite');
      await clickAndLoad(owner, SUBMIT);
      assert.equal(new URL(owner.url()).pathname, `/mypage/declarations/${id}`);
      assert.ok((await text(owner, 'main')).includes(said['supporters.flash.invited']));
      assert.ok((await text(owner, 'main')).includes(helperAddress));
      await check(owner, 'invitation-pending');

      // The supporter follows the mailed link and accepts, signed in as itself.
      const mail = await waitForMail(server.mailDir, (m) => m.to.includes(helperAddress));
      const helper = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: locales[c.supporter] }));
      await openLink(helper, linkIn(mail, '/support/'));
      assert.equal(await text(helper, 'h1'), heard['supporters.accept.title']);
      assert.ok((await text(helper, 'main')).includes(heard['supporters.rights.edit_details']));
      await check(helper, 'accept');
      await clickAndLoad(helper, SUBMIT);
      assert.equal(new URL(helper.url()).pathname, `/mypage/declarations/${id}`);
      assert.ok((await text(helper, 'main')).includes(heard['supporters.flash.accepted']));
      assert.equal(await helper.locator(`a[href="/mypage/declarations/${id}/stop"]`).count(), 0);
      await check(helper, 'supported-declaration');

      // Its My Page lists the business with its readiness for subsidies.
      await helper.goto(server.url('/mypage'));
      assert.ok((await text(helper, 'main')).includes(heard['supporters.mypage.title']));
      assert.equal(await helper.locator(`a[href="/mypage/declarations/${id}/subsidies"]`).count(), 1);
      await check(helper, 'mypage');

      // It changes the business details.
      await helper.goto(server.url(`/mypage/declarations/${id}/edit`));
      await helper.fill('#f-business_name_kana', 'シエンゴ');
      await check(helper, 'edit');
      await clickAndLoad(helper, SUBMIT);
      assert.equal(new URL(helper.url()).pathname, `/mypage/declarations/${id}`);
      assert.ok((await text(helper, 'main')).includes(heard['mypage.flash.changed']));

      // The owner sees the change as the supporter's, and ends the support.
      await owner.goto(server.url(`/mypage/declarations/${id}`));
      assert.ok((await text(owner, 'main')).includes(said['supporters.by.named'].replace('{email}', helperAddress)));
      await check(owner, 'supported-by');
      await clickAndLoad(owner, `form[action$="/end"] button`);
      assert.ok((await text(owner, 'main')).includes(said['supporters.flash.ended']));
      await check(owner, 'support-ended');

      // The supporter's next request is refused.
      const refused = await helper.goto(server.url(`/mypage/declarations/${id}`));
      assert.equal(refused.status(), 404);
      await helper.goto(server.url('/mypage'));
      assert.equal(await helper.locator(`a[href="/mypage/declarations/${id}"]`).count(), 0);
      await owner.context().close();
      await helper.context().close();
    }
  });

  it('lets a supporter prepare the self-assessment and the policy draft, which the owner finds', async () => {
    const said = words.ja;
    const heard = words.en;
    const check = pageChecker('supporters-prepare');
    const ownerAddress = 'owner-prepare@shien.example.jp';
    const helperAddress = 'helper-prepare@vendor.example.jp';
    const business = '株式会社準備先';

    const owner = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: locales.ja }));
    await openLink(owner, await apply({
      corporate_number: corporateNumber('501234567892'),
      business_name: business,
      contact_email: ownerAddress,
    }));
    await clickAndLoad(owner, SUBMIT);
    const id = await text(owner, '.declaration-id .id-digits');
    // Both rights are ticked unless the owner unticks one.
    await owner.goto(server.url(`/mypage/declarations/${id}/supporters/invite`));
    await owner.fill('#f-supporter_email', helperAddress);
    await clickAndLoad(owner, SUBMIT);

    const mail = await waitForMail(server.mailDir, (m) => m.to.includes(helperAddress));
    const helper = await watchedPage(await browser.newContext({ viewport: DESKTOP, locale: locales.en }));
    await openLink(helper, linkIn(mail, '/support/'));
    await clickAndLoad(helper, SUBMIT);
    assert.equal(new URL(helper.url()).pathname, `/mypage/declarations/${id}`);
    assert.equal(await text(helper, '#prepare-title'), heard['supporters.prepare.title']);
    assert.ok((await text(helper, 'main')).includes(heard['supporters.prepare.owner_steps_up']));
    await check(helper, 'declaration');

    // The readiness page leads it to preparing, never to the step-up page it may not open.
    await helper.goto(server.url(`/mypage/declarations/${id}/subsidies`));
    assert.equal(await helper.locator('a[href$="/step-up"]').count(), 0);
    assert.ok(await helper.locator(`a[href="/mypage/declarations/${id}#prepare-title"]`).count() > 0);
    await check(helper, 'readiness');

    // It answers the self-assessment and saves the result for the business.
    await helper.goto(server.url(`/mypage/declarations/${id}`));
    await clickAndLoad(helper, 'main a[href="/assessment"]');
    await clickAndLoad(helper, 'main a[href="/assessment/part/1"]');
    const parts = [[1, 5], [6, 18], [19, 25]];
    for (const [n, [first, last]] of parts.entries()) {
      for (let q = first; q <= last; q++) await helper.check(`#q${q}-done`);
      const next = n < parts.length - 1 ? heard['assessment.part.next'] : heard['assessment.part.finish'];
      await Promise.all([helper.waitForNavigation(), helper.getByRole('button', { name: next, exact: true }).click()]);
    }
    await helper.check(`#save_for-${id}`);
    await check(helper, 'result');
    await clickAndLoad(helper, 'form.save-form button[type="submit"]');
    assert.equal(new URL(helper.url()).pathname, `/mypage/declarations/${id}`);
    assert.ok((await text(helper, 'main')).includes(heard['supporters.flash.assessment_prepared']));

    // It starts the business's policy draft and writes in it; publishing is not offered.
    await clickAndLoad(helper, `form[action="/mypage/declarations/${id}/policies"] button`);
    assert.match(new URL(helper.url()).pathname, new RegExp(`^/mypage/declarations/${id}/policies/\\d+$`));
    assert.equal(await helper.locator('button[value="publish"]').count(), 0);
    const written = '当社は、お客さまからお預かりした情報を大切に扱います。';
    await helper.fill('#f-policy_section_1', written);
    await check(helper, 'policy-editor');
    await clickAndLoad(helper, 'form#policy-form .actions button[type="submit"]');
    assert.ok((await text(helper, 'main')).includes(heard['policy.flash.saved']));

    // The owner finds both on its own My Page, and who prepared them in the history.
    await owner.goto(server.url('/mypage'));
    assert.ok((await owner.locator('a[href^="/mypage/assessments/"]').count()) > 0);
    await check(owner, 'mypage');
    await clickAndLoad(owner, 'a[href^="/mypage/policies/"]');
    assert.equal(await owner.inputValue('#f-policy_section_1'), written);
    assert.ok(await owner.locator('button[value="publish"]').count() > 0);
    await owner.goto(server.url(`/mypage/declarations/${id}`));
    const page = await text(owner, 'main');
    assert.ok(page.includes(said['field.prepared_assessment.label']));
    assert.ok(page.includes(said['field.prepared_policy.label']));
    assert.ok(page.includes(said['supporters.by.named'].replace('{email}', helperAddress)));
    await check(owner, 'history');
    await owner.context().close();
    await helper.context().close();
  });
});
