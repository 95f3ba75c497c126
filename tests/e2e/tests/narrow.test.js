// My Page on a 360 px phone, in a real browser, in Japanese and English: ログアウト in the header,
// the step-up button on the card, the saved-assessment table readable without scrolling sideways
// (its dates on one line, every value within the phone's width) and whole on a desktop too, the
// badge page's "PNG"/"SVG" each on one line, buttons apart from each other and from the footer.
// axe checks every page visited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, horizontalOverflow, screenshot, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { linkIn, waitForMail } from '../support/mail.js';
import { application, declareAll } from '../support/registry.js';
import { sengenAndChromium } from '../support/suite.js';
import { clickAndLoad, openLink } from '../support/pages.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let server;
let browser;
sengenAndChromium((s, b) => {
  server = s;
  browser = b;
});

async function check(page, label) {
  await assertAccessible(page, `narrow ${label}`);
  await screenshot(page, `narrow-${label}`);
  assertNoProblems(page);
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= overflow.width, `${label} is wider than the phone: ${overflow.over.join(', ')}`);
}

// How many lines the element's text takes (its line boxes).
function lines(page, selector) {
  return page.locator(selector).evaluateAll((els) => els.map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el.firstChild ?? el);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return tops.size;
  }));
}

// The vertical and horizontal gaps between two boxes (negative: they overlap on that axis).
function gap(a, b) {
  const vertical = Math.max(b.y - (a.y + a.height), a.y - (b.y + b.height));
  const horizontal = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width));
  return Math.max(vertical, horizontal);
}

// The saved-assessment table against the box it sits in, and its cells that reach past the
// viewport's right edge (a column the reader would have to scroll to).
function tableFit(page) {
  return page.locator('table.saved-assessments').evaluate((table) => {
    const box = table.parentElement.getBoundingClientRect();
    const outside = [...table.querySelectorAll('th, td')]
      .filter((c) => c.offsetParent !== null && c.textContent.trim() !== '')
      .filter((c) => c.getBoundingClientRect().right > Math.min(box.right, document.documentElement.clientWidth) + 1)
      .map((c) => c.textContent.trim());
    return { table: table.getBoundingClientRect().width, box: box.width, outside };
  });
}

