// Mail that `sengen serve --mail file:DIR` wrote: each .eml is one RFC 5322 message with
// RFC 2047 encoded headers and a base64 UTF-8 body. Decoded here independently of src/mail.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function decodeWords(value) {
  // RFC 2047 §6.2: white space between adjacent encoded-words is dropped.
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

export function parseMail(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no blank line after the header');
  const headers = {};
  let last = null;
  for (const line of text.slice(0, end).split('\r\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += line;
    } else {
      const colon = line.indexOf(':');
      last = line.slice(0, colon).toLowerCase();
      headers[last] = line.slice(colon + 1).trim();
    }
  }
  let body = text.slice(end + 4);
  if ((headers['content-transfer-encoding'] || '').toLowerCase() === 'base64')
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return {
    to: decodeWords(headers.to || ''),
    subject: decodeWords(headers.subject || ''),
    headers,
    body: body.replace(/\r\n/g, '\n'),
  };
}

export function readMails(dir) {
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ file: n, ...parseMail(readFileSync(path.join(dir, n), 'latin1')) }));
}

// Waits (polling, bounded) for a mail that `match` accepts and that was not in `seen`.
export async function waitForMail(dir, match, { timeoutMs = 15000, seen = new Set() } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMails(dir).find((m) => !seen.has(m.file) && match(m));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail in ${dir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The first one-time link whose page starts with this prefix in a mail body: {base}/confirm#{43-char
// token}, {base}/signin/link#{token} and friends (ADR 59: the token only in the fragment).
export function linkIn(mail, prefix) {
  const page = prefix.replace(/\/$/, '');
  const m = mail.body.match(new RegExp(`https?://[^\\s/]+${page}[a-z/-]*#[A-Za-z0-9_-]{43}`));
  if (!m) throw new Error(`no ${prefix} link in:\n${mail.body}`);
  return m[0];
}
