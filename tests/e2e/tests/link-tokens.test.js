// A mailed one-time link keeps its token out of every address the browser sends (ASVS 5.0 V14.2.1,
// ADR 59). With JavaScript on, the link "/confirm#<token>" opens its page, whose script posts the
// token in the body, takes it out of the address bar and history, and the confirmation page follows;
// no request the browser makes carries the token in its URL. With JavaScript off, the person pastes
// the code printed in the mail. In ja and en; axe checks every page (with JavaScript on, as it runs
// in the page).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { application, postJson } from '../support/registry.js';
import { clickAndLoad, SUBMIT, text } from '../support/pages.js';
import { sengenAndChromium } from '../support/suite.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-GB' };

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

// Applies through the API and returns the 受付確認 mail's link and the code it prints.
async function applied(app) {
  const reply = await postJson(server, '/api/v1/applications', app);
  assert.equal(reply.status, 202, reply.body);
  const mail = await waitForMail(server.mailDir, (m) => m.to.includes(app.contact_email));
  const link = linkIn(mail, '/confirm');
  const token = new URL(link).hash.slice(1);
  assert.match(mail.body, new RegExp(`^${token}$`, 'm'), 'the code is printed on a line of its own');
  return { link, token };
}

// Every URL the page requests without its fragment (which is never sent), to check that none
// holds the token.
function recordRequests(page) {
  const urls = [];
  page.on('request', (req) => urls.push(req.url().split('#')[0]));
  return urls;
}

describe('a mailed link with its token in the fragment', () => {
  for (const lang of ['ja', 'en']) {
    const t = cat[lang];

    it(`opens the confirmation page with JavaScript on and the token never in a URL sent (${lang})`, async () => {
      const app = application({ lang, business_name: `株式会社断片${lang}`, contact_email: `fragment-js-${lang}@example.jp` });
      const { link, token } = await applied(app);
      const context = await browser.newContext({ locale: LOCALES[lang] });

      // What the script does, seen with its post held back: the code in the field, the token out
      // of the address (and so out of history), the form sent with the token in its body.
      const probe = await context.newPage();
      // 204 No Content: the browser stays on the page that sent the form.
      await probe.route('**/confirm/view', (route) => route.fulfill({ status: 204 }));
      const [sent] = await Promise.all([
        probe.waitForRequest((r) => new URL(r.url()).pathname === '/confirm/view'),
        probe.goto(link, { waitUntil: 'commit' }),
      ]);
      assert.equal(sent.method(), 'POST');
      assert.ok(sent.postData().includes(`token=${token}`), 'the token travels in the body');
      assert.equal(await probe.locator('#f-token').inputValue(), token);
      assert.equal(new URL(probe.url()).pathname, '/confirm');
      assert.equal(new URL(probe.url()).hash, '', 'the fragment is taken out of the address');
      await probe.close();

      const page = await watchedPage(context);
      const requested = recordRequests(page);

      // The page without a fragment (a link copied without it): the field to paste the code into,
      // and its error when sent empty. axe runs as a script in the page, so these are checked here
      // rather than in the test without JavaScript, which shows the same page.
      await page.goto(server.url('/confirm'));
      assert.equal(await page.getByLabel(t['link.code.label']).inputValue(), '');
      await assertAccessible(page, `link page (${lang})`);
      await clickAndLoad(page, SUBMIT);
      assert.equal(await text(page, '.error-message'), `${t['form.error_prefix']}${t['link.code.missing']}`.replace(/\s+/g, ' ').trim());
      await assertAccessible(page, `link page, no code (${lang})`);

      const view = page.waitForResponse((r) => new URL(r.url()).pathname === '/confirm/view');
      await Promise.all([page.waitForURL((u) => u.pathname === '/confirm/view'), page.goto(link, { waitUntil: 'commit' })]);
      const shown = await view;
      assert.equal(shown.status(), 200);
      assert.equal(shown.request().method(), 'POST');
      assert.ok(shown.request().postData().includes(`token=${token}`), 'the token travels in the body');
      assert.equal((await shown.allHeaders())['referrer-policy'], 'no-referrer');
      assert.equal(await text(page, 'h1'), t['confirm.title']);
      assert.ok((await text(page, 'main')).includes(app.business_name));
      await assertAccessible(page, `confirm view (${lang})`);

      await clickAndLoad(page, SUBMIT);
      assert.equal(await text(page, 'h1'), t['confirm.done.title']);
      await assertAccessible(page, `confirmed (${lang})`);
      assert.deepEqual(requested.filter((u) => u.includes(token)), [], 'no URL the browser sent holds the token');
      assertNoProblems(page);
      await context.close();
    });

    it(`opens the confirmation page with JavaScript off when the code is pasted (${lang})`, async () => {
      const app = application({ lang, business_name: `株式会社貼付${lang}`, contact_email: `fragment-nojs-${lang}@example.jp` });
      const { link, token } = await applied(app);
      const context = await browser.newContext({ locale: LOCALES[lang], javaScriptEnabled: false });
      const page = await watchedPage(context);
      const requested = recordRequests(page);

      await page.goto(link);
      assert.equal(new URL(page.url()).pathname, '/confirm');
      assert.equal(await text(page, 'h1'), t['confirm.title']);

      // Sent empty, the field says what it needs.
      await clickAndLoad(page, SUBMIT);
      assert.equal(await text(page, '.error-message'), `${t['form.error_prefix']}${t['link.code.missing']}`.replace(/\s+/g, ' ').trim());

      await page.getByLabel(t['link.code.label']).fill(token);
      await clickAndLoad(page, SUBMIT);
      assert.equal(new URL(page.url()).pathname, '/confirm/view');
      assert.ok((await text(page, 'main')).includes(app.business_name));
      await clickAndLoad(page, SUBMIT);
      assert.equal(await text(page, 'h1'), t['confirm.done.title']);
      assert.deepEqual(requested.filter((u) => u.includes(token)), []);
      assertNoProblems(page);
      await context.close();
    });
  }
});
