"""sengen sending through a real SMTP server on loopback, and visitors with cookies, for the tests
of what the registry mails to whom (test_contact_change.py, test_mail_limits.py).

The SMTP server is aiosmtpd (Debian's python3-aiosmtpd; run with /usr/bin/python3) without TLS: sengen
allows plain SMTP to a loopback host only (`--smtp-starttls false`). Each visitor sends from a
loopback address of its own, as the registry counts some limits per client address.
"""

from __future__ import annotations

import email
import email.policy
import html
import http.client
import itertools
import json
import re
import threading
import time

from aiosmtpd.controller import Controller

from browser_client import BrowserClient, forms, link_form, token_of  # noqa: F401 (re-exported)
from corporate_number import corporate_number
from sengen_server import LOOPBACK, Reply, SengenServer, free_port, send


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self):
        self.port = free_port()
        self._lock = threading.Lock()
        self._received: list[tuple[str, email.message.EmailMessage]] = []
        self._controller = Controller(self, hostname=LOOPBACK, port=self.port)

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self._received.append((rcpt, message))
        return "250 2.0.0 Accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for rcpt, m in self._received if rcpt == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.to(address)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"fewer than {count} mails to {address} within {timeout}s: {len(self.to(address))}")

    def settle(self, seconds: float = 1.0) -> None:
        """Waits a few outbox polls, so that a mail queued by now has arrived."""
        time.sleep(seconds)


def start_sink_and_server(case: type, *args: str) -> None:
    """For a test class: an SMTP sink (`case.sink`) and a sengen mailing through it (`case.server`,
    started with `args`), both stopped after the class's last test."""
    case.sink = SmtpSink().start()
    case.addClassCleanup(case.sink.stop)
    case.server = SmtpSengen(case.sink, *args).start()
    case.addClassCleanup(case.server.close)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


# A one-time link as mailed (ADR 59): the page's address, the token in the fragment only.
ONE_TIME_LINK = re.compile(r"https?://[^/\s#?]+(/[a-z/-]+)#([A-Za-z0-9_-]{43})")


def link(message, prefix: str) -> str:
    """The first one-time link in the mail whose page starts with `prefix` ("/confirm"), as a path
    with its fragment ("/confirm#<token>"). Its path and query hold no token; the mail also prints
    the token as a code to paste."""
    text = body(message)
    for m in ONE_TIME_LINK.finditer(text):
        if m.group(1).startswith(prefix.rstrip("/")):
            assert m.group(2) not in m.group(1), m.group(0)
            assert re.search(rf"(?m)^{m.group(2)}\r?$", text), f"the code is not printed on a line:\n{text}"
            return m.group(1) + "#" + m.group(2)
    raise AssertionError(f"no {prefix} link in:\n{text}")


class SmtpSengen(SengenServer):
    """`sengen serve` mailing through `sink`, with links in mail pointing at itself."""

    def __init__(self, sink: SmtpSink, *args: str, db_path=None):
        port = free_port()
        super().__init__(*args, base_url=f"http://{LOOPBACK}:{port}", port=port)
        self.sink = sink
        if db_path is not None:
            self.db_path = db_path  # a second node on the first one's database

    def command(self) -> list[str]:
        cmd = super().command()
        at = cmd.index("--mail")
        cmd[at + 1] = f"smtp://{LOOPBACK}:{self.sink.port}"
        return cmd + ["--smtp-starttls", "false", "--mail-poll-ms", "50"]


def edit_form_fields(page: str) -> list[tuple[str, str]]:
    """The fields of My Page's declaration edit form on `page`, as a browser would submit them unchanged."""
    (form,) = [f for f in forms(page) if any(k == "business_name" for k, _ in f["fields"])]
    return form["fields"]


def csrf_of(page: str) -> str:
    for f in forms(page):
        for name, value in f["fields"]:
            if name == "csrf":
                return value
    raise AssertionError("no CSRF token on the page")


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


_sources = (f"127.0.{a}.{b}" for a in range(60, 250) for b in range(1, 250))


def fresh_source() -> str:
    return next(_sources)


class Visitor(BrowserClient):
    """One browser: its cookies, its language, its own loopback address."""

    def __init__(self, server: SengenServer, lang: str = "ja"):
        super().__init__(server, lang, fresh_source())

    def submit(self, page: Reply) -> Reply:
        return self.submit_link_form(page)

    def press(self, link: str) -> Reply:
        """Opens a mailed link's page and presses its button (as a person following a mail link does)."""
        return self.press_link(link)

    def sign_in(self, sink: SmtpSink, address: str) -> Reply:
        """Asks for a sign-in link, follows the one that arrives and presses the button."""
        seen = sign_in_links(sink, address)
        page = self.get("/signin")
        sent = self.post("/signin", {"csrf": csrf_of(page.text), "next": "/mypage", "email": address})
        assert sent.status == 200, (sent.status, sent.text[:300])
        deadline = time.monotonic() + 20
        while not (fresh := [l for l in sign_in_links(sink, address) if l not in seen]):
            assert time.monotonic() < deadline, f"no sign-in link to {address}"
            time.sleep(0.05)
        return self.follow(self.press(fresh[0]))


def sign_in_links(sink: SmtpSink, address: str) -> list[str]:
    out = []
    for m in sink.to(address):
        out += re.findall(r"/signin/link#[A-Za-z0-9_-]{43}", body(m))
    return out


_numbers = itertools.count(1)


# Typed by the applicant and never to be quoted in a mail to an address nobody has proven.
CONTACT_NAME = "連絡 担当秘密"


def application(contact_email: str, **overrides) -> dict:
    n = next(_numbers)
    body = {
        "terms_version": "2026-2",
        "terms_agreed": True,
        "entity_type": "corporation",
        "corporate_number": corporate_number(f"{800000000000 + n:012d}"),
        "business_name": f"株式会社メール試験{n}",
        "business_name_kana": "メールシケン",
        "postal_code": "100-0001",
        "prefecture": "13",
        "address": "千代田区千代田1-1",
        "industry": "E",
        "employees": "1-5",
        "representative_title": "代表取締役",
        "representative_name": "試験 太郎",
        "contact_name": CONTACT_NAME,
        "contact_email": contact_email,
        "purposes": ["trust"],
        "level": 1,
        "commitments": [1, 2, 3, 4, 5],
        "lang": "ja",
    }
    body.update(overrides)
    return body


def api_post(server: SengenServer, path: str, payload: dict, source: str | None = None, lang: str = "ja") -> Reply:
    conn = http.client.HTTPConnection(LOOPBACK, server.port, timeout=30, source_address=(source or fresh_source(), 0))
    try:
        return send(conn, "POST", path, {"Content-Type": "application/json", "Accept-Language": lang},
                    json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    finally:
        conn.close()


def declare(server: SengenServer, sink: SmtpSink, app: dict, visitor: Visitor) -> str:
    """Applies through the API and confirms in `visitor`'s browser (which signs it in); returns the ID."""
    applied = api_post(server, "/api/v1/applications", app)
    assert applied.status == 202, (applied.status, applied.text)
    receipt = sink.wait_for(app["contact_email"])[-1]
    done = visitor.press(link(receipt, "/confirm/"))
    assert done.status == 200, (done.status, done.text[:300])
    (public_id,) = server.sql("SELECT public_id FROM declarations WHERE contact_email = ? AND public_id IS NOT NULL",
                              (app["contact_email"],))[0]
    return public_id
