"""The verifiers' bulk verification page (issue 12, point 7): an account made in the browser with a
key from `sengen verifier-key create`, sign-in and sign-out with its own cookie, bad passwords
slowed and recorded, a CSV upload in Shift_JIS or UTF-8 (multipart, CSRF inside it), the result
page's counts and problem rows with their line numbers, the CSV download in the upload's encoding
and the .xlsx (read with zipfile), the key's limit and record shared with the API, a revoked
key stopping its accounts, and an account disabled by `sengen verifier-account disable`: signed out
at once and refused as a wrong password is. Every sign-in here takes the password and then a code
from an authenticator app (ADR 0056), computed as tests/support/totp_code.py does."""

import csv
import io
import re
import sqlite3
import time
import unittest
import uuid
import xml.etree.ElementTree as ET
import zipfile

from browser_client import BrowserClient
from corporate_number import corporate_number
from registry_flow import Registry, application, declaration_id, mistyped, two_star
from sengen_server import LOOPBACK, SengenServer, catalogue, html_escape, run_sengen
from totp_code import secret_on, totp

PASSWORD = "a long and unusual phrase 42"


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's cells as text, row by row (shared strings and numbers)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            ref = re.match(r"([A-Z]+)", c.get("r")).group(1)
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            v = c.find("m:v", ns)
            is_ = c.find("m:is", ns)
            if c.get("t") == "s":
                text = shared[int(v.text)]
            elif is_ is not None:
                text = "".join(t.text or "" for t in is_.iter(f"{{{ns['m']}}}t"))
            else:
                text = v.text if v is not None else ""
                if text.endswith(".0"):
                    text = text[:-2]
            # OOXML writes a control character as _xHHHH_ (ECMA-376 Part 1, §22.9.2.19).
            cells[col - 1] = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


class Verifier(BrowserClient):
    def __init__(self, server, lang="ja", source=LOOPBACK):
        super().__init__(server, lang, source)

    def csrf(self, path):
        match = re.search(r'name="csrf" value="([^"]+)"', self.get(path).text)
        return match.group(1) if match else ""

    def post_form(self, path, fields, form_page=None):
        return self.post(path, {"csrf": self.csrf(form_page or path), **fields})

    def upload(self, data: bytes, filename="ids.csv", csrf=None):
        boundary = "----sengen" + uuid.uuid4().hex
        token = self.csrf("/verifier") if csrf is None else csrf
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", "/verifier/upload", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)

    def request(self, method, path, fields=None, headers=None, body=None):
        if body is None:
            return super().request(method, path, fields, headers)
        # A raw body (the multipart upload): sent as it is, cookies as the browser keeps them.
        import http.client
        from sengen_server import send
        h = {"Accept-Language": self.lang, **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=60, source_address=(self.source, 0))
        try:
            return send(conn, method, path, h, body)
        finally:
            conn.close()


class VerifierPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)
        cls.one, cls.two = cls.registry.declare_many([
            application(business_name="頁確認商店", business_name_kana="ページカクニンショウテン"),
            two_star(business_name="頁確認工業", business_name_kana="ページカクニンコウギョウ"),
        ])
        cls.key = cls.new_key("一括確認窓口")
        cls.secrets = {}  # each account's second factor, by address

    @classmethod
    def cli(cls, *args):
        result = run_sengen("--db", f"sqlite:{cls.server.db_path}", *args)
        if result.returncode != 0:
            raise AssertionError(f"sengen {args} exited {result.returncode}: {result.stderr}")
        return result.stdout

    @classmethod
    def new_key(cls, name, *extra):
        return cls.cli("verifier-key", "create", "--name", name, *extra).strip().splitlines()[-1]

    def register(self, email, key=None, lang="ja"):
        # Each account from an address of its own: making accounts is limited per address.
        v = Verifier(self.server, lang, self.registry.fresh_address())
        reply = v.post_form("/verifier/register", {"key": key or self.key, "email": email, "password": PASSWORD,
                                                   "password_again": PASSWORD})
        self.assertEqual(reply.status, 200, reply.text)
        # The account is made by following the link mailed to the address (ADR 49).
        link = re.search(r"/verifier/register/link#([A-Za-z0-9_-]{43})",
                         self.registry.body(self.registry.wait_for_mail(email)[-1]))
        self.assertIsNotNone(link, "no registration link mailed to " + email)
        reply = v.post_form("/verifier/register/link", {"token": link.group(1)})
        self.assertEqual(reply.status, 303, reply.text)
        self.assertEqual(reply.header("Location"), "/verifier/totp")
        # The account is usable once a code from the set-up page confirms its second factor.
        secret = secret_on(v.get("/verifier/totp").text)
        reply = v.post_form("/verifier/totp", {"code": totp(secret)})
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier"), reply.text)
        self.secrets[email] = secret
        return v

    def sign_in(self, email, source=None, password=PASSWORD):
        """A new browser through both steps: the password, then the next step's code (the one of
        the set-up was used)."""
        v = Verifier(self.server, source=source or self.registry.fresh_address())
        reply = v.post_form("/verifier/signin", {"email": email, "password": password})
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier/signin/code"), reply.text)
        reply = v.post_form("/verifier/signin/code", {"code": totp(self.secrets[email], time.time() + 30)})
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier"), reply.text)
        return v, reply

    def db(self):
        return sqlite3.connect(self.server.db_path)

    # --- accounts -----------------------------------------------------------------------------

    def test_pages_need_a_verifier_session_and_not_a_declarants_or_operators(self):
        v = Verifier(self.server)
        for path in ("/verifier", "/verifier/results/" + "a" * 43, "/verifier/results/" + "a" * 43 + "/results.csv"):
            reply = v.get(path)
            self.assertEqual(reply.status, 303, path)
            self.assertEqual(reply.header("Location"), "/verifier/signin")
        v.cookies["sengen_op"] = "a" * 43
        v.cookies["sengen_session"] = "a" * 43
        self.assertEqual(v.get("/verifier").status, 303)

    def test_an_account_needs_a_valid_unrevoked_key_and_a_good_password(self):
        v = Verifier(self.server)
        reply = v.post_form("/verifier/register", {"key": "sv_" + "x" * 43, "email": "k1@example.jp",
                                                   "password": PASSWORD, "password_again": PASSWORD})
        self.assertEqual(reply.status, 422)
        self.assertIn(html_escape(self.ja["verifier.field_error.key_key_unknown"]), reply.text)
        revoked = self.new_key("無効にする窓口")
        self.cli("verifier-key", "revoke", "無効にする窓口")
        reply = v.post_form("/verifier/register", {"key": revoked, "email": "k1@example.jp", "password": PASSWORD,
                                                   "password_again": PASSWORD})
        self.assertEqual(reply.status, 422)
        self.assertIn(html_escape(self.ja["verifier.field_error.key_key_revoked"]), reply.text)
        reply = v.post_form("/verifier/register", {"key": self.key, "email": "k1@example.jp", "password": "password",
                                                   "password_again": "password"})
        self.assertEqual(reply.status, 422)
        self.assertIn(html_escape(self.ja["console.password.too_short"]), reply.text)
        self.assertIn('value="k1@example.jp"', reply.text)
        with self.db() as c:
            self.assertEqual(c.execute("SELECT COUNT(*) FROM verifier_accounts WHERE email = 'k1@example.jp'")
                             .fetchone()[0], 0)
        self.register("k1@example.jp")
        # Asked again for an address with an account: the same answer as for a new one, and the
        # address is told by mail (tests/integration/web/test_verifier_registration.py).
        reply = v.post_form("/verifier/register", {"key": self.key, "email": "K1@example.jp", "password": PASSWORD,
                                                   "password_again": PASSWORD})
        self.assertEqual(reply.status, 200)
        self.assertEqual(len(self.registry.wait_for_mail("k1@example.jp", 2)), 2)
        with self.db() as c:
            row = c.execute("SELECT password_hash, key_id FROM verifier_accounts WHERE email = 'k1@example.jp'").fetchone()
            self.assertTrue(row[0].startswith("$argon2id$"))
            key_id = c.execute("SELECT id FROM verifier_keys WHERE name = '一括確認窓口'").fetchone()[0]
            self.assertEqual(row[1], key_id)
            self.assertEqual(c.execute("SELECT COUNT(*) FROM audit_events WHERE action = 'verifier.account_created'")
                             .fetchone()[0] >= 1, True)

    def test_sign_in_and_out_with_the_verifiers_own_cookie(self):
        self.register("s1@example.jp")
        v, reply = self.sign_in("s1@example.jp", source=LOOPBACK)
        cookie = next(h for h in reply.all("Set-Cookie") if h.startswith("sengen_vf="))
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        page = v.get("/verifier")
        self.assertEqual(page.status, 200)
        self.assertIn("s1@example.jp", page.text)
        self.assertIn('enctype="multipart/form-data"', page.text)
        self.assertEqual(v.post_form("/verifier/signout", {}, "/verifier").status, 303)
        self.assertEqual(v.get("/verifier").status, 303)

    def test_bad_passwords_are_refused_alike_slowed_and_recorded(self):
        self.register("b1@example.jp")
        v = Verifier(self.server, source="127.0.0.31")
        wrong = v.post_form("/verifier/signin", {"email": "b1@example.jp", "password": "wrong password 123"})
        unknown = v.post_form("/verifier/signin", {"email": "nobody@example.jp", "password": PASSWORD})
        self.assertEqual(wrong.status, 403)
        self.assertEqual(unknown.status, 403)
        self.assertIn(html_escape(self.ja["console.signin.failed"]), wrong.text)
        statuses = [v.post_form("/verifier/signin", {"email": "b1@example.jp", "password": "wrong password 123"}).status
                    for _ in range(5)]
        # Five attempts a quarter of an hour per account: the sixth is refused.
        self.assertEqual(statuses, [403, 403, 403, 403, 429])
        # Even the right password waits out the window.
        self.assertEqual(v.post_form("/verifier/signin", {"email": "b1@example.jp", "password": PASSWORD}).status, 429)
        with self.db() as c:
            actions = [r[0] for r in c.execute(
                "SELECT action FROM audit_events WHERE action LIKE 'verifier.signin%' AND ip = '127.0.0.31'")]
        self.assertIn("verifier.signin_failed", actions)
        self.assertIn("verifier.signin_refused", actions)
        self.assertNotIn(PASSWORD, str(actions))

    def test_posts_without_the_csrf_token_are_refused(self):
        v = self.register("c1@example.jp")
        self.assertEqual(v.upload(b"10000000016\r\n", csrf="wrong").status, 403)
        self.assertEqual(v.post("/verifier/signin", {"email": "c1@example.jp", "password": PASSWORD}).status, 403)

    # --- uploads ------------------------------------------------------------------------------

    def rows_for(self):
        one, two = self.one, self.two
        other = corporate_number(f"{987654:012d}")
        return [
            ["自己宣言ID", "法人番号", "申請日", "備考"],
            [one.public_id, one.application["corporate_number"], "", "良い行"],
            [two.public_id.translate(str.maketrans("0123456789", "０１２３４５６７８９")), "", "", "全角"],
            [declaration_id(99999), "", "", "未登録"],
            [mistyped(one.public_id), "", "", "入力誤り"],
            [two.public_id, other, "", "別の法人番号"],
            [one.public_id, "", "2000/1/1", "宣言前の日付"],
            [one.public_id, "", "2026/02/30", "ありえない日付"],
        ]

    def test_a_shift_jis_upload_gets_counts_problem_rows_and_both_files_back(self):
        v = self.register("u1@example.jp")
        text = "\r\n".join(",".join(r) for r in self.rows_for()) + "\r\n\"壊れた行,1\r\n"
        reply = v.upload(text.encode("cp932"))
        self.assertEqual(reply.status, 303, reply.text)
        location = reply.header("Location")
        self.assertRegex(location, r"^/verifier/results/[A-Za-z0-9_-]+$")
        page = v.get(location)
        self.assertEqual(page.status, 200)
        counts = {k: int(n) for k, n in re.findall(r'id="count-([a-z_]+)">(\d+)<', page.text)}
        self.assertEqual(counts, {"found": 2, "not_found": 2, "mistyped": 1, "mismatch": 1, "bad_row": 2})
        self.assertIn("Shift_JIS", page.text)
        problems = re.findall(r'<tr><td class="num">(\d+)</td>', page.text)
        self.assertEqual(problems, ["4", "5", "6", "7", "8", "9"])
        self.assertIn(html_escape(self.ja["verifier.reason.row_date"]), page.text)
        self.assertIn(html_escape(self.ja["verifier.reason.row_unterminated_quote"]), page.text)

        csv_reply = v.get(location + "/results.csv")
        self.assertEqual(csv_reply.status, 200)
        self.assertIn("Shift_JIS", csv_reply.header("Content-Type"))
        self.assertIn("attachment", csv_reply.header("Content-Disposition"))
        self.assertFalse(csv_reply.body.startswith(b"\xef\xbb\xbf"))
        text = csv_reply.body.decode("cp932")
        self.assertTrue(text.endswith("\r\n"))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(len(rows), 1 + 8)  # the header and one row per input row, in order
        ja = self.ja
        self.assertEqual(rows[0][:6], ["自己宣言ID", "法人番号", "申請日", "備考", "行", "確認結果"])
        self.assertEqual(rows[1][:8], [self.one.public_id, self.one.application["corporate_number"], "", "良い行", "2",
                                       ja["verifier.outcome.found"], "1", ja["status.declared"]])
        self.assertEqual(rows[1][8], "頁確認商店")
        self.assertRegex(rows[1][9], r"^\d{4}-\d{2}-\d{2}$")
        self.assertEqual(rows[1][-2], ja["verifier.match.yes"])
        self.assertEqual(rows[2][4:8], ["3", ja["verifier.outcome.found"], "2", ja["status.declared"]])
        self.assertEqual(rows[2][8], "頁確認工業")
        self.assertEqual(rows[3][4:6], ["4", ja["verifier.outcome.not_found"]])
        self.assertEqual(rows[4][4:6], ["5", ja["verifier.outcome.mistyped"]])
        self.assertEqual(rows[4][-1], ja["verifier.reason.id_check_digit"])
        self.assertEqual(rows[5][4:6], ["6", ja["verifier.outcome.mismatch"]])
        self.assertEqual(rows[5][-2], ja["verifier.match.no"])
        self.assertEqual(rows[6][4:6], ["7", ja["verifier.outcome.not_found"]])
        self.assertEqual(rows[6][-1], ja["verifier.reason.verification_not_declared_on_date"])
        self.assertEqual(rows[7][4:6], ["8", ja["verifier.outcome.bad_row"]])
        self.assertEqual(rows[7][-1], ja["verifier.reason.row_date"])
        self.assertEqual(rows[8][0], "壊れた行,1\r\n")
        self.assertEqual(rows[8][-9:-7], ["9", ja["verifier.outcome.bad_row"]])
        self.assertEqual(rows[8][-1], ja["verifier.reason.row_unterminated_quote"])

        xlsx = v.get(location + "/results.xlsx")
        self.assertEqual(xlsx.status, 200)
        self.assertEqual(xlsx.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = xlsx_rows(xlsx.body)
        self.assertEqual(len(sheet), 9)
        self.assertEqual(sheet[0][:6], ["自己宣言ID", "法人番号", "申請日", "備考", "行", "確認結果"])
        self.assertEqual(sheet[1][:8], [self.one.public_id, self.one.application["corporate_number"], "", "良い行", "2",
                                        ja["verifier.outcome.found"], "1", ja["status.declared"]])
        self.assertEqual(sheet[5][5], ja["verifier.outcome.mismatch"])
        self.assertEqual(sheet[8][0], "壊れた行,1\r\n")
        self.assertEqual(sheet[8][5], ja["verifier.outcome.bad_row"])

        # The upload counted against the key and was recorded as its call.
        with self.db() as c:
            n, ids = c.execute("SELECT id_count, ids FROM verification_calls ORDER BY id DESC LIMIT 1").fetchone()
        self.assertEqual(n, 6)
        self.assertIn(self.one.public_id, ids)

    def test_a_utf8_upload_comes_back_as_utf8_with_a_bom_in_english(self):
        v = self.register("u2@example.jp", lang="en")
        reply = v.upload(("\ufeff" + self.one.public_id + "\n" + "abc\n").encode("utf-8"))
        self.assertEqual(reply.status, 303, reply.text)
        csv_reply = v.get(reply.header("Location") + "/results.csv")
        self.assertIn("utf-8", csv_reply.header("Content-Type"))
        self.assertTrue(csv_reply.body.startswith(b"\xef\xbb\xbf"))
        lines = csv_reply.body[3:].decode("utf-8").split("\r\n")
        # The three columns an upload is read by are always there, empty when the file lacked them.
        self.assertTrue(lines[0].startswith("Declaration ID,Corporate number,Date,Line,Result"))
        self.assertTrue(lines[1].startswith(f"{self.one.public_id},,,1,Found,1,"))
        self.assertTrue(lines[2].startswith("abc,,,2,Unreadable row"))

    def test_files_that_cannot_be_read_get_a_clear_message(self):
        v = self.register("u3@example.jp")
        for data, message in [(b"", "verifier.file.empty"), (b"\x00\x01\x02", "verifier.file.encoding"),
                              (b"1\n" * 10001, "verifier.file.too_many_rows"),
                              (b"1" + b"," * 5000 + b"\n" + b"1\n" * 10000, "verifier.file.too_many_columns")]:
            reply = v.upload(data)
            self.assertEqual(reply.status, 422, message)
            self.assertIn(html_escape(self.ja[message]), reply.text)

    def test_a_cell_longer_than_excel_holds_still_gives_both_files(self):
        # A file may carry anything in its extra columns; Excel holds 32,767 characters a cell.
        v = self.register("u4@example.jp")
        long_cell = "長" * 40000
        reply = v.upload(f"{self.one.public_id},,,{long_cell}\n".encode("utf-8"))
        self.assertEqual(reply.status, 303, reply.text)
        csv_reply = v.get(reply.header("Location") + "/results.csv")
        self.assertEqual(csv_reply.status, 200)
        self.assertIn(long_cell, csv_reply.body.decode("utf-8"))  # the CSV keeps it whole
        xlsx = v.get(reply.header("Location") + "/results.xlsx")
        self.assertEqual(xlsx.status, 200)
        rows = xlsx_rows(xlsx.body)
        self.assertEqual(rows[1][0], self.one.public_id)
        self.assertEqual(rows[1][3], "長" * 32767)

    def test_cells_that_a_spreadsheet_would_run_as_formulas_come_back_as_text(self):
        v = self.register("u-formula@example.jp")
        cells = ["=1+1", "+81 3 0000 0000", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "＝１＋１"]
        text = "".join(f'{self.one.public_id},,,"{c}"\r\n' for c in cells) + '"=HYPERLINK(""x"")",,,\r\n'
        reply = v.upload(text.encode("utf-8"))
        self.assertEqual(reply.status, 303, reply.text)
        body = v.get(reply.header("Location") + "/results.csv").body[3:].decode("utf-8")
        rows = list(csv.reader(io.StringIO(body, newline="")))
        # Each text cell that starts like a formula has a single quote in front, whichever column.
        self.assertEqual([r[3] for r in rows[1:8]], ["'" + c for c in cells])
        self.assertEqual(rows[8][0], "'=HYPERLINK(\"x\")")
        # Numbers sengen writes itself (the line, the level) stay numbers.
        self.assertEqual((rows[1][4], rows[1][6]), ("1", "1"))
        # The spreadsheet file holds them as text cells, not formulas.
        xlsx = v.get(reply.header("Location") + "/results.xlsx")
        self.assertEqual(xlsx.status, 200)
        self.assertNotIn(b"<f>", zipfile.ZipFile(io.BytesIO(xlsx.body)).read("xl/worksheets/sheet1.xml"))
        self.assertEqual(xlsx_rows(xlsx.body)[1][3], "=1+1")

    def test_results_are_the_uploaders_only(self):
        v = self.register("o1@example.jp")
        location = v.upload(f"{self.one.public_id}\n".encode()).header("Location")
        other = self.register("o2@example.jp")
        self.assertEqual(other.get(location).status, 404)
        self.assertEqual(other.get(location + "/results.xlsx").status, 404)
        self.assertEqual(v.get(location).status, 200)

    def test_the_keys_limit_is_shared_and_a_revoked_key_stops_its_accounts(self):
        key = self.new_key("小さな一括窓口", "--rate", "3")
        v = self.register("l1@example.jp", key=key)
        ids = "\n".join([self.one.public_id] * 3).encode()
        self.assertEqual(v.upload(ids).status, 303)
        over = v.upload(ids)
        self.assertEqual(over.status, 429)
        self.assertIn(html_escape(self.ja["verifier.rate_limited"]), over.text)
        self.cli("verifier-key", "revoke", "小さな一括窓口")
        page = v.get("/verifier")
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(self.ja["verifier.key_revoked"]), page.text)
        self.assertNotIn('enctype="multipart/form-data"', page.text)
        refused = v.upload(ids)
        self.assertEqual(refused.status, 403)
        self.assertIn(html_escape(self.ja["verifier.key_revoked"]), refused.text)


    def test_a_first_row_that_names_no_id_column_is_a_bad_row_not_a_heading(self):
        # A mistyped first ID ("abc") used to be taken as the heading: in neither count nor list.
        v = self.register("h1@example.jp")
        reply = v.upload(f"abc\n{self.one.public_id}\n".encode())
        self.assertEqual(reply.status, 303, reply.text)
        page = v.get(reply.header("Location"))
        counts = {k: int(n) for k, n in re.findall(r'id="count-([a-z_]+)">(\d+)<', page.text)}
        self.assertEqual(counts["bad_row"], 1)
        self.assertEqual(counts["found"], 1)
        self.assertEqual(re.findall(r'<tr><td class="num">(\d+)</td>', page.text), ["1"])
        self.assertNotIn('id="heading-row"', page.text)
        rows = list(csv.reader(io.StringIO(v.get(reply.header("Location") + "/results.csv").body[3:].decode())))
        self.assertEqual(rows[0][0], self.ja["verifier.col.id"])
        self.assertEqual(rows[1][:5], ["abc", "", "", "1", self.ja["verifier.outcome.bad_row"]])
        self.assertEqual(rows[1][-1], self.ja["verifier.reason.id_malformed"])

    def test_a_heading_is_shown_and_a_result_file_can_be_uploaded_again(self):
        v = self.register("h2@example.jp", lang="en")
        first = v.upload(f"\ufeff{self.one.public_id}\n".encode("utf-8"))
        self.assertEqual(first.status, 303, first.text)
        result_csv = v.get(first.header("Location") + "/results.csv").body
        self.assertTrue(result_csv[3:].decode().startswith("Declaration ID,Corporate number,Date,Line,"))
        again = v.upload(result_csv)
        self.assertEqual(again.status, 303, again.text)
        page = v.get(again.header("Location"))
        counts = {k: int(n) for k, n in re.findall(r'id="count-([a-z_]+)">(\d+)<', page.text)}
        self.assertEqual(counts, {"found": 1, "not_found": 0, "mistyped": 0, "mismatch": 0, "bad_row": 0})
        heading = re.search(r'<p id="heading-row">([^<]*)</p>', page.text)
        self.assertIsNotNone(heading)
        self.assertIn(html_escape(self.en["verifier.result.heading"].split("{")[0]), heading.group(1))
        self.assertIn("Declaration ID, Corporate number, Date, Line, Result", heading.group(1))

    def test_a_file_over_the_keys_limit_per_minute_is_refused_at_once_and_not_counted(self):
        key = self.new_key("三件の窓口", "--rate", "3")
        v = self.register("limit1@example.jp", key=key)
        too_many = v.upload("\n".join([self.one.public_id] * 4).encode())
        self.assertEqual(too_many.status, 422, too_many.text)
        self.assertIsNone(too_many.header("Retry-After"))
        message = self.ja["verifier.file.over_key_limit"].replace("{rows}", "4").replace("{limit}", "3")
        self.assertIn(html_escape(message), too_many.text)
        self.assertIn('aria-invalid="true"', too_many.text)
        en = self.register("limit2@example.jp", key=key, lang="en")
        refused = en.upload("\n".join([self.one.public_id] * 5).encode())
        self.assertEqual(refused.status, 422)
        self.assertIn(html_escape(self.en["verifier.file.over_key_limit"].replace("{rows}", "5")
                                  .replace("{limit}", "3")), refused.text)
        # Neither refusal counted: a file within the limit still goes through in the same minute.
        self.assertEqual(v.upload("\n".join([self.one.public_id] * 3).encode()).status, 303)

    def test_bad_rows_count_against_the_keys_limit(self):
        # A file of nothing but bad rows is stored for an hour like any other: it is not free.
        key = self.new_key("悪い行の窓口", "--rate", "3")
        v = self.register("limit3@example.jp", key=key)
        bad = v.upload(f"{self.one.public_id},,2026/13/1\n{self.one.public_id},,2026/02/30\n"
                       f"{self.one.public_id},1234567890124\n".encode())
        self.assertEqual(bad.status, 303, bad.text)
        page = v.get(bad.header("Location"))
        self.assertIn('id="count-bad_row">3<', page.text)
        over = v.upload(f"{self.one.public_id}\n".encode())
        self.assertEqual(over.status, 429, over.text)
        self.assertIn(html_escape(self.ja["verifier.rate_limited"]), over.text)

    def test_a_verifier_changes_the_password_with_the_current_one_and_the_other_sessions_end(self):
        here = self.register("pw-change@example.jp")
        there, _ = self.sign_in("pw-change@example.jp")
        page = here.get("/verifier/password")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/verifier/password"', here.get("/verifier").text)
        self.assertNotIn('autocomplete="off"', page.text)
        self.assertNotIn("onpaste", page.text)
        new = "長い合言葉を考えました and it goes on and on for a good while"
        wrong = here.post_form("/verifier/password", {"current_password": "not it at all, sorry",
                                                      "new_password": new, "password_again": new})
        self.assertEqual(wrong.status, 422)
        self.assertIn(html_escape(self.ja["console.password.wrong"]), wrong.text)
        context = here.post_form("/verifier/password", {"current_password": PASSWORD, "new_password": "pw-change 2026 ok",
                                                        "password_again": "pw-change 2026 ok"})
        self.assertEqual(context.status, 422)
        self.assertIn(html_escape(self.ja["console.password.context"]), context.text)
        self.assertEqual(there.get("/verifier").status, 200)

        done = here.post_form("/verifier/password", {"current_password": PASSWORD, "new_password": new,
                                                     "password_again": new})
        self.assertEqual(done.status, 200, done.text[:500])
        self.assertIn(html_escape(self.ja["console.password.changed"]), done.text)
        self.assertEqual(here.get("/verifier").status, 200)
        self.assertEqual(there.get("/verifier").status, 303)
        probe = Verifier(self.server, source=self.registry.fresh_address())
        self.assertEqual(probe.post_form("/verifier/signin", {"email": "pw-change@example.jp", "password": PASSWORD})
                         .status, 403)
        self.assertEqual(probe.post_form("/verifier/signin", {"email": "pw-change@example.jp", "password": new})
                         .status, 303)
        with self.db() as c:
            account_id = c.execute("SELECT id FROM verifier_accounts WHERE email = 'pw-change@example.jp'").fetchone()[0]
            events = c.execute("SELECT actor, details FROM audit_events WHERE action = 'verifier.password_changed' "
                               "AND subject = ?", (f"verifier:{account_id}",)).fetchall()
        self.assertEqual(len(events), 1)
        self.assertIn('"other_sessions_ended":"1"', events[0][1].replace(" ", ""))

    def test_a_disabled_account_is_signed_out_at_once_and_refused_as_a_wrong_password_is(self):
        v = self.register("d1@example.jp")
        other = self.register("d2@example.jp")
        signed_in, _ = self.sign_in("d1@example.jp", source="127.0.0.32")
        with self.db() as c:
            key_id = c.execute("SELECT id FROM verifier_keys WHERE name = '一括確認窓口'").fetchone()[0]
            account_id = c.execute("SELECT id FROM verifier_accounts WHERE email = 'd1@example.jp'").fetchone()[0]
        listed = self.cli("verifier-account", "list", "--key", str(key_id))
        self.assertEqual(listed.splitlines()[0].split("\t"),
                         ["id", "email", "key", "key_name", "created", "last_sign_in", "status"])
        row = next(line.split("\t") for line in listed.splitlines() if "\td1@example.jp\t" in line)
        self.assertEqual((row[0], row[2], row[3], row[6]), (str(account_id), str(key_id), "一括確認窓口", "active"))
        self.assertNotEqual(row[5], "-")
        self.assertNotIn("d1@example.jp", self.cli("verifier-account", "list", "--key", str(key_id + 1000)))
        # Typed as the holder registered it or not, the address finds the account.
        out = self.cli("verifier-account", "disable", "--email", "D1@example.jp")
        self.assertIn(f"disabled verifier account {account_id} (d1@example.jp)", out)
        for client in (v, signed_in):
            self.assertEqual(client.get("/verifier").status, 303)
        self.assertEqual(other.get("/verifier").status, 200)
        probe = Verifier(self.server, source="127.0.0.33")
        disabled = probe.post_form("/verifier/signin", {"email": "d1@example.jp", "password": PASSWORD})
        wrong = probe.post_form("/verifier/signin", {"email": "d2@example.jp", "password": "wrong password 123"})
        self.assertEqual((disabled.status, wrong.status), (403, 403))
        for reply in (disabled, wrong):
            self.assertIn(html_escape(self.ja["console.signin.failed"]), reply.text)
        # The same page, but for the address typed and the form's token.
        def page(reply, email):
            return re.sub(r'name="csrf" value="[^"]*"', "", reply.text.replace(email, "ADDRESS"))
        self.assertEqual(page(disabled, "d1@example.jp"), page(wrong, "d2@example.jp"))
        self.assertIn("\tdisabled ", self.cli("verifier-account", "list"))
        with self.db() as c:
            self.assertEqual(c.execute("SELECT COUNT(*) FROM verifier_sessions WHERE account_id = ?",
                                       (account_id,)).fetchone()[0], 0)
            [(actor, ip)] = c.execute("SELECT actor, ip FROM audit_events WHERE action = 'verifier.account_disabled' "
                                      "AND subject = ?", (f"verifier:{account_id}",)).fetchall()
            self.assertEqual((actor, ip), ("operator:cli", "cli"))
            reasons = [r[0] for r in c.execute("SELECT details FROM audit_events WHERE action = "
                                               "'verifier.signin_failed' AND ip = '127.0.0.33'")]
        self.assertIn('{"reason":"disabled"}', reasons)
        again = run_sengen("--db", f"sqlite:{self.server.db_path}", "verifier-account", "disable", "--email",
                           "d1@example.jp")
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("verifier_account.not_found", again.stderr)

if __name__ == "__main__":
    unittest.main()
