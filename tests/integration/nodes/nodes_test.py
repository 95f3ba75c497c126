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
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

BIN = os.environ["SENGEN_BIN"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLUSTER = os.path.join(ROOT, "tests", "support", "pg-cluster.sh")
MIGRATIONS = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "src/storage/migrations/postgres/*.sql")))
# Given in the URL to prove it is never logged; trust auth on loopback does not ask for it.
PASSWORD = "never-logged-Pw9"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class TwoNodesOnePostgres(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sengen-nodes-")
        started = subprocess.run([CLUSTER, "start", str(os.getpid())], capture_output=True, text=True)
        if started.returncode == 3:
            why = "PostgreSQL cluster not available: " + started.stderr.strip()
            if os.environ.get("CI") == "true":
                raise RuntimeError(why + " (CI=true: PostgreSQL is required)")
            print("\n*** SKIPPING POSTGRESQL NODES TEST ***\n*** " + why + "\n", flush=True)
            raise unittest.SkipTest(why)
        if started.returncode != 0:
            raise RuntimeError("cannot start PostgreSQL: " + started.stdout + started.stderr)
        port, cls.cluster_dir = started.stdout.split()
        cls.pg_port = int(port)
        cls.psql("CREATE DATABASE sengen", db="postgres")
        cls.url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{cls.pg_port}/sengen"
        cls.nodes = []
        try:
            # Both at once: each runs the migrations before listening.
            for name in ("a", "b"):
                port = free_port()
                log = open(os.path.join(cls.tmp.name, f"node-{name}.log"), "w+")
                proc = subprocess.Popen(
                    [BIN, "serve", "--listen", f"127.0.0.1:{port}", "--db", cls.url, "--auto-migrate", "true",
                     "--mail", "file:" + os.path.join(cls.tmp.name, "mail"), "--threads", "2"],
                    stdout=log, stderr=subprocess.STDOUT)
                cls.nodes.append({"name": name, "port": port, "proc": proc, "log": log})
            deadline = time.monotonic() + 60
            for n in cls.nodes:
                while True:
                    if n["proc"].poll() is not None:
                        raise RuntimeError(f"node {n['name']} exited: " + cls.log_of(n))
                    try:
                        if request(n["port"], "GET", "/readyz")[0] == 200:
                            break
                    except OSError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"node {n['name']} never became ready: " + cls.log_of(n))
                    time.sleep(0.1)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for n in getattr(cls, "nodes", []):
            if n["proc"].poll() is None:
                n["proc"].send_signal(signal.SIGTERM)
                try:
                    n["proc"].wait(timeout=20)
                except subprocess.TimeoutExpired:
                    n["proc"].kill()
                    n["proc"].wait()
            n["log"].close()
        if getattr(cls, "cluster_dir", None):
            subprocess.run([CLUSTER, "stop", cls.cluster_dir], check=False)
        cls.tmp.cleanup()

    @classmethod
    def psql(cls, sql, db="sengen"):
        r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                            str(cls.pg_port), "-U", "postgres", "-d", db, "-c", sql],
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise RuntimeError("psql failed: " + r.stderr)
        return r.stdout.strip()

    @staticmethod
    def log_of(node):
        node["log"].flush()
        node["log"].seek(0)
        return node["log"].read()

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
