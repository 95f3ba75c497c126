"""The language switch on every staff-facing form page (issue 11 point 10): on the console's and the
verifier pages' forms, the switch in the header is a button of the page's form that posts what was
typed to the form's own address with `switch_lang`. The handler then shows the same page in the
other language with the typed values back in their fields, and does nothing else (no sign-in, no
revocation, no key, no account). Passwords, verifier keys and one-time codes are never written back
into the page. The console's two search forms (GET) carry the switch too.

The declarant's forms have the same switch (test_no_stumble.py and the toolkit's and assessment's
suites); the last test here reads every template and fails when a form with fields to type in is
covered by neither."""

import html
import re
import sys
import time
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))

from browser_client import BrowserClient  # noqa: E402
from registry_flow import Registry, application  # noqa: E402
from sengen_server import LOOPBACK, SengenServer, html_escape, run_sengen  # noqa: E402
from test_console import PASSWORD, Browser, create_operator, set_up  # noqa: E402
from totp_code import secret_on, totp  # noqa: E402

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "web" / "templates"

# The templates whose forms this suite switches, and those whose forms other suites switch.
COVERED_HERE = {"console_signin", "console_setup", "console_totp", "console_code", "console_declaration",
                "console_operators", "console_review", "console_disputes", "console_keys", "verifier_signin",
                "verifier_register", "console_password", "verifier_password", "verifier_totp", "verifier_code",
                "link_open"}
COVERED_ELSEWHERE = {"apply_step", "apply_terms", "assessment_part", "assessment_result", "mypage_edit",
                     "mypage_step_up", "policy_edit", "signin", "supporters_invite",
                     # test_declarant_code.py (ADR 61)
                     "declarant_code_setup", "declarant_signin_code"}
# A file input cannot be filled in again by the page (browsers forbid it), so the upload form has
# nothing a re-post could keep: its page keeps the plain switch link.
EXEMPT = {"verifier_upload": "a file input only"}

SECRET = "do-not-echo-this-3141"


def switch_button(page):
    """The header's switch when it belongs to a form: (form id, formaction, language), or None."""
    m = re.search(r'<button type="submit" class="lang-switch" form="([^"]+)" formaction="([^"]+)" '
                  r'name="switch_lang" value="([a-z]+)"', page.text)
    return (m.group(1), html.unescape(m.group(2)), m.group(3)) if m else None


