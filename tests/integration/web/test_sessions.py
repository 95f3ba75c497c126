"""Sessions and tokens against the real binary: reading pages stores nothing, what is kept is
bounded, a session ends after a week however busy, "sign out everywhere" ends every session of the
account, pages whose address holds a token send no referrer, a confirmation link works once, and
only a POST saves the answers waiting for a sign-in."""

import http.client
import json
import re
import sys
import time
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "toolkit"))

from browser_client import token_of  # noqa: E402
from sengen_server import LOOPBACK, SengenServer, catalogue, html_escape, send, token_hash  # noqa: E402
from toolkit_flow import (FIRST, Browser, _addresses, application, csrf_of, forms,  # noqa: E402
                          signin_link, wait_for_mail)

JA = catalogue("ja")
EN = catalogue("en")

# Every page a visitor may read without signing in, and a few that redirect such a visitor.
PUBLIC_PAGES = [
    "/", "/apply", "/apply/business", "/apply/declaration", "/apply/check", "/apply/sent", "/signin",
    "/signin?next=%2Fassessment%2Fsave", "/verify", "/verify/search?name=test", "/assessment",
    "/assessment/part/1", "/assessment/part/2", "/assessment/part/3", "/assessment/result",
    "/assessment/save", "/mypage", "/lang/en?next=/", "/confirm/" + "A" * 43, "/signin/" + "A" * 43,
    "/healthz", "/robots.txt",
]


class Sessions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50", "--rate-limit-factor", "100").start()
        cls.addClassCleanup(cls.server.close)

    def session_rows(self) -> int:
        return self.server.sql("SELECT COUNT(*) FROM sessions")[0][0]

    def signed_in(self, address: str) -> Browser:
        b = Browser(self.server)
        b.sign_in(address)
        self.assertEqual(b.get("/mypage").status, 200)
        return b

    def mypage_form(self, b: Browser, action: str) -> list[tuple[str, str]]:
        page = b.get("/mypage")
        form = next(f for f in forms(page.text) if f["action"] == action)
        return list(form["hidden"].items())


class NothingStoredForReading(Sessions):
    def test_reading_every_public_page_many_times_stores_no_session(self):
        before = self.session_rows()
        with_cookies = Browser(self.server)
        for _ in range(20):
            for path in PUBLIC_PAGES:
                self.assertLess(self.server.get(path).status, 500, path)
                self.assertLess(with_cookies.get(path).status, 500, path)
        self.assertEqual(self.session_rows(), before)

    def test_a_form_shown_to_a_visitor_without_a_session_can_be_posted_and_still_stores_no_session(self):
        before = self.session_rows()
        b = Browser(self.server)
        page = b.get("/signin")
        self.assertEqual(page.status, 200)
        self.assertEqual(list(b.cookies), ["sengen_csrf"])
        sent = b.post("/signin", {"csrf": csrf_of(page.text), "email": "reader@example.jp"})
        self.assertEqual(sent.status, 200)
        # The token of one visitor's cookie does not pass with another's cookie.
        other = Browser(self.server)
        other.get("/signin")
        self.assertEqual(other.post("/signin", {"csrf": csrf_of(page.text), "email": "x@example.jp"}).status, 403)
        self.assertEqual(self.session_rows(), before)

    def test_refusing_the_terms_stores_no_session_and_agreeing_starts_one(self):
        before = self.session_rows()
        for lang, words, other in (("ja", JA, "en"), ("en", EN, "ja")):
            b = Browser(self.server, lang=lang)
            terms = b.get("/apply")
            refused = b.post("/apply", {"csrf": csrf_of(terms.text)})
            self.assertEqual(refused.status, 422)
            self.assertIn(html_escape(words["field_error.terms_required"]), refused.text)
            # The language switch with the box left empty keeps nothing either.
            switched = b.post("/apply", {"csrf": csrf_of(refused.text), "switch_lang": other})
            self.assertEqual(switched.status, 200)
            self.assertEqual(self.session_rows(), before, lang)
        agreed = b.post("/apply", {"csrf": csrf_of(b.get("/apply").text), "terms_agreed": "yes"})
        self.assertEqual(agreed.status, 303)
        self.assertEqual(self.session_rows(), before + 1)
        # Once an application is in progress, taking the agreement back is kept too.
        untick = b.post("/apply", {"csrf": csrf_of(b.get("/apply").text)})
        self.assertEqual(untick.status, 422)
        self.assertNotEqual(b.get("/apply/business").status, 200)


