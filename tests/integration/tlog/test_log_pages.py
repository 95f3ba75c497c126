"""What a visitor sees of the transparency log (issue 14, points 1 and 4), in Japanese and
English, on a real `sengen serve`: with the log's key set, /about shows the verifier key that
/log/key serves, a sentence on what it is for and links to /log/key and /log/checkpoint;
/verify/{id} says which entry of the log holds the declaration's latest change and how many the
signed checkpoint holds, and links to the signed statement as a download (which answers that entry);
the owner's badge page offers the same download. Without a key none of it appears."""

import json
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "verify"))

import tlog_reference as ref  # noqa: E402
from browser_client import BrowserClient  # noqa: E402
from log_server import BASE_URL, ORIGIN, keygen, serve_with_log_key  # noqa: E402
from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, binary, catalogue, clean_environment, html_escape  # noqa: E402

LANGS = ("ja", "en")


def position_sentence(lang: str, n: int, size: int) -> str:
    text = catalogue(lang)["log.position"].replace("{n}", str(n)).replace("{size}", str(size))
    return html_escape(text)


def badge_page(server, registry, lang: str, n: int) -> str:
    """Applies and confirms in the browser as the owner does, and opens the badge page."""
    app = application(business_name=f"記録商店{n}", business_name_kana="キロクショウテン", lang=lang)
    assert registry.apply(app).status == 202
    token = registry.confirmation_token(app["contact_email"].strip().lower())
    visitor = BrowserClient(server, lang, registry.fresh_address())
    page = visitor.get(f"/confirm/{token}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = visitor.follow(visitor.post(f"/confirm/{token}", {"csrf": csrf}))
    detail = re.search(r'href="(/mypage/declarations/([^"/]+))/badge"', done.text)
    return detail.group(2), visitor, detail.group(1) + "/badge"


class PagesWithAKey(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.vkey = serve_with_log_key()
        cls.registry = Registry(cls.server)
        cls.declared = cls.registry.declare_many([application() for _ in range(2)])
        cls.owners = {lang: badge_page(cls.server, cls.registry, lang, n) for n, lang in enumerate(LANGS)}
        cls.size = 4
        deadline = time.monotonic() + 20
        while int(ref.verify_note(cls.server.get("/log/checkpoint").text, cls.vkey).splitlines()[1]) < cls.size:
            assert time.monotonic() < deadline, "no checkpoint of 4 entries"
            time.sleep(0.2)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_about_shows_the_verifier_key_what_it_is_for_and_the_links(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                texts = catalogue(lang)
                page = self.server.get("/about", {"Accept-Language": lang})
                self.assertEqual(page.status, 200)
                self.assertIn(f'<code class="log-key">{html_escape(self.vkey)}</code>', page.text)
                for key in ("profile.about.log_title", "profile.about.log_key_intro", "profile.about.log_limits"):
                    self.assertIn(html_escape(texts[key]), page.text, key)
                self.assertIn('href="/log/checkpoint"', page.text)
                self.assertIn('href="/log/key"', page.text)
                self.assertEqual(self.server.get("/log/key").text, self.vkey + "\n")

    def test_verify_says_which_entry_holds_the_latest_change_and_offers_the_statement(self):
        for lang in LANGS:
            for index, d in enumerate(self.declared):
                with self.subTest(lang=lang, id=d.public_id):
                    page = self.server.get(f"/verify/{d.public_id}", {"Accept-Language": lang})
                    self.assertEqual(page.status, 200)
                    self.assertIn(html_escape(catalogue(lang)["log.title"]), page.text)
                    self.assertIn(position_sentence(lang, index + 1, self.size), page.text)
                    link = f'href="/api/v1/declarations/{d.public_id}/statement" download="statement-{d.public_id}.json"'
                    self.assertIn(link, page.text)
                    self.assertIn('href="/about#about-log"', page.text)
        statement = self.server.get(f"/api/v1/declarations/{self.declared[1].public_id}/statement")
        self.assertEqual(json.loads(statement.body)["leaf_index"], 1, "entry 2 counted from 1 is leaf 1")

    def test_the_badge_page_offers_the_signed_statement(self):
        for n, lang in enumerate(LANGS):
            with self.subTest(lang=lang):
                public_id, visitor, path = self.owners[lang]
                page = visitor.get(path)
                self.assertEqual(page.status, 200)
                self.assertIn(html_escape(catalogue(lang)["badge.statement_title"]), page.text)
                self.assertIn(position_sentence(lang, 3 + n, self.size), page.text)
                self.assertIn(f'href="/api/v1/declarations/{public_id}/statement" download="statement-{public_id}.json"',
                              page.text)


class PagesWithoutAKey(unittest.TestCase):
    def test_nothing_of_the_log_appears(self):
        with SengenServer("--mail-poll-ms", "50", base_url=BASE_URL) as server:
            registry = Registry(server)
            declared = registry.declare(application())
            owners = {lang: badge_page(server, registry, lang, n) for n, lang in enumerate(LANGS)}
            for lang in LANGS:
                with self.subTest(lang=lang):
                    texts = catalogue(lang)
                    about = server.get("/about", {"Accept-Language": lang})
                    self.assertEqual(about.status, 200)
                    self.assertNotIn(html_escape(texts["profile.about.log_title"]), about.text)
                    self.assertNotIn("/log/", about.text)
                    verify = server.get(f"/verify/{declared.public_id}", {"Accept-Language": lang})
                    self.assertEqual(verify.status, 200)
                    self.assertIn(declared.public_id, verify.text)
                    self.assertNotIn(html_escape(texts["log.title"]), verify.text)
                    self.assertNotIn("/statement", verify.text)
                    _, visitor, path = owners[lang]
                    badge = visitor.get(path)
                    self.assertEqual(badge.status, 200)
                    self.assertNotIn(html_escape(texts["badge.statement_title"]), badge.text)
                    self.assertNotIn("/statement", badge.text)


if __name__ == "__main__":
    unittest.main()
