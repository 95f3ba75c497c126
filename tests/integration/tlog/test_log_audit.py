"""`sengen log audit` on SQLite and PostgreSQL: every declaration's public record, as the database
holds it, against its latest log entry (issue 14, point 6). Declarations made through the API are
all in the log and match; a business name edited directly in the database is reported as a record
changed without an entry, a status edited directly as a state that differs from the log's, and
the command then exits 1. The log itself is untouched: only the registry's own rows were edited."""

import os
import sqlite3
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "verify"))

from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, binary, clean_environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
CLUSTER = ROOT / "tests" / "support" / "pg-cluster.sh"


class PgServer(SengenServer):
    """`sengen serve` on a PostgreSQL database instead of the temporary SQLite file."""

    def __init__(self, url: str, *args: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url

    def command(self) -> list[str]:
        cmd = super().command()
        cmd[cmd.index("--db") + 1] = self.url
        return cmd + ["--auto-migrate", "true"]


class AuditCase:
    """What both engines check; a subclass opens the server and says how to edit a row."""

    def audit(self) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), "log", "audit", "--db", self.db], capture_output=True, text=True,
                              env=clean_environment(), timeout=60)

    def test_records_edited_outside_sengen_are_found_and_nothing_else(self):
        declared = Registry(self.server).declare_many([application() for _ in range(4)])
        clean = self.audit()
        self.assertEqual(clean.returncode, 0, clean.stdout + clean.stderr)
        self.assertEqual(clean.stdout.splitlines()[-1],
                         "4 declarations checked: 4 match their latest log entry, 0 were issued before the log "
                         "began and have not changed since, 0 do not match")

        renamed, stopped = declared[1].public_id, declared[2].public_id
        self.edit(f"UPDATE declarations SET business_name = '書き換え株式会社' WHERE public_id = '{renamed}'")
        self.edit(f"UPDATE declarations SET status = 'stopped' WHERE public_id = '{stopped}'")
        found = self.audit()
        self.assertEqual(found.returncode, 1, found.stdout + found.stderr)
        lines = found.stdout.splitlines()
        self.assertIn(f"{renamed} record_changed: the public record differs from the one the log holds (entry ",
                      "\n".join(lines))
        self.assertTrue(any(line.startswith(f"{stopped} state_changed: the log says level 1 declared, the database "
                                            f"level 1 stopped") for line in lines), lines)
        self.assertEqual(lines[-1], "4 declarations checked: 2 match their latest log entry, 0 were issued before "
                                    "the log began and have not changed since, 2 do not match")
        self.assertEqual(len(lines), 3)


class OnSqlite(AuditCase, unittest.TestCase):
    def setUp(self):
        self.server = SengenServer("--mail-poll-ms", "50").start()
        self.addCleanup(self.server.close)
        self.db = f"sqlite:{self.server.db_path}"

    def edit(self, sql: str):
        with sqlite3.connect(self.server.db_path) as db:
            db.execute(sql)


class OnPostgres(AuditCase, unittest.TestCase):
    def setUp(self):
        started = subprocess.run([str(CLUSTER), "start", str(os.getpid())], capture_output=True, text=True)
        if started.returncode == 3 and os.environ.get("CI") != "true":
            self.skipTest("PostgreSQL is not installed")
        self.assertEqual(started.returncode, 0, started.stderr)
        port, cluster = started.stdout.split()
        self.addCleanup(subprocess.run, [str(CLUSTER), "stop", cluster], check=False)
        self.pg_port = port
        self.psql("CREATE DATABASE sengen", db="postgres")
        self.db = f"postgresql://postgres@127.0.0.1:{port}/sengen"
        self.server = PgServer(self.db, "--mail-poll-ms", "50").start()
        self.addCleanup(self.server.close)

    def psql(self, sql: str, db: str = "sengen"):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", self.pg_port, "-U",
                        "postgres", "-d", db, "-c", sql], check=True, capture_output=True, timeout=30)

    def edit(self, sql: str):
        self.psql(sql)


if __name__ == "__main__":
    unittest.main()