describe('My Page on a 360 px phone', () => {
  for (const lang of ['ja', 'en']) it(`keeps everything readable and apart (${lang})`, async () => {
    const t = catalogue(lang);
    const app = application({ lang });
    const [declared] = await declareAll(server, [app]);
    const id = declared.id;
    const context = await browser.newContext({ viewport: PHONE, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    const page = await watchedPage(context);

    // Sign in by mail link.
    await page.goto(server.url('/signin'));
    await page.fill('#f-email', app.contact_email);
    await clickAndLoad(page, 'main form.form button[type="submit"]');
    const mail = await waitForMail(server.mailDir, (m) => m.to.includes(app.contact_email) && m.body.includes('/signin/'));
    await openLink(page, linkIn(mail, '/signin/'));
    await clickAndLoad(page, 'main form.form button[type="submit"]');
    assert.equal(new URL(page.url()).pathname, '/mypage');

    // Two saved self-assessments (the second makes the table's comparison link appear): the
    // result page's own save button, after posting the questionnaire's last part.
    for (const answer of ['done', 'partly']) {
      await page.goto(server.url('/mypage'));
      const token = await page.locator('input[name="csrf"]').first().getAttribute('value');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.evaluate(({ token, answer }) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = '/assessment/result';
          const add = (name, value) => {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          };
          add('csrf', token);
          add('edition', '2023');
          add('from', '3');
          for (let n = 1; n <= 25; n++) add(`q${n}`, answer);
          document.body.append(form);
          form.submit();
        }, { token, answer }),
      ]);
      await clickAndLoad(page, 'form[action="/assessment/save"] button[type="submit"]');
    }

    // My Page.
    await page.goto(server.url('/mypage'));
    await check(page, `mypage-${lang}`);
    const signout = page.locator('header.site-header form[action="/signout"] button');
    assert.equal((await signout.textContent()).trim(), t['mypage.signout']);
    assert.ok(await signout.isVisible(), 'ログアウト is in the header');
    const stepUp = page.locator(`main .card a.button[href="/mypage/declarations/${id}/step-up"]`);
    assert.equal((await stepUp.textContent()).trim(), t['mypage.step_up.link']);
    // Each date of the saved-assessment table on one line.
    const dateLines = await lines(page, 'table.saved-assessments th[scope="row"] a');
    assert.equal(dateLines.length, 2);
    assert.deepEqual(dateLines, [1, 1], 'a date is broken over several lines');
    // Every value of the table, the score and the rating included, within the phone's width.
    const narrow = await tableFit(page);
    assert.ok(narrow.table <= narrow.box + 1, `the table is ${narrow.table}px wide in a ${narrow.box}px box`);
    assert.deepEqual(narrow.outside, [], 'cells past the right edge');
    const rows = await page.locator('table.saved-assessments tbody tr').allInnerTexts();
    assert.ok(rows.every((r) => r.includes(t['mypage.assessments.col_score']) && r.includes(t['mypage.assessments.col_band'])),
      `each row names its score and rating: ${rows}`);
    // The buttons keep apart from each other and from the footer.
    const boxes = await page.locator('main .button, main button').evaluateAll((els) => els
      .filter((el) => el.offsetParent !== null)
      .map((el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height }; }));
    const footer = await page.locator('footer.site-footer').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height };
    });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) assert.ok(gap(boxes[i], boxes[j]) >= 8, `buttons ${i} and ${j} touch`);
      assert.ok(footer.y - (boxes[i].y + boxes[i].height) >= 16, `button ${i} touches the footer`);
    }

    // On a desktop the table keeps its columns and fits its box, in either language.
    await page.setViewportSize(DESKTOP);
    await page.reload();
    const wide = await tableFit(page);
    assert.ok(wide.table <= wide.box + 1, `the desktop table is ${wide.table}px wide in a ${wide.box}px box`);
    assert.deepEqual(wide.outside, [], 'desktop cells past the right edge');
    assert.ok(await page.locator('table.saved-assessments thead th').first().isVisible());
    await check(page, `mypage-desktop-${lang}`);
    await page.setViewportSize(PHONE);

    // The badge page: "PNG" and "SVG" whole.
    await page.goto(server.url(`/mypage/declarations/${id}/badge`));
    await check(page, `badge-${lang}`);
    const formats = await lines(page, 'table.badge-formats a');
    assert.ok(formats.length >= 2);
    assert.ok(formats.every((n) => n === 1), `a download link is broken inside: ${formats}`);

    await page.close();
    await context.close();
  });

  // Phrase detection (word-break: auto-phrase) splits long names badly (「中」 alone before
  // 「小企業等…補助金」), and narrow table cells broke 「受付終了」, 「一つ星」, 「すべての枠」 and
  // 「第1回締切」: no line of a name or of a short table value (a cell of a dozen characters or
  // fewer, whatever its class) holds a single character.
  it('keeps names and short table values from leaving one character on a line (ja)', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'ja-JP' });
    const page = await watchedPage(context);
    for (const path of ['/subsidies', '/subsidies/gifu-smartwork-2022', '/subsidies/sakai-digital', '/subsidies/kaigo-ict',
      '/subsidies/digital-ai-2026', '/subsidies/it-donyu-2024-2025', '/subsidies/monozukuri-digital']) {
      await page.goto(server.url(path));
      const names = 'main .card-title a, main h1, main td.nowrap';
      const cells = 'main table tbody th, main table tbody td';
      const lone = await page.locator(`${names}, ${cells}`).evaluateAll((els, names) => els.flatMap((el) => {
        if (!el.matches(names) && el.textContent.trim().length > 12) return [];
        const rows = new Map();
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect || rect.width === 0) continue;
            const row = Math.round((rect.top + rect.height / 2) / 8);
            rows.set(row, (rows.get(row) ?? '') + node.data[i]);
          }
        }
        const lines = [...rows.values()].map((l) => l.trim()).filter((l) => l !== '');
        return lines.length > 1 && lines.some((l) => l.replace(/[。、）」]/g, '').length === 1) ? [lines.join(' / ')] : [];
      }), names);
      assert.deepEqual(lone, [], `${path}: a line holds one character`);
      assertNoProblems(page);
    }
    await context.close();
  });
});