class BoundedBeforeStored(Sessions):
    def test_an_application_step_over_its_limits_is_shown_again_and_not_kept(self):
        b = Browser(self.server)
        terms = b.get("/apply")
        self.assertEqual(b.post("/apply", {"csrf": csrf_of(terms.text), "terms_agreed": "yes"}).status, 303)
        business = b.get("/apply/business")
        long_name = "長" * 5000
        reply = b.post("/apply/business", {"csrf": csrf_of(business.text), "business_name": long_name,
                                           "purposes": "trust", "prefecture": "x" * 1000})
        self.assertEqual(reply.status, 422)
        self.assertIn(html_escape(JA["field_error.too_long"]), reply.text)
        self.assertIn(long_name, reply.text)  # what was typed is shown again
        for (data,) in self.server.sql("SELECT data FROM sessions"):
            self.assertNotIn("長長長", data)
            self.assertNotIn("xxxx", data)
        # The form shown again can be posted (its token is the session's).
        fixed = b.post("/apply/business", {"csrf": csrf_of(reply.text), "business_name": "短い名前"})
        self.assertEqual(fixed.status, 422)
        self.assertTrue(any("短い名前" in d for (d,) in self.server.sql("SELECT data FROM sessions")))

    def test_a_next_path_over_512_bytes_is_not_kept_with_the_sign_in_link(self):
        b = Browser(self.server)
        page = b.get("/signin")
        address = "long-next@example.jp"
        sent = b.post("/signin", {"csrf": csrf_of(page.text), "email": address, "next": "/" + "a" * 600})
        self.assertEqual(sent.status, 200)
        rows = self.server.sql("SELECT next_path FROM signin_tokens ORDER BY created_at DESC LIMIT 1")
        self.assertEqual(rows, [("/mypage",)])
        at_limit = "/" + "b" * 511
        b.post("/signin", {"csrf": csrf_of(page.text), "email": "at-limit@example.jp", "next": at_limit})
        self.assertIn((at_limit,), self.server.sql("SELECT next_path FROM signin_tokens"))


class OneValuePerField(Sessions):
    def test_a_form_field_given_twice_or_also_in_the_query_counts_once_from_the_body(self):
        # HTTP parameter pollution: the sign-in link goes to the first address of the body only,
        # never to a second copy of the field nor to one slipped into the query string.
        b = Browser(self.server)
        page = b.get("/signin")
        sent = b.post("/signin?email=" + urllib.parse.quote("query-copy@example.jp"),
                      [("csrf", csrf_of(page.text)), ("email", "first-copy@example.jp"),
                       ("email", "second-copy@example.jp")])
        self.assertEqual(sent.status, 200)
        wait_for_mail(self.server, "first-copy@example.jp", r"/signin/link#([A-Za-z0-9_-]{43})")
        asked = [row[0] for row in self.server.sql("SELECT recipient FROM mail_outbox")]
        self.assertIn("first-copy@example.jp", asked)
        self.assertNotIn("second-copy@example.jp", asked)
        self.assertNotIn("query-copy@example.jp", asked)

class SessionLifetime(Sessions):
    def test_a_session_older_than_seven_days_is_not_accepted_however_recently_used(self):
        b = self.signed_in("week-old@example.jp")
        account = self.server.sql("SELECT id FROM accounts WHERE email_key = ?", ("week-old@example.jp",))[0][0]
        # Used a moment ago (expiry in the future), but started a week and a minute ago.
        self.server.sql("UPDATE sessions SET created_at = ?, expires_at = ? WHERE account_id = ?",
                        (int(time.time()) - 7 * 86400 - 60, int(time.time()) + 3600, account))
        reply = b.get("/mypage")
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.header("Location").startswith("/signin"))

    def test_a_session_of_six_days_is_still_accepted(self):
        b = self.signed_in("six-days@example.jp")
        account = self.server.sql("SELECT id FROM accounts WHERE email_key = ?", ("six-days@example.jp",))[0][0]
        self.server.sql("UPDATE sessions SET created_at = ? WHERE account_id = ?",
                        (int(time.time()) - 6 * 86400, account))
        self.assertEqual(b.get("/mypage").status, 200)


