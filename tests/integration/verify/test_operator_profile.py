"""Whose registry this is (issue 11): the operator profile names the issuer in the API, on
/verify and in the completion mail; /about, /privacy and /terms come from it; the demonstration
profile puts a banner on every page and warns when served beyond loopback; an ID shaped like
IPA's (11 digits starting with 4 or 5, failing our check digit) is sent to the other registry
rather than called a typo; id-leading-digit refuses 4 and 5 without the acknowledgement."""

import json
import re
import sqlite3
import tempfile
import unittest
from pathlib import Path

from browser_client import BrowserClient
from registry_flow import Registry, application, damm, mistyped
from sengen_server import LOOPBACK, SengenServer, catalogue, free_port, html_escape, run_sengen

DEMO_OPERATOR_JA = "せんげん デモ運営事務局"
DEMO_OPERATOR_EN = "sengen demo operations office"
IPA_LOOKUP = "https://sme-security.ipa.go.jp/"

OWN_PROFILE = """\
programme_name.ja = "試験県 情報セキュリティ宣言"
programme_name.en = "Test Prefecture security declarations"
operator_name.ja = "試験県 産業振興課"
operator_name.en = "Test Prefecture industry division"
postal_address.ja = "〒999-9999 試験県試験市1-1"
postal_address.en = "1-1 Test City, Test Prefecture 999-9999"
accepted_for.ja = "試験県の取引先登録で、この自己宣言IDを記入できます。"
accepted_for.en = "Test Prefecture's supplier register accepts this declaration ID."

[contact]
form_url = "https://example.jp/contact"

[privacy]
updated = 2026-05-01
purposes.ja = ["宣言を受け付けるため"]
purposes.en = ["To receive declarations"]
sharing.ja = "提供しません。"
sharing.en = "We share nothing."
retention.ja = "宣言の間。"
retention.en = "While the declaration stands."
safeguards.ja = "暗号化します。"
safeguards.en = "We encrypt."
requests.ja = "フォームからご請求ください。"
requests.en = "Ask through the form."
"""


def failing_id(leading: int) -> str:
    """Eleven digits starting with `leading` that fail sengen's Damm check digit."""
    body = f"{leading}000012345"
    good = damm(body)
    return body + str((good + 1) % 10)


