// Runs the real sengen binary for browser tests: `sengen serve` on a free loopback port with a
// temporary SQLite database and file mail, its log captured to a file. The JavaScript twin of
// tests/support/sengen_server.py. The binary comes from SENGEN_BINARY (set by CTest).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const LOOPBACK = '127.0.0.1';

export function binary() {
  const bin = process.env.SENGEN_BINARY;
  if (!bin) throw new Error('SENGEN_BINARY must name the sengen executable');
  return bin;
}

// Port 0 would give a port from the kernel's ephemeral range, where every outgoing connection
// takes its local port too: with many tests at once, a client could take it before sengen binds.
// So the port is drawn at random below that range and kept if it can be bound on every address
// (tests/support/ports.py does the same for the Python suites).
function ephemeralStart() {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'ascii').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function canBind(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

export async function freePort() {
  const floor = 10000;
  const top = ephemeralStart() - 1;
  for (let i = 0; i < 200 && top > floor; i++) {
    const port = floor + Math.floor(Math.random() * (top - floor + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port between ${floor} and ${top}`);
}

function get(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Sengen {
  constructor(args = []) {
    this.args = args;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'sengen-e2e-'));
    this.logPath = path.join(this.dir, 'stderr.log');
    this.proc = null;
    this.port = 0;
  }

  get origin() {
    return `http://${LOOPBACK}:${this.port}`;
  }

  url(p) {
    return this.origin + p;
  }

  get dbPath() {
    return path.join(this.dir, 'db.sqlite');
  }

  get mailDir() {
    return path.join(this.dir, 'mail');
  }

  // Runs a one-shot subcommand (e.g. `declaration show ID`) on this server's database.
  cli(args) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SENGEN_')));
    return execFileSync(binary(), [...args, '--db', `sqlite:${this.dbPath}`], { env, encoding: 'utf8', timeout: 15000 });
  }

  log() {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  async start() {
    // Another process may take the port between freePort() and sengen's bind: then, and only
    // then, start again on a new port.
    for (let attempt = 0; attempt < 3; attempt++) {
      this.port = await freePort();
      const fd = openSync(this.logPath, 'a');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SENGEN_')));
      this.proc = spawn(
        binary(),
        [
          'serve',
          '--listen', `${LOOPBACK}:${this.port}`,
          '--db', `sqlite:${this.dbPath}`,
          '--mail', `file:${this.mailDir}`,
          ...this.args,
        ],
        { cwd: this.dir, env, stdio: ['ignore', fd, fd] },
      );
      closeSync(fd);
      this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
      if (await this.waitHealthy()) return this;
      if (!this.log().includes('cannot listen')) break;
    }
    throw new Error(`sengen did not start; its log:\n${this.log()}`);
  }

  async waitHealthy(timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return false;
      try {
        if ((await get(this.url('/healthz'), 2000)) === 200) return true;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    this.proc.kill('SIGKILL');
    await this.exited;
    return false;
  }

  // Stops the server (SIGTERM) and removes its directory; returns the exit code.
  async stop() {
    let code = null;
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
      ({ code } = await this.exited);
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}
