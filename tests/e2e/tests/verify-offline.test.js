// /verify/offline in a real browser (issue 14 point 5, ADR 53): a statement bundle saved from the
// API is pasted (or its file picked) with the log's verifier key, and the page checks it with
// WebCrypto and no request to any server, in Japanese and English. One character changed in the
// statement's signature, in the inclusion proof, or another key: each refused with its reason.
// Without JavaScript the page says the check needs it and names `sengen verify-statement`.
// axe on the page before and after a check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { assertAccessible, assertNoProblems, launch, watchedPage } from '../support/browser.js';
import { catalogue } from '../support/catalogue.js';
import { application, declareAll } from '../support/registry.js';
import { LOOPBACK, Sengen, binary } from '../support/sengen.js';

const cat = { ja: catalogue('ja'), en: catalogue('en') };
const LOCALES = { ja: 'ja-JP', en: 'en-US' };
const ORIGIN = 'registry.example.jp/log';

let server;
let browser;
let declared;
let bundleText;
let vkey;
let otherKey;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function keygen(file, name = ORIGIN) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SENGEN_')));
  const out = execFileSync(binary(), ['log', 'keygen', '--name', name, '--out', file], { env, encoding: 'utf8' });
  return out.trim().split('\n').pop();
}

function get(pathname) {
  return new Promise((resolve, reject) => {
    http.get({ host: LOOPBACK, port: server.port, path: pathname }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

// The statement of `id` once a checkpoint covers its entry (a node signs about once a second).
async function statementOf(id) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const reply = await get(`/api/v1/declarations/${id}/statement`);
    if (reply.status === 200) return reply.body;
    assert.equal(reply.status, 503, reply.body);
    await sleep(100);
  }
  throw new Error('no signed checkpoint covered the entry');
}

before(async () => {
  server = new Sengen(['--mail-poll-ms', '50', '--base-url', 'http://registry.example.jp']);
  vkey = keygen(path.join(server.dir, 'log.key'));
  otherKey = keygen(path.join(server.dir, 'other.key'));
  server.args.push('--log-key', path.join(server.dir, 'log.key'));
  await server.start();
  browser = await launch();
  // Two declarations, so that the second one's inclusion proof is not empty.
  declared = await declareAll(server, [application(), application({ business_name: '株式会社オフライン確認' })]);
  bundleText = await statementOf(declared[1].id);
  assert.ok(JSON.parse(bundleText).inclusion_proof.length > 0);
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'sengen did not stop cleanly');
});

// The page, with every request the browser makes after it loaded recorded, but for the static
// files of the page itself (the favicon may come late) when they carry nothing.
async function open(lang, options = {}) {
  const context = await browser.newContext({ locale: LOCALES[lang], ...options });
  const page = await watchedPage(context);
  const response = await page.goto(server.url('/verify/offline'));
  assert.equal(response.status(), 200);
  page.later = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    const asset = req.method() === 'GET' && url.origin === server.origin && url.pathname.startsWith('/static/') &&
      !req.postData();
    if (!asset) page.later.push(`${req.method()} ${req.url()}`);
  });
  return { context, page };
}

async function check(page, statement, key) {
  await page.fill('#offline-statement', statement);
  if (key !== undefined) await page.fill('#offline-key', key);
  await page.click('#offline-form button[type="submit"]');
  await page.waitForSelector('#offline-result:not([hidden])');
  return {
    outcome: await page.getAttribute('#offline-result', 'data-outcome'),
    reason: await page.getAttribute('#offline-result', 'data-reason'),
    title: (await page.textContent('#offline-result-title')).trim(),
    body: (await page.textContent('#offline-result-body')).trim(),
    facts: (await page.textContent('#offline-result-facts')).replace(/\s+/g, ' ').trim(),
  };
}