class DemoProfile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)
        cls.one = cls.registry.declare(application(business_name="発行元商店", business_name_kana="ハッコウモトショウテン"))

    def get(self, path, lang=None):
        return self.server.get(path, {"Accept-Language": lang} if lang else None)

    # --- the API names its issuer ---------------------------------------------------------------

    def test_the_api_names_the_issuer_with_its_base_url(self):
        reply = self.get(f"/api/v1/declarations/{self.one.public_id}")
        self.assertEqual(reply.status, 200, reply.text)
        data = json.loads(reply.body)
        self.assertEqual(data["issuer"], {"name": DEMO_OPERATOR_JA, "url": self.server.origin})
        self.assertEqual(self.one.confirmed["issuer"], data["issuer"])

    def test_the_bulk_answer_and_the_history_name_the_issuer_too(self):
        made = run_sengen("--db", f"sqlite:{self.server.db_path}", "verifier-key", "create", "--name", "発行元の確認")
        self.assertEqual(made.returncode, 0, made.stderr)
        key = made.stdout.strip().splitlines()[-1]
        issuer = {"name": DEMO_OPERATOR_JA, "url": self.server.origin}
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                bulk = self.registry.post_json("/api/v1/verifications", {"ids": [self.one.public_id, failing_id(4)]},
                                               headers={"Authorization": f"Bearer {key}", "Accept-Language": lang})
                self.assertEqual(bulk.status, 200, bulk.text)
                answer = json.loads(bulk.body)
                self.assertEqual(answer["issuer"], issuer)
                self.assertEqual([r["found"] for r in answer["results"]], [True, False])
                history = self.get(f"/api/v1/declarations/{self.one.public_id}/history", lang)
                self.assertEqual(history.status, 200, history.text)
                self.assertEqual(json.loads(history.body)["issuer"], issuer)

    # --- IDs of another registry -------------------------------------------------------------------

    def test_an_ipa_shaped_id_is_sent_to_the_other_registry_by_the_api_in_both_languages(self):
        for leading in (4, 5):
            for lang, texts in (("ja", self.ja), ("en", self.en)):
                with self.subTest(leading=leading, lang=lang):
                    reply = self.get(f"/api/v1/declarations/{failing_id(leading)}", lang)
                    self.assertEqual(reply.status, 404, reply.text)
                    self.assertEqual(reply.header("Content-Type"), "application/problem+json")
                    problem = json.loads(reply.body)
                    self.assertTrue(problem["type"].endswith("/problems/other-registry"), problem)
                    self.assertEqual(problem["code"], "id.other_registry")
                    self.assertEqual(problem["title"], texts["error.other_registry.title"])
                    self.assertEqual(problem["detail"], texts["error.other_registry.body"])
                    self.assertEqual([r["lookup_url"] for r in problem["other_registries"]], [IPA_LOOKUP])

    def test_a_mistyped_id_of_ours_is_still_a_typo(self):
        reply = self.get(f"/api/v1/declarations/{mistyped(self.one.public_id)}")
        self.assertEqual(reply.status, 400)
        self.assertTrue(json.loads(reply.body)["type"].endswith("/problems/id-check-digit"))

    def test_verify_sends_an_ipa_shaped_id_to_the_other_registry_in_both_languages(self):
        for lang, texts in (("ja", self.ja), ("en", self.en)):
            for path in (f"/verify/{failing_id(4)}", f"/verify?id={failing_id(5)}"):
                with self.subTest(lang=lang, path=path):
                    reply = self.get(path, lang)
                    self.assertEqual(reply.status, 404)
                    self.assertEqual(reply.html_lang(), lang)
                    self.assertIn(html_escape(texts["verify.other_registry.title"]), reply.text)
                    self.assertIn(f'href="{IPA_LOOKUP}"', reply.text)
                    self.assertNotIn(html_escape(texts["field_error.check_digit"]), reply.text)

    # --- the issuer on the public page ---------------------------------------------------------

    def test_verify_names_the_registry_that_issued_the_id(self):
        for lang, name in (("ja", DEMO_OPERATOR_JA), ("en", DEMO_OPERATOR_EN)):
            with self.subTest(lang=lang):
                reply = self.get(f"/verify/{self.one.public_id}", lang)
                self.assertEqual(reply.status, 200)
                self.assertIn(html_escape(self.ja["profile.issuer_row"] if lang == "ja" else self.en["profile.issuer_row"]),
                              reply.text)
                self.assertIn(name, reply.text)

    # --- the operator's pages --------------------------------------------------------------------

    def test_about_privacy_and_terms_are_served_in_both_languages(self):
        for lang, texts, name in (("ja", self.ja, DEMO_OPERATOR_JA), ("en", self.en, DEMO_OPERATOR_EN)):
            with self.subTest(lang=lang):
                about = self.get("/about", lang)
                self.assertEqual(about.status, 200)
                self.assertIn(name, about.text)
                self.assertIn("contact@sengen.example.jp", about.text)
                self.assertIn(f'href="{IPA_LOOKUP}"', about.text)
                privacy = self.get("/privacy", lang)
                self.assertEqual(privacy.status, 200)
                for key in ("purposes_title", "sharing_title", "retention_title", "safeguards_title", "requests_title"):
                    self.assertIn(html_escape(texts[f"profile.privacy.{key}"]), privacy.text)
                # What is received is said in full: besides the form's business details, the type
                # of business, the purposes, what My Page keeps and what verifiers give.
                collected = re.search(r'<section aria-labelledby="privacy-collected">.*?</section>', privacy.text,
                                      re.S).group(0)
                words = {"ja": ["事業者の種類", "宣言する段階と目的", "メールの言語", "自社診断を行った日",
                                "自社診断の回答と結果", "基本方針の内容", "確認機関", "IPアドレス"],
                         "en": ["type of business", "its purposes", "language for mail", "date of the self-assessment",
                                "self-assessment answers and results", "basic policies you write", "verifiers",
                                "address each request comes from"]}[lang]
                for word in words:
                    self.assertIn(word, collected)
                # What is public is the one list (web.public_fields checks its items).
                self.assertIn(html_escape(texts["public_fields.title"]), privacy.text)
                self.assertIn(name, privacy.text)
                # /terms is the current version, 2026-2, and lists the earlier one at its own address.
                terms = self.get("/terms", lang)
                self.assertEqual(terms.status, 200)
                self.assertIn("<strong>2026-2</strong>", terms.text)
                self.assertIn('href="/terms/2026-1"', terms.text)
                self.assertIn(html_escape(texts["profile.terms.current"]), terms.text)
                version = self.get("/terms/2026-2", lang)
                self.assertEqual(version.status, 200)
                self.assertIn(html_escape(texts["profile.terms.current"]), version.text)
                # The version declarants agreed to before stays readable, marked as not the current one.
                earlier = self.get("/terms/2026-1", lang)
                self.assertEqual(earlier.status, 200)
                self.assertIn(html_escape(texts["profile.terms.not_current"]), earlier.text)
                self.assertNotIn(html_escape(texts["profile.terms.current"]), earlier.text)
                self.assertIn('<a href="/terms">', earlier.text)
        self.assertEqual(self.get("/terms/1999-9").status, 404)

    def test_every_page_names_the_operator_and_links_its_pages_and_shows_the_demo_banner(self):
        for path in ("/", "/verify", "/apply", "/signin", "/about", "/no-such-page"):
            for lang, texts, name in (("ja", self.ja, DEMO_OPERATOR_JA), ("en", self.en, DEMO_OPERATOR_EN)):
                with self.subTest(path=path, lang=lang):
                    page = self.get(path, lang).text
                    for link in ('href="/about"', 'href="/privacy"', 'href="/terms"'):
                        self.assertIn(link, page)
                    self.assertIn(name, page)
                    self.assertIn(html_escape(texts["profile.demo_banner.title"]), page)
                    self.assertIn(html_escape(texts["profile.demo_banner.body"]), page)

    # --- the completion mail ---------------------------------------------------------------------

    def test_the_completion_mail_names_the_issuer_links_the_operator_pages_and_promises_nothing(self):
        to = self.one.application["contact_email"].strip().lower()
        mails = self.registry.wait_for_mail(to, count=2)
        declared = [m for m in mails if self.one.public_id in m["Subject"]]
        self.assertEqual(len(declared), 1, [m["Subject"] for m in mails])
        body = self.registry.body(declared[0])
        self.assertIn(DEMO_OPERATOR_JA, body)
        self.assertNotIn("補助金", body)
        for mail in mails:
            text = self.registry.body(mail)
            for page in ("/about", "/privacy", "/terms"):
                self.assertIn(self.server.origin + page, text)

    def test_a_loopback_listen_with_the_demo_profile_starts_without_a_warning(self):
        self.assertNotIn("demonstration operator profile", self.server.log())


