// Debian's Chromium, driven by playwright-core (no browser download), and the checks every
// page gets: axe, no console errors (CSP violations show there), no request off loopback.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

let chromium;
let AxeBuilder;
try {
  ({ chromium } = await import('playwright-core'));
  ({ default: AxeBuilder } = await import('@axe-core/playwright'));
} catch (e) {
  throw new Error(`browser-test packages missing: run scripts/install-deps.sh test (${e.message})`);
}

export const CHROMIUM = '/usr/bin/chromium';

// Without these, Chromium as root refuses to start (no sandbox for root) or floods the closed
// network with connection attempts. Playwright gives every launch a fresh user-data dir.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// A page that records console errors, page errors and any request that leaves loopback.
export async function watchedPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    // A failed load is reported below, with its URL; a page we mean to be a 404 is not a problem.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      page.problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document')
      page.problems.push(`${res.status()} for ${res.request().resourceType()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    // ERR_ABORTED: the page navigated away before the load finished.
    const why = req.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') page.problems.push(`failed: ${req.url()} ${why}`);
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', ''].includes(url.hostname) && !['data:', 'about:'].includes(url.protocol))
      page.problems.push(`request off loopback: ${req.url()}`);
  });
  return page;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], page.problems.join('\n'));
}

export async function assertAccessible(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const report = results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(results.violations.length, 0, `axe violations on ${label}:\n${report}`);
}

// The page's scroll width against its viewport, and the elements that reach past the right edge.
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const over = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5)
        over.push(`${el.tagName.toLowerCase()}.${el.className} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, over: over.slice(0, 10) };
  });
}

export async function screenshot(page, name) {
  const dir = process.env.SENGEN_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
