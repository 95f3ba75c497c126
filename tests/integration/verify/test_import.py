"""`sengen import FILE.csv [--dry-run]` through the real binary (issue 12, point 9): a registry's
export is imported into another one, whose API then shows the same declarations with their
original dates and a history that says they were moved; a file with bad rows, a dry run and a
Shift_JIS file write nothing; an ID taken already is refused; IDs issued after an import never
repeat an imported one.
"""

import csv
import datetime
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

from pathlib import Path

from registry_flow import Registry, application, two_star
from sengen_server import SOURCE_DIR, SengenServer, catalogue, run_sengen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
from test_console import set_up as set_up_operator  # noqa: E402

JST = datetime.timezone(datetime.timedelta(hours=9))


def jst_noon(y: int, m: int, d: int) -> int:
    return int(datetime.datetime(y, m, d, 12, tzinfo=JST).timestamp())


def days(declaration: dict) -> dict:
    """The public record with each instant as its day in Japan."""
    out = dict(declaration)
    for key in ("declared_at", "level_since", "ended_at"):
        if out.get(key):
            t = datetime.datetime.fromisoformat(out[key].replace("Z", "+00:00"))
            out[key] = t.astimezone(JST).date().isoformat()
    return out


def count(db: str, table: str) -> int:
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rows_of(path: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: str, rows: list[dict], encoding: str = "utf-8-sig") -> None:
    out = io.StringIO(newline="")
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(out.getvalue())


