// What the browser journeys do on every page: check it (axe, screenshots when asked, no console
// errors or stray requests), click and wait for the next page, read an element's text; and a valid
// corporate number (法人番号) for the forms.
import { assertAccessible, assertNoProblems, screenshot } from './browser.js';

// The submit button of a page's main form.
export const SUBMIT = 'main form.form button[type="submit"]';

// 法人番号 with its check digit: the one in registry.js, offered here too for the journeys.
export { corporateNumber } from './registry.js';

// A checker for the pages of one journey: axe, a numbered screenshot, no problems recorded.
export function pageChecker(prefix) {
  let n = 0;
  return async (page, label) => {
    await assertAccessible(page, `${prefix} ${label}`);
    await screenshot(page, `${prefix}-${String(++n).padStart(2, '0')}-${label}`);
    assertNoProblems(page);
  };
}

export async function clickAndLoad(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

// The element's text with white space folded.
export async function text(page, selector) {
  return (await page.locator(selector).first().textContent()).replace(/\s+/g, ' ').trim();
}

// Follows a mailed one-time link as its recipient does (ADR 59): the link opens "<page>#<token>",
// whose script (link-token.js) posts the token to "<page>/view"; resolves once that page has
// loaded, with the answer to that post. A link without a fragment (mailed before ADR 59) is simply
// opened.
export async function openLink(page, link) {
  const target = new URL(link);
  if (!target.hash) return page.goto(link);
  const view = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${target.pathname}/view`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === `${target.pathname}/view`, { waitUntil: 'load' }),
    page.goto(link, { waitUntil: 'commit' }),  // the script sends the form before the page's load
  ]);
  return view;
}
