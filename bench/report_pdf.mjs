// The assessment report PDF against a headless Chromium printing the same report page (issue 15):
// what most web stacks do to make a PDF. One sengen (release build, SQLite, file mail) and one
// Chromium on loopback. The browser takes the whole self-assessment in the chosen language with
// every answer "don't know" (the longest report: every question with its advice), types a business
// name, and then, in alternating rounds:
//   - sengen: the page posts its own report form (answers, name, CSRF token) with fetch() and
//     reads the whole PDF; timed in the page, so the figure is what a user waits for;
//   - Chromium: page.pdf() of that result page (A4, backgrounds on), timed in Node.
// Prints the median and p90 of each in milliseconds, the PDF sizes, and the ratio of the medians.
//
// Run by bench/report_pdf.sh, which builds sengen and sets SENGEN_BINARY; reads BENCH_PDF_ROUNDS
// (default 30), BENCH_PDF_LANG (ja or en; default ja) and BENCH_PDF_OUT (a directory to keep the
// last PDF of each kind in).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { launch } from '../tests/e2e/support/browser.js';
import { Sengen } from '../tests/e2e/support/sengen.js';

const rounds = Number(process.env.BENCH_PDF_ROUNDS || 30);
const lang = process.env.BENCH_PDF_LANG || 'ja';
const out = process.env.BENCH_PDF_OUT || '';
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) throw new Error('BENCH_PDF_ROUNDS must be 1 to 1000');
if (!['ja', 'en'].includes(lang)) throw new Error('BENCH_PDF_LANG must be ja or en');

const PARTS = [[1, 5], [6, 18], [19, 25]];

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p90: at(0.9) };
}

// PDF downloads are rate-limited per client like every slow route; the factor lifts the limit
// for the benchmark only (the same setting bench/registry.sh uses).
const server = await new Sengen(['--rate-limit-factor', '100000']).start();
const browser = await launch();
try {
  const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await context.newPage();
  await page.goto(server.url('/assessment'));
  await Promise.all([page.waitForNavigation(), page.locator('main a[href="/assessment/part/1"]').first().click()]);
  for (const [first, last] of PARTS) {
    for (let q = first; q <= last; q++) await page.check(`#q${q}-unknown`);
    await Promise.all([page.waitForNavigation(), page.locator('#questionnaire button[type="submit"]:not(.button-secondary)').click()]);
  }
  await page.fill('#business_name', lang === 'ja' ? '有限会社サンプル商店' : 'Sample Trading Ltd.');
  if (!(await page.locator('#report-form').count())) throw new Error('no report form on the result page');

  const sengenMs = [];
  const chromiumMs = [];
  let sengenPdf = null;
  let chromiumPdf = null;
  for (let i = 0; i < rounds + 1; i++) {
    const fetched = await page.evaluate(async () => {
      const form = document.getElementById('report-form');
      const started = performance.now();
      const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const ms = performance.now() - started;
      return { status: res.status, type: res.headers.get('content-type'), ms, bytes: Array.from(bytes) };
    });
    if (fetched.status !== 200 || !String(fetched.type).startsWith('application/pdf'))
      throw new Error(`sengen answered ${fetched.status} ${fetched.type}`);
    const started = performance.now();
    const printed = await page.pdf({ format: 'A4', printBackground: true });
    const ms = performance.now() - started;
    if (i === 0) continue; // the first of each warms caches on both sides
    sengenMs.push(fetched.ms);
    chromiumMs.push(ms);
    sengenPdf = Buffer.from(fetched.bytes);
    chromiumPdf = printed;
  }
  const s = summary(sengenMs);
  const c = summary(chromiumMs);
  console.log(`report PDF (${lang}, every answer "don't know"), ${rounds} rounds each, alternating`);
  console.log(`  sengen   (POST /assessment/report.pdf): median ${s.median.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, ${sengenPdf.length} bytes`);
  console.log(`  Chromium (page.pdf of the result page):  median ${c.median.toFixed(1)} ms, p90 ${c.p90.toFixed(1)} ms, ${chromiumPdf.length} bytes`);
  console.log(`  ratio: sengen takes ${(s.median / c.median).toFixed(3)}x Chromium's time (Chromium/sengen = ${(c.median / s.median).toFixed(2)}x), and its PDF is ${(sengenPdf.length / chromiumPdf.length).toFixed(2)}x the size`);
  if (out) {
    writeFileSync(path.join(out, `sengen-report-${lang}.pdf`), sengenPdf);
    writeFileSync(path.join(out, `chromium-report-${lang}.pdf`), chromiumPdf);
  }
} finally {
  await browser.close();
  await server.stop();
}
