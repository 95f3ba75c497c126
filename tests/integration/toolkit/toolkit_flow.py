"""A browser-like client for the ★★ toolkit's tests against the real binary: a cookie jar, CSRF
tokens read from the pages' forms, sign-in through the real mail link (the .eml file the server
writes, base64 body decoded), the self-assessment posted as its result form posts it, and
declarations made through the JSON API's apply and confirm.

Standard library only; run with /usr/bin/python3 through tests/support/run_unittest.py.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import html.parser
import http.client
import itertools
import json
import re
import time
import unittest
import urllib.parse
from pathlib import Path

from browser_client import BrowserClient
from corporate_number import corporate_number
from sengen_server import LOOPBACK, Reply, SengenServer, send

POINTS = {"done": 4, "partly": 2, "not_done": 0, "unknown": -1}


def total(answers: dict[int, str]) -> int:
    return sum(POINTS[a] for a in answers.values())


def band(score: int) -> str:
    """The bands of IPA's 自社診断 (docs/domain.md §3.1), written out independently of the server."""
    return "complete" if score >= 100 else "gaps" if score >= 70 else "inadequate" if score >= 50 else "urgent"


def japan_day(at: float | None = None) -> str:
    t = datetime.datetime.fromtimestamp(at if at is not None else time.time(), datetime.timezone.utc)
    return (t + datetime.timedelta(hours=9)).strftime("%Y-%m-%d")


class Forms(html.parser.HTMLParser):
    """The forms of a page: action, hidden inputs, and the submit buttons' names and values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "hidden": {}, "buttons": []})
        elif tag == "input" and self.forms and a.get("type") == "hidden":
            self.forms[-1]["hidden"][a.get("name")] = a.get("value", "")
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append((a.get("name"), a.get("value")))


def forms(page: str) -> list[dict]:
    f = Forms()
    f.feed(page)
    return f.forms


def csrf_of(page: str) -> str:
    for f in forms(page):
        if "csrf" in f["hidden"]:
            return f["hidden"]["csrf"]
    raise AssertionError("no CSRF token on the page")


def text_of(page: str) -> str:
    """The page's visible text with tags removed and entities decoded (for looking for sentences)."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html_unescape(re.sub(r"<[^>]+>", "", body))


def html_unescape(s: str) -> str:
    import html

    return html.unescape(s)


_addresses = (f"127.0.{a}.{b}" for a in range(2, 250) for b in range(1, 250))


def new_address() -> str:
    """A loopback address no other request of this process has come from."""
    return next(_addresses)


class ServerTest(unittest.TestCase):
    """A test class whose tests share one `sengen serve`, started once and closed after the last test
    (mail written to files and polled every 50 ms, so that sign-in links arrive quickly)."""

    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)


class Browser(BrowserClient):
    """One visitor: cookies, a language, and requests from a loopback address of its own (the
    registry limits sign-ins and applications per address)."""

    def __init__(self, server, lang: str = "ja"):
        super().__init__(server, lang, next(_addresses))

    def csrf(self) -> str:
        """This session's CSRF token, starting a session if there is none."""
        return csrf_of(self.get("/signin").text)

    # --- signing in through the mail link -----------------------------------------------------------

    def sign_in(self, address: str, next_path: str = "/mypage") -> Reply:
        """Asks for a link, opens it from the mail file, presses the button; returns the page the
        redirect leads to."""
        page = self.get("/signin?next=" + urllib.parse.quote(next_path, safe=""))
        assert page.status == 200, page.status
        before = {p.name for p in Path(self.server.mail_dir).glob("*.eml")}
        sent = self.post("/signin", {"csrf": csrf_of(page.text), "next": next_path, "email": address})
        assert sent.status == 200, (sent.status, sent.text[:500])
        link = signin_link(self.server, address, before)
        done = self.press_link(link)
        assert done.status == 303, (done.status, done.text[:500])
        return done

    # --- the self-assessment ----------------------------------------------------------------------------

    def result(self, answers: dict[int, str]) -> Reply:
        """The result page for `answers`, posted as the last part's form posts them."""
        fields = [("csrf", self.csrf()), ("edition", "2023"), ("from", "3")]
        fields += [(f"q{n}", a) for n, a in sorted(answers.items())]
        return self.post("/assessment/result", fields)

    def save_assessment(self, answers: dict[int, str]) -> Reply:
        """Presses "save to My Page" on the result page (the form as the page has it)."""
        page = self.result(answers)
        assert page.status == 200, page.status
        form = next(f for f in forms(page.text) if f["action"] == "/assessment/save")
        return self.post("/assessment/save", list(form["hidden"].items()))


