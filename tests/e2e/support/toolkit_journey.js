// The ★★ toolkit's browser journey, run in one language by tests/toolkit-<lang>.test.js (one
// CTest test per language, each with its own server and browser), with axe on every page visited:
// the whole self-assessment → result → the PDF downloaded and its text read back → "save to My
// Page" by signing in through the mail link → a second assessment → the comparison; then a ★
// declaration through the real apply and confirm pages, a basic policy written (with hostile
// text), published and read on its public page, and the ★ declaration stepped up to ★★ with them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, screenshot, watchedPage } from './browser.js';
import { catalogue } from './catalogue.js';
import { Sengen } from './sengen.js';
import { mailFiles, mailedPath, pdfText, pdfTextOf, squash } from './toolkit.js';
import { openLink } from './pages.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const DESKTOP = { width: 1280, height: 800 };

// Text a business might paste into its policy, or an attacker might try.
const HOSTILE = '<script>alert("x")</script> & <b>bold</b> &amp; \'quoted\'\nsecond line <img src=x onerror=alert(1)>';

const POINTS = { done: 4, partly: 2, not_done: 0, unknown: -1 };
const FIRST = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [i + 1, 'done']));
Object.assign(FIRST, { 2: 'partly', 6: 'unknown', 7: 'not_done', 11: 'not_done', 24: 'unknown' });
const SECOND = { ...FIRST, 2: 'done', 6: 'done', 7: 'partly', 24: 'not_done' };
const total = (answers) => Object.values(answers).reduce((s, a) => s + POINTS[a], 0);
const PARTS = [[1, 5], [6, 18], [19, 25]];

function format(template, values) {
  return Object.entries(values).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), template);
}

