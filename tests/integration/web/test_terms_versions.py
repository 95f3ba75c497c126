"""A new version of the terms of use: the current one (2026-2) is the one applicants read and agree
to, and its article on publication names exactly the list of public fields and the history the
pages show; a declarant who agreed to the earlier version (2026-1) keeps it, on My Page and after a
change of details, and can still read it at its own address; My Page tells them a newer version
exists and what changed, and asks them to agree to nothing. The real binary, mailing through a
real SMTP server on loopback."""

import re
import time
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import Visitor, application, declare, edit_form_fields, start_sink_and_server

CODES = ["declaration_id", "business_name", "business_name_kana", "prefecture", "level", "status", "declared_at",
         "level_since", "ended_at", "end_reason", "policy_url"]
ARTICLE = re.compile(r"<h3>([^<]*)</h3>\s*<p>([^<]*)</p>")


class TermsVersions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)

    def publication_article(self, page: str, lang: str) -> str:
        heading = {"ja": "4. 宣言の公開", "en": "4. What is made public"}[lang]
        found = [body for h, body in ARTICLE.findall(page) if h == html_escape(heading)]
        self.assertEqual(len(found), 1, "the terms have one article on what is published")
        return found[0]

    def test_the_current_terms_name_exactly_the_public_fields_and_the_history(self):
        for lang, (before, after, sep) in (("ja", ("「", "」", "")), ("en", ("", "", "; "))):
            texts = catalogue(lang)
            listed = sep.join(before + texts["public_field." + c] + after for c in CODES)
            for path in ("/terms", "/terms/2026-2", "/apply"):
                with self.subTest(lang=lang, path=path):
                    page = Visitor(self.server, lang).get(path)
                    self.assertEqual(page.status, 200)
                    article = self.publication_article(page.text, lang)
                    # Every public field, in the list's order, and the history sentence, word for word.
                    self.assertIn(html_escape(listed), article)
                    self.assertIn(html_escape(texts["public_fields.history"]), article)

    def test_the_earlier_terms_stay_as_they_were_agreed(self):
        page = Visitor(self.server, "ja").get("/terms/2026-1")
        self.assertEqual(page.status, 200)
        self.assertIn("宣言IDで誰でも確認できるよう", self.publication_article(page.text, "ja"))

    def test_an_application_agrees_to_the_current_version(self):
        app = application(f"terms-new-{time.monotonic_ns()}@example.jp")
        public_id = declare(self.server, self.sink, app, Visitor(self.server))
        self.assertEqual(self.server.sql("SELECT terms_version FROM declarations WHERE public_id = ?", (public_id,)),
                         [("2026-2",)])

    def test_a_declarant_who_agreed_to_the_earlier_version_keeps_it_on_my_page_and_after_a_change(self):
        visitor = Visitor(self.server, "ja")
        public_id = declare(self.server, self.sink, application(f"terms-old-{time.monotonic_ns()}@example.jp"), visitor)
        # As a declaration made before 2026-2 was published is stored.
        self.server.sql("UPDATE declarations SET terms_version = '2026-1' WHERE public_id = ?", (public_id,))
        page = visitor.get(f"/mypage/declarations/{public_id}")
        self.assertEqual(page.status, 200)
        self.assertIn('<a href="/terms/2026-1">2026-1</a>', page.text)
        # Changing details asks for no new agreement and leaves the version agreed to as it was.
        edit = visitor.get(f"/mypage/declarations/{public_id}/edit")
        self.assertEqual(edit.status, 200)
        fields = [(k, "03-1111-2222" if k == "phone" else v) for k, v in edit_form_fields(edit.text)]
        saved = visitor.post(f"/mypage/declarations/{public_id}/edit", fields)
        self.assertEqual(saved.status, 303, saved.text[:500])
        self.assertEqual(self.server.sql("SELECT terms_version FROM declarations WHERE public_id = ?", (public_id,)),
                         [("2026-1",)])
        page = visitor.get(f"/mypage/declarations/{public_id}")
        self.assertIn('<a href="/terms/2026-1">2026-1</a>', page.text)

    def test_my_page_says_a_newer_version_exists_and_asks_for_nothing(self):
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                texts = catalogue(lang)
                visitor = Visitor(self.server, lang)
                address = f"terms-notice-{lang}-{time.monotonic_ns()}@example.jp"
                public_id = declare(self.server, self.sink, application(address), visitor)
                # Agreed to the version in force: nothing to say.
                self.assertNotIn('id="terms-notice"', visitor.get("/mypage").text)
                self.server.sql("UPDATE declarations SET terms_version = '2026-1' WHERE public_id = ?", (public_id,))
                page = visitor.get("/mypage")
                self.assertEqual(page.status, 200)
                notice = re.search(r'<section class="note" id="terms-notice".*?</section>', page.text, re.S)
                self.assertIsNotNone(notice, "no notice of the newer terms on My Page")
                notice = notice.group(0)
                self.assertIn(html_escape(texts["mypage.terms_notice.title"]), notice)
                body = re.escape(html_escape(texts["mypage.terms_notice.body"])).replace(r"\{current\}", "2026-2")
                body = body.replace(r"\{agreed\}", "2026-1").replace(r"\{effective\}", "[^<（(]*2026[^<）)]*")
                self.assertRegex(notice, body)
                self.assertIn(f'<a href="/terms">{html_escape(texts["mypage.terms_notice.read"])}</a>', notice)
                self.assertIn(f'<a href="/terms#changes">{html_escape(texts["mypage.terms_notice.changes"])}</a>', notice)
                self.assertNotIn("<form", notice)  # nothing to agree to
                # The link to what changed lands on the current terms' list of changes.
                terms = visitor.get("/terms")
                self.assertIn(f'<h2 id="changes">{html_escape(texts["profile.terms.changes_title"])}</h2>', terms.text)
                self.assertNotIn('id="changes"', visitor.get("/terms/2026-1").text)  # the first version changed nothing


if __name__ == "__main__":
    unittest.main()