class Import(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The registry moved away from: four declarations made through the real flow, one of them
        # declared two years ago at ★ and at ★★ since last year, one stopped, one revoked.
        cls.source = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.source.close)
        registry = Registry(cls.source)
        cls.old, cls.plain, cls.stopped, cls.revoked = registry.declare_many([
            two_star(business_name="移転商事"),
            application(business_name="移転工業", entity_type="sole_proprietor", corporate_number=""),
            application(business_name="移転運輸"),
            application(business_name="移転食品"),
        ])
        registry.set_dates(cls.old.public_id, jst_noon(2024, 4, 1), jst_noon(2025, 4, 1))
        cls.source.sql("UPDATE declarations SET created_at = ?, terms_agreed_at = ? WHERE public_id = ?",
                       (jst_noon(2024, 3, 30), jst_noon(2024, 3, 30), cls.old.public_id))
        registry.stop(cls.stopped.public_id)
        registry.revoke(cls.revoked.public_id, "宣言の内容が事実と異なるため")
        cls.today = datetime.datetime.now(JST).date().isoformat()
        cls.tmp = tempfile.TemporaryDirectory(prefix="sengen-import-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.export = os.path.join(cls.tmp.name, "export.csv")
        r = run_sengen("--db", f"sqlite:{cls.source.db_path}", "export", "--format", "csv", "--output", cls.export)
        assert r.returncode == 0, r.stderr
        cls.ids = [cls.old.public_id, cls.plain.public_id, cls.stopped.public_id, cls.revoked.public_id]

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp.name)
        # The registry moved to: its server starts once the import has run, on the same file.
        self.server = SengenServer("--mail-poll-ms", "50")
        self.addCleanup(self.server.close)
        self.db = str(self.server.db_path)

    def run_import(self, path: str, *flags: str):
        return run_sengen("--db", f"sqlite:{self.db}", "--log-level", "warn", "import", path, *flags, timeout=60)

    def target(self) -> SengenServer:
        return self.server.start()

    def test_an_export_imported_elsewhere_keeps_ids_dates_and_records_and_its_history_says_moved(self):
        r = self.run_import(self.export)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 4 declarations", r.stdout)
        target = self.target()
        for public_id in self.ids:
            before = json.loads(self.source.get(f"/api/v1/declarations/{public_id}").body)
            after = target.get(f"/api/v1/declarations/{public_id}")
            self.assertEqual(after.status, 200, after.text)
            after = json.loads(after.body)
            before.pop("issuer"), after.pop("issuer")
            # The export holds days in Japan, so instants come back as the midnight of their day.
            self.assertEqual(days(after), days(before))
        old = json.loads(target.get(f"/api/v1/declarations/{self.old.public_id}").body)
        self.assertEqual((old["declared_at"][:10], old["level_since"][:10], old["level"]),
                         ("2024-03-31", "2025-03-31", 2))  # midnight in Japan, in UTC
        revoked = json.loads(target.get(f"/api/v1/declarations/{self.revoked.public_id}").body)
        self.assertEqual(revoked["status"], "revoked")

        # The history: moved on the original date at ★, ★★ from level_since; a stop on its date.
        h = json.loads(target.get(f"/api/v1/declarations/{self.old.public_id}/history").body)
        self.assertEqual([(e["event"], e["date"], e["level"]) for e in h["events"]],
                         [("imported", "2024-04-01", 1), ("level_changed", "2025-04-01", 2)])
        h = json.loads(target.get(f"/api/v1/declarations/{self.stopped.public_id}/history").body)
        self.assertEqual([(e["event"], e["date"], e["status"]) for e in h["events"]][-1],
                         ("stopped", self.today, "stopped"))
        self.assertEqual(h["events"][0]["event"], "imported")
        page = target.get(f"/verify/{self.old.public_id}", {"Accept-Language": "ja"})
        self.assertEqual(page.status, 200)
        self.assertIn(catalogue("ja")["verify.history.event.imported"], page.text)

        # The audit log: one event for the whole file. Each row keeps its own past instead of an
        # event of its own (ADR 64): the level it had and that level's date, as imported.
        self.assertEqual([a for (a,) in target.sql("SELECT action FROM audit_events")], ["declarations.import"])
        kept = target.sql("SELECT public_id, imported_level, imported_level_since, imported_at IS NOT NULL "
                          "FROM declarations WHERE imported_level = level AND imported_level_since = level_since")
        self.assertEqual(sorted(k[0] for k in kept if k[3]), sorted(self.ids))
        self.assertEqual(next(k[1] for k in kept if k[0] == self.old.public_id), 2)

        # Bulk verification on a date reads the same past: not yet declared the day before, ★ on
        # the day it was declared, ★★ from a year later.
        key = run_sengen("--db", f"sqlite:{self.db}", "verifier-key", "create", "--name", "移転確認").stdout
        key = key.strip().splitlines()[-1]
        for day, level, status in (("2024-03-31", None, "not_declared"), ("2024-04-01", 1, "declared"),
                                   ("2025-03-31", 1, "declared"), ("2025-04-01", 2, "declared")):
            with self.subTest(day=day):
                reply = Registry(target).post_json("/api/v1/verifications",
                                                   {"ids": [self.old.public_id], "at": day},
                                                   headers={"Authorization": f"Bearer {key}"})
                self.assertEqual(reply.status, 200, reply.text)
                r = json.loads(reply.body)["results"][0]
                self.assertEqual((r["found"], r["level"], r["status"]), (True, level, status))

        # The console shows an operator the import's lines, as the audit log once held them: at the
        # original dates, by the import.
        browser, _, _ = set_up_operator(target, "ops@example.jp", "staff")
        page = browser.get(f"/console/declarations/{self.old.public_id}")
        self.assertEqual(page.status, 200)
        lines = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr><td>.*?</tr>", page.text)]
        imported = [x for x in lines if "|declaration.imported|" in x]
        stepped = [x for x in lines if "|declaration.step_up|" in x]
        self.assertEqual(len(imported), 1, lines)
        self.assertEqual(len(stepped), 1, lines)
        self.assertIn("|import", imported[0])
        self.assertIn("2024", imported[0])
        self.assertIn('{&quot;level&quot;:1,&quot;status&quot;:&quot;declared&quot;}', imported[0])
        self.assertIn("2025", stepped[0])
        self.assertIn("&quot;to_level&quot;:&quot;2&quot;", stepped[0])

        # The transparency log: one `imported` entry per declaration, at the level and status it
        # has now, and a record salt for each (issue 14, ADR 46).
        entries = [row[0] for row in target.sql("SELECT entry FROM tlog_entries ORDER BY idx")]
        self.assertEqual(len(entries), 4)
        self.assertEqual(sorted(e.splitlines()[2] for e in entries), sorted(f"id {i}" for i in self.ids))
        self.assertTrue(all(e.splitlines()[3] == "event imported" for e in entries), entries)
        self.assertIn("status revoked", next(e for e in entries if f"id {self.revoked.public_id}\n" in e))
        self.assertEqual(target.sql("SELECT count(*) FROM declarations WHERE length(record_salt) = 64"), [(4,)])

        # An export of the new registry holds the same records (its own application numbers aside).
        again = os.path.join(self.dir, "again.csv")
        r = run_sengen("--db", f"sqlite:{self.db}", "export", "--format", "csv", "--output", again)
        self.assertEqual(r.returncode, 0, r.stderr)
        strip = lambda rows: [{k: v for k, v in row.items() if k != "application_no"} for row in rows]  # noqa: E731
        self.assertEqual(strip(rows_of(again)), strip(rows_of(self.export)))

        # Signing in with the contact address shows the declaration: its account exists.
        email = self.plain.application["contact_email"].strip().lower()
        self.assertEqual(target.sql("SELECT count(*) FROM declarations d JOIN accounts a ON a.id = d.account_id "
                                    "WHERE a.email_key = ?", (email,)), [(1,)])

        # A declaration issued afterwards gets a serial above every imported one.
        fresh = Registry(target).declare(application(business_name="新規商店"))
        serial = int(fresh.public_id[1:10])
        self.assertGreater(serial, max(int(i[1:10]) for i in self.ids))

        # Importing the same file again is refused row by row: every ID is taken now.
        r = self.run_import(self.export)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(re.findall(r"declaration_id: .*\[id_taken\]", r.stderr)), 4, r.stderr)

    def test_a_file_with_bad_rows_writes_nothing_and_names_each_line(self):
        rows = rows_of(self.export)
        rows[1]["contact_email"] = "not an address"  # line 3
        rows[3]["corporate_number"] = rows[3]["corporate_number"][:-1] + str((int(rows[3]["corporate_number"][-1]) + 1) % 10)
        rows[3]["declared_at"] = "2024-02-30"  # line 5: two problems
        rows.append(dict(rows[0]))  # line 6 repeats line 2
        bad = os.path.join(self.dir, "bad.csv")
        write_rows(bad, rows)
        r = self.run_import(bad)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{bad}:3: contact_email: ", r.stderr)
        self.assertIn("[invalid_email]", r.stderr)
        self.assertIn(f"{bad}:5: corporate_number: ", r.stderr)
        self.assertIn(f"{bad}:5: declared_at: ", r.stderr)
        self.assertRegex(r.stderr, re.escape(f"{bad}:6: declaration_id: ") + r".*\(line 2\) \[duplicate_in_file\]")
        self.assertIn("refused", r.stdout)
        self.assertIn("nothing was written", r.stdout)
        self.assertEqual(count(self.db, "declarations"), 0)
        self.assertEqual(count(self.db, "audit_events"), 0)
        self.assertEqual(count(self.db, "tlog_entries"), 0)

    def test_a_row_of_empty_cells_is_refused_and_an_open_quote_is_named_at_the_line_it_opens(self):
        with open(self.export, encoding="utf-8-sig", newline="") as f:
            lines = f.read().split("\r\n")
        # Line 3 becomes a row of empty cells (a spreadsheet's formatted row): a row, and a bad one.
        lines[2] = "," * (lines[0].count(","))
        empty = os.path.join(self.dir, "empty.csv")
        with open(empty, "w", encoding="utf-8", newline="") as f:
            f.write("\r\n".join(lines))
        r = self.run_import(empty)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{empty}:3: ", r.stderr)
        # A quote opened on line 5, in the second cell of the row that starts on line 4 after a cell
        # holding a line break, never closes: the line it opens on is named, nothing is written.
        lines = lines[:3] + ['"two\nlines","never closed', "rest"]
        quoted = os.path.join(self.dir, "quoted.csv")
        with open(quoted, "w", encoding="utf-8", newline="") as f:
            f.write("\r\n".join(lines))
        r = self.run_import(quoted)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stderr, re.escape(f"{quoted}:5: ") + r".*\[unterminated_quote\]")
        self.assertEqual(count(self.db, "declarations"), 0)

    def test_a_dry_run_checks_everything_and_writes_nothing(self):
        r = self.run_import(self.export, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("dry run: 4 declarations would be imported", r.stdout)
        self.assertEqual(count(self.db, "declarations"), 0)
        self.assertEqual(count(self.db, "audit_events"), 0)
        self.assertEqual(count(self.db, "accounts"), 0)

    def test_a_file_whose_lines_end_in_a_lone_cr_is_read_row_by_row(self):
        # Line ends of a bare CR (old Mac tools, some spreadsheets): every row is read and checked,
        # none passed over, so a bad row still refuses the file and good ones are all imported.
        with open(self.export, "rb") as f:
            text = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r")
        rows = text.split(b"\r")
        bad = os.path.join(self.dir, "cr-bad.csv")
        with open(bad, "wb") as f:
            f.write(b"\r".join(rows[:2] + [b"not,a,row"] + rows[2:]))
        r = self.run_import(bad)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{bad}:3: ", r.stderr)
        self.assertIn("[cell_count]", r.stderr)
        self.assertEqual(count(self.db, "declarations"), 0)
        good = os.path.join(self.dir, "cr.csv")
        with open(good, "wb") as f:
            f.write(text)
        r = self.run_import(good)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 4 declarations", r.stdout)
        self.assertEqual(count(self.db, "declarations"), 4)

    def large_file(self, name: str, rows: int, leading_digit: int = 1) -> str:
        """A valid file of `rows` rows (bench/import_csv.py), several of the import's chunks of a
        mebibyte long: the chunks are checked on worker threads and written as they come."""
        path = os.path.join(self.dir, name)
        r = subprocess.run([sys.executable, str(SOURCE_DIR / "bench" / "import_csv.py"), str(rows), path,
                            str(leading_digit)], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(os.path.getsize(path), 2 << 20)
        return path

    def written(self) -> dict:
        return {t: count(self.db, t) for t in
                ("declarations", "accounts", "declaration_serials", "audit_events", "tlog_entries")}

    def test_a_large_file_is_written_whole_in_file_order_and_a_late_bad_row_writes_nothing(self):
        path = self.large_file("large.csv", 9000)
        rows = rows_of(path)
        # A bad e-mail address on the last line but one: the chunks before it were already being
        # written when it was read, and all of that rolls back.
        rows[-2]["contact_email"] = "not an address"
        bad = os.path.join(self.dir, "large-bad.csv")
        write_rows(bad, rows)
        r = self.run_import(bad)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{bad}:{len(rows)}: contact_email: ", r.stderr)
        self.assertEqual(r.stderr.count("[invalid_email]"), 1, r.stderr)
        self.assertEqual(set(self.written().values()), {0})
        # The same file, good: every row, with its account, serial, history and log entry.
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 9000 declarations", r.stdout)
        self.assertEqual(self.written(), {"declarations": 9000, "accounts": 9000, "declaration_serials": 9000,
                                          "audit_events": 1, "tlog_entries": 9000})
        self.assertEqual(count(self.db, "declarations WHERE imported_at IS NOT NULL AND imported_level = level"), 9000)
        with sqlite3.connect(self.db) as c:
            # Rows and log entries in the file's order, each entry naming its own declaration.
            ids = [i for (i,) in c.execute("SELECT public_id FROM declarations ORDER BY id")]
            self.assertEqual(ids, [x["declaration_id"] for x in rows])
            logged = c.execute("SELECT count(*) FROM tlog_entries t JOIN declarations d ON d.id = t.declaration_id "
                               "WHERE t.entry LIKE '%' || char(10) || 'id ' || d.public_id || char(10) || '%'"
                               ).fetchone()[0]
            self.assertEqual(logged, 9000)
            self.assertEqual(c.execute("SELECT count(DISTINCT idx) FROM tlog_entries").fetchone()[0], 9000)
            self.assertEqual(c.execute("SELECT min(idx), max(idx) FROM tlog_entries").fetchone(), (0, 8999))

    def test_collisions_found_while_writing_are_named_by_line_and_nothing_is_written(self):
        first = self.large_file("first.csv", 9000)
        r = self.run_import(first)
        self.assertEqual(r.returncode, 0, r.stderr)
        before = self.written()
        # Another registry's file of new IDs, whose last rows collide with what is stored now: an
        # ID taken (line 8999) and, on the last line, a corporate number with a live declaration.
        second = self.large_file("second.csv", 9000, leading_digit=2)
        rows = rows_of(second)
        stored = rows_of(first)
        live = next(x for x in stored if x["status"] == "declared" and x["corporate_number"])
        for x in rows:  # the generator numbers corporations alike in both files
            x["entity_type"], x["corporate_number"] = "sole_proprietor", ""
        rows[-2]["declaration_id"] = stored[10]["declaration_id"]
        rows[-1].update(entity_type="corporation", corporate_number=live["corporate_number"], status="declared",
                        ended_at="")
        clash = os.path.join(self.dir, "clash.csv")
        write_rows(clash, rows)
        r = self.run_import(clash)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stderr, re.escape(f"{clash}:{len(rows)}: declaration_id: ") + r".*\[id_taken\]")
        self.assertRegex(r.stderr, re.escape(f"{clash}:{len(rows) + 1}: corporate_number: ")
                         + r".*\[corporate_number_taken\]")
        self.assertEqual(self.written(), before)

    def test_a_shift_jis_file_is_refused_with_a_clear_message(self):
        sjis = os.path.join(self.dir, "sjis.csv")
        write_rows(sjis, rows_of(self.export), encoding="cp932")
        r = self.run_import(sjis)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not UTF-8", r.stderr)
        self.assertIn("Shift_JIS", r.stderr)
        self.assertEqual(count(self.db, "declarations"), 0)

    def test_usage_errors_exit_2(self):
        r = self.run_import(os.path.join(self.dir, "missing.csv"))
        self.assertEqual(r.returncode, 2)
        r = run_sengen("--db", f"sqlite:{self.db}", "import")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
