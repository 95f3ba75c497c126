#!/usr/bin/python3
"""Hundreds of confirmations at once on two `sengen serve` nodes sharing one PostgreSQL database.

300 businesses apply through the HTML pages (terms → business → declaration → check), each with
its own cookie jar and the CSRF token of its own session, every request going to either node as
a load balancer without sticky sessions would send it. The 300 受付確認 links are read from the
mail directory both nodes write to. Then every link is confirmed at once: half through node A,
half through node B, and some through both nodes at the same moment. Every application must get
exactly one ID, all IDs different and valid (Damm), with one 完了 mail each; a link confirmed on
both nodes shows the same ID on both.

Run by CTest with SENGEN_BIN set to the sengen executable; /usr/bin/python3, standard library.
"""
import concurrent.futures
import email
import email.policy
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pg_nodes import BIN, PgNodesCase, request  # noqa: E402
import tlog_reference  # noqa: E402  (tests/support, on the path pg_nodes set)

APPLICATIONS = 300
BOTH_AT_ONCE = 40  # of the links, confirmed through both nodes at the same moment
WORKERS = 24
LOG_BASE_URL = "http://sengen.test"
LOG_ORIGIN = "sengen.test/log"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+/confirm#([A-Za-z0-9_-]{43})")

DAMM = [[0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
        [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
        [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
        [2, 5, 8, 1, 4, 3, 6, 7, 9, 0]]


def damm_valid(digits):
    """Damm's check over the whole ID (H. M. Damm, 2004): a valid ID leaves interim digit 0."""
    interim = 0
    for c in digits:
        interim = DAMM[interim][int(c)]
    return interim == 0


def corporate_number(base12):
    """A 13-digit 法人番号 with its check digit in front (法人番号の指定等に関する省令 第2条)."""
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return str(9 - total % 9) + base12


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class Browser:
    """One visitor: its own cookie jar, keep-alive connections to each node."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.cookies = {}
        self.conns = {}

    def close(self):
        for c in self.conns.values():
            c.close()

    def send(self, node, method, path, fields=None):
        headers = {"Accept-Language": "ja"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = self.conns.get(node["name"])
        if conn is None:
            conn = self.conns[node["name"]] = http.client.HTTPConnection("127.0.0.1", node["port"], timeout=30)
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return r.status, r.headers, data

    @staticmethod
    def csrf_of(page):
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        if not m:
            raise AssertionError("no CSRF token on the page:\n" + page[:2000])
        return m.group(1)


def declared_id_on(page):
    """The ID shown on the 完了 page (its 3-4-4 groups spaced by CSS only), as 11 digits, or None."""
    m = re.search(r'<p class="declaration-id">.*?<span class="id-digits"[^>]*>((?:<span class="id-group">[0-9]+</span>){3})</span>',
                  page, re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)) if m else None


class ManyConfirmationsOnTwoNodes(PgNodesCase):
    NODE_ARGS = ["--rate-limit-factor", "1000", "--mail-poll-ms", "50"]
    THREADS = 4

    @classmethod
    def setUpClass(cls):
        # Both nodes sign the transparency log with one key, as docs/operations.md asks (issue 14).
        cls.key_dir = tempfile.TemporaryDirectory(prefix="sengen-nodes-key-")
        key = os.path.join(cls.key_dir.name, "log.key")
        made = subprocess.run([BIN, "log", "keygen", "--name", LOG_ORIGIN, "--out", key], capture_output=True,
                              text=True, timeout=30)
        assert made.returncode == 0, made.stderr
        cls.vkey = made.stdout.splitlines()[-1]
        cls.NODE_ARGS = [*cls.NODE_ARGS, "--base-url", LOG_BASE_URL, "--log-key", key]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.key_dir.cleanup()

    def node(self, i):
        return self.nodes[i % 2]

    def apply(self, i):
        """One business applies; each page is fetched and posted on alternating nodes."""
        b = Browser(self.nodes)
        try:
            corporation = i % 2 == 0
            business = {
                "entity_type": "corporation" if corporation else "sole_proprietor",
                "corporate_number": corporate_number(f"{500000000000 + i:012d}") if corporation else "",
                "business_name": f"負荷試験商事{i:03d}",
                "business_name_kana": "ふかしけんしょうじ",
                "postal_code": "１００－０００１",
                "prefecture": "13",
                "address": f"千代田区千代田{i}-1",
                "industry": "G",
                "employees": "1-5",
                "representative_title": "代表",
                "representative_name": "山田 太郎",
                "contact_name": "山田 花子",
                "contact_email": f"owner{i:03d}@example.jp",
                "phone": "",
                "website": "",
            }
            declaration = {"level": "1", "commitment": ["1", "2", "3", "4", "5"], "purposes": ["customer"]}
            steps = [("/apply", {"terms_agreed": "yes"}, "/apply/business"),
                     ("/apply/business", business, "/apply/declaration"),
                     ("/apply/declaration", declaration, "/apply/check"),
                     ("/apply/check", {}, "/apply/sent")]
            for k, (path, fields, next_path) in enumerate(steps):
                status, _, page = b.send(self.node(i + k), "GET", path)
                if status != 200:
                    return f"{i}: GET {path} -> {status}"
                csrf = Browser.csrf_of(page)
                status, headers, page = b.send(self.node(i + k + 1), "POST", path, {"csrf": csrf, **fields})
                if status != 303 or headers.get("Location") != next_path:
                    return f"{i}: POST {path} -> {status} {headers.get('Location')}: {page[:500]}"
            return None
        finally:
            b.close()

    def confirm(self, token, node, barrier=None):
        """Opens the link and presses the button; returns (status, ID shown or None)."""
        b = Browser(self.nodes)
        try:
            status, _, page = b.send(node, "GET", f"/confirm/{token}")
            if status != 200:
                return status, None
            csrf = Browser.csrf_of(page)
            if barrier is not None:
                barrier.wait(timeout=30)
            status, _, page = b.send(node, "POST", f"/confirm/{token}", {"csrf": csrf})
            return status, declared_id_on(page)
        finally:
            b.close()

    def receipts(self):
        """Recipient -> confirmation token, from the .eml files written so far."""
        out = {}
        for name in os.listdir(self.mail_dir):
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(self.mail_dir, name), "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            m = CONFIRM_LINK.search(msg.get_body().get_content())
            if m:
                self.assertNotIn(msg["To"], out, "two 受付確認 mails for one application")
                out[str(msg["To"])] = m.group(1)
        return out

    def test_hundreds_of_confirmations_on_two_nodes_issue_one_distinct_valid_id_each(self):
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            problems = [p for p in pool.map(self.apply, range(APPLICATIONS)) if p]
        self.assertEqual(problems, [], "\n".join(problems[:10]))
        self.assertEqual(self.psql("SELECT count(*) FROM declarations WHERE status = 'awaiting_confirmation'"),
                         str(APPLICATIONS))

        links = wait_for(f"{APPLICATIONS} 受付確認 mails",
                         lambda: (lambda r: r if len(r) == APPLICATIONS else None)(self.receipts()), timeout=30)
        tokens = [links[f"owner{i:03d}@example.jp"] for i in range(APPLICATIONS)]
        self.assertEqual(len(set(tokens)), APPLICATIONS)

        # Every link at once: the first BOTH_AT_ONCE through both nodes at the same moment, the
        # rest half through A and half through B.
        jobs = []
        for i, token in enumerate(tokens):
            if i < BOTH_AT_ONCE:
                barrier = threading.Barrier(2)
                jobs.append((i, token, self.nodes[0], barrier))
                jobs.append((i, token, self.nodes[1], barrier))
            else:
                jobs.append((i, token, self.nodes[i % 2], None))
        with concurrent.futures.ThreadPoolExecutor(WORKERS * 2) as pool:
            futures = [(i, node["name"], pool.submit(self.confirm, token, node, barrier))
                       for i, token, node, barrier in jobs]
            shown = {}
            for i, name, f in futures:
                status, public_id = f.result()
                self.assertEqual(status, 200, f"application {i} confirmed on node {name}")
                self.assertIsNotNone(public_id, f"no ID shown for application {i} on node {name}")
                shown.setdefault(i, set()).add(public_id)

        for i in range(BOTH_AT_ONCE):
            self.assertEqual(len(shown[i]), 1, f"application {i} showed different IDs on the two nodes: {shown[i]}")
        ids = {i: next(iter(s)) for i, s in shown.items()}
        self.assertEqual(len(ids), APPLICATIONS)
        self.assertEqual(len(set(ids.values())), APPLICATIONS, "an ID was shown for two applications")
        for public_id in ids.values():
            self.assertRegex(public_id, r"^1[0-9]{10}$")
            self.assertTrue(damm_valid(public_id), public_id)

        # The database agrees: one declared row per application, with the ID its page showed.
        rows = dict(line.split("|") for line in self.psql(
            "SELECT contact_email, public_id FROM declarations WHERE status = 'declared'").splitlines())
        self.assertEqual(len(rows), APPLICATIONS)
        for i in range(APPLICATIONS):
            self.assertEqual(rows[f"owner{i:03d}@example.jp"], ids[i], f"application {i}")
        self.assertEqual(self.psql("SELECT count(*) FROM declarations WHERE public_id IS NULL"), "0")
        self.assertEqual(self.psql("SELECT count(*) FROM (SELECT public_id FROM declarations "
                                   "WHERE public_id IS NOT NULL GROUP BY public_id HAVING count(*) > 1) d"), "0")
        # Issued once: one 完了 mail and one confirmation event per application.
        self.assertEqual(self.psql("SELECT count(*) FROM mail_outbox WHERE subject LIKE '%自己宣言完了%'"),
                         str(APPLICATIONS))
        self.assertEqual(self.psql("SELECT count(DISTINCT recipient) FROM mail_outbox "
                                   "WHERE subject LIKE '%自己宣言完了%'"), str(APPLICATIONS))
        self.assertEqual(self.psql("SELECT count(*) FROM audit_events WHERE action = 'declaration.confirmed'"),
                         str(APPLICATIONS))
        # The transparency log (ADR 46): one `issued` entry per ID, at indexes 0..N-1 with none used
        # twice or skipped, although both nodes appended at once; each node serves a checkpoint
        # that verifies with the key and whose root is the RFC 9162 root of those entries.
        rows = [line.split("|") for line in self.psql(
            "SELECT idx, encode(convert_to(entry, 'UTF8'), 'hex') FROM tlog_entries ORDER BY idx").splitlines()]
        self.assertEqual([int(r[0]) for r in rows], list(range(APPLICATIONS)))
        entries = [bytes.fromhex(r[1]) for r in rows]
        self.assertEqual(sorted(e.decode().splitlines()[2] for e in entries), sorted(f"id {i}" for i in ids.values()))
        self.assertTrue(all(e.decode().splitlines()[3] == "event issued" for e in entries))
        root = tlog_reference.root([tlog_reference.leaf_hash(e) for e in entries])
        for n in self.nodes:
            def signed(node=n):
                status, body = request(node["port"], "GET", "/log/checkpoint")
                text = tlog_reference.verify_note(body.decode(), self.vkey) if status == 200 else None
                return text if text and text.splitlines()[1] == str(APPLICATIONS) else None
            text = wait_for(f"a checkpoint of {APPLICATIONS} on node {n['name']}", signed, timeout=30)
            self.assertEqual(text, tlog_reference.checkpoint_text(LOG_ORIGIN, APPLICATIONS, root))
        self.assertEqual(self.psql(f"SELECT count(*) FROM tlog_checkpoints WHERE size = {APPLICATIONS}"), "1")

        for n in self.nodes:
            self.assertIsNone(n["proc"].poll(), f"node {n['name']} died")
            self.assertNotIn(" error ", self.log_of(n), f"node {n['name']} logged an error")


if __name__ == "__main__":
    unittest.main(verbosity=2)
