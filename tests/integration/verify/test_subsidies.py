"""The subsidy catalogue against the real binary: GET /api/v1/subsidies and /api/v1/subsidies/{slug}
(every public field under stable names, an ETag from the edition, 304 on a match, problem+json for
an unknown slug), GET /api/v1/declarations/{id}/readiness (public facts only: per programme the
verdict and gap codes; the lookup's ID parsing, full-width digits included, and its 400 and 404),
the /subsidies page's GET filters with closed programmes marked and never hidden without saying
so, a programme's page, and a signed-in declarant's readiness page with the links each gap needs."""

import json
import re
import tomllib
import unittest
from urllib.parse import quote

from registry_flow import Registry, application, mistyped, two_star
from sengen_server import SOURCE_DIR, SengenServer, catalogue, html_escape, new_session_token, token_hash

SHIPPED = tomllib.loads((SOURCE_DIR / "content" / "subsidies.toml").read_text(encoding="utf-8"))
PROGRAMME_MEMBERS = ["slug", "name", "body", "summary", "scope", "prefecture", "city", "status", "minimum_level",
                     "frames", "asks", "accepts", "accepts_this_registry", "prerequisites", "years", "rounds",
                     "sources", "checked", "note"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def cards(page: str) -> list[str]:
    return re.findall(r'<li class="card subsidy-card subsidy-(\w+)">\s*<h2 class="card-title"><a href="/subsidies/([a-z0-9-]+)"',
                      page)


class SubsidyApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.registry = Registry(cls.server)
        cls.one, cls.two, cls.stopped = cls.registry.declare_many([
            application(business_name="補助金一つ星商店"),
            two_star(business_name="補助金二つ星工業"),
            application(business_name="補助金停止商店"),
        ])
        cls.registry.stop(cls.stopped.public_id)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    # --- the catalogue ------------------------------------------------------------------------

    def test_the_catalogue_lists_every_programme_with_its_public_fields(self):
        r = self.server.get("/api/v1/subsidies")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        body = json.loads(r.body)
        self.assertEqual(list(body), ["edition", "registries", "programmes"])
        self.assertEqual(body["edition"], SHIPPED["edition"])
        self.assertEqual([p["slug"] for p in body["programmes"]], [p["slug"] for p in SHIPPED["programme"]])
        self.assertEqual(body["registries"][0]["code"], "ipa")
        self.assertTrue(body["registries"][0]["url"].startswith("https://"))
        for p, src in zip(body["programmes"], SHIPPED["programme"]):
            with self.subTest(slug=p["slug"]):
                self.assertEqual(list(p), PROGRAMME_MEMBERS)
                self.assertEqual(p["name"], {"ja": src["name"]["ja"], "en": src["name"]["en"]})
                self.assertEqual(p["status"], src["status"])
                self.assertEqual(p["accepts"], src["accepts"])
                self.assertFalse(p["accepts_this_registry"])  # every shipped programme checks IPA's registry
                self.assertEqual(p["sources"], src["sources"])
                self.assertEqual(p["checked"], src["checked"].isoformat())
                self.assertEqual([a["kind"] for a in p["asks"]], [a["kind"] for a in src["ask"]])
                self.assertEqual(p["minimum_level"], min(a["level"] for a in src["ask"]))
                self.assertEqual(p["prefecture"], src.get("prefecture"))
                for round_ in p["rounds"]:
                    self.assertEqual(list(round_), ["id", "name", "status", "opens", "closes"])

    def test_the_catalogue_is_cached_by_its_edition(self):
        r = self.server.get("/api/v1/subsidies")
        tag = r.header("ETag")
        self.assertIsNotNone(tag)
        self.assertIn(SHIPPED["edition"], tag)
        self.assertIn("public", r.header("Cache-Control"))
        again = self.server.get("/api/v1/subsidies", {"If-None-Match": tag})
        self.assertEqual(again.status, 304)
        one = self.server.get("/api/v1/subsidies/tokyo-cyber-security")
        self.assertNotEqual(one.header("ETag"), tag)
        self.assertEqual(self.server.get("/api/v1/subsidies/tokyo-cyber-security",
                                         {"If-None-Match": one.header("ETag")}).status, 304)

    def test_one_programme_by_its_slug(self):
        r = self.server.get("/api/v1/subsidies/tokyo-cyber-security")
        self.assertEqual(r.status, 200, r.text)
        body = json.loads(r.body)
        self.assertEqual(list(body), ["edition", "programme", "registries"])
        p = body["programme"]
        self.assertEqual(p["slug"], "tokyo-cyber-security")
        self.assertEqual(p["scope"], "prefectural")
        self.assertEqual(p["prefecture"], "13")
        self.assertEqual(p["minimum_level"], 2)
        self.assertEqual(p["asks"][0], {"kind": "required", "minimum_level": 2, "frames": ["equipment"],
                                        "note": p["asks"][0]["note"]})

    def test_an_unknown_slug_is_a_404_problem(self):
        for slug in ("no-such-programme", "UPPER", "%E8%A3%9C"):
            with self.subTest(slug=slug):
                r = self.server.get(f"/api/v1/subsidies/{slug}")
                self.assertEqual(r.status, 404)
                self.assertEqual(r.header("Content-Type"), "application/problem+json")
                self.assertEqual(json.loads(r.body)["status"], 404)

    # --- readiness ----------------------------------------------------------------------------

    def readiness(self, typed_id: str) -> dict:
        r = self.server.get(f"/api/v1/declarations/{quote(typed_id)}/readiness")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        return json.loads(r.body)

    def test_readiness_of_a_one_star_declaration_of_this_registry(self):
        body = self.readiness(self.one.public_id)
        self.assertEqual(list(body), ["id", "level", "status", "edition", "programmes"])
        self.assertEqual((body["id"], body["level"], body["status"]), (self.one.public_id, 1, "declared"))
        by_slug = {p["slug"]: p for p in body["programmes"]}
        self.assertEqual(list(by_slug), [p["slug"] for p in SHIPPED["programme"]])
        tokyo = by_slug["tokyo-cyber-security"]
        self.assertEqual(list(tokyo), ["slug", "verdict", "missing", "asks", "unchecked"])
        self.assertEqual(tokyo["verdict"], "not_met")
        self.assertEqual(tokyo["missing"], ["registry_not_accepted", "needs_two_stars"])
        # A ★ programme: only the registry is missing.
        self.assertEqual(by_slug["digital-ai-2026"]["missing"], ["registry_not_accepted"])
        self.assertEqual(by_slug["digital-ai-2026"]["unchecked"], ["gbizid_prime", "it_strategy_navi"])
        # Public facts only: no name, no contact.
        self.assertNotIn("補助金一つ星商店", self.server.get(f"/api/v1/declarations/{self.one.public_id}/readiness").text)

    def test_readiness_of_a_two_star_and_of_a_stopped_declaration(self):
        two = {p["slug"]: p for p in self.readiness(self.two.public_id)["programmes"]}
        self.assertEqual(two["tokyo-cyber-security"]["missing"], ["registry_not_accepted"])
        stopped = {p["slug"]: p for p in self.readiness(self.stopped.public_id)["programmes"]}
        self.assertEqual(stopped["digital-ai-2026"]["missing"][0], "declaration_stopped")
        self.assertEqual(stopped["digital-ai-2026"]["verdict"], "not_met")

    def test_readiness_reads_the_id_as_the_lookup_does(self):
        full_width = self.one.public_id.translate(FULL_WIDTH)
        self.assertEqual(self.readiness(full_width)["id"], self.one.public_id)
        hyphenated = f"{self.one.public_id[:1]}-{self.one.public_id[1:5]}-{self.one.public_id[5:]}"
        self.assertEqual(self.readiness(hyphenated)["id"], self.one.public_id)
        for typed, status in ((mistyped(self.one.public_id), 400), ("12345", 400), ("10000099990", None)):
            with self.subTest(typed=typed):
                r = self.server.get(f"/api/v1/declarations/{typed}/readiness")
                lookup = self.server.get(f"/api/v1/declarations/{typed}")
                self.assertEqual(r.status, lookup.status)
                if status:
                    self.assertEqual(r.status, status)
                self.assertEqual(r.header("Content-Type"), "application/problem+json")
                self.assertEqual(json.loads(r.body)["code"], json.loads(lookup.body)["code"])

    def test_an_unknown_id_is_a_404(self):
        from registry_flow import declaration_id
        r = self.server.get(f"/api/v1/declarations/{declaration_id(999999)}/readiness")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.header("Content-Type"), "application/problem+json")

    # --- the pages ----------------------------------------------------------------------------

    def page(self, path: str, lang: str = "ja") -> str:
        r = self.server.get(path, {"Accept-Language": lang, "Cookie": f"sengen_lang={lang}"})
        self.assertEqual(r.status, 200, r.text[:500])
        return r.text

    def test_the_list_shows_closed_programmes_marked(self):
        for lang, texts in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                page = self.page("/subsidies", lang)
                shown = cards(page)
                self.assertEqual([s for _, s in shown], [p["slug"] for p in SHIPPED["programme"]])
                closed = {p["slug"] for p in SHIPPED["programme"] if p["status"] == "closed"}
                self.assertTrue(closed)
                self.assertEqual({s for status, s in shown if status == "closed"}, closed)
                self.assertEqual(page.count(f'subsidy-status-closed">{html_escape(texts["subsidies.status_closed"])}<'),
                                 len(closed))
                self.assertIn(html_escape(texts["subsidies.not_this_registry"]), page)
                self.assertIn('href="/subsidies"', page)  # the footer links the catalogue

    def test_open_only_says_how_many_it_hides(self):
        page = self.page("/subsidies?open=1")
        open_ = [p["slug"] for p in SHIPPED["programme"] if p["status"] == "open"]
        self.assertEqual([s for _, s in cards(page)], open_)
        hidden = len(SHIPPED["programme"]) - len(open_)
        self.assertIn(html_escape(self.ja["subsidies.hidden_count"].replace("{n}", str(hidden))), page)
        self.assertIn('href="/subsidies"', page)
        self.assertRegex(page, r'id="f-subsidy_open" name="open" value="1" checked')

    def test_the_prefecture_and_kind_filters(self):
        page = self.page("/subsidies?prefecture=13")
        expected = [p["slug"] for p in SHIPPED["programme"] if p["scope"] == "national" or p.get("prefecture") == "13"]
        self.assertEqual([s for _, s in cards(page)], expected)
        self.assertIn("tokyo-cyber-security", expected)
        self.assertNotIn("akita-digital-trial", expected)
        self.assertIn('<option value="13" selected>', page)

        page = self.page("/subsidies?kind=bonus_points")
        expected = [p["slug"] for p in SHIPPED["programme"] if any(a["kind"] == "bonus_points" for a in p["ask"])]
        self.assertEqual([s for _, s in cards(page)], expected)
        self.assertIn('<option value="bonus_points" selected>', page)

        # Filters combine; open only still says what it hides.
        page = self.page("/subsidies?prefecture=23&kind=bonus_points&open=1")
        self.assertEqual(cards(page), [])
        self.assertIn(html_escape(self.ja["subsidies.none"]), page)
        self.assertIn('href="/subsidies?prefecture=23&amp;kind=bonus_points"', page)

        # Values the form never sends are no filter, and never an error.
        page = self.page("/subsidies?prefecture=99&kind=%3Cscript%3E&open=yes")
        self.assertEqual(len(cards(page)), len(SHIPPED["programme"]))
        self.assertNotIn("<script>", page)

    def test_a_programmes_page(self):
        for lang, texts in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                page = self.page("/subsidies/tokyo-cyber-security", lang)
                src = next(p for p in SHIPPED["programme"] if p["slug"] == "tokyo-cyber-security")
                self.assertIn(html_escape(src["name"][lang]), page)
                self.assertIn(html_escape(src["note"][lang]), page)
                for url in src["sources"]:
                    self.assertIn(f'href="{html_escape(url)}"', page)
                self.assertIn(html_escape(texts["subsidies.not_this_registry"]), page)
                self.assertIn('href="https://www.ipa.go.jp/security/security-action/"', page)
                self.assertIn('datetime="2026-12-06"', page)
        closed = self.page("/subsidies/monozukuri-digital")
        self.assertIn(html_escape(self.ja["subsidies.closed_note"]), closed)
        self.assertEqual(self.server.get("/subsidies/no-such-programme").status, 404)

    def signed_in_cookie(self, public_id: str) -> str:
        token = new_session_token()
        (account,), = self.server.sql("SELECT account_id FROM declarations WHERE public_id = ?", (public_id,))
        self.server.sql("INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, "
                        "strftime('%s','now'), strftime('%s','now') + 3600)", (token_hash(token), account))
        return f"{self.server.session_cookie_name()}={token}; sengen_lang=ja"

    def test_the_declarants_readiness_page_links_each_gap(self):
        cookie = self.signed_in_cookie(self.one.public_id)
        path = f"/mypage/declarations/{self.one.public_id}/subsidies"
        r = self.server.get(path, {"Cookie": cookie})
        self.assertEqual(r.status, 200, r.text[:500])
        page = r.text
        start = page.index('id="programme-tokyo-cyber-security"')
        end = page.find('id="programme-', start + 1)
        tokyo = page[start:end if end > 0 else len(page)]
        self.assertIn('data-gap="needs_two_stars"', tokyo)
        self.assertIn('href="/assessment"', tokyo)
        self.assertIn('href="/mypage#policies-title"', tokyo)
        self.assertIn('data-gap="registry_not_accepted"', tokyo)
        self.assertIn('href="https://www.ipa.go.jp/security/security-action/"', tokyo)
        self.assertIn(html_escape(self.ja["subsidies.verdict_not_met"]), tokyo)
        # The declaration's page links here.
        detail = self.server.get(f"/mypage/declarations/{self.one.public_id}", {"Cookie": cookie})
        self.assertIn(f'href="{path}"', detail.text)
        # Someone else's declaration is not found; without a session it asks to sign in.
        self.assertEqual(self.server.get(f"/mypage/declarations/{self.two.public_id}/subsidies",
                                         {"Cookie": cookie}).status, 404)
        self.assertEqual(self.server.get(path).status, 303)

    def test_a_stopped_declaration_is_told_how_to_declare_again(self):
        cookie = self.signed_in_cookie(self.stopped.public_id)
        page = self.server.get(f"/mypage/declarations/{self.stopped.public_id}/subsidies", {"Cookie": cookie}).text
        self.assertIn('data-gap="declaration_stopped"', page)
        self.assertIn(html_escape(self.ja["subsidies.gap_declaration_stopped"]), page)
        self.assertIn(f'href="/apply">{html_escape(self.ja["subsidies.link_declare_again"])}', page)


if __name__ == "__main__":
    unittest.main()