class SignOutEverywhere(Sessions):
    def test_signing_out_everywhere_ends_every_session_of_the_account_and_no_other(self):
        here = self.signed_in("everywhere@example.jp")
        there = self.signed_in("everywhere@example.jp")
        someone_else = self.signed_in("someone-else@example.jp")
        fields = self.mypage_form(here, "/signout/everywhere")
        done = here.post("/signout/everywhere", fields)
        self.assertEqual(done.status, 200)
        self.assertIn(html_escape(JA["signout.everywhere.done.title"]), done.text)
        self.assertIn('href="/signin"', done.text)
        for b in (here, there):
            self.assertEqual(b.get("/mypage").status, 303)
        self.assertEqual(someone_else.get("/mypage").status, 200)
        account = self.server.sql("SELECT id FROM accounts WHERE email_key = ?", ("everywhere@example.jp",))[0][0]
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM sessions WHERE account_id = ?", (account,)), [(0,)])

    def test_signing_out_everywhere_needs_the_csrf_token_and_a_signed_in_visitor(self):
        b = self.signed_in("everywhere-csrf@example.jp")
        fields = [(k, v) for k, v in self.mypage_form(b, "/signout/everywhere") if k != "csrf"]
        self.assertEqual(b.post("/signout/everywhere", fields).status, 403)
        self.assertEqual(b.get("/mypage").status, 200)
        anonymous = Browser(self.server)
        page = anonymous.get("/signin")
        reply = anonymous.post("/signout/everywhere", {"csrf": csrf_of(page.text)})
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.header("Location").startswith("/signin"))

    def test_my_page_offers_it_in_english_too(self):
        b = Browser(self.server, lang="en")
        b.sign_in("everywhere-en@example.jp")
        self.assertIn(html_escape(EN["mypage.signout_everywhere"]), b.get("/mypage").text)


FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_ON_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    "Version/17.6 Mobile/15E148 Safari/604.1")


