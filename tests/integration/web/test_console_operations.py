"""The console's further pages: the review queue (approve issues the ID and mails the completion
notice, reject needs a reason and mails it), corporate-number disputes (settled for the holder or
the claimant, both sides told), failed mail with retry, the versions of the terms, verifier keys
(shown once, only a hash stored, revoked after a confirmation) with the accounts their holders made
(listed with their status, disabled after a confirmation) and the export of declarations.
Each page is closed to strangers, each post needs the CSRF token, keys and exports need an admin,
and every action is in the audit log with the operator and their address."""

import io
import json
import re
import sys
import unittest
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))

from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, catalogue, html_escape, run_sengen, token_hash  # noqa: E402
from test_console import Browser, set_up  # noqa: E402
from totp_code import secret_on, totp  # noqa: E402

PAGES = ["/console/review", "/console/disputes", "/console/mail", "/console/terms", "/console/verifier-keys",
         "/console/verifier-keys/1/revoke", "/console/verifier-accounts/1/disable",
         "/console/verifier-accounts/1/reset-code", "/console/export"]
POSTS = ["/console/review/1/approve", "/console/review/1/reject", "/console/disputes/1/settle",
         "/console/mail/1/retry", "/console/verifier-keys", "/console/verifier-keys/1/revoke",
         "/console/verifier-accounts/1/disable", "/console/verifier-accounts/1/reset-code", "/console/export"]
PASSWORD = "a long and unusual phrase 42"


