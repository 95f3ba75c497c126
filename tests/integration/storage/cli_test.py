#!/usr/bin/python3
"""The storage subcommands of the real binary on real SQLite files: migrate, backup, restore.

Run by CTest with SENGEN_BIN set to the sengen executable.
"""
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

BIN = os.environ["SENGEN_BIN"]
MIGRATIONS = sorted(
    os.listdir(os.path.join(os.path.dirname(__file__), "..", "..", "..", "src", "storage", "migrations", "sqlite"))
)

# Writes pairs of audit rows, one pair per transaction, until told to stop: a backup taken at
# any moment must hold an even number of them.
WRITER = r"""
import sqlite3, sys, os
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
n = 0
while not os.path.exists(sys.argv[2]):
    db.execute("BEGIN IMMEDIATE")
    for side in ("a", "b"):
        db.execute("INSERT INTO audit_events (at, actor, action, subject) VALUES (?, 'system', 'pair', ?)",
                   (n, side))
    db.execute("COMMIT")
    n += 1
print(n)
"""


def sengen(*args, db):
    return subprocess.run([BIN, *args, "--db", "sqlite:" + db], capture_output=True, text=True, timeout=60)


def connect(db):
    """A connection closed on leaving the block (sqlite3's own context manager only commits)."""
    return contextlib.closing(sqlite3.connect(db, isolation_level=None))


def count(db, sql="SELECT count(*) FROM audit_events"):
    with connect(db) as c:
        return c.execute(sql).fetchone()[0]


class StorageCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sengen-cli-")
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "var", "sengen.db")

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def migrated(self):
        r = sengen("migrate", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_migrate_applies_every_file_once_and_then_reports_up_to_date(self):
        first = self.migrated()
        for name in MIGRATIONS:
            self.assertIn("applied migration " + name, first.stderr)
        second = self.migrated()
        self.assertNotIn("applied migration", second.stderr)
        self.assertIn("database is up to date", second.stderr)
        self.assertEqual(count(self.db, "SELECT count(*) FROM schema_migrations"), len(MIGRATIONS))

    def test_a_failing_migration_exits_non_zero_naming_its_file_and_leaves_nothing(self):
        os.makedirs(os.path.dirname(self.db))
        with connect(self.db) as c:
            c.execute("CREATE TABLE sessions (something_else TEXT)")  # 0001 cannot create it
        r = sengen("migrate", db=self.db)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("0001_sessions.sql", r.stderr)
        self.assertEqual(count(self.db, "SELECT count(*) FROM schema_migrations"), 0)
        self.assertEqual(
            count(self.db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sessions_expires_at'"), 0)

    def test_backup_while_another_process_writes_is_consistent_and_checked(self):
        self.migrated()
        stop = self.path("stop")
        writer = subprocess.Popen([sys.executable, "-c", WRITER, self.db, stop], stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while count(self.db) < 200:
                self.assertLess(time.monotonic(), deadline, "the writer wrote nothing")
                time.sleep(0.05)
            sizes = []
            for i in range(3):
                target = self.path(f"backup{i}.db")
                r = sengen("backup", "--to", target, db=self.db)
                self.assertEqual(r.returncode, 0, r.stderr)
                with connect(target) as c:
                    self.assertEqual(c.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                rows = count(target)
                self.assertEqual(rows % 2, 0, "a backup holds half a transaction")
                sizes.append(rows)
            self.assertGreater(sizes[0], 0)
            self.assertFalse(os.path.exists(self.path("backup0.db.partial")))
        finally:
            open(stop, "w").close()
            writer.wait(timeout=30)
        self.assertEqual(writer.returncode, 0)

    def test_backup_of_a_missing_database_fails(self):
        r = sengen("backup", "--to", self.path("b.db"), db=self.path("nothing-here.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("no database", r.stderr)
        self.assertFalse(os.path.exists(self.path("nothing-here.db")))

    def test_backup_and_restore_on_postgresql_point_to_pg_dump_and_pg_restore(self):
        url = "postgresql://sengen:hunter2-secret@127.0.0.1:1/sengen"
        b = subprocess.run([BIN, "backup", "--to", self.path("x"), "--db", url], capture_output=True, text=True)
        self.assertEqual(b.returncode, 2)
        self.assertIn("pg_dump", b.stderr)
        r = subprocess.run([BIN, "restore", "--from", self.path("x"), "--db", url], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("pg_restore", r.stderr)
        self.assertNotIn("hunter2-secret", b.stderr + b.stdout + r.stderr + r.stdout)

    def test_restore_refuses_a_file_that_is_not_sqlite_and_keeps_the_database(self):
        self.migrated()
        junk = self.path("junk.db")
        with open(junk, "wb") as f:
            f.write(os.urandom(8192))
        r = sengen("restore", "--from", junk, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refusing to restore", r.stderr)
        self.assertIn("not a readable SQLite database", r.stderr)
        self.assertEqual(count(self.db, "SELECT count(*) FROM schema_migrations"), len(MIGRATIONS))

    def test_restore_refuses_a_corrupt_backup(self):
        self.migrated()
        with connect(self.db) as c:
            c.executemany("INSERT INTO audit_events (at, actor, action, details) VALUES (?, 'system', 'x', ?)",
                          [(i, "x" * 400) for i in range(300)])
        backup = self.path("backup.db")
        self.assertEqual(sengen("backup", "--to", backup, db=self.db).returncode, 0)
        size = os.path.getsize(backup)
        with open(backup, "r+b") as f:
            f.seek(size // 2)
            f.write(b"\xa5" * 4096)
        r = sengen("restore", "--from", backup, db=self.db)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("refusing to restore", r.stderr)
        self.assertEqual(count(self.db), 300)

    def test_restore_replaces_the_database_with_the_backup(self):
        self.migrated()
        with connect(self.db) as c:
            c.execute("INSERT INTO audit_events (at, actor, action) VALUES (1, 'system', 'before')")
        backup = self.path("backup.db")
        self.assertEqual(sengen("backup", "--to", backup, db=self.db).returncode, 0)
        with connect(self.db) as c:
            c.execute("INSERT INTO audit_events (at, actor, action) VALUES (2, 'system', 'after')")
        with open(self.db + "-wal", "wb") as f:
            f.write(b"left behind by a crashed server")
        r = sengen("restore", "--from", backup, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        for suffix in ("-wal", "-shm", ".restoring"):
            self.assertFalse(os.path.exists(self.db + suffix), suffix)
        self.assertEqual(count(self.db, "SELECT group_concat(action) FROM audit_events"), "before")
        again = self.migrated()
        self.assertIn("database is up to date", again.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