export function journey(lang) {
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

  const t = cat[lang];
  const email = `toolkit-journey-${lang}@example.jp`;
  const business = lang === 'ja' ? '株式会社ブラウザ印刷' : 'Browser Printing Ltd.';

  describe(`the ★★ toolkit in ${lang}`, () => {
    let context;
    let page;
    let step = 0;
    let declarationId;
    let policyUrl;

    // Every page the journey lands on: axe, no console errors or stray requests, a screenshot.
    async function check(label) {
      step += 1;
      assert.equal(await page.locator('html').getAttribute('lang'), lang, label);
      await assertAccessible(page, `${label} (${lang})`);
      await screenshot(page, `toolkit-${lang}-${String(step).padStart(2, '0')}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
      assertNoProblems(page);
    }

    async function clickAndWait(locator) {
      await Promise.all([page.waitForNavigation(), locator.click()]);
    }

    async function answerAll(answers) {
      await page.goto(server.url('/assessment'));
      await check('assessment start');
      await clickAndWait(page.locator('main a[href="/assessment/part/1"]').first());
      for (const [n, [first, last]] of PARTS.entries()) {
        await check(`assessment part ${n + 1}`);
        for (let q = first; q <= last; q++) await page.check(`#q${q}-${answers[q]}`);
        const next = n < PARTS.length - 1 ? t['assessment.part.next'] : t['assessment.part.finish'];
        await clickAndWait(page.getByRole('button', { name: next, exact: true }));
      }
      assert.equal((await page.locator('.score-points').textContent()).trim().startsWith(String(total(answers))), true);
      await check('assessment result');
    }

    before(async () => {
      context = await browser.newContext({ viewport: DESKTOP, locale: LOCALES[lang], acceptDownloads: true });
      page = await watchedPage(context);
    });

    after(async () => {
      await context?.close();
    });

    it('takes the whole self-assessment and downloads the PDF, whose text holds the result', async () => {
      await answerAll(FIRST);
      await page.fill('#business_name', business);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: t['assessment.result.pdf_button'] }).click(),
      ]);
      const file = await download.path();
      const text = squash(pdfText(file));
      assert.ok(text.includes(squash(business)), 'business name in the PDF');
      assert.ok(text.includes(squash(t['assessment.report.title'])), 'title in the PDF');
      assert.ok(text.includes(squash(format(t['assessment.result.score_value'], { score: total(FIRST), max: 100 }))));
      assertNoProblems(page);
    });

    it('saves the result to My Page by signing in through the mail link', async () => {
      await clickAndWait(page.getByRole('button', { name: t['assessment.save.button_signin'] }));
      assert.equal(new URL(page.url()).pathname, '/signin');
      assert.ok((await page.locator('main').textContent()).includes(t['signin.pending_assessment']));
      await check('sign in to save');
      const seen = mailFiles(server);
      await page.getByRole('textbox', { name: t['field.email.label'] }).fill(email);
      await clickAndWait(page.getByRole('button', { name: t['signin.submit'] }));
      await check('sign-in link sent');
      const link = await mailedPath(server, email, /https?:\/\/[^/\s]+(\/signin\/link#[A-Za-z0-9_-]{43})/, seen);
      await openLink(page, server.url(link));
      await check('sign-in link opened');
      await clickAndWait(page.getByRole('button', { name: t['signin.confirm.submit'] }));
      // Signed in, the answers wait for a press of the button (reading the page saves nothing).
      assert.equal(new URL(page.url()).pathname, '/assessment/save');
      assert.equal(await page.locator('h1').textContent(), t['assessment.save.title']);
      await check('save after signing in');
      await clickAndWait(page.getByRole('button', { name: t['assessment.save.button'], exact: true }));
      assert.match(new URL(page.url()).pathname, /^\/mypage\/assessments\/\d+$/);
      assert.equal((await page.locator('.panel-success').textContent()).trim(), t['assessment.saved.flash']);
      await check('saved result');
    });

    it('saves a second assessment and compares it with the first', async () => {
      await answerAll(SECOND);
      await clickAndWait(page.getByRole('button', { name: t['assessment.save.button'], exact: true }));
      await check('second saved result');
      await clickAndWait(page.getByRole('link', { name: t['assessment.saved.compare_link'] }));
      await check('comparison');
      const row7 = page.locator('tr[data-question="7"]');
      assert.match(await row7.getAttribute('class'), /is-changed/);
      const cells = await row7.locator('td').allTextContents();
      assert.equal(cells.at(-1).trim(), format(t['assessment.compare.up'], { n: 2 }));
      const unchanged = await page.locator('tr[data-question="1"]').getAttribute('class');
      assert.doesNotMatch(unchanged, /is-changed/);
      const difference = total(SECOND) - total(FIRST);
      assert.ok((await page.locator('.compare-total').textContent()).includes(format(t['assessment.compare.up'], { n: difference })));
      await page.goto(server.url('/mypage'));
      assert.equal(await page.locator('table.saved-assessments tbody tr').count(), 2);
      await check('my page with saved assessments');
    });

    it('declares ★ through the application pages and the confirmation link', async () => {
      await page.goto(server.url('/apply'));
      await check('apply terms');
      await page.check('#f-terms_agreed');
      await clickAndWait(page.getByRole('button', { name: t['apply.next'] }));
      await check('apply business');
      await page.check('#f-entity_type_sole_proprietor');
      await page.fill('#f-business_name', business);
      await page.fill('#f-business_name_kana', 'ブラウザインサツ');
      await page.fill('#f-postal_code', '１００－０００１');
      await page.selectOption('#f-prefecture', '13');
      await page.fill('#f-address', '千代田区千代田1-1');
      await page.selectOption('#f-industry', 'E');
      await page.selectOption('#f-employees', '1-5');
      await page.fill('#f-representative_title', lang === 'ja' ? '代表' : 'Owner');
      await page.fill('#f-representative_name', lang === 'ja' ? '佐藤 花子' : 'Hanako Sato');
      await page.fill('#f-contact_name', lang === 'ja' ? '鈴木 一郎' : 'Ichiro Suzuki');
      await page.fill('#f-contact_email', email);
      await clickAndWait(page.getByRole('button', { name: t['apply.next'] }));
      await check('apply declaration');
      await page.check('#f-level_1');
      for (let n = 1; n <= 5; n++) await page.check(`#f-commitment_${n}`);
      await page.check('#f-purposes_trust');
      await clickAndWait(page.getByRole('button', { name: t['apply.next'] }));
      await check('apply check');
      const seen = mailFiles(server);
      await clickAndWait(page.getByRole('button', { name: t['apply.check.submit'] }));
      await check('apply sent');
      const confirm = await mailedPath(server, email, /https?:\/\/[^/\s]+(\/confirm#[A-Za-z0-9_-]+)/, seen);
      await openLink(page, server.url(confirm));
      await check('confirm');
      await clickAndWait(page.getByRole('button', { name: t['confirm.submit'] }));
      await check('declared');
      declarationId = (await page.locator('a[href^="/verify/"]').first().getAttribute('href')).split('/').pop();
      assert.match(declarationId, /^\d{11}$/);
    });

    it('writes a basic policy with a suggested commitment and hostile text, and publishes it', async () => {
      await page.goto(server.url('/mypage'));
      await clickAndWait(page.getByRole('button', { name: t['mypage.policies.new'] }));
      await check('policy editor');
      await page.check(`#f-policy_lang_${lang}`);
      await page.fill('#f-policy_business_name', business);
      await page.check('#f-policy_assets_customers');
      await page.fill('#f-policy_established', '2026-04-01');
      await page.fill('#f-policy_representative_title', lang === 'ja' ? '代表' : 'Owner');
      await page.fill('#f-policy_representative_name', lang === 'ja' ? '佐藤 花子' : 'Hanako Sato');
      await page.fill('#f-policy_section_4', HOSTILE);
      await clickAndWait(page.getByRole('button', { name: t['policy.edit.save'] }));
      assert.equal((await page.locator('.panel-success').textContent()).trim(), t['policy.flash.saved']);
      await check('policy saved');
      // The second assessment still answers question 24 with "not done": the incidents suggestion.
      const add = page.locator('button[name="add"][value="incidents"]');
      await clickAndWait(add);
      assert.equal(await page.locator('button[name="add"][value="incidents"]').count(), 0);
      await check('policy with suggestion added');
      await clickAndWait(page.getByRole('button', { name: t['policy.edit.publish_link'] }));
      await check('policy preview');
      await clickAndWait(page.getByRole('button', { name: t['policy.publish.submit'] }));
      assert.equal((await page.locator('.panel-success').textContent()).trim(), t['policy.flash.published']);
      await check('policy published');
      policyUrl = await page.locator('main a[href*="/policy/"]').first().getAttribute('href');
      assert.match(policyUrl, /^http:\/\/127\.0\.0\.1:\d+\/policy\/[a-z0-9]{10}$/);
    });

    it('shows the published policy publicly, the hostile text literally, with PDF and text downloads', async () => {
      const visitor = await browser.newContext({ viewport: DESKTOP, locale: LOCALES[lang] });
      const pub = await watchedPage(visitor);
      await pub.goto(policyUrl);
      const saved = page;
      page = pub;
      try {
        await check('public policy');
        const body = pub.locator('.policy-section').nth(3).locator('.policy-text');
        assert.equal(await body.textContent(), HOSTILE);
        assert.equal(await pub.locator('main script, main img, main b').count(), 0);
        const lines = await body.evaluate((el) => el.getClientRects().length);
        assert.ok(lines >= 1);
        const height = await body.evaluate((el) => el.getBoundingClientRect().height);
        const lineHeight = await body.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
        assert.ok(height >= 2 * lineHeight - 1, 'the line break is shown as a line break');
        const pdf = await pub.request.get(server.url(await pub.locator('a[href$="/policy.pdf"]').getAttribute('href')));
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
        const text = squash(pdfTextOf(await pdf.body()));
        assert.ok(text.includes(squash(HOSTILE)), 'hostile text literally in the PDF');
        assert.ok(text.includes(squash(business)));
        const txt = await pub.request.get(server.url(await pub.locator('a[href$="/policy.txt"]').getAttribute('href')));
        assert.ok((await txt.text()).includes(HOSTILE));
      } finally {
        page = saved;
        await visitor.close();
      }
    });

    it('steps the ★ declaration up to ★★ with the saved assessment and the published policy', async () => {
      await page.goto(server.url(`/mypage/declarations/${declarationId}`));
      await check('declaration');
      await clickAndWait(page.getByRole('link', { name: t['mypage.step_up.link'] }));
      await check('step up');
      await page.locator('input[name="evidence"][value^="sengen-"]').check();
      await clickAndWait(page.getByRole('button', { name: t['mypage.step_up.submit'] }));
      assert.equal((await page.locator('.panel-success').textContent()).trim(), t['mypage.flash.stepped_up']);
      await check('stepped up');
      await page.goto(server.url(`/verify/${declarationId}`));
      await check('verify two stars');
      assert.equal(await page.locator('a[rel="nofollow noopener"]').getAttribute('href'), policyUrl);
      assert.ok((await page.locator('main').textContent()).includes('★★'));
    });
  });
}
