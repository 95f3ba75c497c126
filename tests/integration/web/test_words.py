"""The words a declarant reads come from one place: the home page shows the five principles as
content/principles.toml states them, and the level choices on the application form say what the
declarant promises (content/levels.toml's `choice`), not the public summary shown on /verify."""

import tomllib
import unittest

from browser_client import BrowserClient
from sengen_server import SOURCE_DIR, SengenServer, catalogue, html_escape
from smtp_flow import csrf_of

# The business step of the application form, filled in as a sole proprietor would.
BUSINESS = {"entity_type": "sole_proprietor", "business_name": "言葉試験商店", "business_name_kana": "コトバシケン",
            "postal_code": "100-0001", "prefecture": "13", "address": "千代田区千代田1-1", "industry": "G",
            "employees": "1-5", "representative_title": "代表", "representative_name": "山田 太郎",
            "contact_name": "山田 花子", "contact_email": "words@example.jp"}


def to_declaration_step(browser: BrowserClient) -> None:
    """Agrees to the terms and fills in the business step, as a visitor would."""
    for path, fields, then in (("/apply", {"terms_agreed": "yes"}, "/apply/business"),
                               ("/apply/business", BUSINESS, "/apply/declaration")):
        page = browser.get(path)
        done = browser.post(path, {"csrf": csrf_of(page.text), **fields})
        assert done.status == 303 and done.header("Location") == then, (done.status, done.text[:300])


def content(name: str) -> dict:
    return tomllib.loads((SOURCE_DIR / "content" / name).read_text(encoding="utf-8"))


class Words(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)

    def test_the_home_page_shows_the_principles_from_the_content_file(self):
        principles = content("principles.toml")["principle"]
        self.assertEqual(len(principles), 5)
        for lang in ("ja", "en"):
            page = self.server.get("/", {"Accept-Language": lang})
            self.assertEqual(page.status, 200)
            for p in principles:
                self.assertIn(html_escape(p["title"][lang]), page.text)
                self.assertIn(html_escape(p["commitment"][lang]), page.text)
            # Written once: the catalogue holds no second copy of them.
            self.assertFalse([k for k in catalogue(lang) if k.startswith("home.principles.")])

    def test_the_level_choices_have_their_own_words(self):
        levels = content("levels.toml")["level"]
        for lang in ("ja", "en"):
            browser = BrowserClient(self.server, lang, "127.0.0.1")
            to_declaration_step(browser)
            page = browser.get("/apply/declaration")
            self.assertEqual(page.status, 200, page.text[:300])
            for level in levels:
                if not level.get("self_declared", True):
                    continue
                self.assertNotEqual(level["choice"][lang], level["summary"][lang])
                self.assertIn(html_escape(level["choice"][lang]), page.text)
                self.assertNotIn(html_escape(level["summary"][lang]), page.text)


if __name__ == "__main__":
    unittest.main()
