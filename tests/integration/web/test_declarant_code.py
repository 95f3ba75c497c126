"""A declarant's sign-in code from an authenticator app (ADR 61; ASVS 5.0 V6.3.3). With the setting
`declarant-second-factor` at `optional` (the default), a declarant sets a code up from My Page (the
QR code and the key for typing, confirmed by a first code); from then on every link that signs in
stops at the code page before the session is signed in, wrong codes are refused, recorded and
counted until the account is slowed, turning it off needs a current code, and each change is told
by email. An admin on the console removes the code of a declarant who lost the phone. With
`required`, an account without a code is taken to the set-up page before any My Page page, while
confirming an application still issues its ID at once.

The real binary, mailing through a real SMTP server on loopback; codes are computed as the
operators' and verifiers' tests compute them (tests/support/totp_code.py). A code is good once, so
the codes of one account are taken at successive time steps: the set-up's from now, the next from
the step after (the server accepts one step of drift either way, so a step that ends between
computing a code and checking it costs nothing)."""

import time
import unittest
import urllib.parse

from sengen_server import catalogue, html_escape
from smtp_flow import (Visitor, api_post, application, body, csrf_of, declare, edit_form_fields, forms, link,
                       sign_in_links, start_sink_and_server)
from test_console import set_up as set_up_operator
from test_lang_switch_forms import hidden_fields, switch_button
from totp_code import secret_on, totp

JA, EN = catalogue("ja"), catalogue("en")
SET_UP = "/mypage/signin-code"
CODE_PAGE = "/signin-code"


def at_step(offset: int) -> float:
    """A moment `offset` time steps from now."""
    return time.time() + 30 * offset


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def location(reply) -> tuple[str, dict]:
    parts = urllib.parse.urlsplit(reply.header("Location") or "")
    return parts.path, dict(urllib.parse.parse_qsl(parts.query))


class Declarants:
    """What both settings' tests share."""

    def declared(self, address: str) -> tuple[Visitor, str]:
        """A declaration confirmed in a new browser, which the confirmation signs in."""
        v = Visitor(self.server)
        return v, declare(self.server, self.sink, application(address), v)

    def set_up_code(self, v: Visitor, offset: int = 0) -> str:
        """Reads the key off the set-up page and confirms it with a code; returns the key."""
        page = v.get(SET_UP)
        self.assertEqual(page.status, 200, page.text[:300])
        self.assertIn('src="data:image/svg+xml;base64,', page.text)
        secret = secret_on(page.text)
        done = v.post(SET_UP, {"csrf": csrf_of(page.text), "next": "/mypage", "code": totp(secret, at_step(offset))})
        self.assertEqual((done.status, location(done)[0]), (303, "/mypage"), done.text[:300])
        return secret

    def link_step(self, address: str) -> tuple[Visitor, object]:
        """A new browser asks for a sign-in link and presses the button of the page it opens."""
        v = Visitor(self.server)
        seen = self.links(address)
        page = v.get("/signin")
        v.post("/signin", {"csrf": csrf_of(page.text), "next": "/mypage", "email": address})
        deadline = time.monotonic() + 20
        while not (fresh := [link for link in self.links(address) if link not in seen]):
            self.assertLess(time.monotonic(), deadline, f"no sign-in link to {address}")
            time.sleep(0.05)
        return v, v.press(fresh[0])

    def links(self, address: str) -> list[str]:
        return sign_in_links(self.sink, address)

    def mailed_links(self, address: str, page: str) -> list[str]:
        """The one-time links to `page` ("/confirm") in the mails to `address`, oldest first."""
        return [link(m, page) for m in self.sink.to(address) if page + "#" in body(m)]

    def code_step(self, v: Visitor, code: str):
        page = v.get(CODE_PAGE + "?next=%2Fmypage")
        self.assertEqual(page.status, 200, page.text[:300])
        return v.post(CODE_PAGE, {"csrf": csrf_of(page.text), "next": "/mypage", "code": code})

    def secret_of(self, address: str) -> str:
        (row,) = self.server.sql("SELECT a.totp_secret FROM accounts a WHERE a.email_key = ?", (address,))
        return row[0]

    def audit(self, action: str, address: str) -> list[tuple]:
        (account,) = self.server.sql("SELECT id FROM accounts WHERE email_key = ?", (address,))
        return self.server.sql("SELECT actor, subject, ip FROM audit_events WHERE action = ? AND subject = ?",
                               (action, f"account:{account[0]}"))

    def mails(self, address: str, kind: str) -> list:
        """The mails of `kind` to `address` (Japanese), once at least one has arrived."""
        subject = JA[f"mail.{kind}.subject"].replace("{site_name}", JA["site.name"])
        deadline = time.monotonic() + 20
        while not (found := [m for m in self.sink.to(address) if m["Subject"] == subject]):
            self.assertLess(time.monotonic(), deadline, [m["Subject"] for m in self.sink.to(address)])
            time.sleep(0.05)
        return found


