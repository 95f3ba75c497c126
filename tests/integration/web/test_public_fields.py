"""What is public is said once: the terms of use (at /terms, at each version's address and as the
application's first step), the business step of the application, the check page, the confirmation
page and the privacy policy all show the same list of the fields anyone can see (the domain's
kPublicFields, labelled from the catalogue) and the note for sole proprietors, in ja and en."""

import re
import time
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import Visitor, api_post, application, csrf_of, link, start_sink_and_server

LIST = re.compile(r'<section class="public-fields".*?</section>', re.S)
ITEM = re.compile(r'<li data-field="([a-z_]+)">([^<]*)</li>')


class PublicFields(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)

    def shown(self, page: str, lang: str) -> list[tuple[str, str]]:
        sections = LIST.findall(page)
        self.assertEqual(len(sections), 1, "the page shows the list of public fields once")
        texts = catalogue(lang)
        self.assertIn(html_escape(texts["public_fields.title"]), sections[0])
        self.assertIn(html_escape(texts["public_fields.sole_proprietor"]), sections[0])
        # The history /verify and the API show (issued, level changes, stop, revocation, reinstatement)
        # is public too, and the list says so.
        self.assertIn(html_escape(texts["public_fields.history"]), sections[0])
        return ITEM.findall(sections[0])

    def expected(self, lang: str) -> list[tuple[str, str]]:
        texts = catalogue(lang)
        codes = ["declaration_id", "business_name", "business_name_kana", "prefecture", "level", "status",
                 "declared_at", "level_since", "ended_at", "end_reason", "policy_url"]
        # Every label the catalogue has for a public field is on the list, and nothing else.
        self.assertEqual(sorted(k for k in texts if k.startswith("public_field.")),
                         sorted("public_field." + c for c in codes))
        return [(c, html_escape(texts["public_field." + c])) for c in codes]

    def walk_to_the_check_page(self, lang: str) -> dict[str, str]:
        """The application's pages in order, as a browser fills them; returns each page's HTML."""
        v = Visitor(self.server, lang)
        pages = {}
        terms = v.get("/apply")
        self.assertEqual(terms.status, 200)
        pages["terms"] = terms.text
        step = v.follow(v.post("/apply", {"csrf": csrf_of(terms.text), "terms_agreed": "yes"}))
        self.assertEqual(step.status, 200)
        pages["business"] = step.text
        app = application(f"public-{lang}-{time.monotonic_ns()}@example.jp")
        business = {k: app[k] for k in ("entity_type", "corporate_number", "business_name", "business_name_kana",
                                        "postal_code", "prefecture", "address", "industry", "employees",
                                        "representative_title", "representative_name", "contact_name",
                                        "contact_email")}
        step = v.follow(v.post("/apply/business", {"csrf": csrf_of(step.text), **business}))
        self.assertEqual(step.status, 200, step.text[:400])
        step = v.follow(v.post("/apply/declaration", [("csrf", csrf_of(step.text)), ("level", "1"),
                                                      *[("commitment", str(n)) for n in range(1, 6)],
                                                      ("purposes", "trust")]))
        self.assertEqual(step.status, 200, re.findall(r'<div class="error-summary".*?</div>', step.text, re.S))
        self.assertIn('action="/apply/check"', step.text)
        pages["check"] = step.text
        return pages

    def test_the_application_pages_show_the_one_list(self):
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                for name, page in self.walk_to_the_check_page(lang).items():
                    self.assertEqual(self.shown(page, lang), self.expected(lang), name)

    def test_the_confirmation_page_shows_the_one_list(self):
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                app = application(f"confirm-{lang}-{time.monotonic_ns()}@example.jp", lang=lang)
                self.assertEqual(api_post(self.server, "/api/v1/applications", app).status, 202)
                receipt = self.sink.wait_for(app["contact_email"])[-1]
                page = Visitor(self.server, lang).open_link(link(receipt, "/confirm/"))
                self.assertEqual(page.status, 200)
                self.assertEqual(self.shown(page.text, lang), self.expected(lang))

    def test_the_privacy_policy_shows_the_one_list(self):
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                page = Visitor(self.server, lang).get("/privacy")
                self.assertEqual(page.status, 200)
                self.assertEqual(self.shown(page.text, lang), self.expected(lang))

    def test_the_terms_of_use_show_the_one_list(self):
        # Every version shows the list beside its text: the current one's article on publication
        # names the same fields (web.terms_versions), while 2026-1, kept as it was agreed, names
        # fewer, and the list says what the public sees today.
        for lang in ("ja", "en"):
            for path in ("/terms", "/terms/2026-2", "/terms/2026-1"):
                with self.subTest(lang=lang, path=path):
                    page = Visitor(self.server, lang).get(path)
                    self.assertEqual(page.status, 200)
                    self.assertEqual(self.shown(page.text, lang), self.expected(lang))


if __name__ == "__main__":
    unittest.main()
