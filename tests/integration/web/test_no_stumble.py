"""A declarant's way through the forms without losing what was typed or the way back: the check
page's 変更 links return to the check page, and the layout's language switch on every step of the
application keeps what was typed."""

import re
import unittest
from urllib.parse import urlencode

from browser_client import BrowserClient
from sengen_server import SengenServer, catalogue, html_escape
from smtp_flow import csrf_of
from test_words import BUSINESS

DECLARATION = [("level", "1"), ("commitment", "1"), ("commitment", "2"), ("commitment", "3"), ("commitment", "4"),
               ("commitment", "5"), ("purposes", "customer")]


class NoStumble(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def step(self, browser, path, fields, then):
        page = browser.get(path)
        self.assertEqual(page.status, 200, page.text[:300])
        done = browser.post(path, [("csrf", csrf_of(page.text))] + list(fields))
        self.assertEqual((done.status, done.header("Location")), (303, then), done.text[:500])

    def to_check(self, browser):
        self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
        self.step(browser, "/apply/business", BUSINESS.items(), "/apply/declaration")
        self.step(browser, "/apply/declaration", DECLARATION, "/apply/check")

    def test_a_change_from_the_check_page_returns_to_the_check_page(self):
        browser = BrowserClient(self.server, "ja", "127.0.0.1")
        self.to_check(browser)
        check = browser.get("/apply/check")
        self.assertEqual(check.status, 200)
        for step in ("business", "declaration"):
            links = re.findall(rf'href="(/apply/{step}[^"#]*)#', check.text)
            self.assertTrue(links, step)
            path = links[0].replace("&amp;", "&")
            page = browser.get(path)
            self.assertEqual(page.status, 200)
            fields = BUSINESS.items() if step == "business" else DECLARATION
            # The form posts to where it came from, so that 次へ進む knows the way back.
            self.assertIn(f'action="{html_escape(path)}"', page.text)
            self.step(browser, path, fields, "/apply/check")
        # The ordinary way still goes on step by step.
        self.step(browser, "/apply/business", BUSINESS.items(), "/apply/declaration")

    def test_the_check_page_shows_the_assessment_date_as_every_page_shows_dates(self):
        for lang, shown in (("ja", "2026年1月15日"), ("en", "15 January 2026")):
            browser = BrowserClient(self.server, lang, "127.0.0.1")
            self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
            self.step(browser, "/apply/business", BUSINESS.items(), "/apply/declaration")
            two_stars = [("level", "2") if k == "level" else (k, v) for k, v in DECLARATION]
            two_stars += [("assessment_date", "2026-01-15"), ("policy_url", "https://example.jp/policy")]
            self.step(browser, "/apply/declaration", two_stars, "/apply/check")
            check = browser.get("/apply/check").text
            self.assertIn(f'<dd class="summary-value">{shown}</dd>', check)
            # Nothing is typed here: the language switch is the plain link, not a button of a form.
            self.assertIn('<a class="lang-switch" href="/lang/', check)
            self.assertNotIn('form="apply-form"', check)
            self.assertNotIn("2026-01-15", check)

    def test_switching_language_on_a_step_keeps_what_was_typed(self):
        browser = BrowserClient(self.server, "ja", "127.0.0.1")
        self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
        page = browser.get("/apply/business")
        # The switch is the form's own button, so it posts what was typed.
        self.assertRegex(page.text, r'<button type="submit" class="lang-switch" form="apply-form"')
        self.assertIn('id="apply-form"', page.text)
        half_typed = {"business_name": "途中まで入力商店", "address": "千代田区千代田9-9"}
        switched = browser.post("/apply/business", {"csrf": csrf_of(page.text), "switch_lang": "en", **half_typed})
        self.assertEqual(switched.status, 200, switched.text[:300])
        self.assertIn('<html lang="en">', switched.text)
        self.assertIn(html_escape(self.en["apply.business.title"]), switched.text)
        for value in half_typed.values():
            self.assertIn(f'value="{value}"', switched.text)
        self.assertNotIn("error-summary", switched.text)  # nothing was checked yet
        # And back, with the choice remembered.
        again = browser.get("/apply/business")
        self.assertIn('<html lang="en">', again.text)
        back = browser.post("/apply/business", {"csrf": csrf_of(again.text), "switch_lang": "ja", **half_typed})
        self.assertIn('<html lang="ja">', back.text)
        self.assertIn('value="途中まで入力商店"', back.text)

    def test_switching_language_on_the_terms_and_declaration_steps(self):
        browser = BrowserClient(self.server, "ja", "127.0.0.1")
        page = browser.get("/apply")
        switched = browser.post("/apply", {"csrf": csrf_of(page.text), "switch_lang": "en", "terms_agreed": "yes"})
        self.assertEqual(switched.status, 200)
        self.assertIn('<html lang="en">', switched.text)
        self.assertRegex(switched.text, r'name="terms_agreed"[^>]*checked')
        self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
        self.step(browser, "/apply/business", BUSINESS.items(), "/apply/declaration")
        page = browser.get("/apply/declaration")
        switched = browser.post("/apply/declaration",
                                [("csrf", csrf_of(page.text)), ("switch_lang", "ja"), ("level", "1"),
                                 ("commitment", "3")])
        self.assertEqual(switched.status, 200)
        self.assertIn('<html lang="ja">', switched.text)
        self.assertRegex(switched.text, r'name="commitment" value="3"[^>]*checked')
        self.assertNotRegex(switched.text, r'name="commitment" value="1"[^>]*checked')

    def test_the_corporate_number_is_marked_as_required_for_corporations(self):
        for lang, words in (("ja", self.ja), ("en", self.en)):
            browser = BrowserClient(self.server, lang, "127.0.0.1")
            self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
            page = browser.get("/apply/business")
            label = re.search(r'<label class="label" for="f-corporate_number">(.*?)</label>', page.text).group(1)
            self.assertIn(html_escape(words["form.required_for_corporations"]), label)
            self.assertNotIn(html_escape(words["form.optional"]), label)

    def test_the_two_star_fields_are_marked_as_required_for_two_stars_not_optional(self):
        for lang, words in (("ja", self.ja), ("en", self.en)):
            browser = BrowserClient(self.server, lang, "127.0.0.1")
            self.step(browser, "/apply", {"terms_agreed": "yes"}.items(), "/apply/business")
            self.step(browser, "/apply/business", BUSINESS.items(), "/apply/declaration")
            page = browser.get("/apply/declaration")
            for field in ("assessment_date", "policy_url"):
                label = re.search(rf'<label class="label" for="f-{field}">(.*?)</label>', page.text).group(1)
                self.assertIn(html_escape(words["form.required_for_two_stars"]), label)
                self.assertNotIn(html_escape(words["form.optional"]), label)

    def test_the_stylesheet_keeps_japanese_phrases_and_short_words_whole(self):
        css = self.server.get("/static/site.css").text
        # Phrases where the browser supports it; other browsers ignore the value.
        self.assertRegex(css, r":lang\(ja\) \{ word-break: auto-phrase; \}")
        # "PNG"/"SVG" and the saved-assessment dates are never broken inside.
        self.assertRegex(css, r"\.badge-formats a \{ white-space: nowrap; overflow-wrap: normal; \}")
        # The dates of the saved-assessment table (its other columns wrap, so that the table fits;
        # e2e.narrow checks both in a browser).
        self.assertRegex(css, r"\.saved-assessments th\[scope=\"row\"\][^{]*\{ white-space: nowrap;")

    def test_switching_language_on_the_verification_forms_keeps_what_was_typed(self):
        # Both forms are sent by GET: the header's switch is their own button, and the page comes
        # back in the other language with what was typed, unchecked.
        for path, form, field, typed in (("/verify", "verify-id-form", "id", "1000 00"),
                                         ("/verify/search", "verify-search-form", "name", "途中")):
            browser = BrowserClient(self.server, "ja", "127.0.0.1")
            page = browser.get(path)
            self.assertEqual(page.status, 200)
            self.assertIn(f'<button type="submit" class="lang-switch" form="{form}" formaction="{path}"', page.text)
            self.assertIn(f'id="{form}"', page.text)
            switched = browser.get(f"{path}?{urlencode({field: typed, 'switch_lang': 'en'})}")
            self.assertEqual(switched.status, 200, switched.text[:300])
            self.assertIn('<html lang="en">', switched.text)
            self.assertIn(f'value="{typed}"', switched.text)
            self.assertNotIn("error-summary", switched.text)
            # The choice is remembered.
            self.assertIn('<html lang="en">', browser.get(path).text)


if __name__ == "__main__":
    unittest.main()