class OwnProfile(unittest.TestCase):
    """An operator's own profile file, named by operator-profile: no banner, its names everywhere."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.dir.cleanup)
        path = Path(cls.dir.name) / "test-prefecture.toml"
        path.write_text(OWN_PROFILE, encoding="utf-8")
        cls.server = SengenServer("--mail-poll-ms", "50", "--operator-profile", str(path)).start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)

    def test_pages_name_the_operator_without_a_demo_banner(self):
        for lang, texts, name in (("ja", self.ja, "試験県 産業振興課"), ("en", self.en, "Test Prefecture industry division")):
            with self.subTest(lang=lang):
                page = self.server.get("/", {"Accept-Language": lang}).text
                self.assertIn(name, page)
                self.assertNotIn(html_escape(texts["profile.demo_banner.title"]), page)
                about = self.server.get("/about", {"Accept-Language": lang}).text
                self.assertIn('href="https://example.jp/contact"', about)

    def test_a_profile_that_lists_no_other_registry_still_sends_ipas_ids_to_ipa(self):
        # The profile has no [[other_registry]]: the shipped list (IPA's) applies.
        for lang, texts in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                reply = self.server.get(f"/api/v1/declarations/{failing_id(5)}", {"Accept-Language": lang})
                self.assertEqual(reply.status, 404, reply.text)
                problem = json.loads(reply.body)
                self.assertTrue(problem["type"].endswith("/problems/other-registry"), problem)
                self.assertEqual([r["lookup_url"] for r in problem["other_registries"]], [IPA_LOOKUP])
                page = self.server.get(f"/verify/{failing_id(4)}", {"Accept-Language": lang})
                self.assertEqual(page.status, 404)
                self.assertIn(html_escape(texts["verify.other_registry.title"]), page.text)
                self.assertIn(f'href="{IPA_LOOKUP}"', page.text)

    def test_the_completion_page_and_mail_show_what_the_operator_says_the_id_is_accepted_for(self):
        one = self.registry.declare(application(business_name="受付商店", business_name_kana="ウケツケショウテン"))
        reply = self.server.get(f"/api/v1/declarations/{one.public_id}")
        self.assertEqual(json.loads(reply.body)["issuer"]["name"], "試験県 産業振興課")
        to = one.application["contact_email"].strip().lower()
        declared = [m for m in self.registry.wait_for_mail(to, count=2) if one.public_id in m["Subject"]]
        self.assertIn("試験県の取引先登録で、この自己宣言IDを記入できます。", self.registry.body(declared[0]))

    def test_the_completion_page_shows_it_in_the_readers_language(self):
        expected = {"ja": "試験県の取引先登録で、この自己宣言IDを記入できます。",
                    "en": html_escape("Test Prefecture's supplier register accepts this declaration ID.")}
        for n, lang in enumerate(("ja", "en")):
            with self.subTest(lang=lang):
                app = application(business_name=f"完了商店{n}", business_name_kana="カンリョウショウテン", lang=lang)
                self.assertEqual(self.registry.apply(app).status, 202)
                token = self.registry.confirmation_token(app["contact_email"].strip().lower())
                visitor = BrowserClient(self.server, lang, self.registry.fresh_address())
                page = visitor.get(f"/confirm/{token}")
                self.assertEqual(page.status, 200)
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
                done = visitor.follow(visitor.post(f"/confirm/{token}", {"csrf": csrf}))
                self.assertEqual(done.status, 200)
                self.assertIn("declaration-id", done.text)
                self.assertIn(expected[lang], done.text)

    def test_the_badge_page_names_the_issuer_and_the_stop_page_says_the_id_stops_verifying(self):
        for n, lang in enumerate(("ja", "en")):
            with self.subTest(lang=lang):
                texts = catalogue(lang)
                app = application(business_name=f"札商店{n}", business_name_kana="フダショウテン", lang=lang)
                self.assertEqual(self.registry.apply(app).status, 202)
                token = self.registry.confirmation_token(app["contact_email"].strip().lower())
                visitor = BrowserClient(self.server, lang, self.registry.fresh_address())
                page = visitor.get(f"/confirm/{token}")
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
                done = visitor.follow(visitor.post(f"/confirm/{token}", {"csrf": csrf}))
                detail = re.search(r'href="(/mypage/declarations/[^"/]+)/badge"', done.text).group(1)
                badge = visitor.get(detail + "/badge")
                self.assertEqual(badge.status, 200)
                programme = {"ja": "試験県 情報セキュリティ宣言", "en": "Test Prefecture security declarations"}[lang]
                operator = {"ja": "試験県 産業振興課", "en": "Test Prefecture industry division"}[lang]
                self.assertIn(html_escape(texts["profile.issuer_label"]) + html_escape(programme), badge.text)
                self.assertIn(html_escape(texts["profile.operated_by"]) + html_escape(operator), badge.text)
                stop = visitor.get(detail + "/stop")
                self.assertEqual(stop.status, 200)
                self.assertIn(html_escape(texts["mypage.stop.no_longer_verifies"]), stop.text)


class StartChecks(unittest.TestCase):
    def test_the_demo_profile_beyond_loopback_logs_a_warning_at_start(self):
        with SengenServer(host="0.0.0.0") as server:
            self.assertIn("demonstration operator profile", server.log())

    def test_id_leading_digit_refuses_4_and_5_without_the_acknowledgement(self):
        with tempfile.TemporaryDirectory() as d:
            db = f"sqlite:{d}/db.sqlite"
            for digit in ("4", "5"):
                with self.subTest(digit=digit):
                    refused = run_sengen("migrate", "--db", db, "--id-leading-digit", digit)
                    self.assertEqual(refused.returncode, 2, refused.stderr)
                    self.assertIn("setting id-leading-digit", refused.stderr)
                    self.assertIn("allow-ipa-leading-digit", refused.stderr)
                    allowed = run_sengen("migrate", "--db", db, "--id-leading-digit", digit,
                                         "--allow-ipa-leading-digit", "true")
                    self.assertEqual(allowed.returncode, 0, allowed.stderr)

    def test_a_broken_profile_stops_the_start_with_file_and_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "broken.toml"
            path.write_text(OWN_PROFILE.replace('form_url = "https://example.jp/contact"', 'form_url = "not a url"'),
                            encoding="utf-8")
            result = run_sengen("serve", "--db", f"sqlite:{d}/db.sqlite", "--listen", f"{LOOPBACK}:{free_port()}",
                                "--mail", f"file:{d}/mail", "--operator-profile", str(path))
            self.assertEqual(result.returncode, 1)
            self.assertIn(f"{path}:11: contact: 'form_url'", result.stderr)


class Seeding(unittest.TestCase):
    """`sengen seed` writes invented declarations: only into the demonstration registry unless
    forced, and marked as invented wherever they are."""

    def seeded(self, db: str) -> list[tuple]:
        """The declarations in `db`; none when it has no tables yet."""
        if not Path(db).exists():
            return []
        with sqlite3.connect(db) as c:
            try:
                return c.execute("SELECT public_id, contact_email, representative_name FROM declarations").fetchall()
            except sqlite3.OperationalError:
                return []

    def test_seed_refuses_a_registry_with_its_own_profile_unless_forced(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "own.toml"
            path.write_text(OWN_PROFILE, encoding="utf-8")
            db = f"{d}/db.sqlite"
            refused = run_sengen("--db", f"sqlite:{db}", "--operator-profile", str(path), "seed", "--declarations", "3")
            self.assertEqual(refused.returncode, 2, refused.stderr)
            self.assertIn("seed refused", refused.stderr)
            self.assertIn("--force", refused.stderr)
            self.assertEqual(self.seeded(db), [])
            forced = run_sengen("--db", f"sqlite:{db}", "--operator-profile", str(path), "seed", "--declarations", "3",
                                "--force")
            self.assertEqual(forced.returncode, 0, forced.stderr)
            self.assertEqual(len(self.seeded(db)), 3)

    def test_the_demonstration_registry_is_seeded_and_every_invented_declaration_is_marked(self):
        with tempfile.TemporaryDirectory() as d:
            db = f"{d}/db.sqlite"
            made = run_sengen("--db", f"sqlite:{db}", "seed", "--declarations", "4")
            self.assertEqual(made.returncode, 0, made.stderr)
            rows = self.seeded(db)
            self.assertEqual(len(rows), 4)
            for public_id, contact, representative in rows:
                # A reserved name that can receive no mail (RFC 2606), and a sample person's name.
                self.assertTrue(contact.endswith("@example.invalid"), contact)
                self.assertTrue(representative.startswith("見本"), representative)
            with sqlite3.connect(db) as c:
                audit = c.execute("SELECT actor, details FROM audit_events WHERE action = 'declarations.seeded'").fetchall()
            self.assertEqual(len(audit), 1, audit)
            self.assertEqual(audit[0][0], "operator:cli")
            details = json.loads(audit[0][1])
            ids = sorted(str(r[0]) for r in rows)
            self.assertEqual((details["count"], details["first_id"], details["last_id"]), ("4", ids[0], ids[-1]))


if __name__ == "__main__":
    unittest.main()
