"""Runs the real sengen binary for black-box tests: `sengen serve` on a free loopback port with a
temporary SQLite database and file mail, its log (stderr) captured to a file.

Shared by the web, storage, mail and registry suites. Standard library only; run with
/usr/bin/python3. The binary comes from the SENGEN_BINARY environment variable, which
run_unittest.py sets from its first argument.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from ports import free_port  # noqa: F401  (re-exported for the suites)

LOOPBACK = "127.0.0.1"
SOURCE_DIR = Path(__file__).resolve().parents[2]


def binary() -> str:
    path = os.environ.get("SENGEN_BINARY", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("SENGEN_BINARY must name the sengen executable (got %r)" % path)
    return path


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The current environment without any SENGEN_* setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENGEN_")}
    env.update(extra or {})
    return env


def sanitizer_report(log: str) -> str:
    """The part of a process's log from an AddressSanitizer, LeakSanitizer or UBSan report on, or ''."""
    m = re.search(r"^.*(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:).*$", log, re.MULTILINE)
    return log[m.start():][:8000] if m else ""


def port_accepts(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout):
            return True
    except OSError:
        return False


# --- tokens, computed exactly as src/web/security.cpp does --------------------------------------


def new_session_token() -> str:
    """A 43-character URL-safe token, the shape of sengen's session tokens (32 random bytes)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the sessions table stores: hex BLAKE2b-256 of the token (crypto_generichash, no key)."""
    return hashlib.blake2b(token.encode(), digest_size=32).hexdigest()


def csrf_token_for(session_token: str) -> str:
    """The CSRF token of a session: BLAKE2b-256 of a fixed label, keyed with the session token."""
    return hashlib.blake2b(b"sengen-csrf-v1", key=session_token.encode(), digest_size=32).hexdigest()


# --- message catalogues -------------------------------------------------------------------------


def catalogue(lang: str) -> dict[str, str]:
    """The msgid -> msgstr pairs of src/web/i18n/<lang>.po (single-line and continued strings)."""
    text = (SOURCE_DIR / "src" / "web" / "i18n" / f"{lang}.po").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    current: str | None = None
    field = None
    value = ""

    def unquote(s: str) -> str:
        return json.loads(s)  # the catalogues use only the escapes JSON shares with C

    def flush():
        if field == "msgstr" and current:
            out[current] = value

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            current, field, value = unquote(line[6:]), "msgid", ""
        elif line.startswith("msgstr "):
            field, value = "msgstr", unquote(line[7:])
        elif line.startswith('"') and field == "msgstr":
            value += unquote(line)
        elif line.startswith('"') and field == "msgid":
            current = (current or "") + unquote(line)
    flush()
    return out


def html_escape(s: str) -> str:
    """Escapes as kainjow mustache does, to find catalogue texts in rendered pages."""
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


# --- HTTP -----------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def html_lang(self) -> str | None:
        m = re.search(r'<html lang="([^"]*)"', self.text)
        return m.group(1) if m else None


def send(conn: http.client.HTTPConnection, method: str, path: str, headers=None, body=None) -> Reply:
    """One request on an open connection; reads the whole response (a short body raises)."""
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    return Reply(resp.status, resp.msg, data)


class SengenServer:
    """`sengen serve` in a temporary directory. Use as a context manager, or call start(), and
    close() when done (close stops the process if it still runs and removes the directory)."""

    def __init__(self, *args: str, base_url: str | None = None, env: dict[str, str] | None = None,
                 start_timeout: float = 15.0, port: int | None = None, listen_flag: bool = True,
                 host: str = LOOPBACK):
        """`port`: the port to expect sengen on (default: a free one, chosen at start);
        `listen_flag`: False to leave --listen out, when a test sets it another way;
        `host`: the address to listen on (the tests still reach it on the loopback address)."""
        self.args = list(args)
        self.fixed_port = port
        self.listen_flag = listen_flag
        self.host = host
        self.base_url = base_url
        self.extra_env = env or {}
        self.start_timeout = start_timeout
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-test-"))
        self.db_path = self.dir / "db.sqlite"
        self.mail_dir = self.dir / "mail"
        self.log_path = self.dir / "stderr.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None

    # lifecycle

    def command(self) -> list[str]:
        cmd = [binary(), "serve", "--db", f"sqlite:{self.db_path}", "--mail", f"file:{self.mail_dir}"]
        if self.listen_flag:
            cmd += ["--listen", f"{self.host}:{self.port}"]
        if self.base_url:
            cmd += ["--base-url", self.base_url]
        return cmd + self.args

    def start(self) -> "SengenServer":
        # Another process may take the port between free_port() and sengen's bind: then, and
        # only then, start again on a new port.
        for _ in range(1 if self.fixed_port else 3):
            self.port = self.fixed_port or free_port()
            self.mail_dir.mkdir(exist_ok=True)
            with open(self.log_path, "ab") as err:
                self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                             env=clean_environment(self.extra_env), cwd=self.dir)
            if self._wait_healthy():
                return self
            if "cannot listen" not in self.log():
                break
        raise RuntimeError("sengen did not start; its log:\n" + self.log())

    def _wait_healthy(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                # Through connection(), which a subclass may change (TLS in test_tls.py).
                if self.request("GET", "/healthz", timeout=2).status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        return False

    def send_signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float) -> int:
        return self.proc.wait(timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Sends `sig` and returns the exit status (killing the process if it outlives `timeout`)."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.proc.returncode

    def close(self) -> None:
        """Stops the server as an operator would (SIGTERM), so that a sanitized build checks for
        leaks on the way out, and raises if its log holds a sanitizer's report."""
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.stop()
            report = sanitizer_report(self.log())
            if report:
                raise AssertionError("sengen's sanitizer report:\n" + report)
        finally:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "SengenServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # talking to it

    @property
    def origin(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def connection(self, timeout: float = 10.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout)

    def request(self, method: str, path: str, headers=None, body=None, timeout: float = 10.0) -> Reply:
        """One request on a new connection."""
        conn = self.connection(timeout)
        try:
            return send(conn, method, path, headers, body)
        finally:
            conn.close()

    def get(self, path: str, headers=None) -> Reply:
        return self.request("GET", path, headers)

    def socket(self, timeout: float = 10.0) -> socket.socket:
        return socket.create_connection((LOOPBACK, self.port), timeout=timeout)

    # its log

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def access_lines(self) -> list[str]:
        """The access-log lines: "<method> <route> <status> <duration>ms"."""
        out = []
        for line in self.log().splitlines():
            _, sep, rest = line.partition(" access ")
            if sep:
                out.append(rest)
        return out

    # its database

    def sql(self, statement: str, params=()) -> list[tuple]:
        with sqlite3.connect(self.db_path, timeout=10) as db:
            return db.execute(statement, params).fetchall()

    def add_session(self, expires_in: int = 3600, token: str | None = None) -> str:
        """Stores a session row as sengen would and returns its cookie token."""
        token = token or new_session_token()
        now = int(time.time())
        self.sql("INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES (?, NULL, ?, ?)",
                 (token_hash(token), now, now + expires_in))
        return token

    def session_cookie_name(self) -> str:
        https = (self.base_url or "").startswith("https://")
        return "__Host-sengen_session" if https else "sengen_session"


def run_sengen(*args: str, env: dict[str, str] | None = None, timeout: float = 15.0, cwd=None):
    """Runs the binary to completion (for commands that exit by themselves)."""
    return subprocess.run([binary(), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=clean_environment(env), timeout=timeout, cwd=cwd)
