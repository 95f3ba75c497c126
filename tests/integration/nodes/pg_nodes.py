"""A throwaway PostgreSQL 15 cluster (tests/support/pg-cluster.sh) and several `sengen serve`
nodes on one database in it, as behind a load balancer. Shared by the tests in this folder.

A test class derives from PgNodesCase and may set NODE_ARGS (extra flags for every node) and
THREADS (HTTP worker threads per node). The nodes start at once with --auto-migrate true and
share one file mail directory (cls.mail_dir).
Run with /usr/bin/python3 and SENGEN_BIN set to the sengen executable; standard library only.
"""
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BIN = os.environ["SENGEN_BIN"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLUSTER = os.path.join(ROOT, "tests", "support", "pg-cluster.sh")
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from ports import free_port  # noqa: E402
# Given in the URL to prove it is never logged; trust auth on loopback does not ask for it.
PASSWORD = "never-logged-Pw9"


def request(port, method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class PgNodesCase(unittest.TestCase):
    NODE_NAMES = ("a", "b")
    NODE_ARGS = []
    THREADS = 2
    SKIP_BANNER = "SKIPPING POSTGRESQL NODES TEST"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sengen-nodes-")
        cls.mail_dir = os.path.join(cls.tmp.name, "mail")
        started = subprocess.run([CLUSTER, "start", str(os.getpid())], capture_output=True, text=True)
        if started.returncode == 3:
            why = "PostgreSQL cluster not available: " + started.stderr.strip()
            if os.environ.get("CI") == "true":
                raise RuntimeError(why + " (CI=true: PostgreSQL is required)")
            print(f"\n*** {cls.SKIP_BANNER} ***\n*** " + why + "\n", flush=True)
            raise unittest.SkipTest(why)
        if started.returncode != 0:
            raise RuntimeError("cannot start PostgreSQL: " + started.stdout + started.stderr)
        port, cls.cluster_dir = started.stdout.split()
        cls.pg_port = int(port)
        cls.psql("CREATE DATABASE sengen", db="postgres")
        cls.url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{cls.pg_port}/sengen"
        cls.nodes = []
        try:
            # All at once: each runs the migrations before listening.
            for name in cls.NODE_NAMES:
                port = free_port()
                log = open(os.path.join(cls.tmp.name, f"node-{name}.log"), "w+")
                proc = subprocess.Popen(
                    [BIN, "serve", "--listen", f"127.0.0.1:{port}", "--db", cls.url, "--auto-migrate", "true",
                     "--mail", "file:" + cls.mail_dir, "--threads", str(cls.THREADS), *cls.NODE_ARGS],
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