def hidden_fields(page, form_id):
    """The hidden fields of the form with `form_id` (its CSRF token, the format of an export)."""
    m = re.search(r'<form\b[^>]*\bid="' + re.escape(form_id) + r'"[^>]*>(.*?)</form>', page.text, re.S)
    assert m, f"no form with id {form_id}"
    return {html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', m.group(1))}


class LanguageSwitchOnForms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50", "--review-applications", "true").start()
        cls.addClassCleanup(cls.server.close)
        cls.registry = Registry(cls.server)
        cls.admin, _, _ = set_up(cls.server, "switch-admin@example.jp", "admin")
        cls.key = run_sengen("--db", f"sqlite:{cls.server.db_path}", "verifier-key", "create", "--name",
                             "言語切替の窓口").stdout.strip().splitlines()[-1]

    # --- helpers ------------------------------------------------------------------------------

    def held(self, **overrides):
        """An application confirmed by mail, waiting for review; returns (application, internal id)."""
        app = application(**overrides)
        self.assertEqual(self.registry.apply(app).status, 202)
        self.registry.confirm(self.registry.confirmation_token(app["contact_email"]))
        row = self.server.sql("SELECT id FROM declarations WHERE contact_email = ?", (app["contact_email"],))
        return app, row[0][0]

    def approved(self, **overrides):
        app, internal = self.held(**overrides)
        reply = self.admin.post(f"/console/review/{internal}/approve", {}, form_page="/console/review")
        self.assertEqual(reply.status, 303, reply.text)
        return app, internal

    def count(self, table):
        return self.server.sql(f"SELECT COUNT(*) FROM {table}")[0][0]

    def switch(self, client, path, typed, kept, secret=(), form_id=None):
        """Opens `path`, types `typed` into the form the switch belongs to and switches to the other
        language, then back; each time the page must come back in the chosen language with every
        value of `kept` in it and none of `secret`. Returns the last page."""
        page = client.get(path)
        self.assertEqual(page.status, 200, page.text)
        first = page.html_lang()
        for lang in ("en" if first == "ja" else "ja", first):
            button = switch_button(page)
            self.assertIsNotNone(button, f"{path}: the switch is a plain link, not a button of the form")
            form, action, to = button
            self.assertEqual(to, lang)
            if form_id:
                self.assertEqual(form, form_id)
            fields = {**hidden_fields(page, form), **typed, "switch_lang": lang}
            page = client.post(action, fields)
            self.assertEqual(page.status, 200, f"{path} → {lang}: {page.status} {page.text[:400]}")
            self.assertEqual(page.html_lang(), lang)
            for value in kept:
                self.assertIn(html_escape(value), page.text, f"{path} → {lang}: {value!r} was lost")
            for value in secret:
                self.assertNotIn(value, page.text, f"{path} → {lang}: a secret was written back")
        return page

    # --- the console --------------------------------------------------------------------------

    def test_console_sign_in_keeps_the_address_and_never_signs_in(self):
        b = Browser(self.server)
        self.switch(b, "/console/signin", {"email": "switch-admin@example.jp", "password": PASSWORD},
                    kept=["switch-admin@example.jp"], secret=[PASSWORD])
        self.assertEqual(b.get("/console").status, 303)

    def test_console_set_up_never_writes_the_password_back_and_never_sets_it(self):
        path = create_operator(self.server, "switch-setup@example.jp", "staff")
        b = Browser(self.server)
        self.switch(b, path, {"password": SECRET + " long phrase", "password_again": SECRET + " long phrase"},
                    kept=["switch-setup@example.jp"], secret=[SECRET])
        self.assertEqual(b.get(path).status, 200)  # the link still works: nothing was set

    def test_console_totp_and_second_factor_never_write_the_code_back_nor_accept_it(self):
        path = create_operator(self.server, "switch-totp@example.jp", "staff")
        b = Browser(self.server)
        self.assertEqual(b.post(path, {"password": PASSWORD, "password_again": PASSWORD}).status, 303)
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', b.get("/console/totp").text).group(1)
        code = totp(secret)
        self.switch(b, "/console/totp", {"code": code}, kept=[], secret=[f'value="{code}"'])
        self.assertEqual(b.get("/console/totp").status, 200)  # still at the TOTP step
        self.assertEqual(b.post("/console/totp", {"code": totp(secret)}).status, 200)
        s = Browser(self.server)
        self.assertEqual(s.post("/console/signin", {"email": "switch-totp@example.jp", "password": PASSWORD}).status,
                         303)
        code = totp(secret, time.time() + 30)
        self.switch(s, "/console/signin/code", {"code": code}, kept=[], secret=[f'value="{code}"'])
        self.assertEqual(s.get("/console").status, 303)  # not signed in by the switch

    def test_console_revoke_and_reinstate_reasons_are_kept_and_nothing_is_done(self):
        _, internal = self.approved(business_name="切替で取り消さない商店")
        public_id = self.server.sql("SELECT public_id FROM declarations WHERE id = ?", (internal,))[0][0]
        path = f"/console/declarations/{public_id}"
        reason = "登記簿と違う <所在地> & 名称"
        self.switch(self.admin, path, {"reason": reason}, kept=[reason])
        self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE id = ?", (internal,))[0][0],
                         "declared")
        self.admin.post(path + "/revoke", {"reason": "本当に取り消す"}, form_page=path)
        self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE id = ?", (internal,))[0][0], "revoked")
        reason = "確認が取れたので戻す"
        self.switch(self.admin, path, {"reason": reason}, kept=[reason])
        self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE id = ?", (internal,))[0][0], "revoked")

    def test_console_new_operator_keeps_the_address_and_the_role_and_makes_no_account(self):
        before = self.count("operators")
        page = self.switch(self.admin, "/console/operators", {"email": "switch-new@example.jp", "role": "admin"},
                           kept=["switch-new@example.jp"])
        self.assertRegex(page.text, r'id="f-role-admin" name="role" value="admin" checked')
        self.assertNotRegex(page.text, r'id="f-role-staff" name="role" value="staff" checked')
        self.assertEqual(self.count("operators"), before)

    def test_console_rejection_reason_is_kept_and_the_application_still_waits(self):
        _, internal = self.held(business_name="切替で却下しない商店")
        reason = "法人番号の確認が取れません"
        self.switch(self.admin, "/console/review", {"reason": reason}, kept=[reason], form_id=f"reject-{internal}")
        self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE id = ?", (internal,))[0][0],
                         "awaiting_review")

    def test_console_dispute_outcome_and_reason_are_kept_and_nothing_is_settled(self):
        holder, _ = self.approved(business_name="切替の保有者")
        _, claim = self.held(business_name="切替の申し立て者", corporate_number=holder["corporate_number"])
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        reason = "登記事項証明書で確かめた"
        page = self.switch(self.admin, "/console/disputes", {"winner": "claimant", "reason": reason}, kept=[reason],
                           form_id=f"settle-{dispute}")
        self.assertRegex(page.text, rf'id="f-winner-{dispute}-claimant" name="winner" value="claimant" checked')
        self.assertEqual(self.server.sql("SELECT status FROM corporate_number_disputes WHERE id = ?", (dispute,)),
                         [("open",)])

    def test_console_key_name_and_rate_are_kept_and_no_key_is_made(self):
        before = self.count("verifier_keys")
        self.switch(self.admin, "/console/verifier-keys", {"name": "切替テスト窓口", "rate": "4321"},
                    kept=["切替テスト窓口", "4321"])
        self.assertEqual(self.count("verifier_keys"), before)

    def test_console_search_and_audit_filters_are_kept(self):
        """The two GET forms: the switch submits them, which only searches (nothing is changed)."""
        for path, typed in (("/console/declarations", {"q": "切替で探す商店"}),
                            ("/console/audit", {"actor": "operator:1", "action": "declaration.revoke",
                                                "subject": "declaration:1"})):
            page = self.admin.get(path)
            first = page.html_lang()
            for lang in ("en" if first == "ja" else "ja", first):
                with self.subTest(path=path, lang=lang):
                    button = switch_button(page)
                    self.assertIsNotNone(button, f"{path}: the switch is a plain link, not a button of the form")
                    self.assertEqual(button[2], lang)
                    self.assertRegex(page.text, r'<form method="get"[^>]*id="' + re.escape(button[0]) + '"')
                    page = self.admin.get(button[1] + "?" + urllib.parse.urlencode({**typed, "switch_lang": lang}))
                    self.assertEqual(page.status, 200)
                    self.assertEqual(page.html_lang(), lang)
                    for value in typed.values():
                        self.assertIn(f'value="{html_escape(value)}"', page.text)

    def test_console_password_change_never_writes_a_password_back_and_changes_nothing(self):
        self.switch(self.admin, "/console/password",
                    {"current_password": SECRET + " now", "new_password": SECRET + " phrase",
                     "password_again": SECRET + " phrase"},
                    kept=["switch-admin@example.jp"], secret=[SECRET], form_id="console-password-form")
        self.assertEqual(self.count("audit_events WHERE action LIKE 'operator.password_change%'"), 0)

    # --- the verifier pages -------------------------------------------------------------------

    def new_verifier(self, email):
        """A verifier account made in the browser, at its set-up page; returns the browser."""
        v = BrowserClient(self.server, "ja", self.registry.fresh_address())
        page = v.get("/verifier/register")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        asked = v.post("/verifier/register", {"csrf": html.unescape(token), "key": self.key,
                                              "email": email, "password": "a long and unusual phrase 42",
                                              "password_again": "a long and unusual phrase 42"})
        self.assertEqual(asked.status, 200, asked.text[:300])
        # The account is made by the link mailed to the address (ADR 49).
        mail = self.registry.body(self.registry.wait_for_mail(email)[-1])
        made = v.post("/verifier/register/link", {"csrf": html.unescape(token), "token": re.search(
            r"/verifier/register/link#([A-Za-z0-9_-]{43})", mail).group(1)})
        self.assertEqual((made.status, made.header("Location")), (303, "/verifier/totp"), made.text[:300])
        return v

    def set_up_code(self, v):
        page = v.get("/verifier/totp")
        secret = secret_on(page.text)
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        done = v.post("/verifier/totp", {"csrf": html.unescape(token), "code": totp(secret)})
        self.assertEqual(done.status, 303, done.text[:300])
        return secret

    def test_verifier_password_change_never_writes_a_password_back_and_changes_nothing(self):
        v = self.new_verifier("switch-pw@example.jp")
        self.set_up_code(v)
        self.switch(v, "/verifier/password",
                    {"current_password": SECRET + " now", "new_password": SECRET + " phrase",
                     "password_again": SECRET + " phrase"},
                    kept=["switch-pw@example.jp"], secret=[SECRET], form_id="verifier-password-form")
        self.assertEqual(self.count("audit_events WHERE action LIKE 'verifier.password_change%'"), 0)

    def test_verifier_totp_and_second_factor_never_write_the_code_back_nor_accept_it(self):
        v = self.new_verifier("switch-totp@example.jp")
        secret = secret_on(v.get("/verifier/totp").text)
        code = totp(secret)
        self.switch(v, "/verifier/totp", {"code": code}, kept=[], secret=[f'value="{code}"'],
                    form_id="verifier-totp-form")
        self.assertEqual(v.get("/verifier").header("Location"), "/verifier/totp")  # still at the set-up
        self.assertEqual(self.set_up_code(v), secret)
        s = BrowserClient(self.server, "ja", self.registry.fresh_address())
        page = s.get("/verifier/signin")
        token = html.unescape(re.search(r'name="csrf" value="([^"]+)"', page.text).group(1))
        self.assertEqual(s.post("/verifier/signin", {"csrf": token, "email": "switch-totp@example.jp",
                                                     "password": "a long and unusual phrase 42"}).status, 303)
        code = totp(secret, time.time() + 30)
        self.switch(s, "/verifier/signin/code", {"code": code}, kept=[], secret=[f'value="{code}"'],
                    form_id="verifier-code-form")
        self.assertEqual(s.get("/verifier").header("Location"), "/verifier/signin/code")  # not by the switch

    def test_verifier_sign_in_keeps_the_address_and_never_signs_in(self):
        v = BrowserClient(self.server, "ja", LOOPBACK)
        self.switch(v, "/verifier/signin", {"email": "someone@example.jp", "password": SECRET},
                    kept=["someone@example.jp"], secret=[SECRET])
        self.assertEqual(v.get("/verifier").status, 303)

    def test_verifier_registration_keeps_the_address_but_not_the_key_or_password_and_makes_no_account(self):
        before = self.count("verifier_accounts")
        v = BrowserClient(self.server, "ja", self.registry.fresh_address())
        self.switch(v, "/verifier/register",
                    {"key": self.key, "email": "switch-verifier@example.jp", "password": SECRET + " phrase",
                     "password_again": SECRET + " phrase"},
                    kept=["switch-verifier@example.jp"], secret=[SECRET, self.key])
        self.assertEqual(self.count("verifier_accounts"), before)

    # --- the page a mailed link opens (ADR 59) --------------------------------------------------

    def test_a_mailed_links_page_keeps_the_pasted_code_and_opens_nothing(self):
        v = BrowserClient(self.server, "ja", self.registry.fresh_address())
        for page in ("/confirm", "/signin/link", "/contact-change", "/support", "/console/setup",
                     "/verifier/register/link"):
            self.switch(v, page, {"token": "pasted-code-" + "x" * 31}, kept=["pasted-code-" + "x" * 31],
                        form_id="link-form")

    # --- every form is covered ----------------------------------------------------------------

    def test_every_form_with_fields_to_type_in_has_its_switch_tested(self):
        typed = re.compile(r'<(?:textarea|select)\b|<input\b(?![^>]*type="(?:hidden|submit)")[^>]*>|\{\{>\s*_field')
        found = set()
        for tpl in sorted(TEMPLATES.glob("*.mustache")):
            for form in re.findall(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', tpl.read_text(), re.S):
                if typed.search(form):
                    found.add(tpl.stem)
        found -= {"layout"}
        missing = found - COVERED_HERE - COVERED_ELSEWHERE - set(EXEMPT)
        self.assertEqual(missing, set(), "forms whose language switch no test checks")


if __name__ == "__main__":
    unittest.main()
