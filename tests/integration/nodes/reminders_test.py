#!/usr/bin/python3
"""Subsidy reminders on two `sengen serve` nodes sharing one PostgreSQL database (issue 13 point
5, ADR 41): both nodes are signalled at once to reload a catalogue that marks a programme open, both
run their reminder pass at the same time, and each subscriber gets exactly one reminder; signalling
both again sends nothing. Runs a throwaway PostgreSQL 15 cluster (tests/support/pg-cluster.sh).

Run by CTest with SENGEN_BIN set to the sengen executable.
"""
import os
import re
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pg_nodes import ROOT, PgNodesCase  # noqa: E402

SHIPPED = open(os.path.join(ROOT, "content", "subsidies.toml"), encoding="utf-8").read()
SLUG = "digital-ai-2026"
SUBSCRIBERS = 6
CATALOGUE_DIR = tempfile.TemporaryDirectory(prefix="sengen-nodes-catalogue-")
CATALOGUE = os.path.join(CATALOGUE_DIR.name, "subsidies.toml")


# Damm's table (the declaration ID's check digit, docs/domain.md): a valid ID ends with interim 0.
DAMM = [[0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
        [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
        [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
        [2, 5, 8, 1, 4, 3, 6, 7, 9, 0]]


def declaration_id(serial: int) -> str:
    digits = f"1{serial:09d}"
    interim = 0
    for c in digits:
        interim = DAMM[interim][int(c)]
    return digits + str(interim)


def write_catalogue(edition: str, status: str) -> None:
    text = re.sub(r'^edition = "[^"]*"', f'edition = "{edition}"', SHIPPED, count=1, flags=re.M)
    start = text.index(f'slug = "{SLUG}"')
    end = text.index("[[programme]]", start)
    entry = text[start:end].replace('status = "unknown"', f'status = "{status}"', 1)
    with open(CATALOGUE, "w", encoding="utf-8") as f:
        f.write(text[:start] + entry + text[end:])


write_catalogue("nodes-1", "unknown")


class RemindersOnTwoNodes(PgNodesCase):
    NODE_ARGS = ["--subsidy-catalogue", CATALOGUE]

    def wait_for_pass(self, edition: str, count: int = 1) -> None:
        deadline = time.monotonic() + 60
        for n in self.nodes:
            while len(re.findall(rf"subsidy reminders for edition {edition}:", self.log_of(n))) < count:
                self.assertLess(time.monotonic(), deadline, f"node {n['name']} never ran its pass: " + self.log_of(n))
                time.sleep(0.05)

    def signal_both(self) -> None:
        for n in self.nodes:
            n["proc"].send_signal(signal.SIGHUP)

    def subscribe(self, i: int) -> None:
        email = f"node-subscriber-{i}@example.jp"
        now = int(time.time())
        account = self.psql(f"INSERT INTO accounts (email, email_key, lang, created_at) "
                            f"VALUES ('{email}', '{email}', 'ja', {now}) RETURNING id").splitlines()[0]
        declaration = self.psql(
            "INSERT INTO declarations (public_id, status, level, account_id, entity_type, business_name, "
            "business_name_kana, name_key, kana_key, postal_code, prefecture, address, industry, employees, "
            "representative_title, representative_name, contact_name, contact_email, terms_version, "
            "terms_agreed_at, created_at, declared_at, level_since, confirm_token_hash, confirm_expires_at) "
            f"VALUES ('{declaration_id(900 + i)}', 'declared', 1, {account}, 'sole_proprietor', '試験商店{i}', 'シケン', 'k{i}', "
            f"'k{i}', '100-0001', '13', '千代田区', 'G', '1-5', '代表', '試験 太郎', '試験 花子', '{email}', "
            f"'2026-1', {now}, {now}, {now}, {now}, 'confirm-{i}', {now}) RETURNING id").splitlines()[0]
        self.psql(f"INSERT INTO subsidy_subscriptions (declaration_id, account_id, programme, created_at) "
                  f"VALUES ({declaration}, {account}, '{SLUG}', {now})")

    def test_both_nodes_reloading_at_once_send_each_reminder_once(self):
        self.wait_for_pass("nodes-1")  # each node's pass at start: nothing open
        for i in range(SUBSCRIBERS):
            self.subscribe(i)
        write_catalogue("nodes-2", "open")
        self.signal_both()
        self.wait_for_pass("nodes-2")
        self.assertEqual(self.psql("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'mail.round_reminder'"),
                         str(SUBSCRIBERS))
        self.assertEqual(self.psql("SELECT COUNT(DISTINCT recipient) FROM mail_outbox "
                                   "WHERE kind = 'mail.round_reminder'"), str(SUBSCRIBERS))
        self.assertEqual(self.psql("SELECT string_agg(DISTINCT outcome || ':' || round, ',') FROM subsidy_reminders"),
                         "queued:year:2026")
        queued = sum(int(m) for n in self.nodes
                     for m in re.findall(r"subsidy reminders for edition nodes-2: (\d+) queued", self.log_of(n)))
        self.assertEqual(queued, SUBSCRIBERS)

        # Again, on both: nothing more.
        self.signal_both()
        self.wait_for_pass("nodes-2", count=2)
        self.assertEqual(self.psql("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'mail.round_reminder'"),
                         str(SUBSCRIBERS))


if __name__ == "__main__":
    unittest.main(verbosity=2)
