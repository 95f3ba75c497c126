"""Hostile input through the API and the HTML forms: markup, template and SQL metacharacters, CR/LF,
control and bidirectional characters, over-long values, invalid UTF-8, deep nesting and
full-width input. Each is stored literally (and shown escaped on /verify/{id} once confirmed)
or refused with a field error; nothing is ever a 500 or executed."""

import json
import re
import unittest
import urllib.parse

from registry_flow import Registry, application, corporate_number
from sengen_server import SengenServer, catalogue, csrf_token_for, html_escape

FORM = "application/x-www-form-urlencoded"

STORED_LITERALLY = [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "Robert'); DROP TABLE declarations;--",
    "\" OR \"\"=\" ' OR 1=1 --",
    "{{t.site.name}} {{{raw}}} {{&raw}} {name} {id}",
    "&amp; &lt;b&gt; &#x3C;",
    "株式会社\\x00\\u202e",  # backslashes, not the characters
]

REFUSED = [
    ("business_name", "改行\r\nX-Injected: 1", "invalid_characters"),
    ("business_name", "改行\n", "invalid_characters"),
    ("business_name", "タブ\tあり", "invalid_characters"),
    ("business_name", "NUL\u0000あり", "invalid_characters"),
    ("business_name", "右から左\u202eへ", "invalid_characters"),
    ("business_name", "分離\u2066あり\u2069", "invalid_characters"),
    ("business_name", "ゼロ幅\u200bあり", "invalid_characters"),
    ("business_name", "\ufeffBOM", "invalid_characters"),
    ("business_name", "あ" * 101, "too_long"),
    ("business_name", "x" * 300_000, "too_long"),
    ("business_name", "   ", "required"),
    ("contact_email", "a@example.jp\r\nBcc: victim@example.com", "invalid_characters"),
    ("contact_email", "a@example.jp\nBcc: victim@example.com", "invalid_characters"),
    ("contact_email", "<script>@example.jp", "invalid_email"),
    ("contact_name", "担当\r\n者", "invalid_characters"),
    ("address", "住所" * 101, "too_long"),
    ("website", "javascript:alert(1)", "invalid_url"),
    ("website", "https://example.jp/\r\nX: y", "invalid_characters"),
    ("website", "https://user@evil.example/", "invalid_url"),
]


class HostileApiInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja = catalogue("ja")
        cls.registry = Registry(cls.server)

    def tearDown(self):
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertNotIn("unhandled error", self.server.log())

    def test_markup_template_and_sql_text_is_stored_literally_and_shown_escaped(self):
        declared = self.registry.declare_many([application(business_name=name) for name in STORED_LITERALLY])
        for name, d in zip(STORED_LITERALLY, declared):
            api = json.loads(self.server.get(f"/api/v1/declarations/{d.public_id}").body)
            self.assertEqual(api["business_name"], name)
            page = self.server.get(f"/verify/{d.public_id}")
            self.assertEqual(page.status, 200)
            self.assertIn(f"<h1 class=\"proper-name\">{html_escape(name)}</h1>", page.text)
            self.assertIn(f"<title>{html_escape(name)}", page.text)
        page = self.server.get(f"/verify/{declared[0].public_id}").text
        self.assertNotIn("<script>alert", page)
        self.assertNotIn("<img src=x", page)
        templated = self.server.get(f"/verify/{declared[3].public_id}").text
        self.assertNotIn(self.ja["site.name"] + " {{{", templated)  # not expanded by the template engine
        # The table is still there and searchable.
        found = self.server.get("/verify/search?" + urllib.parse.urlencode({"name": "DROP TABLE"}))
        self.assertEqual(found.status, 200)
        self.assertIn(html_escape(STORED_LITERALLY[1]), found.text)

    def test_control_bidi_and_over_long_values_are_refused_with_a_field_error(self):
        for field, value, code in REFUSED:
            reply = self.registry.apply(application(**{field: value}))
            self.assertEqual(reply.status, 422, (field, value[:40]))
            self.assertEqual(reply.header("Content-Type"), "application/problem+json")
            got = {e["field"]: e["code"] for e in json.loads(reply.body)["errors"]}
            self.assertEqual(got, {field: code}, value[:40])

    def test_a_refused_address_with_a_line_break_gets_no_mail(self):
        self.registry.apply(application(contact_email="refused@example.jp\r\nBcc: victim@example.com"))
        # A valid application after it: its mail is sent after any mail the first could have queued.
        after = self.registry.declare(application())
        self.assertEqual(len(self.registry.wait_for_mail(after.application["contact_email"], count=2)), 2)
        for m in self.registry.mails():
            headers = " ".join(str(v) for v in m.values())
            self.assertNotIn("victim", headers)
            self.assertNotIn("refused@", headers)

    def test_unreadable_json_is_a_400_never_a_500(self):
        bodies = [
            b'{"business_name": "\xff\xfe"}',  # invalid UTF-8
            b'{"business_name": "\xc0\xaf"}',  # overlong
            b'{"business_name": "\xed\xa0\x80"}',  # a surrogate encoded directly
            b'{"business_name": "\\ud800"}',  # a lone surrogate escape
            b'{"business_name": "\\udc00\\ud800"}',
            b'{"business_name": "unterminated',
        ]
        for body in bodies:
            reply = self.registry.post_json("/api/v1/applications", body)
            self.assertEqual(reply.status, 400, body)
            self.assertEqual(json.loads(reply.body)["type"], "/problems/bad-request")
        # A byte order mark before the JSON is skipped (RFC 8259 §8.1 allows it): an empty object.
        self.assertEqual(self.registry.post_json("/api/v1/applications", b"\xef\xbb\xbf{}").status, 422)

    def test_deep_nesting_and_huge_numbers_are_refused_and_the_server_stays_up(self):
        deep = b"[" * 200_000 + b"]" * 200_000
        self.assertIn(self.registry.post_json("/api/v1/applications", deep).status, (400, 422))
        nested = b'{"x": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}"
        self.assertEqual(self.registry.post_json("/api/v1/applications", nested).status, 422)
        for number in (b"1e400", b"-1e400", b"18446744073709551616", b"1.5", b"-0"):
            reply = self.registry.post_json("/api/v1/applications",
                                            json.dumps(application()).encode().replace(b'"level": 1',
                                                                                       b'"level": ' + number))
            self.assertIn(reply.status, (400, 422), number)

    def test_a_body_over_the_limit_is_a_413_problem(self):
        reply = self.registry.post_json("/api/v1/applications", application(address="x" * (1024 * 1024)))
        self.assertEqual(reply.status, 413)
        self.assertEqual(reply.header("Content-Type"), "application/problem+json")

    def test_full_width_input_is_accepted_and_stored_normalised(self):
        number = corporate_number("555555555501")
        wide = str.maketrans("0123456789-/:.abcdehijlmnoprstwxy", "０１２３４５６７８９－／：．ａｂｃｄｅｈｉｊｌｍｎｏｐｒｓｔｗｘｙ")
        d = self.registry.declare(application(
            corporate_number=number.translate(wide), postal_code="１００－０００１", phone="０３－１２３４－５６７８",
            business_name="ＡＢＣ　ｼｮｳｼﾞ", business_name_kana="えーびーしー ｼｮｳｼﾞ", level="２",
            assessment_date="２０２６／０１／１５", policy_url="https://example.jp/policy".translate(wide)))
        api = json.loads(self.server.get(f"/api/v1/declarations/{d.public_id}").body)
        self.assertEqual(api["level"], 2)
        self.assertEqual(api["policy_url"], "https://example.jp/policy")
        row = self.server.sql("SELECT corporate_number, postal_code, phone, business_name_kana FROM declarations "
                              "WHERE public_id = ?", (d.public_id,))[0]
        self.assertEqual(row, (number, "100-0001", "03-1234-5678", "エービーシー ショウジ"))
        page = self.server.get(f"/verify/{d.public_id}").text
        self.assertIn("エービーシー ショウジ", page)

    def test_hostile_ids_in_the_api_path_are_400_problems_without_an_echo(self):
        for segment in ("%3Cscript%3Ealert(1)%3C%5Cscript%3E", "%27%20OR%201%3D1%20--", "%00", "%E2%80%AE12345678901",
                        "1" * 5000):
            reply = self.server.get(f"/api/v1/declarations/{segment}")
            self.assertEqual(reply.status, 400, segment[:30])
            self.assertNotIn("script", reply.text)
            self.assertNotIn("OR 1=1", reply.text)


