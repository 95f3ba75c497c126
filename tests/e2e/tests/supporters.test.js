// Supporters in a real browser (issue 13 point 6, ADR 42): an owner invites a supporter by email,
// the supporter accepts by the mailed link, sees the business on its My Page and edits its details,
// then the owner ends the support and the supporter's next visit is refused. Once with the owner in
// Japanese and the supporter in English, once the other way round. axe checks every page visited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launch, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { Sengen } from '../support/sengen.js';
import { clickAndLoad, corporateNumber, pageChecker, SUBMIT, text } from '../support/pages.js';

const words = { ja: catalogue('ja'), en: catalogue('en') };
const locales = { ja: 'ja-JP', en: 'en-US' };
const DESKTOP = { width: 1280, height: 900 };

let server;
let browser;

before(async () => {
  server = await new Sengen(['--mail-poll-ms', '50']).start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

async function apply(overrides) {
  const body = {
    terms_version: '2026-2',
    terms_agreed: true,
    entity_type: 'corporation',
    business_name_kana: 'シエン',
    postal_code: '100-0001',
    prefecture: '13',
    address: '千代田区千代田1-1',
    industry: 'G',
    employees: '1-5',
    representative_title: '代表取締役',
    representative_name: '支援 太郎',
    contact_name: '支援 花子',
    purposes: ['customer'],
    level: 1,
    commitments: [1, 2, 3, 4, 5],
    lang: 'ja',
    ...overrides,
  };
  const reply = await fetch(server.url('/api/v1/applications'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(reply.status, 202, await reply.text());
  const receipt = await waitForMail(server.mailDir, (m) => m.to.includes(body.contact_email));
  return linkIn(receipt, '/confirm/');
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
      await owner.goto(await apply({
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
      await helper.goto(linkIn(mail, '/support/'));
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
});