class SessionList(Sessions):
    """My Page lists the account's sessions (ASVS V7.5.2) and ends any one of them."""

    def session_rows_of(self, page: str) -> list[str]:
        table = re.search(r'<table class="data-table sessions">(.*?)</table>', page, re.S)
        self.assertIsNotNone(table, "My Page has no list of sessions")
        return re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table.group(1), re.S)

    def test_my_page_lists_each_session_with_its_browser_and_network_and_marks_this_one(self):
        here = Browser(self.server)
        here.headers["User-Agent"] = FIREFOX_ON_LINUX
        here.sign_in("listed@example.jp")
        there = Browser(self.server)
        there.headers["User-Agent"] = SAFARI_ON_IPHONE + " <b>injected</b>"
        there.sign_in("listed@example.jp")
        self.signed_in("not-listed@example.jp")
        page = here.get("/mypage")
        self.assertEqual(page.status, 200)
        rows = self.session_rows_of(page.text)
        self.assertEqual(len(rows), 2, rows)
        mine = [r for r in rows if html_escape(JA["mypage.sessions.this_device"]) in r]
        self.assertEqual(len(mine), 1)
        self.assertIn("Firefox / Linux", mine[0])
        self.assertIn(here.source + "</td>", mine[0])  # an IPv4 client's network is its address, as the limits count it
        other = next(r for r in rows if r is not mine[0])
        self.assertIn("Safari / iPhone", other)
        self.assertIn(there.source + "</td>", other)
        self.assertNotIn("injected", page.text)
        # Only the other session has a button; this one ends by signing out.
        self.assertNotIn('action="/mypage/sessions/', mine[0])
        self.assertIn('action="/mypage/sessions/', other)
        # Neither a token nor a stored hash is on the page.
        for (hashed,) in self.server.sql("SELECT id_hash FROM sessions"):
            self.assertNotIn(hashed, page.text)
            self.assertNotIn(hashed[:32], page.text)
        for b in (here, there):
            self.assertNotIn(b.cookies["sengen_session"], page.text)

    def test_the_list_speaks_english_too(self):
        b = Browser(self.server, lang="en")
        b.sign_in("listed-en@example.jp")
        page = b.get("/mypage").text
        for key in ("mypage.sessions.title", "mypage.sessions.this_device", "mypage.sessions.unknown_browser"):
            self.assertIn(html_escape(EN[key]), page)

    def test_ending_one_session_signs_out_that_browser_only(self):
        here = self.signed_in("end-one@example.jp")
        there = self.signed_in("end-one@example.jp")
        elsewhere = self.signed_in("end-one@example.jp")
        stranger = self.signed_in("end-one-stranger@example.jp")
        row = next(r for r in self.session_rows_of(here.get("/mypage").text) if there.source + "</td>" in r)
        action = re.search(r'action="(/mypage/sessions/[^"]+/end)"', row).group(1)
        fields = self.mypage_form(here, action)
        # Not without the CSRF token, and not by another account.
        self.assertEqual(here.post(action, [(k, v) for k, v in fields if k != "csrf"]).status, 403)
        stranger_fields = self.mypage_form(stranger, "/signout")
        self.assertEqual(stranger.post(action, stranger_fields).status, 303)
        self.assertEqual(there.get("/mypage").status, 200)

        done = here.post(action, fields)
        self.assertEqual(done.status, 303)
        shown = here.follow(done)
        self.assertEqual(shown.status, 200)
        self.assertIn(html_escape(JA["mypage.sessions.ended"]), shown.text)
        gone = there.get("/mypage")
        self.assertEqual(gone.status, 303)
        self.assertTrue(gone.header("Location").startswith("/signin"))
        for b in (here, elsewhere, stranger):
            self.assertEqual(b.get("/mypage").status, 200)
        self.assertEqual(len(self.session_rows_of(here.get("/mypage").text)), 2)

    def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(self):
        anonymous = Browser(self.server)
        page = anonymous.get("/signin")
        reply = anonymous.post("/mypage/sessions/" + "a" * 32 + "/end", {"csrf": csrf_of(page.text)})
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.header("Location").startswith("/signin"))


