"""/verify and /verify/{id}: what the public sees of declared, stopped and revoked declarations,
the three different answers for a mistyped, an unknown and a malformed ID, the forms of ID
people type, and that nothing private or indexable is ever on these pages."""

import calendar
import re
import tomllib
import unittest
import urllib.parse

from registry_flow import PRIVATE, Registry, application, declaration_id, mistyped, two_star
from sengen_server import SOURCE_DIR, SengenServer, catalogue, html_escape

LEVELS = {lvl["number"]: lvl for lvl in tomllib.loads((SOURCE_DIR / "content" / "levels.toml").read_text())["level"]}
EN = {"Accept-Language": "en"}


def utc(y, mo, d, h=0, mi=0, s=0):
    return calendar.timegm((y, mo, d, h, mi, s))


class VerificationPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)
        cls.declared, cls.stopped, cls.revoked, cls.one_star, cls.odd_policy = cls.registry.declare_many([
            two_star(business_name="株式会社さくら印刷", business_name_kana="サクラインサツ"),
            application(business_name="停止した商店", business_name_kana="テイシシタショウテン"),
            application(business_name="取り消された工房", business_name_kana="トリケサレタコウボウ"),
            application(business_name="ひとつ星食堂", business_name_kana="ヒトツボシショクドウ", prefecture="27"),
            two_star(business_name="方針の怪しい会社", business_name_kana="ホウシンノアヤシイカイシャ"),
        ])
        cls.registry.stop(cls.stopped.public_id, at=utc(2026, 5, 20, 3))
        cls.reason = "ロゴを<b>認証マーク</b>として表示していたため"
        cls.registry.revoke(cls.revoked.public_id, cls.reason, at=utc(2026, 6, 30, 16))
        # 2026-04-01 00:00 in Japan is 2026-03-31 15:00 UTC; a second earlier is still 31 March.
        cls.registry.set_dates(cls.declared.public_id, utc(2026, 3, 31, 15), utc(2026, 3, 31, 14, 59, 59))
        # Only possible by writing the row: the application form accepts http(s) addresses only.
        cls.server.sql("UPDATE declarations SET policy_url = 'javascript:alert(1)' WHERE public_id = ?",
                       (cls.odd_policy.public_id,))

    def get(self, path, headers=None):
        return self.server.get(path, headers)

    def assert_noindex(self, reply):
        self.assertEqual(reply.header("X-Robots-Tag"), "noindex", reply.status)
        if reply.status < 300 or reply.status >= 400:
            self.assertIn('<meta name="robots" content="noindex">', reply.text)

    def assert_nothing_private(self, reply):
        for name, value in PRIVATE.items():
            self.assertNotIn(html_escape(value), reply.text, name)
            self.assertNotIn(value, reply.text, name)
        self.assertNotIn("@example.jp", reply.text)

    def assert_text(self, reply, cat, msgid, **args):
        text = cat[msgid]
        for k, v in args.items():
            text = text.replace("{" + k + "}", v)
        self.assertIn(html_escape(text), reply.text, msgid)

    # --- a declared declaration ---------------------------------------------------------------

    def test_a_declared_declaration_shows_its_public_facts_in_japanese(self):
        p = self.declared.public_id
        reply = self.get(f"/verify/{p}")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.html_lang(), "ja")
        self.assertIn("<h1 class=\"proper-name\">株式会社さくら印刷</h1>", reply.text)
        self.assertIn("サクラインサツ", reply.text)
        # Grouped 3-4-4 by CSS only: the text of the ID (what a copy gives) is its 11 digits.
        grouped = (f'<span class="id-digits" translate="no"><span class="id-group">{p[:3]}</span>'
                   f'<span class="id-group">{p[3:7]}</span><span class="id-group">{p[7:]}</span></span>')
        self.assertEqual(reply.text.count(grouped), 2)
        self.assertIn(f'data-copy="{p}"', reply.text)
        self.assertIn(f"{LEVELS[2]['stars']}</span> {LEVELS[2]['name']['ja']}", reply.text)
        self.assertIn(html_escape(LEVELS[2]["summary"]["ja"]), reply.text)
        self.assert_text(reply, self.ja, "verify.banner.declared.title")
        self.assertIn(f'<span class="status status-declared">{self.ja["verify.status.declared"]}</span>', reply.text)
        self.assert_text(reply, self.ja, "verify.about.body")
        for ended in ("verify.banner.stopped.title", "verify.banner.revoked.title"):
            self.assertNotIn(html_escape(self.ja[ended]), reply.text)
        self.assert_noindex(reply)
        self.assert_nothing_private(reply)

    def test_dates_are_the_day_in_japan_written_as_each_language_writes_dates(self):
        p = self.declared.public_id
        ja = self.get(f"/verify/{p}").text
        self.assertRegex(ja, r"宣言した日</dt>\s*<dd[^>]*>2026年4月1日</dd>")
        self.assertRegex(ja, r"いまの段階になった日</dt>\s*<dd[^>]*>2026年3月31日</dd>")
        en = self.get(f"/verify/{p}", EN)
        self.assertEqual(en.html_lang(), "en")
        self.assertRegex(en.text, r"Date declared</dt>\s*<dd[^>]*>1 April 2026</dd>")
        self.assertRegex(en.text, r"At this level since</dt>\s*<dd[^>]*>31 March 2026</dd>")
        self.assert_text(en, self.en, "verify.about.body")
        self.assertIn(f"{LEVELS[2]['stars']}</span> {LEVELS[2]['name']['en']}", en.text)

    def test_the_policy_link_is_nofollow_noopener_and_only_for_http_addresses(self):
        reply = self.get(f"/verify/{self.declared.public_id}")
        self.assertIn('<a href="https://example.jp/security-policy" rel="nofollow noopener"', reply.text)
        odd = self.get(f"/verify/{self.odd_policy.public_id}")
        self.assertEqual(odd.status, 200)
        self.assertIn("javascript:alert(1)", odd.text)  # shown as text ...
        self.assertNotRegex(odd.text, r'href="\s*javascript:')  # ... never as a link
        one = self.get(f"/verify/{self.one_star.public_id}")
        self.assertNotIn(html_escape(self.ja["verify.row.policy"]), one.text)
        self.assertIn(f"{LEVELS[1]['stars']}</span> {LEVELS[1]['name']['ja']}", one.text)
        self.assertIn("大阪府", one.text)

    # --- stopped and revoked --------------------------------------------------------------------

    def test_a_stopped_declaration_says_so_in_words_in_a_banner(self):
        for headers, cat, day in (({}, self.ja, "2026年5月20日"), (EN, self.en, "20 May 2026")):
            reply = self.get(f"/verify/{self.stopped.public_id}", headers)
            self.assertEqual(reply.status, 200)
            self.assertRegex(reply.text, r'<div class="verify-banner verify-banner-ended">\s*<h2')
            self.assert_text(reply, cat, "verify.banner.stopped.title")
            self.assert_text(reply, cat, "verify.banner.stopped.body", date=day)
            self.assertIn(f'<span class="status status-stopped">{cat["verify.status.stopped"]}</span>', reply.text)
            self.assertNotIn(html_escape(cat["verify.banner.declared.title"]), reply.text)
            self.assertNotIn(html_escape(cat["verify.banner.revoked.reason"]), reply.text)
            self.assert_noindex(reply)
            self.assert_nothing_private(reply)

    def test_a_revoked_declaration_says_so_with_the_public_reason_escaped(self):
        # 2026-06-30 16:00 UTC is already 1 July in Japan.
        for headers, cat, day in (({}, self.ja, "2026年7月1日"), (EN, self.en, "1 July 2026")):
            reply = self.get(f"/verify/{self.revoked.public_id}", headers)
            self.assertEqual(reply.status, 200)
            self.assert_text(reply, cat, "verify.banner.revoked.title")
            self.assert_text(reply, cat, "verify.banner.revoked.body", date=day)
            self.assert_text(reply, cat, "verify.banner.revoked.reason")
            self.assertIn(html_escape(self.reason), reply.text)
            self.assertNotIn("<b>認証マーク</b>", reply.text)
            self.assertIn(f'<span class="status status-revoked">{cat["verify.status.revoked"]}</span>', reply.text)
            self.assertNotIn(html_escape(cat["verify.banner.declared.title"]), reply.text)
            self.assert_noindex(reply)
            self.assert_nothing_private(reply)

    # --- mistyped, unknown, malformed -----------------------------------------------------------

    def test_a_wrong_check_digit_is_reported_as_probably_mistyped_not_as_not_found(self):
        wrong = mistyped(self.declared.public_id)
        for path in (f"/verify/{wrong}", "/verify?id=" + wrong):
            reply = self.get(path)
            self.assertEqual(reply.status, 400, path)
            self.assert_text(reply, self.ja, "field_error.check_digit")
            self.assertNotIn(html_escape(self.ja["verify.not_found.title"]), reply.text)
            self.assertIn(f'value="{wrong}"', reply.text)  # what was typed is kept
            self.assertIn('aria-invalid="true"', reply.text)
            self.assert_noindex(reply)

    def test_an_unknown_well_formed_id_is_not_found_with_its_own_message(self):
        unknown = declaration_id(987654321)
        reply = self.get(f"/verify/{unknown}")
        self.assertEqual(reply.status, 404)
        self.assert_text(reply, self.ja, "verify.not_found.title")
        self.assert_text(reply, self.ja, "verify.not_found.body",
                         id=f"{unknown[:3]} {unknown[3:7]} {unknown[7:]}")
        self.assertNotIn(html_escape(self.ja["field_error.check_digit"]), reply.text)
        self.assert_noindex(reply)
        en = self.get(f"/verify/{unknown}", EN)
        self.assertEqual(en.status, 404)
        self.assert_text(en, self.en, "verify.not_found.title")

    def test_a_malformed_id_is_a_400_with_the_format_message(self):
        for typed in ("123", "abcdefghijk", "1000000004244", "01000000042"):
            for path in (f"/verify/{typed}", "/verify?id=" + typed):
                reply = self.get(path)
                self.assertEqual(reply.status, 400, path)
                self.assert_text(reply, self.ja, "field_error.id_format")
                self.assertNotIn(html_escape(self.ja["field_error.check_digit"]), reply.text)
                self.assert_noindex(reply)

    def test_an_empty_id_asks_for_one(self):
        reply = self.get("/verify?id=+")
        self.assertEqual(reply.status, 400)
        self.assert_text(reply, self.ja, "field_error.required")

    # --- how people type IDs --------------------------------------------------------------------

    def test_the_form_redirects_typed_ids_to_the_canonical_address(self):
        p = self.declared.public_id
        full_width = "".join(chr(0xFF10 + int(c)) for c in p)
        typed = [
            p,
            f"{p[:3]}-{p[3:7]}-{p[7:]}",
            f"{p[:3]} {p[3:7]} {p[7:]}",
            f" {p[:3]}　{p[3:7]}　{p[7:]} ",  # ideographic spaces
            full_width,
            f"{full_width[:3]}－{full_width[3:7]}ー{full_width[7:]}",  # full-width hyphen, long vowel mark
            f"{p[:3]}‐{p[3:7]}−{p[7:]}",  # U+2010, U+2212
        ]
        for t in typed:
            reply = self.get("/verify?" + urllib.parse.urlencode({"id": t}))
            self.assertEqual(reply.status, 303, t)
            self.assertEqual(reply.header("Location"), f"/verify/{p}", t)
            self.assertEqual(reply.header("X-Robots-Tag"), "noindex")

    def test_a_non_canonical_id_in_the_address_moves_permanently_to_the_canonical_one(self):
        p = self.declared.public_id
        for segment in (f"{p[:3]}-{p[3:7]}-{p[7:]}", urllib.parse.quote("".join(chr(0xFF10 + int(c)) for c in p))):
            reply = self.get(f"/verify/{segment}")
            self.assertEqual(reply.status, 301, segment)
            self.assertEqual(reply.header("Location"), f"/verify/{p}")

    # --- the form page --------------------------------------------------------------------------

    def test_the_verify_page_has_the_id_form_and_the_search_form_and_is_not_indexed(self):
        for headers, cat in (({}, self.ja), (EN, self.en)):
            reply = self.get("/verify", headers)
            self.assertEqual(reply.status, 200)
            self.assertIn('<form method="get" action="/verify"', reply.text)
            self.assertRegex(reply.text, r'<input class="input input-medium" id="f-id" name="id" type="text" value=""')
            self.assertIn('<form method="get" action="/verify/search"', reply.text)
            self.assertIn('name="name"', reply.text)
            self.assertIn('name="prefecture"', reply.text)
            self.assertIn('name="level"', reply.text)
            self.assert_text(reply, cat, "field.id.hint")
            self.assert_text(reply, cat, "verify.about.body")
            self.assert_noindex(reply)
            # Every label is tied to its control.
            for label_for in re.findall(r'<label class="label" for="([^"]+)"', reply.text):
                self.assertIn(f'id="{label_for}"', reply.text)

    def test_every_answer_under_verify_carries_x_robots_tag_noindex(self):
        for path in ("/verify", f"/verify/{self.declared.public_id}", f"/verify/{self.stopped.public_id}",
                     f"/verify/{mistyped(self.declared.public_id)}", f"/verify/{declaration_id(987654321)}",
                     "/verify/12", "/verify?id=12", "/verify/search", "/verify/search?name=x",
                     "/verify/search?prefecture=99", "/verify/%FF"):
            reply = self.get(path)
            self.assertLess(reply.status, 500, path)
            self.assertEqual(reply.header("X-Robots-Tag"), "noindex", path)


if __name__ == "__main__":
    unittest.main()