class HostileFormInput(unittest.TestCase):
    """The same through the HTML pages: the application form (with its CSRF token) and the
    verification and search forms."""

    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja = catalogue("ja")
        cls.registry = Registry(cls.server)

    def tearDown(self):
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertNotIn("unhandled error", self.server.log())

    def session(self):
        token = self.server.add_session()
        return token, csrf_token_for(token)

    def post(self, session, path, fields, raw: bytes = b""):
        token, csrf = session
        body = urllib.parse.urlencode(fields + [("csrf", csrf)], doseq=True).encode() + raw
        return self.server.request("POST", path, {"Content-Type": FORM, "Cookie": f"sengen_session={token}"}, body)

    def business(self, **overrides):
        app = application()
        fields = {k: app[k] for k in ("entity_type", "corporate_number", "business_name", "business_name_kana",
                                      "postal_code", "prefecture", "address", "industry", "employees",
                                      "representative_title", "representative_name", "contact_name",
                                      "contact_email", "phone", "website")}
        fields.update(overrides)
        return list(fields.items())

    def start(self):
        s = self.session()
        reply = self.post(s, "/apply", [("terms_agreed", "yes")])
        self.assertEqual((reply.status, reply.header("Location")), (303, "/apply/business"))
        return s

    def test_the_application_form_stores_markup_literally_and_verify_shows_it_escaped(self):
        name = "<script>alert('form')</script> & Co. '; DROP TABLE declarations;--"
        s = self.start()
        fields = self.business(business_name=name, corporate_number="７１２３４５６７８９０１２",
                               postal_code="１００－０００１")
        email = dict(fields)["contact_email"]
        reply = self.post(s, "/apply/business", fields)
        self.assertEqual((reply.status, reply.header("Location")), (303, "/apply/declaration"), reply.text[-3000:])
        reply = self.post(s, "/apply/declaration", [("level", "1"), ("purposes", "trust")] +
                          [("commitment", str(n)) for n in range(1, 6)])
        self.assertEqual((reply.status, reply.header("Location")), (303, "/apply/check"))
        check = self.server.get("/apply/check", {"Cookie": f"sengen_session={s[0]}"})
        self.assertIn(html_escape(name), check.text)
        self.assertNotIn("<script>alert", check.text)
        reply = self.post(s, "/apply/check", [])
        self.assertEqual((reply.status, reply.header("Location")), (303, "/apply/sent"))
        confirmed = json.loads(self.registry.confirm(self.registry.confirmation_token(email)).body)
        self.assertEqual(confirmed["business_name"], name)
        page = self.server.get(f"/verify/{confirmed['id']}")
        self.assertIn(f"<h1 class=\"proper-name\">{html_escape(name)}</h1>", page.text)
        self.assertNotIn("<script>alert", page.text)

    def test_the_application_form_refuses_control_bidi_and_over_long_values_on_the_page(self):
        s = self.start()
        for field, value, code in REFUSED:
            if len(value) > 10_000:
                continue  # the same path as the short over-long value; the form body stays small
            reply = self.post(s, "/apply/business", self.business(**{field: value}))
            self.assertEqual(reply.status, 422, (field, value[:40]))
            self.assertIn(html_escape(self.ja[f"field_error.{code}"]), reply.text, (field, value[:40]))
            self.assertIn(f'href="#f-{field}"', reply.text)
            self.assertNotIn("<script>@", reply.text)

    def test_invalid_utf8_in_a_form_body_is_refused_never_a_500(self):
        s = self.start()
        fields = [(k, v) for k, v in self.business() if k != "business_name"]
        reply = self.post(s, "/apply/business", fields, raw=b"&business_name=%FF%FE%C0%AF%E6%A0%AA")
        self.assertEqual(reply.status, 422)
        page = reply.body.decode("utf-8")  # the page itself stays valid UTF-8
        self.assertIn(html_escape(self.ja["field_error.invalid_characters"]), page)
        self.assertIn('value="\ufffd\ufffd\ufffd\ufffd株"', page)

    def test_the_verify_and_search_forms_echo_hostile_text_escaped_and_never_redirect_to_it(self):
        cases = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --",
                 "12345\r\nLocation: https://evil.example/", "\u202e10000000016", "1" * 2000]
        for typed in cases:
            reply = self.server.get("/verify?" + urllib.parse.urlencode({"id": typed}))
            self.assertEqual(reply.status, 400, typed[:30])
            self.assertIsNone(reply.header("Location"))
            self.assertNotIn("<script>alert", reply.text)
            self.assertNotIn("<img src=x", reply.text)
            self.assertRegex(reply.text, r'id="f-id" name="id" type="text" value="[^"<>]*"')
            search = self.server.get("/verify/search?" + urllib.parse.urlencode({"name": typed}))
            self.assertIn(search.status, (200, 400), typed[:30])
            self.assertNotIn("<script>alert", search.text)
            self.assertNotIn("<img src=x", search.text)
        for path in ("/verify/%3Cscript%3Ealert(1)%3C%5Cscript%3E", "/verify/%0D%0ALocation:x", "/verify/%FF"):
            reply = self.server.get(path)
            self.assertEqual(reply.status, 400, path)
            self.assertIsNone(reply.header("Location"))
            self.assertNotIn("<script>alert", reply.text)

    def test_the_search_form_refuses_bidi_controls_and_takes_full_width_text(self):
        refused = self.server.get("/verify/search?" + urllib.parse.urlencode({"name": "abc\u2067def"}))
        self.assertEqual(refused.status, 400)
        self.assertIn(html_escape(self.ja["field_error.invalid_characters"]), refused.text)
        wide = self.server.get("/verify/search?" + urllib.parse.urlencode({"name": "ＸＹＺ　ｼｮｳｼﾞ"}))
        self.assertEqual(wide.status, 200)
        self.assertIn('value="ＸＹＺ ｼｮｳｼﾞ"', wide.text)


if __name__ == "__main__":
    unittest.main()