class TokensInAddresses(Sessions):
    def apply(self, address: str) -> str:
        """Applies through the API; the confirmation token from the 受付確認 mail."""
        conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=10,
                                          source_address=(next(_addresses), 0))
        try:
            body = json.dumps(application(address), ensure_ascii=False).encode("utf-8")
            applied = send(conn, "POST", "/api/v1/applications", {"Content-Type": "application/json"}, body)
        finally:
            conn.close()
        self.assertEqual(applied.status, 202, applied.text)
        return wait_for_mail(self.server, address, r"/confirm#([A-Za-z0-9_-]{43})").group(1)

    def test_pages_whose_address_holds_a_token_send_no_referrer(self):
        token = self.apply("referrer@example.jp")
        # Every route whose address holds a token: confirming an application, taking over as the
        # new contact, signing in, and an operator's set-up link.
        for path in (f"/confirm/{token}", "/confirm/" + "B" * 43, "/signin/" + "C" * 43, "/contact-change/" + "D" * 43,
                     "/console/setup/" + "E" * 43):
            self.assertEqual(self.server.get(path).header("Referrer-Policy"), "no-referrer", path)
        # The pages of links mailed since ADR 59 (the token in the fragment, then in a form), and
        # the page the token is posted to.
        for path in ("/confirm", "/signin/link", "/contact-change", "/support", "/console/setup",
                     "/verifier/register/link"):
            opened = self.server.get(path)
            self.assertEqual((opened.status, opened.header("Referrer-Policy")), (200, "no-referrer"), path)
            self.assertEqual(opened.header("Cache-Control"), "no-store", path)
        b = Browser(self.server)
        shown = b.post("/confirm/view", {"csrf": csrf_of(b.get("/confirm").text), "token": token})
        self.assertEqual((shown.status, shown.header("Referrer-Policy")), (200, "no-referrer"))
        for path in ("/", "/signin", "/verify", "/apply"):
            self.assertEqual(self.server.get(path).header("Referrer-Policy"), "strict-origin-when-cross-origin", path)

    def test_a_confirmation_link_works_once_then_says_so_and_offers_sign_in(self):
        for lang, t in (("ja", JA), ("en", EN)):
            with self.subTest(lang=lang):
                b = Browser(self.server, lang=lang)
                token = self.apply(f"used-link-{lang}@example.jp")
                page = b.get(f"/confirm/{token}")
                self.assertEqual(page.status, 200)
                done = b.post(f"/confirm/{token}", {"csrf": csrf_of(page.text)})
                self.assertEqual(done.status, 200)
                self.assertIn(html_escape(t["confirm.done.title"]), done.text)

                again = Browser(self.server, lang=lang).get(f"/confirm/{token}")
                self.assertEqual(again.status, 410)
                self.assertIn(html_escape(t["confirm.used.title"]), again.text)
                self.assertIn(html_escape(t["confirm.used.body"]), again.text)
                self.assertIn('href="/signin"', again.text)
                self.assertNotIn("declaration-id", again.text)
                self.assertEqual(again.header("Referrer-Policy"), "no-referrer")

                # Pressed again a while later (not a double click): the same answer.
                self.server.sql("UPDATE declarations SET declared_at = declared_at - 600 "
                                "WHERE contact_email = ?", (f"used-link-{lang}@example.jp",))
                later = Browser(self.server, lang=lang)
                form = later.get("/signin")
                pressed = later.post(f"/confirm/{token}", {"csrf": csrf_of(form.text)})
                self.assertEqual(pressed.status, 410)
                self.assertIn(html_escape(t["confirm.used.title"]), pressed.text)


    def test_a_confirmation_link_signs_in_only_within_ten_minutes_of_the_mail_but_confirms_for_a_day(self):
        for lang, t in (("ja", JA), ("en", EN)):
            with self.subTest(lang=lang):
                late_address, early_address = f"late-link-{lang}@example.jp", f"early-link-{lang}@example.jp"
                late, early = self.apply(late_address), self.apply(early_address)
                # Mailed ten minutes and a second ago; then nine minutes ago (the minute between
                # leaves room for the time the test itself takes).
                self.server.sql("UPDATE declarations SET confirm_expires_at = confirm_expires_at - 601 "
                                "WHERE contact_email = ?", (late_address,))
                self.server.sql("UPDATE declarations SET confirm_expires_at = confirm_expires_at - 540 "
                                "WHERE contact_email = ?", (early_address,))
                b = Browser(self.server, lang=lang)
                page = b.get(f"/confirm/{late}")
                done = b.post(f"/confirm/{late}", {"csrf": csrf_of(page.text)})
                self.assertEqual(done.status, 200)
                self.assertIn(html_escape(t["confirm.done.title"]), done.text)
                self.assertIn(html_escape(t["confirm.done.signin_needed"].replace("{minutes}", "10")), done.text)
                self.assertIn('href="/signin"', done.text)
                self.assertEqual(b.get("/mypage").status, 303, "a late link must not sign in")
                self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE contact_email = ?",
                                                 (late_address,))[0][0], "declared")

                b = Browser(self.server, lang=lang)
                page = b.get(f"/confirm/{early}")
                done = b.post(f"/confirm/{early}", {"csrf": csrf_of(page.text)})
                self.assertEqual(done.status, 200)
                self.assertNotIn(html_escape(t["confirm.done.signin_needed"].replace("{minutes}", "10")), done.text)
                self.assertEqual(b.get("/mypage").status, 200, "a link followed in time signs in")

    def test_a_sign_in_link_lasts_ten_minutes_and_the_pages_and_mail_say_so(self):
        for lang, t in (("ja", JA), ("en", EN)):
            with self.subTest(lang=lang):
                address = f"ten-minutes-{lang}@example.jp"
                b = Browser(self.server, lang=lang)
                page = b.get("/signin")
                sent = b.post("/signin", {"csrf": csrf_of(page.text), "email": address})
                self.assertEqual(sent.status, 200)
                said = t["signin.sent.body"].replace("{email}", address).replace("{minutes}", "10")
                self.assertIn(html_escape(said), sent.text)
                link = signin_link(self.server, address)
                rows = self.server.sql("SELECT expires_at - created_at FROM signin_tokens WHERE token_hash = ?",
                                       (token_hash(token_of(link)),))
                self.assertEqual(rows, [(600,)])
                # Eleven minutes later it signs nobody in.
                self.server.sql("UPDATE signin_tokens SET expires_at = expires_at - 660 WHERE token_hash = ?",
                                (token_hash(token_of(link)),))
                self.assertEqual(b.press_link(link).status, 404)
                self.assertEqual(b.get("/mypage").status, 303)

    def test_a_link_serves_only_its_own_purpose(self):
        # A confirmation token does not sign in, and a sign-in token confirms nothing: each is
        # looked up only where it was made for. (Opening either page only shows its button; the
        # button's POST is what would act.)
        confirm_token = self.apply("cross-confirm@example.jp")
        b = Browser(self.server)
        form = b.get("/signin")
        self.assertNotEqual(b.post(f"/signin/{confirm_token}", {"csrf": csrf_of(form.text)}).status, 303)
        self.assertNotEqual(b.post("/signin/link", {"csrf": csrf_of(form.text), "token": confirm_token}).status, 303)
        self.assertEqual(b.get("/mypage").status, 303)

        someone = self.signed_in("cross-signin@example.jp")  # an account exists for this address
        page = someone.get("/signin")
        before = {p.name for p in Path(self.server.mail_dir).glob("*.eml")}
        self.assertEqual(someone.post("/signin", {"csrf": csrf_of(page.text), "email": "cross-signin@example.jp"}).status,
                         200)
        signin_token = wait_for_mail(self.server, "cross-signin@example.jp", r"/signin/link#([A-Za-z0-9_-]{43})",
                                     before).group(1)
        stranger = Browser(self.server)
        form = stranger.get("/signin")
        self.assertNotEqual(stranger.post(f"/confirm/{signin_token}", {"csrf": csrf_of(form.text)}).status, 200)
        self.assertNotEqual(stranger.post("/confirm", {"csrf": csrf_of(form.text), "token": signin_token}).status, 200)
        self.assertEqual(stranger.get("/mypage").status, 303)
        # The confirmation link still confirms what it was made for.
        page = stranger.get(f"/confirm/{confirm_token}")
        self.assertEqual(page.status, 200)

class SavingWaitingAnswers(Sessions):
    def test_get_assessment_save_changes_nothing_and_its_button_saves(self):
        b = Browser(self.server)
        self.assertEqual(b.save_assessment(FIRST).status, 303)
        b.sign_in("save-by-post@example.jp", "/assessment/save")
        page = b.get("/assessment/save")
        self.assertEqual(page.status, 200)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM self_assessments"), [(0,)])
        self.assertEqual(len(self.server.sql("SELECT 1 FROM sessions WHERE data LIKE '%pending_assessment%'")), 1)
        self.assertEqual(b.get("/assessment/save").status, 200)  # reading it twice saves nothing either
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM self_assessments"), [(0,)])

        form = next(f for f in forms(page.text) if f["action"] == "/assessment/save")
        without_token = [(k, v) for k, v in form["hidden"].items() if k != "csrf"]
        self.assertEqual(b.post("/assessment/save", without_token).status, 403)
        saved = b.post("/assessment/save", list(form["hidden"].items()))
        self.assertEqual(saved.status, 303)
        self.assertRegex(saved.header("Location"), r"^/mypage/assessments/\d+$")
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM self_assessments"), [(1,)])


if __name__ == "__main__":
    unittest.main()
