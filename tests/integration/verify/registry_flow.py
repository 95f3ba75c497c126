"""Declarations made through the real flows, for the verification, search and API tests:
apply with POST /api/v1/applications, read the 受付確認 mail from the server's file mail
directory, confirm with POST /api/v1/applications/confirm.

Stopping and revoking have no command-line or operator screen yet, so `stop` and `revoke` write
the row as Declarations::stop and Declarations::revoke leave it (status, ended_at, end_reason), through
sqlite3 on the test server's database file.

Each client request can come from its own loopback address (127.0.0.0/8 is all local on Linux):
the registry limits applications per client address, and a suite that declares dozens of
businesses is dozens of clients, not one.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from declaration_ids import damm, declaration_id  # noqa: F401  (used by the suites that import this module)

from corporate_number import corporate_number
from sengen_server import LOOPBACK, Reply, send

TERMS_VERSION = "2026-2"

# Values that must never appear on a public page or in the API: each is distinctive, so that a
# search of a response body finds it only if it leaked.
PRIVATE = {
    "postal_code": "999-8877",
    "address": "秘密町九丁目9番9号ヒミツビル",
    "representative_title": "代表取締役ナイショ",
    "representative_name": "内緒 代表者",
    "contact_name": "連絡 担当秘密",
    "phone": "03-9876-5432",
}


def mistyped(public_id: str) -> str:
    """The same ID with its last digit changed: well formed, wrong check digit."""
    return public_id[:-1] + str((int(public_id[-1]) + 1) % 10)


_serials = itertools.count(1)


def application(**overrides) -> dict:
    """A valid ★ application for a corporation; every contact address is distinct."""
    n = next(_serials)
    body = {
        "terms_version": TERMS_VERSION,
        "terms_agreed": True,
        "entity_type": "corporation",
        "corporate_number": corporate_number(f"{n:012d}"),
        "business_name": f"株式会社テスト{n}",
        "business_name_kana": "テスト",
        "prefecture": "13",
        "industry": "E",
        "employees": "1-5",
        "contact_email": f"contact{n}-{time.monotonic_ns()}@example.jp",
        "website": "https://example.jp/",
        "purposes": ["trust"],
        "level": 1,
        "commitments": [1, 2, 3, 4, 5],
        "lang": "ja",
        **PRIVATE,
    }
    body.update(overrides)
    return body


def two_star(**overrides) -> dict:
    return application(level=2, assessment_date="2026-01-15", policy_url="https://example.jp/security-policy",
                       **overrides)


@dataclass
class Declared:
    public_id: str
    application: dict
    confirmed: dict = field(default_factory=dict)


class Registry:
    """Talks to one SengenServer (started with a short --mail-poll-ms)."""

    def __init__(self, server):
        self.server = server
        self._addresses = (f"127.0.{a}.{b}" for a in range(1, 250) for b in range(1, 250))

    def fresh_address(self) -> str:
        return next(self._addresses)

    def request(self, method: str, path: str, headers=None, body=None, source: str | None = None) -> Reply:
        conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=10,
                                          source_address=(source, 0) if source else None)
        try:
            return send(conn, method, path, headers, body)
        finally:
            conn.close()

    def post_json(self, path: str, payload, source: str | None = None, headers=None) -> Reply:
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.request("POST", path, {"Content-Type": "application/json", **(headers or {})}, body, source)

    # --- the flows ---------------------------------------------------------------------------

    def apply(self, app: dict, source: str | None = None) -> Reply:
        return self.post_json("/api/v1/applications", app, source or self.fresh_address())

    def confirm(self, token: str, source: str | None = None) -> Reply:
        return self.post_json("/api/v1/applications/confirm", {"token": token}, source or self.fresh_address())

    def mails(self) -> list[email.message.EmailMessage]:
        out = []
        for path in sorted(Path(self.server.mail_dir).glob("*.eml")):
            out.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
        return out

    def wait_for_mail(self, to: str, count: int = 1, timeout: float = 20.0) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.mails() if m["To"] == to]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} within {timeout}s; log:\n{self.server.log()[-3000:]}")
            time.sleep(0.05)

    @staticmethod
    def body(message) -> str:
        return message.get_body(("plain",)).get_content()

    def confirmation_token(self, to: str) -> str:
        body = self.body(self.wait_for_mail(to)[0])
        m = re.search(r"/confirm#([A-Za-z0-9_-]+)", body)
        if not m:
            raise AssertionError("no confirmation link in:\n" + body)
        return m.group(1)

    def declare(self, app: dict) -> Declared:
        reply = self.apply(app)
        if reply.status != 202:
            raise AssertionError(f"apply answered {reply.status}: {reply.text}")
        confirmed = self.confirm(self.confirmation_token(app["contact_email"].strip().lower()))
        if confirmed.status != 200:
            raise AssertionError(f"confirm answered {confirmed.status}: {confirmed.text}")
        data = json.loads(confirmed.body)
        return Declared(data["id"], app, data)

    def declare_many(self, apps: list[dict]) -> list[Declared]:
        """Applies for all first, then confirms each once its mail is there (faster than one by one)."""
        for app in apps:
            reply = self.apply(app)
            if reply.status != 202:
                raise AssertionError(f"apply answered {reply.status}: {reply.text}")
        out = []
        for app in apps:
            confirmed = self.confirm(self.confirmation_token(app["contact_email"].strip().lower()))
            if confirmed.status != 200:
                raise AssertionError(f"confirm answered {confirmed.status}: {confirmed.text}")
            data = json.loads(confirmed.body)
            out.append(Declared(data["id"], app, data))
        return out

    # --- what has no command yet (see the module's docstring) ---------------------------------

    def stop(self, public_id: str, at: int | None = None) -> None:
        self.server.sql("UPDATE declarations SET status = 'stopped', ended_at = ? WHERE public_id = ?",
                        (at or int(time.time()), public_id))

    def revoke(self, public_id: str, reason: str, at: int | None = None) -> None:
        self.server.sql("UPDATE declarations SET status = 'revoked', ended_at = ?, end_reason = ? WHERE public_id = ?",
                        (at or int(time.time()), reason, public_id))

    def set_dates(self, public_id: str, declared_at: int, level_since: int) -> None:
        self.server.sql("UPDATE declarations SET declared_at = ?, level_since = ? WHERE public_id = ?",
                        (declared_at, level_since, public_id))
