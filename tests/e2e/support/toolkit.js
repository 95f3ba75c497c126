// Helpers of the ★★ toolkit's browser journey: links from the server's mail files (the body is
// base64 UTF-8 text), and a PDF's text read back with pdftotext (poppler-utils).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The path of the newest link matching `pattern` (with one group: the path) in a mail to `to`
// that was not among the files in `seen`.
export async function mailedPath(server, to, pattern, seen = new Set(), timeoutMs = 20000) {
  const dir = path.join(server.dir, 'mail');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml') && !seen.has(f)).sort();
    } catch {
      // not created yet
    }
    for (const f of files.reverse()) {
      const raw = readFileSync(path.join(dir, f), 'latin1');
      const split = raw.indexOf('\r\n\r\n');
      if (!new RegExp(`^To: ${escapeRegExp(to)}\\r?$`, 'm').test(raw.slice(0, split))) continue;
      const body = Buffer.from(raw.slice(split + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
      const m = body.match(pattern);
      if (m) return m[1];
    }
    await sleep(50);
  }
  throw new Error(`no mail to ${to} matching ${pattern}`);
}

export function mailFiles(server) {
  try {
    return new Set(readdirSync(path.join(server.dir, 'mail')));
  } catch {
    return new Set();
  }
}

export function pdfText(file) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8' });
}

export function pdfTextOf(bytes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sengen-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    return pdfText(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const squash = (s) => s.replace(/\s+/g, '');