class OptionalCode(Declarants, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)

    def test_my_page_offers_the_code_and_a_first_code_from_the_app_sets_it_up_and_is_told_by_email(self):
        address = "code-on@example.jp"
        v, _ = self.declared(address)
        mypage = v.get("/mypage")
        self.assertIn(html_escape(JA["declarant_code.mypage.set_up"]), mypage.text)
        self.assertIn(f'href="{SET_UP}"', mypage.text)
        page = v.get(SET_UP)
        self.assertIn(html_escape(JA["declarant_code.setup.title"]), page.text)
        self.assertIn(html_escape(JA["declarant_code.setup.later"]), page.text)
        self.assertEqual(self.secret_of(address), "")
        # The same key each time until a code confirms it: an app that scanned it still works.
        self.assertEqual(secret_on(page.text), secret_on(v.get(SET_UP).text))
        secret = self.set_up_code(v)
        self.assertEqual(self.secret_of(address), secret)
        self.assertIn(html_escape(JA["declarant_code.flash.on"]), v.get("/mypage").text)
        self.assertIn(html_escape(JA["declarant_code.mypage.on"]), v.get("/mypage").text)
        self.assertEqual(len(self.audit("declarant.totp_confirmed", address)), 1)
        (notice,) = self.mails(address, "declarant_code_on")
        self.assertIn("/mypage", body(notice))
        self.assertNotIn(secret, body(notice))

    def test_after_the_link_an_account_with_a_code_opens_my_page_only_once_the_code_is_given(self):
        address = "code-signin@example.jp"
        first, public_id = self.declared(address)
        secret = self.set_up_code(first)
        v, pressed = self.link_step(address)
        self.assertEqual(pressed.status, 303)
        self.assertEqual(location(pressed), (CODE_PAGE, {"next": "/mypage"}))
        # The link alone signs in nowhere: My Page and its other pages wait for the code.
        for path in ("/mypage", f"/mypage/declarations/{public_id}", SET_UP):
            reply = v.get(path)
            if path == SET_UP:
                self.assertEqual((reply.status, location(reply)[0]), (303, "/signin"), path)
            else:
                self.assertEqual(location(reply), (CODE_PAGE, {"next": path}), path)
        page = v.get(CODE_PAGE)
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(JA["declarant_code.signin.lost"]), page.text)
        self.assertNotIn(html_escape(JA["mypage.signout"]), page.text)
        done = self.code_step(v, totp(secret, at_step(1)))
        self.assertEqual((done.status, done.header("Location")), (303, "/mypage"), done.text[:300])
        self.assertEqual(v.get("/mypage").status, 200)
        self.assertEqual(len(self.audit("declarant.code_accepted", address)), 1)

    def test_wrong_codes_are_refused_recorded_and_counted_until_the_account_is_slowed(self):
        address = "code-wrong@example.jp"
        first, _ = self.declared(address)
        secret = self.set_up_code(first)  # one attempt of the five of a quarter of an hour
        v, _ = self.link_step(address)
        for n in range(4):
            refused = self.code_step(v, wrong(totp(secret)))
            self.assertEqual(refused.status, 422, n)
            self.assertIn(html_escape(JA["declarant_code.wrong"]), refused.text)
            self.assertIn('aria-invalid="true"', refused.text)
        self.assertEqual(len(self.audit("declarant.code_failed", address)), 4)
        self.assertEqual(v.get("/mypage").status, 303)
        # Past five attempts even the right code is refused for a while, and the refusal recorded.
        slowed = self.code_step(v, totp(secret, at_step(1)))
        self.assertEqual(slowed.status, 429)
        self.assertEqual(slowed.header("Retry-After"), "900")
        self.assertIn(html_escape(JA["declarant_code.too_many"]), slowed.text)
        # Recorded as the operators' and verifiers' refusals are: by the rule, naming no account.
        refusals = self.server.sql("SELECT details FROM audit_events WHERE action = 'declarant.signin_refused'")
        self.assertEqual(refusals, [('{"rule":"declarant.code.account"}',)])
        self.assertEqual(v.get("/mypage").status, 303)

    def test_a_code_is_good_once(self):
        address = "code-once@example.jp"
        first, _ = self.declared(address)
        page = first.get(SET_UP)
        secret = secret_on(page.text)
        code = totp(secret)
        done = first.post(SET_UP, {"csrf": csrf_of(page.text), "code": code})
        self.assertEqual(done.status, 303)
        v, _ = self.link_step(address)
        self.assertEqual(self.code_step(v, code).status, 422)  # the set-up's own code, again
        self.assertEqual(self.code_step(v, totp(secret, at_step(1))).status, 303)

    def test_turning_the_code_off_needs_a_current_code_and_is_told_by_email(self):
        address = "code-off@example.jp"
        v, _ = self.declared(address)
        secret = self.set_up_code(v)
        page = v.get(SET_UP)
        self.assertIn(html_escape(JA["declarant_code.setup.is_on"]), page.text)
        (off_form,) = [f for f in forms(page.text) if f["action"] == SET_UP + "/off"]
        self.assertEqual([k for k, _ in off_form["fields"]], ["csrf", "code"])
        # Without the token the form is refused outright; with a wrong code, on its field.
        self.assertEqual(v.post(SET_UP + "/off", {"code": totp(secret)}).status, 403)
        refused = v.post(SET_UP + "/off", {"csrf": csrf_of(page.text), "code": wrong(totp(secret))})
        self.assertEqual(refused.status, 422)
        self.assertEqual(self.secret_of(address), secret)
        done = v.post(SET_UP + "/off", {"csrf": csrf_of(page.text), "code": totp(secret, at_step(1))})
        self.assertEqual((done.status, done.header("Location")), (303, "/mypage"))
        self.assertEqual(self.secret_of(address), "")
        self.assertEqual(len(self.audit("declarant.totp_removed", address)), 1)
        self.assertEqual(len(self.mails(address, "declarant_code_off")), 1)
        # The next link signs in by itself again.
        _, pressed = self.link_step(address)
        self.assertEqual(location(pressed)[0], "/mypage")

    def test_a_confirmation_link_shows_the_new_id_but_my_page_waits_for_the_code(self):
        address = "code-confirm@example.jp"
        first, _ = self.declared(address)
        secret = self.set_up_code(first)
        v = Visitor(self.server)
        second = application(address)
        receipts = len(self.mailed_links(address, "/confirm"))
        self.assertEqual(api_post(self.server, "/api/v1/applications", second).status, 202)
        deadline = time.monotonic() + 20
        while len(links := self.mailed_links(address, "/confirm")) == receipts:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        done = v.press(links[-1])
        self.assertEqual(done.status, 200)
        (issued,) = self.server.sql("SELECT public_id FROM declarations WHERE business_name = ?",
                                    (second["business_name"],))
        self.assertIn(issued[0][-4:], done.text)
        self.assertEqual(location(v.get("/mypage")), (CODE_PAGE, {"next": "/mypage"}))
        self.assertEqual(self.code_step(v, totp(secret, at_step(1))).status, 303)
        self.assertIn(html_escape(second["business_name"]), v.get("/mypage").text)

    def test_an_admin_removes_the_code_of_a_declarant_who_lost_the_phone(self):
        address = "code-lost@example.jp"
        v, public_id = self.declared(address)
        self.set_up_code(v)
        admin, _, _ = set_up_operator(self.server, "code-admin@example.jp", "admin")
        staff, _, _ = set_up_operator(self.server, "code-staff@example.jp", "staff")
        record = f"/console/declarations/{public_id}"
        self.assertIn(f'href="{record}/reset-code"', admin.get(record).text)
        self.assertNotIn("reset-code", staff.get(record).text)
        self.assertEqual(staff.get(record + "/reset-code").status, 403)
        confirm = admin.get(record + "/reset-code")
        self.assertEqual(confirm.status, 200)
        self.assertIn(html_escape(JA["console.declarant_code.reset_question"]), confirm.text)
        done = admin.post(record + "/reset-code", {}, form_page=record + "/reset-code")
        self.assertEqual((done.status, done.header("Location")), (303, record))
        self.assertEqual(self.secret_of(address), "")
        (event,) = self.audit("declarant.second_factor_reset", address)
        self.assertTrue(event[0].startswith("operator:"), event)
        # Signed out everywhere, told by email, and the next link signs in without a code.
        self.assertEqual(v.get("/mypage").status, 303)
        self.assertEqual(len(self.mails(address, "declarant_code_reset")), 1)
        _, pressed = self.link_step(address)
        self.assertEqual(location(pressed)[0], "/mypage")
        # Nothing to remove now: the page is not found.
        self.assertEqual(admin.get(record + "/reset-code").status, 404)

    def test_the_link_that_moves_a_declaration_to_a_contact_with_a_code_waits_for_the_code(self):
        old, new = "code-leaving@example.jp", "code-successor@example.jp"
        successor, _ = self.declared(new)
        secret = self.set_up_code(successor)
        owner, public_id = self.declared(old)
        page = owner.get(f"/mypage/declarations/{public_id}/edit")
        fields = [(k, new if k == "contact_email" else v) for k, v in edit_form_fields(page.text)]
        self.assertEqual(owner.post(f"/mypage/declarations/{public_id}/edit", fields).status, 303)
        deadline = time.monotonic() + 20
        while not (links := self.mailed_links(new, "/contact-change")):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        v = Visitor(self.server)
        done = v.press(links[-1])
        # The declaration has moved, and the page it leads to waits for the new contact's code.
        target = f"/mypage/declarations/{public_id}"
        self.assertEqual(location(done), (CODE_PAGE, {"next": target}))
        self.assertEqual(location(v.get(target)), (CODE_PAGE, {"next": target}))
        self.assertEqual(self.code_step(v, totp(secret, at_step(1))).status, 303)
        self.assertEqual(v.get(target).status, 200)

    def switch(self, v: Visitor, path: str, form_id: str, code: str):
        """Types `code` into the form of `path` and presses the header's language switch, which is a
        button of that form: the page comes back in English with the code neither written back nor
        checked."""
        page = v.get(path)
        self.assertEqual(page.status, 200, page.text[:300])
        form, action, lang = switch_button(page)
        self.assertEqual((form, lang), (form_id, "en"))
        switched = v.post(action, {**hidden_fields(page, form), "code": code, "switch_lang": "en"})
        self.assertEqual(switched.status, 200, switched.text[:300])
        self.assertEqual(switched.html_lang(), "en")
        self.assertNotIn(f'value="{code}"', switched.text)
        v.lang = "en"  # the switch is remembered in a cookie; the next pages are English either way
        return switched

    def test_the_language_switch_on_the_code_pages_checks_no_code_and_writes_none_back(self):
        address = "code-switch@example.jp"
        v, _ = self.declared(address)
        secret = secret_on(v.get(SET_UP).text)
        self.switch(v, SET_UP, "code-setup-form", totp(secret))
        self.assertEqual(self.secret_of(address), "")  # not set up by the switch
        v.lang = "ja"
        v.cookies = {k: c for k, c in v.cookies.items() if "lang" not in k}
        self.assertEqual(self.set_up_code(v), secret)
        self.switch(v, SET_UP, "code-off-form", totp(secret))
        self.assertEqual(self.secret_of(address), secret)  # not turned off by the switch
        w, _ = self.link_step(address)
        self.switch(w, CODE_PAGE + "?next=%2Fmypage", "signin-code-form", totp(secret, at_step(1)))
        self.assertEqual(location(w.get("/mypage"))[0], CODE_PAGE)  # not signed in by the switch
        self.assertEqual(self.audit("declarant.code_failed", address), [])

    def test_the_pages_speak_english_too(self):
        address = "code-english@example.jp"
        v, _ = self.declared(address)
        v.lang = "en"
        page = v.get(SET_UP)
        self.assertIn(html_escape(EN["declarant_code.setup.title"]), page.text)
        self.assertIn(html_escape(EN["declarant_code.setup.scan"]), page.text)