// One character of `text` at `at` replaced by another base64 character.
function flip(text, at) {
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

for (const lang of ['ja', 'en']) {
  const t = cat[lang];

  describe(`the offline check in ${lang}`, () => {
    it('verifies a statement from the API with the prefilled key, sending nothing, and has no axe violations', async () => {
      const { context, page } = await open(lang);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal((await page.textContent('h1')).trim(), t['verify.offline.title']);
      assert.equal((await page.inputValue('#offline-key')).trim(), vkey, 'the registry key is filled in');
      assert.equal(await page.isVisible('#offline-form'), true, 'the script shows the form');
      assert.equal(await page.isVisible('#offline-unsupported'), false, 'Chromium has Ed25519');
      await assertAccessible(page, `/verify/offline ${lang}`);

      const result = await check(page, bundleText);
      assert.equal(result.outcome, 'verified', result.body);
      assert.equal(result.title, t['verify.offline.ok.title']);
      const id = declared[1].id;
      const grouped = `${id.slice(0, 3)} ${id.slice(3, 7)} ${id.slice(7)}`;
      assert.equal(result.body, t['verify.offline.ok.body'].replace('{id}', grouped).replace('{log}', ORIGIN)
        .replace('{index}', '2').replace('{size}', '2'));
      assert.ok(result.body.startsWith(lang === 'ja' ? '確認できました: ' : 'Verified: '), result.body);
      for (const expected of [grouped, t['verify.offline.event.issued'], t['verify.status.declared'], ORIGIN, '2 / 2'])
        assert.ok(result.facts.includes(expected), `${expected} in ${result.facts}`);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'offline-result-title');
      await assertAccessible(page, `/verify/offline ${lang} verified`);

      assert.deepEqual(page.later, [], 'the check made no request');
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/verify/offline');
      assertNoProblems(page);
      await context.close();
    });

    it('refuses a changed signature, a changed proof and another key, each with its reason', async () => {
      const { context, page } = await open(lang);
      const bundle = JSON.parse(bundleText);

      // The statement's signature line: "— name base64(key ID || signature)"; a character well
      // inside the signature (past the key ID's first six characters) is changed.
      const lines = bundle.statement.split('\n');
      const sigLine = lines.length - 2;
      const at = lines[sigLine].lastIndexOf(' ') + 1 + 40;
      lines[sigLine] = flip(lines[sigLine], at);
      const badSignature = JSON.stringify({ ...bundle, statement: lines.join('\n') });
      let result = await check(page, badSignature);
      assert.equal(result.outcome, 'refused');
      assert.equal(result.reason, 'reason.statement_signature');
      assert.equal(result.title, t['verify.offline.fail.title']);
      assert.equal(result.body, `${t['verify.offline.fail.title']}: ${t['verify.offline.reason.statement_signature']}`);
      await assertAccessible(page, `/verify/offline ${lang} refused`);

      const proof = [...bundle.inclusion_proof];
      proof[0] = flip(proof[0], 10);
      result = await check(page, JSON.stringify({ ...bundle, inclusion_proof: proof }));
      assert.equal(result.reason, 'reason.proof');
      assert.equal(result.body, `${t['verify.offline.fail.title']}: ${t['verify.offline.reason.proof']}`);

      result = await check(page, bundleText, otherKey);
      assert.equal(result.reason, 'reason.checkpoint_unknown_key', 'the first check fails first');
      assert.equal(result.body,
        `${t['verify.offline.fail.title']}: ${t['verify.offline.reason.checkpoint_unknown_key']}`);

      result = await check(page, JSON.stringify({ ...bundle, leaf_index: 7 }), vkey);
      assert.equal(result.reason, 'reason.beyond');
      assert.ok(result.body.includes('7') && result.body.includes('2'), result.body);

      result = await check(page, 'not json');
      assert.equal(result.reason, 'reason.not_json');

      // Back to the real statement and key: verified again.
      result = await check(page, bundleText, `${otherKey}\n${vkey}`);
      assert.equal(result.outcome, 'verified', result.body);

      assert.deepEqual(page.later, [], 'no check made a request');
      assertNoProblems(page);
      await context.close();
    });
  });
}

describe('the offline page', () => {
  it('reads a picked file in the browser and verifies it without uploading it', async () => {
    const { context, page } = await open('ja');
    const file = path.join(server.dir, 'statement.json');
    writeFileSync(file, bundleText);
    await page.setInputFiles('#offline-file', file);
    await page.waitForFunction(() => document.getElementById('offline-statement').value.length > 0);
    assert.equal(await page.inputValue('#offline-statement'), bundleText);
    await page.click('#offline-form button[type="submit"]');
    await page.waitForSelector('#offline-result:not([hidden])');
    assert.equal(await page.getAttribute('#offline-result', 'data-outcome'), 'verified');
    assert.deepEqual(page.later, [], 'the file was not sent');
    assertNoProblems(page);
    await context.close();
  });

  it('has a form that cannot send what was typed: no action, no method, no named field', async () => {
    const html = (await get('/verify/offline')).body;
    const form = html.match(/<form\b[^>]*id="offline-form"[^>]*>([\s\S]*?)<\/form>/);
    assert.ok(form, 'the form is there');
    assert.doesNotMatch(form[0].split('>')[0], /\b(action|method)=/);
    assert.doesNotMatch(form[1], /\bname=/);
  });

  it('says without JavaScript that the check needs it and names sengen verify-statement', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: false });
    const page = await watchedPage(context);
    await page.goto(server.url('/verify/offline'));
    const shown = (await page.textContent('main')).replace(/\s+/g, ' ');
    assert.ok(shown.includes(cat.ja['verify.offline.noscript.title']), shown);
    assert.ok(shown.includes('sengen verify-statement'), shown);
    assert.equal(await page.isVisible('#offline-form'), false);
    // axe runs as a script in the page, so it cannot check this one: the words are checked above.
    assertNoProblems(page);
    await context.close();
  });
});