class ConsoleOperations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50", "--review-applications", "true").start()
        cls.addClassCleanup(cls.server.close)
        cls.registry = Registry(cls.server)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.admin, _, _ = set_up(cls.server, "admin@example.jp", "admin")
        cls.staff, _, _ = set_up(cls.server, "staff@example.jp", "staff")
        cls.staff_actor = "operator:%d" % cls.server.sql("SELECT id FROM operators WHERE email = 'staff@example.jp'")[0][0]
        cls.admin_actor = "operator:%d" % cls.server.sql("SELECT id FROM operators WHERE email = 'admin@example.jp'")[0][0]

    # --- helpers ------------------------------------------------------------------------------

    def held(self, **overrides):
        """An application confirmed by mail; returns (application, internal id, status)."""
        app = application(**overrides)
        self.assertEqual(self.registry.apply(app).status, 202)
        confirmed = self.registry.confirm(self.registry.confirmation_token(app["contact_email"]))
        self.assertIn(confirmed.status, (200, 202), confirmed.text)
        row = self.server.sql("SELECT id, status FROM declarations WHERE contact_email = ?", (app["contact_email"],))
        return app, row[0][0], row[0][1]

    def audit(self, action, subject=None):
        rows = self.server.sql("SELECT actor, subject, ip, details FROM audit_events WHERE action = ? ORDER BY id",
                               (action,))
        return [r for r in rows if subject is None or r[1] == subject]

    def status_of(self, internal):
        return self.server.sql("SELECT status, public_id FROM declarations WHERE id = ?", (internal,))[0]

    def mail_to(self, address, count=1):
        return [self.registry.body(m) for m in self.registry.wait_for_mail(address, count)]

    # --- every page and post is closed ---------------------------------------------------------

    def test_every_new_page_sends_a_stranger_to_the_sign_in_page_and_every_post_needs_a_session(self):
        stranger = Browser(self.server)
        for path in PAGES:
            reply = stranger.request("GET", path)
            self.assertEqual((reply.status, reply.header("Location")), (303, "/console/signin"), path)
        for path in POSTS:
            self.assertIn(stranger.post(path, {}, form_page="/console/signin").status, (303,), path)

    def test_every_new_post_without_the_csrf_token_is_refused(self):
        for path in POSTS:
            self.assertEqual(self.admin.request("POST", path, {"reason": "x", "format": "csv"}).status, 403, path)

    def test_staff_are_refused_keys_and_exports_and_admins_see_every_link(self):
        for path in ["/console/verifier-keys", "/console/verifier-keys/1/revoke", "/console/verifier-accounts/1/disable",
                     "/console/export"]:
            self.assertEqual(self.staff.request("GET", path).status, 403, path)
        for path in ["/console/verifier-keys", "/console/verifier-accounts/1/disable", "/console/export"]:
            self.assertEqual(self.staff.post(path, {"name": "x", "format": "csv"}, form_page="/console").status, 403)
        staff_nav = self.staff.request("GET", "/console").text
        for link in ["/console/review", "/console/disputes", "/console/mail", "/console/terms"]:
            self.assertIn(f'href="{link}"', staff_nav)
        self.assertNotIn('href="/console/verifier-keys"', staff_nav)
        admin_nav = self.admin.request("GET", "/console").text
        self.assertIn('href="/console/verifier-keys"', admin_nav)
        self.assertIn('href="/console/export"', admin_nav)

    # --- the review queue ----------------------------------------------------------------------

    def test_approving_an_application_issues_its_id_mails_the_completion_and_is_audited(self):
        app, internal, status = self.held(business_name="審査待ち商事")
        self.assertEqual(status, "awaiting_review")
        page = self.staff.request("GET", "/console/review")
        self.assertEqual(page.status, 200)
        self.assertIn("審査待ち商事", page.text)
        self.assertIn(app["contact_email"], page.text)
        self.assertNotIn('id="review-off"', page.text)
        dashboard = self.staff.request("GET", "/console").text
        self.assertRegex(dashboard, r'id="count-review"><a href="/console/review">[1-9]')
        reply = self.staff.post(f"/console/review/{internal}/approve", {}, form_page="/console/review")
        self.assertEqual(reply.status, 303, reply.text)
        status, public_id = self.status_of(internal)
        self.assertEqual(status, "declared")
        self.assertEqual(reply.header("Location"), f"/console/declarations/{public_id}")
        self.assertTrue(any(public_id in body for body in self.mail_to(app["contact_email"], 3)))
        [(actor, _, ip, _)] = self.audit("declaration.approve", f"declaration:{internal}")
        self.assertEqual((actor, ip), (self.staff_actor, "127.0.0.1"))
        # A second decision on the same application finds it gone.
        again = self.staff.post(f"/console/review/{internal}/approve", {}, form_page="/console/review")
        self.assertEqual(again.status, 409)
        self.assertIn(self.ja["console.review.gone"], again.text)

    def test_rejecting_needs_a_reason_and_mails_it_to_the_applicant(self):
        app, internal, _ = self.held()
        empty = self.staff.post(f"/console/review/{internal}/reject", {"reason": "  "}, form_page="/console/review")
        self.assertEqual(empty.status, 422)
        self.assertIn(self.ja["console.review.reason_required"], empty.text)
        self.assertEqual(self.status_of(internal)[0], "awaiting_review")
        reply = self.staff.post(f"/console/review/{internal}/reject", {"reason": "事業の実体を確認できません"},
                                form_page="/console/review")
        self.assertEqual(reply.status, 303)
        self.assertEqual(self.status_of(internal)[0], "rejected")
        self.assertTrue(any("事業の実体を確認できません" in b for b in self.mail_to(app["contact_email"], 3)))
        [(actor, _, ip, details)] = self.audit("declaration.reject", f"declaration:{internal}")
        self.assertEqual((actor, ip), (self.staff_actor, "127.0.0.1"))
        self.assertEqual(json.loads(details)["to_status"], "rejected")

    # --- corporate-number disputes -------------------------------------------------------------

    def approved(self, **overrides):
        app, internal, _ = self.held(**overrides)
        self.assertEqual(self.admin.post(f"/console/review/{internal}/approve", {}, form_page="/console/review").status,
                         303)
        return app, internal

    def test_a_dispute_settled_for_the_claimant_revokes_the_holder_and_issues_the_claimants_id(self):
        holder_app, holder = self.approved(business_name="元の保有者")
        claim_app, claim, status = self.held(business_name="申し立て者", corporate_number=holder_app["corporate_number"])
        self.assertEqual(status, "disputed")
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        page = self.staff.request("GET", "/console/disputes")
        self.assertIn("元の保有者", page.text)
        self.assertIn("申し立て者", page.text)
        self.assertIn(claim_app["contact_email"], page.text)
        self.assertRegex(self.staff.request("GET", "/console").text,
                         r'id="count-disputes"><a href="/console/disputes">[1-9]')
        settle = f"/console/disputes/{dispute}/settle"
        no_choice = self.staff.post(settle, {"reason": "登記を確認"}, form_page="/console/disputes")
        self.assertEqual(no_choice.status, 422)
        self.assertIn(self.ja["console.disputes.choose_outcome"], no_choice.text)
        no_reason = self.staff.post(settle, {"winner": "claimant", "reason": ""}, form_page="/console/disputes")
        self.assertEqual(no_reason.status, 422)
        reply = self.staff.post(settle, {"winner": "claimant", "reason": "登記簿で申し立て側の法人と確認"},
                                form_page="/console/disputes")
        self.assertEqual(reply.status, 303, reply.text)
        self.assertEqual(self.status_of(holder)[0], "revoked")
        claim_status, claim_id = self.status_of(claim)
        self.assertEqual(claim_status, "declared")
        self.assertRegex(claim_id, r"^\d{11}$")
        self.assertTrue(any("登記簿で申し立て側の法人と確認" in b for b in self.mail_to(holder_app["contact_email"], 4)))
        self.assertTrue(any(claim_id in b for b in self.mail_to(claim_app["contact_email"], 3)))
        [(actor, _, ip, details)] = self.audit("dispute.settled", f"dispute:{dispute}")
        self.assertEqual((actor, ip), (self.staff_actor, "127.0.0.1"))
        details = json.loads(details)
        self.assertEqual((details["winner"], details["holder_to_status"], details["claim_to_status"]),
                         ("claimant", "revoked", "declared"))
        self.assertEqual(self.server.sql("SELECT status FROM corporate_number_disputes WHERE id = ?", (dispute,)),
                         [("settled",)])
        again = self.staff.post(settle, {"winner": "holder", "reason": "x"}, form_page="/console/disputes")
        self.assertEqual(again.status, 409)
        self.assertIn(self.ja["console.disputes.gone"], again.text)

    def test_an_open_dispute_waits_in_the_review_queue_with_a_link_to_its_decision(self):
        holder_app, _ = self.approved(business_name="番号の保有者")
        _, claim, status = self.held(business_name="番号の申し立て者", corporate_number=holder_app["corporate_number"])
        self.assertEqual(status, "disputed")
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        for lang, t in (("ja", self.ja), ("en", self.en)):
            page = self.staff.request("GET", "/console/review", headers={"Accept-Language": lang})
            self.assertEqual(page.status, 200)
            queue = page.text[page.text.index('id="review-disputes"'):]
            self.assertIn(t["console.review.disputes_title"], queue)
            self.assertIn(f'<a href="/console/disputes#dispute-{dispute}-title">番号の申し立て者</a>', queue)
            self.assertIn(holder_app["corporate_number"], queue)
        # The link leads to the part of the disputes page where it is decided.
        self.assertIn(f'id="dispute-{dispute}-title"', self.staff.request("GET", "/console/disputes").text)
        # Settled, it leaves the queue.
        settled = self.staff.post(f"/console/disputes/{dispute}/settle", {"winner": "holder", "reason": "保有側を確認"},
                                  form_page="/console/disputes")
        self.assertEqual(settled.status, 303, settled.text)
        self.assertNotIn(f"/console/disputes#dispute-{dispute}-title", self.staff.request("GET", "/console/review").text)

    def test_a_dispute_settled_for_the_holder_rejects_the_claim_with_the_reason(self):
        holder_app, holder = self.approved()
        claim_app, claim, _ = self.held(corporate_number=holder_app["corporate_number"])
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        # Approving the claim on its own is refused while the holder keeps the number.
        approve = run_sengen("declaration", "approve", str(claim), "--db", f"sqlite:{self.server.db_path}")
        self.assertEqual(approve.returncode, 1)
        self.assertIn("lifecycle.disputed.approve.number_taken", approve.stderr)
        self.assertEqual(self.status_of(claim)[0], "disputed")
        reply = self.staff.post(f"/console/disputes/{dispute}/settle",
                                {"winner": "holder", "reason": "番号の入力誤りと思われます"}, form_page="/console/disputes")
        self.assertEqual(reply.status, 303)
        self.assertEqual(self.status_of(holder)[0], "declared")
        self.assertEqual(self.status_of(claim), ("rejected", None))
        self.assertTrue(any("番号の入力誤りと思われます" in b for b in self.mail_to(claim_app["contact_email"], 3)))
        self.assertEqual(json.loads(self.audit("dispute.settled", f"dispute:{dispute}")[0][3])["winner"], "holder")

    def test_the_holder_revoked_for_a_claimant_is_not_reinstated_while_the_claimant_holds_the_number(self):
        holder_app, holder = self.approved(business_name="取り消された保有者")
        _, claim, _ = self.held(corporate_number=holder_app["corporate_number"])
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        self.assertEqual(self.staff.post(f"/console/disputes/{dispute}/settle",
                                         {"winner": "claimant", "reason": "申し立て側の法人と確認"},
                                         form_page="/console/disputes").status, 303)
        status, holder_id = self.status_of(holder)
        self.assertEqual(status, "revoked")
        record = f"/console/declarations/{holder_id}"
        for lang, browser in (("ja", self.staff), ("en", self.admin)):
            browser.lang = lang
            try:
                reply = browser.post(f"{record}/reinstate", {"reason": "取り消しを撤回"}, form_page=record)
            finally:
                browser.lang = "ja"
            # Refused by name (the number is the claimant's now), on the record's own page.
            self.assertEqual(reply.status, 409, lang)
            self.assertIn(catalogue(lang)["console.record.number_taken"], reply.text)
            self.assertIn('id="f-reason"', reply.text)
        self.assertEqual(self.status_of(holder)[0], "revoked")
        self.assertEqual(self.status_of(claim)[0], "declared")
        # Once the claimant's declaration ends, the holder can be reinstated again.
        claim_id = self.status_of(claim)[1]
        self.assertEqual(self.staff.post(f"/console/declarations/{claim_id}/revoke", {"reason": "申し立て側が取り下げ"},
                                         form_page=f"/console/declarations/{claim_id}").status, 303)
        self.assertEqual(self.staff.post(f"{record}/reinstate", {"reason": "取り消しを撤回"}, form_page=record).status,
                         303)
        self.assertEqual(self.status_of(holder)[0], "declared")

    # --- reasons that cannot be kept ------------------------------------------------------------

    def test_a_reason_with_broken_text_or_control_characters_is_refused_by_name(self):
        holder_app, holder = self.approved()
        held_app, held, _ = self.held()
        _, claim, _ = self.held(corporate_number=holder_app["corporate_number"])
        dispute = self.server.sql("SELECT id FROM corporate_number_disputes WHERE claim_id = ?", (claim,))[0][0]
        holder_id = self.status_of(holder)[1]
        record = f"/console/declarations/{holder_id}"
        # Bytes that are not UTF-8 (PostgreSQL refuses them outright) and a NUL (no text column
        # holds one): the operator is told what is wrong with the reason, and nothing changes.
        for bad in (b"\xff\xfe", "理由\x00です", "理由\x1bです"):
            cases = [(f"{record}/revoke", {"reason": bad}, record),
                     (f"/console/review/{held}/reject", {"reason": bad}, "/console/review"),
                     (f"/console/disputes/{dispute}/settle", {"winner": "claimant", "reason": bad},
                      "/console/disputes")]
            for path, fields, form_page in cases:
                reply = self.staff.post(path, fields, form_page=form_page)
                self.assertEqual(reply.status, 422, (path, bad))
                self.assertIn(self.ja["console.reason.invalid"], reply.text, (path, bad))
        self.assertEqual(self.status_of(holder)[0], "declared")
        self.assertEqual(self.status_of(held)[0], "awaiting_review")
        self.assertEqual(self.status_of(claim)[0], "disputed")
        self.assertEqual(self.catalogue_has("console.reason.invalid"), (True, True))
        # A reason over several lines is still fine.
        reply = self.staff.post(f"/console/review/{held}/reject", {"reason": "一行目\r\n二行目"},
                                form_page="/console/review")
        self.assertEqual(reply.status, 303)

    def catalogue_has(self, message_id):
        return (message_id in self.ja, message_id in self.en)

    # --- failed mail ---------------------------------------------------------------------------

    def test_failed_mail_is_listed_without_its_text_and_retried_once(self):
        self.server.sql("INSERT INTO mail_outbox (recipient, subject, message, state, attempts, created_at, "
                        "next_attempt_at, last_error, kind) VALUES ('bounced@example.jp', 'subject', "
                        "'SECRET-BODY-TEXT', 'failed', 8, 1, 1, '550 mailbox unavailable', 'mail.revoked')")
        mail_id = self.server.sql("SELECT id FROM mail_outbox WHERE recipient = 'bounced@example.jp'")[0][0]
        page = self.staff.request("GET", "/console/mail")
        self.assertEqual(page.status, 200)
        for shown in ["bounced@example.jp", "mail.revoked", "550 mailbox unavailable", f'action="/console/mail/{mail_id}/retry"']:
            self.assertIn(shown, page.text)
        self.assertNotIn("SECRET-BODY-TEXT", page.text)
        self.assertIn('href="/console/mail?pending=1"', page.text)
        self.assertEqual(self.staff.request("GET", "/console/mail?pending=1").status, 200)
        reply = self.staff.post(f"/console/mail/{mail_id}/retry", {}, form_page="/console/mail")
        self.assertEqual(reply.status, 303)
        state = self.server.sql("SELECT state, attempts FROM mail_outbox WHERE id = ?", (mail_id,))[0]
        self.assertNotEqual(state[0], "failed")
        [(actor, _, ip, _)] = self.audit("mail.retried", f"mail:{mail_id}")
        self.assertEqual((actor, ip), (self.staff_actor, "127.0.0.1"))
        self.server.sql("UPDATE mail_outbox SET state = 'sent' WHERE id = ?", (mail_id,))
        self.assertEqual(self.staff.post(f"/console/mail/{mail_id}/retry", {}, form_page="/console/mail").status, 409)

    def test_queued_mail_records_its_kind(self):
        app, _, _ = self.held()
        kinds = self.server.sql("SELECT kind FROM mail_outbox WHERE recipient = ?", (app["contact_email"],))
        self.assertIn(("mail.receipt",), kinds)
        self.assertIn(("mail.held",), kinds)

    # --- terms ---------------------------------------------------------------------------------

    def test_the_terms_page_shows_each_version_its_agreements_and_its_public_page(self):
        self.held()
        versions = {f.stem for f in (Path(__file__).resolve().parents[3] / "content" / "terms").glob("*.toml")}
        page = self.staff.request("GET", "/console/terms")
        self.assertEqual(page.status, 200)
        for v in versions:
            self.assertIn(f'href="/terms/{v}"', page.text)
            agreed = self.server.sql("SELECT COUNT(*) FROM declarations WHERE terms_version = ?", (v,))[0][0]
            self.assertRegex(page.text, rf'id="terms-{v}">.*?<td class="num">{agreed}</td>')
        self.assertIn(self.ja["console.terms.current"], page.text)
        english = Browser(self.server)
        english.cookies = dict(self.staff.cookies, sengen_lang="en")
        self.assertIn(self.en["console.terms.title"], english.request("GET", "/console/terms").text)

    # --- verifier keys -------------------------------------------------------------------------

    def test_an_admin_creates_a_key_shown_once_and_revokes_it_after_confirming(self):
        bad = self.admin.post("/console/verifier-keys", {"name": " ", "rate": "60000"})
        self.assertEqual(bad.status, 422)
        self.assertIn(self.ja["console.keys.name_required"], bad.text)
        bad_rate = self.admin.post("/console/verifier-keys", {"name": "補助金事務局A", "rate": "0"})
        self.assertEqual(bad_rate.status, 422)
        # A sign or a separator in the number is not dropped quietly: "-5" is not a rate of 5.
        for typed in ("-5", "1-000", "+60", "99999999999999999999"):
            bad_rate = self.admin.post("/console/verifier-keys", {"name": "補助金事務局A", "rate": typed})
            self.assertEqual(bad_rate.status, 422, typed)
            self.assertIn(self.ja["console.keys.rate_invalid"], bad_rate.text)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM verifier_keys WHERE name = ?", ("補助金事務局A",)),
                         [(0,)])
        made = self.admin.post("/console/verifier-keys", {"name": "補助金事務局A", "rate": "６０００"})
        self.assertEqual(made.status, 200, made.text)
        key = re.search(r'id="created-key">(sv_[A-Za-z0-9_-]+)<', made.text).group(1)
        key_id, stored, rate = self.server.sql("SELECT id, key_hash, ids_per_minute FROM verifier_keys WHERE name = ?",
                                               ("補助金事務局A",))[0]
        self.assertEqual(stored, token_hash(key))
        self.assertEqual(rate, 6000)
        listed = self.admin.request("GET", "/console/verifier-keys")
        self.assertNotIn(key, listed.text)
        self.assertIn("補助金事務局A", listed.text)
        self.assertIn(self.ja["console.keys.never_used"], listed.text)
        taken = self.admin.post("/console/verifier-keys", {"name": "補助金事務局A", "rate": "10"})
        self.assertEqual(taken.status, 409)
        # Used once through the API: the page shows when.
        used = self.registry.post_json("/api/v1/verifications", {"ids": ["10000000016"]},
                                       headers={"Authorization": "Bearer " + key})
        self.assertEqual(used.status, 200, used.text)
        self.assertNotIn(self.ja["console.keys.never_used"],
                         re.search(rf'<tr id="key-{key_id}">.*?</tr>',
                                   self.admin.request("GET", "/console/verifier-keys").text).group(0))
        confirm = self.admin.request("GET", f"/console/verifier-keys/{key_id}/revoke")
        self.assertEqual(confirm.status, 200)
        self.assertIn("補助金事務局A", confirm.text)
        self.assertIsNone(self.server.sql("SELECT revoked_at FROM verifier_keys WHERE id = ?", (key_id,))[0][0])
        reply = self.admin.post(f"/console/verifier-keys/{key_id}/revoke", {})
        self.assertEqual(reply.status, 303)
        self.assertIsNotNone(self.server.sql("SELECT revoked_at FROM verifier_keys WHERE id = ?", (key_id,))[0][0])
        refused = self.registry.post_json("/api/v1/verifications", {"ids": ["10000000016"]},
                                          headers={"Authorization": "Bearer " + key})
        self.assertEqual(refused.status, 403)
        for action in ("verifier_key.created", "verifier_key.revoked"):
            [(actor, _, ip, _)] = self.audit(action, f"verifier_key:{key_id}")
            self.assertEqual((actor, ip), (self.admin_actor, "127.0.0.1"))
        self.assertEqual(self.admin.request("GET", f"/console/verifier-keys/{key_id}/revoke").status, 404)

    def console_key(self, name):
        made = self.admin.post("/console/verifier-keys", {"name": name, "rate": "60000"})
        self.assertEqual(made.status, 200, made.text)
        key = re.search(r'id="created-key">(sv_[A-Za-z0-9_-]+)<', made.text).group(1)
        return key, self.server.sql("SELECT id FROM verifier_keys WHERE name = ?", (name,))[0][0]

    def verifier(self, key, email):
        """A key holder who made an account in the browser (and is signed in with it)."""
        v = Browser(self.server)
        reply = v.post("/verifier/register", {"key": key, "email": email, "password": PASSWORD,
                                              "password_again": PASSWORD})
        self.assertEqual(reply.status, 200, reply.text)
        # The account is made by the link mailed to the address (ADR 49).
        link = re.search(r"/verifier/register/link#[A-Za-z0-9_-]{43}", self.registry.body(self.registry.wait_for_mail(email)[-1]))
        reply = v.post(link.group(0), {})
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier/totp"), reply.text)
        # Usable once a code confirms its second factor (ADR 0056).
        secret = secret_on(v.request("GET", "/verifier/totp").text)
        self.assertEqual(v.post("/verifier/totp", {"code": totp(secret)}).status, 303)
        self.assertEqual(v.request("GET", "/verifier").status, 200)
        v.secret = secret
        return v, self.server.sql("SELECT id FROM verifier_accounts WHERE email = ?", (email,))[0][0]

    def account_row(self, account_id, page=None):
        page = page or self.admin.request("GET", "/console/verifier-keys").text
        return re.search(rf'<tr id="account-{account_id}">.*?</tr>', page).group(0)

    def test_an_admin_sees_each_keys_accounts_and_disables_one_after_confirming(self):
        key, key_id = self.console_key("補助金事務局B")
        v, account_id = self.verifier(key, "clerk-b@example.jp")
        row = self.account_row(account_id)
        for text in ("補助金事務局B", "clerk-b@example.jp", self.ja["console.accounts.status_active"],
                     f'href="/console/verifier-accounts/{account_id}/disable"'):
            self.assertIn(text, row)
        # Making the account signed it in: its last sign-in is recorded.
        self.assertNotIn(self.ja["console.accounts.never_signed_in"], row)
        confirm = self.admin.request("GET", f"/console/verifier-accounts/{account_id}/disable")
        self.assertEqual(confirm.status, 200)
        self.assertIn("clerk-b@example.jp", confirm.text)
        self.assertIn("補助金事務局B", confirm.text)
        self.assertIsNone(self.server.sql("SELECT disabled_at FROM verifier_accounts WHERE id = ?", (account_id,))[0][0])
        reply = self.admin.post(f"/console/verifier-accounts/{account_id}/disable", {},
                                form_page=f"/console/verifier-accounts/{account_id}/disable")
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.header("Location"), "/console/verifier-keys#accounts")
        self.assertIsNotNone(self.server.sql("SELECT disabled_at FROM verifier_accounts WHERE id = ?",
                                             (account_id,))[0][0])
        # Its session ends at once, and it cannot sign in again.
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM verifier_sessions WHERE account_id = ?",
                                         (account_id,))[0][0], 0)
        self.assertEqual(v.request("GET", "/verifier").status, 303)
        again = Browser(self.server).post("/verifier/signin", {"email": "clerk-b@example.jp", "password": PASSWORD})
        self.assertEqual(again.status, 403)
        row = self.account_row(account_id)
        self.assertIn(self.ja["console.accounts.status_disabled"].split("{")[0], row)
        self.assertNotIn("/disable", row)
        [(actor, _, ip, _)] = self.audit("verifier.account_disabled", f"verifier:{account_id}")
        self.assertEqual((actor, ip), (self.admin_actor, "127.0.0.1"))
        self.assertEqual(self.admin.request("GET", f"/console/verifier-accounts/{account_id}/disable").status, 404)
        gone = self.admin.post(f"/console/verifier-accounts/{account_id}/disable", {},
                               form_page="/console/verifier-keys")
        self.assertEqual(gone.status, 409)
        self.assertIn(self.ja["console.accounts.gone"], gone.text)
        self.assertEqual(self.admin.request("GET", "/console/verifier-accounts/99999/disable").status, 404)

    def test_an_admin_lets_a_verifier_who_lost_its_device_set_up_its_code_again_after_confirming(self):
        key, _ = self.console_key("補助金事務局R")
        v, account_id = self.verifier(key, "clerk-r@example.jp")
        path = f"/console/verifier-accounts/{account_id}/reset-code"
        self.assertIn(f'href="{path}"', self.account_row(account_id))
        for lang, cat in (("en", self.en), ("ja", self.ja)):
            self.admin.lang = lang
            confirm = self.admin.request("GET", path)
            self.assertEqual(confirm.status, 200)
            self.assertIn(html_escape(cat["console.accounts.reset_title"]), confirm.text)
            self.assertIn("clerk-r@example.jp", confirm.text)
            self.assertIn('id="reset-question"', confirm.text)
        # Staff may not, and nothing changed by looking.
        self.assertEqual(self.staff.request("GET", path).status, 403)
        self.assertNotEqual(self.server.sql("SELECT totp_secret FROM verifier_accounts WHERE id = ?",
                                            (account_id,))[0][0], "")
        reply = self.admin.post(path, {}, form_page=path)
        self.assertEqual((reply.status, reply.header("Location")), (303, "/console/verifier-keys#accounts"))
        self.assertEqual(self.server.sql("SELECT totp_secret, totp_pending FROM verifier_accounts WHERE id = ?",
                                         (account_id,)), [("", "")])
        # Signed out at once; the password leads to the set-up page, with a new secret.
        self.assertEqual(v.request("GET", "/verifier").status, 303)
        again = Browser(self.server)
        signed = again.post("/verifier/signin", {"email": "clerk-r@example.jp", "password": PASSWORD})
        self.assertEqual((signed.status, signed.header("Location")), (303, "/verifier/totp"))
        fresh = secret_on(again.request("GET", "/verifier/totp").text)
        self.assertNotEqual(fresh, v.secret)
        self.assertEqual(again.post("/verifier/totp", {"code": totp(fresh)}).status, 303)
        self.assertEqual(again.request("GET", "/verifier").status, 200)
        [(actor, _, ip, _)] = self.audit("verifier.second_factor_reset", f"verifier:{account_id}")
        self.assertEqual((actor, ip), (self.admin_actor, "127.0.0.1"))
        self.assertEqual(self.admin.request("GET", "/console/verifier-accounts/99999/reset-code").status, 404)

    def test_the_accounts_of_a_revoked_key_are_shown_as_unable_to_verify(self):
        key, key_id = self.console_key("補助金事務局C")
        _, account_id = self.verifier(key, "clerk-c@example.jp")
        self.assertEqual(self.admin.post(f"/console/verifier-keys/{key_id}/revoke", {},
                                         form_page=f"/console/verifier-keys/{key_id}/revoke").status, 303)
        row = self.account_row(account_id)
        self.assertIn(self.ja["console.accounts.status_key_revoked"], row)
        # Still disabled separately: a revoked key does not end the account's sign-in.
        self.assertIn(f'href="/console/verifier-accounts/{account_id}/disable"', row)
        english = Browser(self.server)
        english.lang = "en"
        english.cookies = dict(self.admin.cookies)
        self.assertIn(self.en["console.accounts.status_key_revoked"], self.account_row(
            account_id, english.request("GET", "/console/verifier-keys").text))

    # --- export --------------------------------------------------------------------------------

    def test_an_admin_downloads_csv_and_xlsx_uncached_and_each_export_is_audited(self):
        self.held(business_name="書き出し商店")
        rows = self.server.sql("SELECT COUNT(*) FROM declarations")[0][0]
        self.assertEqual(self.admin.request("GET", "/console/export").status, 200)
        csv = self.admin.post("/console/export", {"format": "csv"})
        self.assertEqual(csv.status, 200)
        self.assertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertRegex(csv.header("Content-Disposition"), r'^attachment; filename="declarations-\d{4}-\d{2}-\d{2}\.csv"$')
        self.assertEqual(csv.header("Cache-Control"), "no-store")
        self.assertTrue(csv.body.startswith(b"\xef\xbb\xbf"))
        self.assertIn("書き出し商店", csv.body.decode("utf-8-sig"))
        xlsx = self.admin.post("/console/export", {"format": "xlsx"})
        self.assertEqual(xlsx.status, 200)
        self.assertEqual(xlsx.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertRegex(xlsx.header("Content-Disposition"), r'filename="declarations-\d{4}-\d{2}-\d{2}\.xlsx"$')
        self.assertEqual(xlsx.header("Cache-Control"), "no-store")
        with zipfile.ZipFile(io.BytesIO(xlsx.body)) as book:
            self.assertIn("xl/workbook.xml", book.namelist())
        self.assertEqual(self.admin.post("/console/export", {"format": "pdf"}).status, 422)
        exports = [json.loads(d) for a, _, ip, d in self.audit("declarations.exported")
                   if a == self.admin_actor and ip == "127.0.0.1"]
        self.assertIn({"format": "csv", "rows": str(rows)}, exports)
        self.assertIn("xlsx", [e["format"] for e in exports])


class ReviewOff(unittest.TestCase):
    def test_the_review_page_says_plainly_that_the_setting_is_off(self):
        with SengenServer() as server:
            admin, _, _ = set_up(server, "admin@example.jp", "admin")
            page = admin.request("GET", "/console/review")
            self.assertEqual(page.status, 200)
            self.assertIn('id="review-off"', page.text)
            self.assertIn(catalogue("ja")["console.review.setting_off"], page.text)
            self.assertIn('id="review-none"', page.text)


if __name__ == "__main__":
    unittest.main()
