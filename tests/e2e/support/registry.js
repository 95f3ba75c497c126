// Declarations made through the real flows for browser tests, as tests/integration/verify/
// registry_flow.py does: apply and confirm through the JSON API, the confirmation token read from
// the server's mail files. Stopping and revoking have no command on this branch: they write the
// row with /usr/bin/python3's sqlite3.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { linkIn, waitForMail } from './mail.js';
import { LOOPBACK } from './sengen.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 法人番号 with its check digit (法人番号の指定等に関する省令 第2条).
export function corporateNumber(base12) {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base12[12 - n]) * (n % 2 ? 1 : 2);
  return String(9 - (sum % 9)) + base12;
}

// The ID sengen issues for a serial: leading digit, 9-digit serial, Damm check digit.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];
export function declarationId(n, leading = 1) {
  const ten = `${leading}${String(n).padStart(9, '0')}`;
  let interim = 0;
  for (const c of ten) interim = DAMM[interim][Number(c)];
  return ten + interim;
}

let serial = 0;
let address = 0;

export function application(overrides = {}) {
  serial += 1;
  return {
    terms_version: '2026-2',
    terms_agreed: true,
    entity_type: 'corporation',
    corporate_number: corporateNumber(String(900000000000 + serial)),
    business_name: `株式会社ブラウザ${serial}`,
    business_name_kana: 'ブラウザ',
    postal_code: '100-0001',
    prefecture: '13',
    address: '千代田区千代田1-1',
    industry: 'E',
    employees: '1-5',
    representative_title: '代表取締役',
    representative_name: '佐藤 花子',
    contact_name: '鈴木 一郎',
    contact_email: `browser${serial}-${Date.now()}@example.jp`,
    purposes: ['trust'],
    level: 1,
    commitments: [1, 2, 3, 4, 5],
    lang: 'ja',
    ...overrides,
  };
}

// One JSON POST from its own loopback address (the registry limits applications per address).
export function postJson(server, pathname, body) {
  address += 1;
  const localAddress = `127.0.${1 + Math.floor(address / 250)}.${1 + (address % 250)}`;
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: LOOPBACK,
        port: server.port,
        path: pathname,
        method: 'POST',
        localAddress,
        headers: { 'Content-Type': 'application/json', 'Content-Length': data.length },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// Applies through the API (which must answer 202) and returns the link of the 受付確認 mail sent to
// the application's contact address.
export async function applyForConfirmLink(server, app) {
  const reply = await postJson(server, '/api/v1/applications', app);
  assert.equal(reply.status, 202, reply.body);
  const receipt = await waitForMail(server.mailDir, (m) => m.to.includes(app.contact_email));
  return linkIn(receipt, '/confirm/');
}

// The confirmation token from the 受付確認 mail to `to` (the body is base64 UTF-8 text).
export async function confirmationToken(server, to, timeoutMs = 20000) {
  const dir = path.join(server.dir, 'mail');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    } catch {
      // not created yet
    }
    for (const f of files) {
      const raw = readFileSync(path.join(dir, f), 'latin1');
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.slice(0, split);
      if (!new RegExp(`^To: ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'm').test(head)) continue;
      const body = Buffer.from(raw.slice(split + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
      const m = body.match(/\/confirm#([A-Za-z0-9_-]+)/);
      if (m) return m[1];
    }
    await sleep(50);
  }
  throw new Error(`no confirmation mail to ${to}`);
}

// Applies for each, then confirms each; returns the issued declarations as the API gives them.
export async function declareAll(server, apps) {
  for (const app of apps) {
    const r = await postJson(server, '/api/v1/applications', app);
    if (r.status !== 202) throw new Error(`apply answered ${r.status}: ${r.body}`);
  }
  const out = [];
  for (const app of apps) {
    const token = await confirmationToken(server, app.contact_email);
    const r = await postJson(server, '/api/v1/applications/confirm', { token });
    if (r.status !== 200) throw new Error(`confirm answered ${r.status}: ${r.body}`);
    out.push(JSON.parse(r.body));
  }
  return out;
}

function sql(server, statement, params) {
  const script = 'import sqlite3, sys, json\n' +
    'db = sqlite3.connect(sys.argv[1])\n' +
    'db.execute(sys.argv[2], json.loads(sys.argv[3]))\n' +
    'db.commit()\n';
  execFileSync('/usr/bin/python3', ['-c', script, path.join(server.dir, 'db.sqlite'), statement,
    JSON.stringify(params)]);
}

export function stop(server, publicId) {
  sql(server, "UPDATE declarations SET status = 'stopped', ended_at = ? WHERE public_id = ?",
    [Math.floor(Date.now() / 1000), publicId]);
}

export function revoke(server, publicId, reason) {
  sql(server, "UPDATE declarations SET status = 'revoked', ended_at = ?, end_reason = ? WHERE public_id = ?",
    [Math.floor(Date.now() / 1000), reason, publicId]);
}
