"""Language choice: Japanese by default, Accept-Language, the cookie set by the switch link,
and the switch link's safe return path."""

import html
import re
import unittest
import urllib.parse

from sengen_server import SengenServer, catalogue, html_escape


class Language(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def lang_of(self, headers=None, path="/"):
        reply = self.server.get(path, headers)
        self.assertEqual(reply.html_lang(), reply.header("Content-Language"))
        return reply.html_lang()

    def switch_link(self, reply):
        m = re.search(r'<a class="lang-switch" href="([^"]+)"', reply.text)
        self.assertIsNotNone(m, "no language switch link")
        return html.unescape(m.group(1))

    def test_pages_are_in_japanese_by_default(self):
        reply = self.server.get("/")
        self.assertEqual(reply.html_lang(), "ja")
        self.assertIn(html_escape(self.ja["home.hero_title"]), reply.text)

    def test_accept_language_english_gives_english(self):
        reply = self.server.get("/", {"Accept-Language": "en-GB,en;q=0.9"})
        self.assertEqual(reply.html_lang(), "en")
        self.assertIn(html_escape(self.en["home.hero_title"]), reply.text)
        self.assertNotIn(html_escape(self.ja["home.hero_title"]), reply.text)

    def test_the_higher_weight_wins(self):
        self.assertEqual(self.lang_of({"Accept-Language": "ja;q=0.5, en;q=0.8"}), "en")
        self.assertEqual(self.lang_of({"Accept-Language": "en;q=0.5, ja;q=0.8"}), "ja")

    def test_languages_we_do_not_offer_fall_back_to_japanese(self):
        self.assertEqual(self.lang_of({"Accept-Language": "fr-FR, de;q=0.9"}), "ja")
        self.assertEqual(self.lang_of({"Accept-Language": "en;q=0"}), "ja")
        self.assertEqual(self.lang_of({"Accept-Language": ";;;q=,,"}), "ja")

    def test_the_cookie_choice_overrides_accept_language(self):
        self.assertEqual(self.lang_of({"Accept-Language": "en", "Cookie": "sengen_lang=ja"}), "ja")
        self.assertEqual(self.lang_of({"Accept-Language": "ja", "Cookie": "sengen_lang=en"}), "en")

    def test_an_unknown_cookie_value_is_ignored(self):
        self.assertEqual(self.lang_of({"Accept-Language": "en", "Cookie": "sengen_lang=xx"}), "en")

    def test_the_switch_sets_the_cookie_and_returns_to_the_given_page_with_its_query(self):
        reply = self.server.get("/lang/en?next=/some/path?x=1")
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.header("Location"), "/some/path?x=1")
        self.assertTrue(any(c.startswith("sengen_lang=en;") for c in reply.all("Set-Cookie")))
        reply = self.server.get("/lang/ja?next=" + urllib.parse.quote("/some/path?x=1&y=2", safe=""))
        self.assertEqual(reply.header("Location"), "/some/path?x=1&y=2")
        self.assertTrue(any(c.startswith("sengen_lang=ja;") for c in reply.all("Set-Cookie")))

    def test_the_switch_never_sends_the_visitor_to_another_site(self):
        for next_value in ("//evil.example", "https://evil.example", "http://evil.example/", "/\\evil.example",
                           "%2F%2Fevil.example", "/%09/evil.example", "/%0D%0ALocation:%20//evil.example",
                           "/%0A/evil.example", "%09//evil.example", "javascript:alert(1)", "evil.example", ""):
            with self.subTest(next=next_value):
                reply = self.server.get("/lang/en?next=" + next_value)
                self.assertEqual(reply.status, 303)
                self.assertEqual(reply.header("Location"), "/")

    def test_the_switch_without_next_goes_home(self):
        self.assertEqual(self.server.get("/lang/en").header("Location"), "/")

    def test_an_unknown_language_code_gets_404(self):
        reply = self.server.get("/lang/xx?next=/")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.all("Set-Cookie"), [])

    def test_the_switch_link_on_a_page_keeps_the_current_page(self):
        for path in ("/", "/some/path?x=1&y=%E3%81%82"):
            with self.subTest(path=path):
                page = self.server.get(path)
                link = self.switch_link(page)
                self.assertTrue(link.startswith("/lang/en?next="), link)
                reply = self.server.get(link)
                self.assertEqual(reply.status, 303)
                self.assertEqual(urllib.parse.unquote(reply.header("Location")), urllib.parse.unquote(path))
                cookie = reply.all("Set-Cookie")[0].split(";")[0]
                back = self.server.get(reply.header("Location"), {"Cookie": cookie})
                self.assertEqual(back.html_lang(), "en")
                self.assertTrue(self.switch_link(back).startswith("/lang/ja?next="))

    def test_the_switch_link_names_the_other_language_in_that_language(self):
        reply = self.server.get("/")
        m = re.search(r'<a class="lang-switch"[^>]*lang="en"[^>]*>(.*?)</a>', reply.text, re.S)
        self.assertIsNotNone(m)
        self.assertIn(html_escape(self.en["lang.self_name"]), m.group(1))


if __name__ == "__main__":
    unittest.main()
