#!/usr/bin/python3
"""Two `sengen serve` nodes on one PostgreSQL database, as behind a load balancer.

Both start at once with --auto-migrate true: the migrations are applied exactly once and both
become ready. A session stored in the database is honoured by either node: a form POST with its
cookie and CSRF token passes the CSRF check (405 from POST /, a GET-only page), and a wrong token
is 403 on both. Runs a throwaway PostgreSQL 15 cluster (tests/support/pg-cluster.sh).

Run by CTest with SENGEN_BIN set to the sengen executable.
"""
import glob
import hashlib
import os
import re
import secrets
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pg_nodes import PASSWORD, ROOT, PgNodesCase, request  # noqa: E402

MIGRATIONS = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "src/storage/migrations/postgres/*.sql")))


class TwoNodesOnePostgres(PgNodesCase):
    def new_session(self):
        """A session row as the app stores it: the hex BLAKE2b-256 of the 43-character cookie token."""
        token = secrets.token_urlsafe(32)
        self.assertEqual(len(token), 43)
        id_hash = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
        now = int(time.time())
        self.psql("INSERT INTO sessions (id_hash, account_id, created_at, expires_at) "
                  f"VALUES ('{id_hash}', NULL, {now}, {now + 3600})")
        csrf = hashlib.blake2b(b"sengen-csrf-v1", key=token.encode(), digest_size=32).hexdigest()
        return token, csrf

    def post_home(self, node, token, csrf):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if token:
            headers["Cookie"] = "sengen_session=" + token
        body = urllib.parse.urlencode({"csrf": csrf}) if csrf is not None else ""
        return request(node["port"], "POST", "/", headers, body)[0]

    def test_migrations_were_applied_exactly_once_between_the_two_nodes(self):
        applied = []
        for n in self.nodes:
            applied += re.findall(r"applied migration (\S+)", self.log_of(n))
        self.assertEqual(sorted(applied), MIGRATIONS)
        self.assertEqual(self.psql("SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations"),
                         ",".join(MIGRATIONS))

    def test_both_nodes_are_ready_and_healthy(self):
        for n in self.nodes:
            self.assertEqual(request(n["port"], "GET", "/healthz")[0], 200)
            self.assertEqual(request(n["port"], "GET", "/readyz")[0], 200)

    def test_a_session_in_the_database_passes_the_csrf_check_on_either_node(self):
        token, csrf = self.new_session()
        for n in reversed(self.nodes):
            self.assertEqual(self.post_home(n, token, csrf), 405, n["name"])

    def test_a_wrong_csrf_token_is_refused_on_both_nodes(self):
        token, csrf = self.new_session()
        wrong = hashlib.blake2b(b"sengen-csrf-v1", key=b"x" * 43, digest_size=32).hexdigest()
        for n in self.nodes:
            self.assertEqual(self.post_home(n, token, wrong), 403, n["name"])
            self.assertEqual(self.post_home(n, token, None), 403, n["name"])
            self.assertEqual(self.post_home(n, None, csrf), 403, n["name"])

    def test_an_expired_session_is_refused_on_both_nodes(self):
        token, csrf = self.new_session()
        self.psql("UPDATE sessions SET expires_at = 1 WHERE id_hash = '"
                  + hashlib.blake2b(token.encode(), digest_size=32).hexdigest() + "'")
        for n in self.nodes:
            self.assertEqual(self.post_home(n, token, csrf), 403, n["name"])

    def test_the_database_password_never_reaches_the_logs(self):
        for n in self.nodes:
            self.assertNotIn(PASSWORD, self.log_of(n))


if __name__ == "__main__":
    unittest.main(verbosity=2)
