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

    # --- the audit log (issue 12) ---------------------------------------------------------------

    def test_audit_rows_cannot_be_updated_or_deleted_even_from_the_sqlite3_shell(self):
        self.migrated()
        with connect(self.db) as c:
            c.execute("INSERT INTO audit_events (at, actor, action) VALUES (1, 'system', 'kept')")
            for sql in ("UPDATE audit_events SET action = 'changed'", "DELETE FROM audit_events"):
                with self.assertRaisesRegex(sqlite3.DatabaseError, "append-only"):
                    c.execute(sql)
        self.assertEqual(count(self.db, "SELECT group_concat(action) FROM audit_events"), "kept")

    def test_audit_export_writes_the_days_asked_for_in_japan_as_json_lines(self):
        import json

        self.migrated()
        day_start = 1774969200  # 2026-04-01T00:00:00+09:00
        rows = [
            (day_start - 1, "operator:cli", "before", "declaration:1", "", "{}"),
            (day_start, "account:2", "declaration.step_up", "declaration:10000000018", "192.0.2.7",
             '{"from_level":"1","to_level":"2"}'),
            (day_start + 86399, "operator:cli", "declaration.revoke", "declaration:10000000018", "",
             '{"reason":"\u865a\u5049"}'),
            (day_start + 86400, "system", "after", "", "", "{}"),
        ]
        with connect(self.db) as c:
            c.executemany("INSERT INTO audit_events (at, actor, action, subject, ip, details) VALUES (?, ?, ?, ?, ?, ?)",
                          rows)
        r = sengen("audit", "export", "--since", "2026-04-01", "--until", "2026-04-01", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2, r.stdout)
        events = [json.loads(line) for line in lines]
        self.assertEqual([list(e) for e in events], [["id", "at", "actor", "action", "subject", "ip", "details"]] * 2)
        self.assertEqual(events[0]["at"], "2026-03-31T15:00:00Z")
        self.assertEqual(events[0]["actor"], "account:2")
        self.assertEqual(events[0]["ip"], "192.0.2.7")
        self.assertEqual(events[0]["details"], {"from_level": "1", "to_level": "2"})
        self.assertEqual(events[1]["at"], "2026-04-01T14:59:59Z")
        self.assertEqual(events[1]["action"], "declaration.revoke")
        self.assertEqual(events[1]["details"], {"reason": "\u865a\u5049"})
        self.assertLess(events[0]["id"], events[1]["id"])

        everything = sengen("audit", "export", "--since", "2026-03-01", db=self.db)
        self.assertEqual(everything.returncode, 0, everything.stderr)
        self.assertEqual(len(everything.stdout.splitlines()), 4)

    def test_audit_export_refuses_a_date_that_is_not_a_date(self):
        self.migrated()
        r = sengen("audit", "export", "--since", "2026-02-30", db=self.db)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--since must be a date", r.stderr)
        self.assertEqual(r.stdout, "")

    # --- the operator's export (issue 12) ---------------------------------------------------------

    def seeded(self, n):
        r = sengen("seed", "--declarations", str(n), db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_export_csv_is_utf8_with_a_bom_one_row_per_declaration_and_safe_in_a_spreadsheet(self):
        import csv
        import io

        self.seeded(5)
        with connect(self.db) as c:
            c.execute("UPDATE declarations SET business_name = '=HYPERLINK(\"http://x\")' WHERE id = 1")
            c.execute("UPDATE declarations SET address = '東京都千代田区1-1, 2F' WHERE id = 2")
        out = self.path("all.csv")
        r = sengen("export", "--format", "csv", "--output", out, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("exported 5 declarations", r.stdout)
        raw = open(out, "rb").read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), raw[:10])
        self.assertIn(b"\r\n", raw)
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        self.assertEqual(len(rows), 5)
        self.assertEqual([r["application_no"] for r in rows], ["1", "2", "3", "4", "5"])
        self.assertEqual(rows[0]["business_name"], "'=HYPERLINK(\"http://x\")")
        self.assertEqual(rows[1]["address"], "東京都千代田区1-1, 2F")
        with connect(self.db) as c:
            ids = [row[0] for row in c.execute("SELECT public_id FROM declarations ORDER BY id")]
        self.assertEqual([r["declaration_id"] for r in rows], [str(i) for i in ids])
        for row in rows:
            self.assertRegex(row["declared_at"], r"^\d{4}-\d{2}-\d{2}$")
            self.assertIn(row["level"], ("1", "2"))
        self.assertFalse(os.path.exists(out + ".partial"))

    def test_export_xlsx_is_a_workbook_with_a_header_and_one_row_per_declaration(self):
        import re
        import zipfile

        self.seeded(3)
        out = self.path("all.xlsx")
        r = sengen("export", "--format", "xlsx", "--output", out, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with zipfile.ZipFile(out) as z:
            self.assertIsNone(z.testzip())
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        self.assertEqual(len(re.findall(r"<row ", sheet)), 4)
        self.assertIn("business_name", sheet)
        with connect(self.db) as c:
            name = c.execute("SELECT business_name FROM declarations WHERE id = 3").fetchone()[0]
        from xml.sax.saxutils import escape

        self.assertIn(escape(name), sheet)

    def test_export_refuses_an_unknown_format_and_writes_nothing(self):
        self.seeded(1)
        out = self.path("all.ods")
        r = sengen("export", "--format", "ods", "--output", out, db=self.db)
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