class RequiredCode(Declarants, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls, "--declarant-second-factor", "required")

    def test_confirming_issues_the_id_at_once_and_the_next_page_is_the_set_up(self):
        address = "required-confirm@example.jp"
        v, public_id = self.declared(address)  # the confirmation page, with the ID
        self.assertTrue(public_id)
        for path in ("/mypage", f"/mypage/declarations/{public_id}"):
            self.assertEqual(location(v.get(path)), (SET_UP, {"next": path}), path)
        page = v.get(SET_UP + "?next=%2Fmypage")
        self.assertIn(html_escape(JA["declarant_code.setup.required"]), page.text)
        self.assertNotIn(html_escape(JA["declarant_code.setup.later"]), page.text)
        self.set_up_code(v)
        self.assertEqual(v.get("/mypage").status, 200)

    def test_a_sign_in_link_takes_an_account_without_a_code_to_the_set_up_page(self):
        address = "required-signin@example.jp"
        self.declared(address)
        v, pressed = self.link_step(address)
        self.assertEqual(location(pressed), (SET_UP, {"next": "/mypage"}))
        self.assertEqual(location(v.get("/mypage")), (SET_UP, {"next": "/mypage"}))
        secret = self.set_up_code(v)
        self.assertEqual(v.get("/mypage").status, 200)
        # And once it is set up, the next link asks for it.
        w, pressed = self.link_step(address)
        self.assertEqual(location(pressed)[0], CODE_PAGE)
        self.assertEqual(self.code_step(w, totp(secret, at_step(1))).status, 303)
        self.assertEqual(w.get("/mypage").status, 200)

    def test_a_required_code_cannot_be_turned_off(self):
        address = "required-off@example.jp"
        v, _ = self.declared(address)
        secret = self.set_up_code(v)
        page = v.get(SET_UP)
        self.assertIn(html_escape(JA["declarant_code.setup.required_on"]), page.text)
        self.assertNotIn(SET_UP + "/off", page.text)
        refused = v.post(SET_UP + "/off", {"csrf": csrf_of(page.text), "code": totp(secret)})
        self.assertEqual((refused.status, refused.header("Location")), (303, SET_UP))
        self.assertEqual(self.secret_of(address), secret)


if __name__ == "__main__":
    unittest.main()
