// The foundation in a real browser: languages, the switch link, accessibility (axe, small
// screens, zoom, keyboard) and pages that work without JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertAccessible,
  assertNoProblems,
  horizontalOverflow,
  launch,
  screenshot,
  watchedPage,
} from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { Sengen } from '../support/sengen.js';

const ja = catalogue('ja');
const en = catalogue('en');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await new Sengen().start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// A fresh context per test: no cookies carried over.
async function open(options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP', ...options });
  const page = await watchedPage(context);
  return { context, page };
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

// A cross-site form post, as an attacker's page would send it: no session, no token.
async function gotoForbidden(page) {
  await page.setContent(
    `<form method="post" action="${server.url('/')}"><input name="a" value="b"><button>go</button></form>`,
  );
  await Promise.all([page.waitForURL(server.url('/')), page.click('button')]);
}

describe('languages', () => {
  it('loads the home page in Japanese by default', async () => {
    const { context, page } = await open();
    const response = await page.goto(server.url('/'));
    assert.equal(response.status(), 200);
    assert.equal(await htmlLang(page), 'ja');
    assert.equal((await page.locator('h1').textContent()).trim(), ja['home.hero_title']);
    assert.match(await page.title(), new RegExp(ja['site.name']));
    await screenshot(page, 'home-ja-desktop');
    assertNoProblems(page);
    await context.close();
  });

  it('loads the home page in English for an English browser', async () => {
    const { context, page } = await open({ locale: 'en-GB' });
    await page.goto(server.url('/'));
    assert.equal(await htmlLang(page), 'en');
    assert.equal((await page.locator('h1').textContent()).trim(), en['home.hero_title']);
    await screenshot(page, 'home-en-desktop');
    assertNoProblems(page);
    await context.close();
  });

  it('switches language by clicking the switch link and lands on the same page', async () => {
    const { context, page } = await open();
    for (const path of ['/', '/some/path?x=1']) {
      await page.goto(server.url(path));
      assert.equal(await htmlLang(page), 'ja');
      await Promise.all([page.waitForURL(server.url(path)), page.click('a.lang-switch')]);
      assert.equal(await htmlLang(page), 'en', path);
      // The choice sticks: the next page is English too, though the browser prefers Japanese.
      await page.goto(server.url('/'));
      assert.equal(await htmlLang(page), 'en');
      await Promise.all([page.waitForURL(server.url('/')), page.click('a.lang-switch')]);
      assert.equal(await htmlLang(page), 'ja');
    }
    assertNoProblems(page);
    await context.close();
  });
});

describe('accessibility', () => {
  it('axe finds no violations on the home page in Japanese and in English', async () => {
    for (const locale of ['ja-JP', 'en-US']) {
      const { context, page } = await open({ locale });
      await page.goto(server.url('/'));
      await assertAccessible(page, `home (${locale})`);
      assertNoProblems(page);
      await context.close();
    }
  });

  it('axe finds no violations on a 404 page', async () => {
    for (const locale of ['ja-JP', 'en-US']) {
      const { context, page } = await open({ locale });
      const response = await page.goto(server.url('/no/such/page'));
      assert.equal(response.status(), 404);
      await assertAccessible(page, `404 (${locale})`);
      await context.close();
    }
  });

  it('axe finds no violations on the 403 page a cross-site form post gets', async () => {
    const { context, page } = await open();
    await gotoForbidden(page);
    assert.equal(await htmlLang(page), 'ja');
    assert.equal((await page.locator('h1').textContent()).trim(), ja['error.403.title']);
    await assertAccessible(page, '403');
    await screenshot(page, 'error-403-ja-desktop');
    await context.close();
  });

  it('has no horizontal scroll on a 360 px wide screen', async () => {
    for (const locale of ['ja-JP', 'en-US']) {
      const { context, page } = await open({ locale, viewport: PHONE, isMobile: true, hasTouch: true });
      for (const path of ['/', '/no/such/page']) {
        await page.goto(server.url(path));
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.width, `${path} (${locale}) is ${o.scrollWidth}px wide: ${o.over.join(', ')}`);
      }
      await page.goto(server.url('/'));
      await screenshot(page, `home-${locale.slice(0, 2)}-360`);
      await context.close();
    }
  });

  it('nothing overflows horizontally at 200% and 400% zoom', async () => {
    // A 1280 px window at 200% zoom lays out 640 CSS px; at 400% (WCAG 1.4.10 reflow), 320.
    for (const width of [640, 320]) {
      for (const locale of ['ja-JP', 'en-US']) {
        const { context, page } = await open({ locale, viewport: { width, height: 400 }, deviceScaleFactor: 2 });
        for (const path of ['/', '/no/such/page']) {
          await page.goto(server.url(path));
          const o = await horizontalOverflow(page);
          assert.ok(o.scrollWidth <= o.width, `${path} at ${width}px (${locale}): ${o.over.join(', ')}`);
        }
        await context.close();
      }
    }
  });

  it('reaches the skip link first with Tab, shows it, and it moves focus to the main content', async () => {
    const { context, page } = await open();
    await page.goto(server.url('/'));
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return {
        cls: el.className,
        href: el.getAttribute('href'),
        text: el.textContent.trim(),
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
        vw: window.innerWidth,
        vh: window.innerHeight,
      };
    });
    assert.equal(focused.cls, 'skip-link');
    assert.equal(focused.href, '#main');
    assert.equal(focused.text, ja['layout.skip']);
    assert.ok(
      focused.box.left >= 0 && focused.box.top >= 0 && focused.box.right <= focused.vw && focused.box.bottom <= focused.vh,
      `the focused skip link is off screen: ${JSON.stringify(focused.box)}`,
    );
    assert.ok(await page.locator('.skip-link').isVisible());
    await screenshot(page, 'skip-link-focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    // The next Tab goes into the main content, not back to the header.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('main').contains(document.activeElement)));
    await context.close();
  });
});

describe('without JavaScript', () => {
  it('loads pages and switches language with JavaScript disabled', async () => {
    const { context, page } = await open({ javaScriptEnabled: false });
    const response = await page.goto(server.url('/'));
    assert.equal(response.status(), 200);
    assert.equal(await htmlLang(page), 'ja');
    await Promise.all([page.waitForURL(server.url('/')), page.click('a.lang-switch')]);
    assert.equal(await htmlLang(page), 'en');
    assert.equal((await page.locator('h1').textContent()).trim(), en['home.hero_title']);
    await Promise.all([page.waitForURL(server.url('/')), page.click('a.brand')]);
    assert.equal(await htmlLang(page), 'en');
    const notFound = await page.goto(server.url('/no/such/page'));
    assert.equal(notFound.status(), 404);
    await Promise.all([page.waitForURL(server.url('/')), page.click('main a[href="/"]')]);
    assertNoProblems(page);
    await context.close();
  });
});