def mails(server) -> list[tuple[str, email.message.EmailMessage]]:
    out = []
    for path in sorted(Path(server.mail_dir).glob("*.eml")):
        out.append((path.name, email.message_from_bytes(path.read_bytes(), policy=email.policy.default)))
    return out


def mail_body(message) -> str:
    return message.get_body(("plain",)).get_content()


def wait_for_mail(server, to: str, pattern: str, exclude=(), timeout: float = 20.0) -> re.Match:
    deadline = time.monotonic() + timeout
    while True:
        for name, m in mails(server):
            if name in exclude or m["To"] != to:
                continue
            found = re.search(pattern, mail_body(m))
            if found:
                return found
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {to} matching {pattern}; log:\n{server.log()[-3000:]}")
        time.sleep(0.05)


def signin_link(server, address: str, exclude=()) -> str:
    """The newest sign-in link mailed to `address` as a path with its fragment
    ("/signin/link#<token>", ADR 59): BrowserClient.press_link follows it."""
    m = wait_for_mail(server, address, r"https?://[^/\s]+(/signin/link#[A-Za-z0-9_-]{43})", exclude)
    return m.group(1)


# --- declarations through the JSON API -------------------------------------------------------------


_serial = itertools.count(int(time.time()) % 100000 * 100)


def application(contact_email: str, **overrides) -> dict:
    n = next(_serial)
    body = {
        "terms_version": "2026-2",
        "terms_agreed": True,
        "entity_type": "corporation",
        "corporate_number": corporate_number(f"{n:012d}"),
        "business_name": f"株式会社ツールキット{n}",
        "business_name_kana": "ツールキット",
        "postal_code": "100-0001",
        "prefecture": "13",
        "address": "千代田区千代田1-1",
        "industry": "E",
        "employees": "1-5",
        "representative_title": "代表取締役",
        "representative_name": "佐藤 花子",
        "contact_name": "鈴木 一郎",
        "contact_email": contact_email,
        "purposes": ["trust"],
        "level": 1,
        "commitments": [1, 2, 3, 4, 5],
        "lang": "ja",
    }
    body.update(overrides)
    return body


def declare(server, app: dict) -> dict:
    """Applies and confirms through the API (the token read from the 受付確認 mail); the
    declaration as the API returns it."""
    source = next(_addresses)

    def post(path, payload):
        conn = http.client.HTTPConnection(LOOPBACK, server.port, timeout=10, source_address=(source, 0))
        try:
            return send(conn, "POST", path, {"Content-Type": "application/json"},
                        json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        finally:
            conn.close()

    applied = post("/api/v1/applications", app)
    assert applied.status == 202, (applied.status, applied.text)
    token = wait_for_mail(server, app["contact_email"], r"/confirm#([A-Za-z0-9_-]+)").group(1)
    confirmed = post("/api/v1/applications/confirm", {"token": token})
    assert confirmed.status == 200, (confirmed.status, confirmed.text)
    return json.loads(confirmed.body)


def declaration(server, public_id: str) -> dict:
    r = server.get(f"/api/v1/declarations/{public_id}")
    assert r.status == 200, (r.status, r.text)
    return json.loads(r.body)


# --- answer sets -----------------------------------------------------------------------------------

# A first assessment with gaps, and a better second one.
FIRST = {n: "done" for n in range(1, 26)}
FIRST.update({2: "partly", 6: "unknown", 7: "not_done", 11: "not_done", 19: "partly", 24: "unknown"})
SECOND = dict(FIRST)
SECOND.update({2: "done", 6: "done", 7: "partly", 11: "done", 24: "not_done", 25: "partly"})
ALL_DONE = {n: "done" for n in range(1, 26)}
