"""Supporters (issue 13 point 6, ADR 42): an owner invites a supporter by email with the rights it
chooses; the supporter accepts by the mailed link, signed in as its own account, and does exactly
what it was allowed; the owner ends the support and the supporter's next request is refused. The
real binary, mailing through a real SMTP server on loopback, in Japanese and English."""

import re
import time
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import (CONTACT_NAME, Visitor, application, body, csrf_of, declare, edit_form_fields, forms, link,
                       start_sink_and_server, token_of)

# The application form's steps as a browser fills them in (a sole proprietor, so no corporate number).
BUSINESS_STEP = [("entity_type", "sole_proprietor"), ("business_name_kana", "ダイリシンセイ"),
                 ("postal_code", "１００-０００１"), ("prefecture", "13"), ("address", "千代田区千代田1-1"),
                 ("industry", "G"), ("employees", "1-5"), ("representative_title", "代表"),
                 ("representative_name", "山田 太郎"), ("contact_name", "山田 花子")]
DECLARATION_STEP = [("level", "1")] + [("commitment", str(n)) for n in range(1, 6)] + [("purposes", "customer")]
# Self-assessment answers, every question answered (edition 2023, 25 questions).
ANSWERS = {n: "done" for n in range(1, 26)}
ANSWERS.update({2: "partly", 7: "not_done", 19: "partly"})


def subject(message) -> str:
    return str(message["Subject"])


def assessment_result(visitor):
    """The self-assessment's result page for ANSWERS, posted as the last part's form posts them."""
    token = csrf_of(visitor.get("/signin").text)
    fields = [("csrf", token), ("edition", "2023"), ("from", "3")] + [(f"q{n}", a) for n, a in sorted(ANSWERS.items())]
    return visitor.post("/assessment/result", fields)


class Supporters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def row(self, public_id):
        return self.server.sql("SELECT business_name, contact_email, account_id, status FROM declarations "
                               "WHERE public_id = ?", (public_id,))[0]

    def invite(self, owner, public_id, email, rights=("edit_details",)):
        path = f"/mypage/declarations/{public_id}/supporters/invite"
        page = owner.get(path)
        self.assertEqual(page.status, 200, page.text[:300])
        fields = [("csrf", csrf_of(page.text)), ("supporter_email", email)] + [("rights", r) for r in rights]
        return owner.post(path, fields)

    def invited_and_accepted(self, owner_email, supporter_email, rights=("edit_details",), lang="ja"):
        """A declaration of `owner_email` and a supporter browser signed in through the invitation."""
        owner = Visitor(self.server)
        app = application(owner_email)
        public_id = declare(self.server, self.sink, app, owner)
        sent = self.invite(owner, public_id, supporter_email, rights)
        self.assertEqual(sent.status, 303, sent.text[:500])
        (mail,) = self.sink.wait_for(supporter_email)
        supporter = Visitor(self.server, lang=lang)
        path = link(mail, "/support/")
        accepted = supporter.press(path)
        self.assertEqual(accepted.status, 303, accepted.text[:500])
        self.assertEqual(accepted.header("Location"), f"/mypage/declarations/{public_id}")
        return owner, supporter, public_id, app, path, mail

    def edit(self, visitor, public_id, **changes):
        page = visitor.get(f"/mypage/declarations/{public_id}/edit")
        self.assertEqual(page.status, 200, page.text[:300])
        fields = [(k, changes.get(k, v)) for k, v in edit_form_fields(page.text)]
        return visitor.post(f"/mypage/declarations/{public_id}/edit", fields)

    def audit(self, public_id, action):
        return self.server.sql("SELECT a.actor FROM audit_events a JOIN declarations d ON a.subject = 'declaration:' || d.id "
                               "WHERE d.public_id = ? AND a.action = ? ORDER BY a.id", (public_id, action))

    def test_switching_language_on_the_invitation_form_keeps_what_was_typed_and_invites_nobody(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("switch-owner@example.jp"), owner)
        path = f"/mypage/declarations/{public_id}/supporters/invite"
        page = owner.get(path)
        self.assertEqual(page.status, 200, page.text[:300])
        before = self.server.sql("SELECT COUNT(*) FROM support_invitations")[0][0]
        for lang, words in (("en", self.en), ("ja", self.ja)):
            self.assertIn(f'form="invite-form" formaction="{path}" name="switch_lang" value="{lang}"', page.text)
            # Only the self-assessment right ticked, and an address typed: both must come back.
            page = owner.post(path, [("csrf", csrf_of(page.text)), ("supporter_email", "switch-helper@example.jp"),
                                     ("rights", "prepare_two_star"), ("switch_lang", lang)])
            self.assertEqual(page.status, 200, page.text[:300])
            self.assertEqual(page.html_lang(), lang)
            self.assertIn(html_escape(words["supporters.invite.title"]), page.text)
            self.assertIn('value="switch-helper@example.jp"', page.text)
            self.assertRegex(page.text, r'id="rights-prepare_two_star"[^>]* checked')
            self.assertNotRegex(page.text, r'id="rights-edit_details"[^>]* checked')
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM support_invitations")[0][0], before)
        self.sink.settle()
        self.assertEqual(self.sink.to("switch-helper@example.jp"), [])

    def test_an_invited_supporter_accepts_edits_the_details_and_is_refused_at_once_once_the_owner_ends_it(self):
        owner, supporter, public_id, app, path, mail = self.invited_and_accepted(
            "owner-a@example.jp", "vendor-a@example.jp")
        # The invitation names the business and carries the link; nothing else the owner typed.
        self.assertIn(app["business_name"], body(mail))
        self.assertNotIn(CONTACT_NAME, body(mail))
        self.assertNotIn("owner-a@example.jp", body(mail))
        (account,) = self.server.sql("SELECT id FROM accounts WHERE email = 'vendor-a@example.jp'")[0]

        # The supporter's My Page lists the business with its level, status and readiness.
        mypage = supporter.get("/mypage")
        self.assertEqual(mypage.status, 200)
        self.assertIn(html_escape(self.ja["supporters.mypage.title"]), mypage.text)
        self.assertIn(f'href="/mypage/declarations/{public_id}"', mypage.text)
        self.assertIn(f'href="/mypage/declarations/{public_id}/subsidies"', mypage.text)
        self.assertIn(html_escape(self.ja["status.declared"]), mypage.text)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/subsidies").status, 200)

        # It may change the details: saved, in the history as the supporter's, and in the audit log.
        self.assertIn(html_escape(self.ja["supporters.edit.note"]),
                      supporter.get(f"/mypage/declarations/{public_id}/edit").text)
        self.assertNotIn(html_escape(self.ja["supporters.edit.note"]),
                         owner.get(f"/mypage/declarations/{public_id}/edit").text)
        changed = self.edit(supporter, public_id, business_name="株式会社サポート後")
        self.assertEqual(changed.status, 303, changed.text[:500])
        self.assertEqual(self.row(public_id)[0], "株式会社サポート後")
        (actor,) = self.server.sql("SELECT c.actor FROM declaration_changes c JOIN declarations d "
                                   "ON d.id = c.declaration_id WHERE d.public_id = ?", (public_id,))[0]
        self.assertEqual(actor, f"supporter:{account}")
        self.assertEqual(self.audit(public_id, "declaration.details_changed"), [(f"supporter:{account}",)])
        self.assertEqual(self.audit(public_id, "support.started"), [(f"supporter:{account}",)])
        # The owner sees who changed it and who supports it.
        page = owner.get(f"/mypage/declarations/{public_id}")
        self.assertIn(html_escape(self.ja["supporters.by.named"].replace("{email}", "vendor-a@example.jp")), page.text)
        self.assertIn(html_escape(self.ja["supporters.rights.edit_details"]), page.text)

        # The owner ends the support: the supporter's very next request is refused.
        (end_form,) = [f for f in forms(page.text) if f["action"].endswith("/end")]
        ended = owner.post(end_form["action"], end_form["fields"])
        self.assertEqual(ended.status, 303, ended.text[:300])
        before = self.row(public_id)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}").status, 404)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/edit").status, 404)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/subsidies").status, 404)
        self.assertNotIn(f'href="/mypage/declarations/{public_id}"', supporter.get("/mypage").text)
        self.assertEqual(self.row(public_id), before)
        self.assertEqual(len(self.audit(public_id, "support.ended")), 1)
        # The invitation link was used once; following it again is refused.
        again = Visitor(self.server).open_link(path)
        self.assertEqual(again.status, 404)
        self.assertIn(html_escape(self.ja["supporters.accept.unknown.title"]), again.text)

    def test_a_supporter_never_stops_the_declaration_or_changes_its_contact_and_nothing_changes(self):
        owner, supporter, public_id, _, _, _ = self.invited_and_accepted(
            "owner-b@example.jp", "vendor-b@example.jp", rights=("edit_details", "prepare_two_star"), lang="en")
        before = self.row(public_id)
        page = supporter.get(f"/mypage/declarations/{public_id}")
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(self.en["supporters.page.you_support"]), page.text)
        self.assertNotIn(f"/mypage/declarations/{public_id}/stop", page.text)
        self.assertNotIn(html_escape(self.en["supporters.page.invite"]), page.text)

        # Stopping: the page and the POST are refused with 403.
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/stop").status, 403)
        stop = supporter.post(f"/mypage/declarations/{public_id}/stop", {"csrf": csrf_of(page.text)})
        self.assertEqual(stop.status, 403)
        # Changing the contact inside the details form: refused, and the other field typed is not saved either.
        moved = self.edit(supporter, public_id, contact_email="taken@example.jp", business_name="乗っ取り株式会社")
        self.assertEqual(moved.status, 403, moved.text[:300])
        self.assertFalse(self.server.sql("SELECT 1 FROM contact_changes c JOIN declarations d "
                                         "ON d.id = c.declaration_id WHERE d.public_id = ?", (public_id,)))
        # Nor may it invite others, step up or down, or take the badge.
        invite = supporter.post(f"/mypage/declarations/{public_id}/supporters/invite",
                                {"csrf": csrf_of(page.text), "supporter_email": "third@example.jp"})
        self.assertEqual(invite.status, 403)
        for p in ("step-up", "step-down"):
            self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/{p}").status, 403, p)
        self.assertEqual(self.row(public_id), before)
        self.sink.settle()
        self.assertEqual(self.sink.to("third@example.jp"), [])
        self.assertEqual(self.sink.to("taken@example.jp"), [])

    def test_a_supporter_without_the_right_cannot_edit_and_a_stranger_cannot_see(self):
        _, supporter, public_id, _, _, _ = self.invited_and_accepted(
            "owner-c@example.jp", "vendor-c@example.jp", rights=())
        page = supporter.get(f"/mypage/declarations/{public_id}")
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(self.ja["supporters.rights.none"]), page.text)
        self.assertNotIn(f"/mypage/declarations/{public_id}/edit", page.text)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/edit").status, 403)
        stranger = Visitor(self.server)
        stranger.sign_in(self.sink, "stranger-c@example.jp")
        self.assertEqual(stranger.get(f"/mypage/declarations/{public_id}").status, 404)

    def test_an_expired_or_cancelled_invitation_link_is_refused(self):
        owner = Visitor(self.server, lang="en")
        public_id = declare(self.server, self.sink, application("owner-d@example.jp"), owner)
        self.assertEqual(self.invite(owner, public_id, "late-d@example.jp").status, 303)
        self.assertEqual(self.invite(owner, public_id, "withdrawn-d@example.jp").status, 303)
        (late,) = self.sink.wait_for("late-d@example.jp")
        (withdrawn,) = self.sink.wait_for("withdrawn-d@example.jp")

        # The owner sees both pending, and withdraws one.
        page = owner.get(f"/mypage/declarations/{public_id}")
        self.assertIn("late-d@example.jp", page.text)
        self.assertIn("withdrawn-d@example.jp", page.text)
        # Pending invitations are listed oldest first: the second button is the second invitation's.
        cancel = [f for f in forms(page.text) if f["action"].endswith("/cancel")][1]
        self.assertEqual(owner.post(cancel["action"], cancel["fields"]).status, 303)
        self.assertNotIn("withdrawn-d@example.jp", owner.get(f"/mypage/declarations/{public_id}").text)

        # The other expires.
        self.server.sql("UPDATE support_invitations SET expires_at = ? WHERE email = 'late-d@example.jp'",
                        (int(time.time()) - 1,))
        for mail in (late, withdrawn):
            visitor = Visitor(self.server, lang="en")
            path = link(mail, "/support/")
            shown = visitor.open_link(path)
            self.assertEqual(shown.status, 404)
            self.assertIn(html_escape(self.en["supporters.accept.unknown.title"]), shown.text)
            token = visitor.get("/signin")
            self.assertEqual(visitor.post("/support", {"csrf": csrf_of(token.text), "token": token_of(path)}).status,
                             404)
        self.assertFalse(self.server.sql("SELECT 1 FROM supports s JOIN declarations d ON d.id = s.declaration_id "
                                         "WHERE d.public_id = ?", (public_id,)))

    def test_the_invitation_form_names_its_field_errors_and_keeps_what_was_typed(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("owner-e@example.jp"), owner)
        bad = self.invite(owner, public_id, "not-an-address")
        self.assertEqual(bad.status, 422)
        self.assertIn(html_escape(self.ja["field_error.invalid_email"]), bad.text)
        self.assertIn('value="not-an-address"', bad.text)
        own = self.invite(owner, public_id, "ＯＷＮＥＲ-E@example.jp")
        self.assertEqual(own.status, 422)
        self.assertIn(html_escape(self.ja["field_error.supporter_is_owner"]), own.text)
        # Full-width letters typed into the address are read as the half-width address.
        ok = self.invite(owner, public_id, "ｖｅｎｄｏｒ-e@example.jp")
        self.assertEqual(ok.status, 303, ok.text[:300])
        self.sink.wait_for("vendor-e@example.jp")

    def test_invitations_count_against_the_mail_limits_of_an_unproven_address(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("owner-f@example.jp"), owner)
        for _ in range(5):  # --mail-limit-unproven's default
            self.assertEqual(self.invite(owner, public_id, "flood-f@example.jp").status, 303)
        refused = self.invite(owner, public_id, "flood-f@example.jp")
        self.assertEqual(refused.status, 429)
        self.assertEqual(len(self.sink.wait_for("flood-f@example.jp", 5)), 5)
        self.sink.settle()
        self.assertEqual(len(self.sink.to("flood-f@example.jp")), 5)
        (pending,) = self.server.sql("SELECT COUNT(*) FROM support_invitations WHERE email = 'flood-f@example.jp'")[0]
        self.assertEqual(pending, 5)

    def test_a_supporter_applies_for_a_business_which_confirms_and_owns_it_and_the_supporter_is_recorded(self):
        for lang, words in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                supporter = Visitor(self.server, lang=lang)
                supporter.sign_in(self.sink, f"chamber-{lang}@example.jp")
                contact = f"shop-{lang}@example.jp"
                for path, fields, then in (("/apply", [("terms_agreed", "yes")], "/apply/business"),
                                           ("/apply/business", BUSINESS_STEP + [("business_name", f"代理申込商店{lang}"),
                                                                                ("contact_email", contact)],
                                            "/apply/declaration"),
                                           ("/apply/declaration", DECLARATION_STEP, "/apply/check")):
                    page = supporter.get(path)
                    done = supporter.post(path, [("csrf", csrf_of(page.text))] + fields)
                    self.assertEqual((done.status, done.header("Location")), (303, then), done.text[:500])
                check = supporter.get("/apply/check")
                self.assertIn(html_escape(words["supporters.apply.on_behalf"]), check.text)
                sent = supporter.post("/apply/check", {"csrf": csrf_of(check.text)})
                self.assertEqual(sent.status, 303, sent.text[:500])

                # Nothing is issued, and nobody supports anything, until the business's contact confirms.
                (status, public_id, account) = self.server.sql(
                    "SELECT status, public_id, account_id FROM declarations WHERE contact_email = ?", (contact,))[0]
                self.assertEqual((status, public_id, account), ("awaiting_confirmation", None, None))
                self.assertFalse(self.server.sql("SELECT 1 FROM supports s JOIN declarations d "
                                                 "ON d.id = s.declaration_id WHERE d.contact_email = ?", (contact,)))
                self.assertNotIn("代理申込商店", supporter.get("/mypage").text)

                (receipt,) = self.sink.wait_for(contact)
                business = Visitor(self.server, lang=lang)
                self.assertEqual(business.press(link(receipt, "/confirm/")).status, 200)
                (public_id, owner) = self.server.sql(
                    "SELECT public_id, account_id FROM declarations WHERE contact_email = ?", (contact,))[0]
                (owner_email,) = self.server.sql("SELECT email FROM accounts WHERE id = ?", (owner,))[0]
                self.assertEqual(owner_email, contact)
                (helper,) = self.server.sql("SELECT id FROM accounts WHERE email = ?", (f"chamber-{lang}@example.jp",))[0]
                self.assertEqual(self.server.sql("SELECT s.account_id, s.rights FROM supports s JOIN declarations d "
                                                 "ON d.id = s.declaration_id WHERE d.public_id = ?", (public_id,)),
                                 [(helper, "edit_details,prepare_two_star")])
                self.assertEqual(self.audit(public_id, "support.started"), [(f"supporter:{helper}",)])

                # The business owns it; the supporter sees it among the businesses it supports and may edit.
                self.assertIn(f'href="/mypage/declarations/{public_id}"', business.get("/mypage").text)
                mypage = supporter.get("/mypage")
                self.assertIn(html_escape(words["supporters.mypage.title"]), mypage.text)
                self.assertIn(f'href="/mypage/declarations/{public_id}"', mypage.text)
                self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/edit").status, 200)
                self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/stop").status, 403)

    def test_a_declarant_applying_for_itself_signed_in_is_no_supporter_of_its_own(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("self-g@example.jp"), owner)
        for path, fields, then in (("/apply", [("terms_agreed", "yes")], "/apply/business"),
                                   ("/apply/business", BUSINESS_STEP + [("business_name", "自分の二社目"),
                                                                        ("contact_email", "SELF-G@example.jp")],
                                    "/apply/declaration"),
                                   ("/apply/declaration", DECLARATION_STEP, "/apply/check"),
                                   ("/apply/check", [], "/apply/sent")):
            page = owner.get(path)
            done = owner.post(path, [("csrf", csrf_of(page.text))] + fields)
            self.assertEqual((done.status, done.header("Location")), (303, then), done.text[:500])
        self.assertFalse(self.server.sql("SELECT 1 FROM supported_applications"
                                         " s JOIN declarations d ON d.id = s.declaration_id"
                                         " WHERE d.business_name = '自分の二社目'"))
        self.assertTrue(public_id)

    # --- preparing the self-assessment and the policy draft for the business (ADR 48) -------------------

    def mails_after(self, address, before, subject_text):
        """The one mail to `address` beyond the `before` it had, whose subject has `subject_text`."""
        mails = self.sink.wait_for(address, before + 1)
        (mail,) = [m for m in mails[before:] if subject_text in subject(m)]
        return mail

    def save_for(self, visitor, public_id):
        """The result page's save form, sent with the business chosen as where to save."""
        page = assessment_result(visitor)
        self.assertEqual(page.status, 200, page.text[:300])
        (form,) = [f for f in forms(page.text) if f["action"] == "/assessment/save"]
        fields = [(k, v) for k, v in form["fields"] if k != "save_for"] + [("save_for", public_id)]
        return visitor.post("/assessment/save", fields), page

    def test_a_supporter_prepares_the_assessment_and_the_policy_draft_which_the_owner_finds_and_keeps(self):
        for owner_lang, helper_lang in (("ja", "en"), ("en", "ja")):
            with self.subTest(owner=owner_lang, supporter=helper_lang):
                owner_words = self.ja if owner_lang == "ja" else self.en
                words = self.ja if helper_lang == "ja" else self.en
                owner_email, helper_email = f"owner-p{owner_lang}@example.jp", f"vendor-p{helper_lang}@example.jp"
                owner = Visitor(self.server, lang=owner_lang)
                app = application(owner_email, lang=owner_lang)
                public_id = declare(self.server, self.sink, app, owner)
                had = len(self.sink.wait_for(owner_email, 2))  # the receipt and the declared mail
                self.assertEqual(self.invite(owner, public_id, helper_email, ("prepare_two_star",)).status, 303)
                (invitation,) = self.sink.wait_for(helper_email)
                supporter = Visitor(self.server, lang=helper_lang)
                self.assertEqual(supporter.press(link(invitation, "/support/")).status, 303)
                (owner_account,) = self.server.sql("SELECT id FROM accounts WHERE email = ?", (owner_email,))[0]
                (helper,) = self.server.sql("SELECT id FROM accounts WHERE email = ?", (helper_email,))[0]

                # The owner is told, in its declaration's language, who now helps and with what.
                started = self.mails_after(owner_email, had, app["business_name"])
                self.assertIn(helper_email, body(started))
                self.assertIn(owner_words["supporters.rights.prepare_two_star"], body(started))
                self.assertIn(f"/mypage/declarations/{public_id}", body(started))
                self.assertIn(owner_words["site.name"], body(started))

                # The supporter's My Page and readiness lead to what it may do, never to the step-up page.
                mypage = supporter.get("/mypage")
                self.assertIn(f'href="/mypage/declarations/{public_id}#prepare-title"', mypage.text)
                readiness = supporter.get(f"/mypage/declarations/{public_id}/subsidies")
                self.assertEqual(readiness.status, 200)
                self.assertNotIn("/step-up", readiness.text)
                self.assertIn(html_escape(words["subsidies.owner_steps_up"]), readiness.text)
                self.assertIn(f'href="/mypage/declarations/{public_id}#prepare-title"', readiness.text)
                page = supporter.get(f"/mypage/declarations/{public_id}")
                self.assertIn('id="prepare-title"', page.text)
                self.assertIn(html_escape(words["supporters.prepare.owner_steps_up"]), page.text)
                # The owner's own readiness page still leads to stepping up.
                self.assertIn(f"/mypage/declarations/{public_id}/step-up",
                              owner.get(f"/mypage/declarations/{public_id}/subsidies").text)

                # The self-assessment, saved for the business: in the owner's account, noted as the supporter's.
                saved, result = self.save_for(supporter, public_id)
                self.assertIn(html_escape(words["supporters.save_for.label"]), result.text)
                self.assertEqual((saved.status, saved.header("Location")), (303, f"/mypage/declarations/{public_id}"),
                                 saved.text[:300])
                self.assertIn(html_escape(words["supporters.flash.assessment_prepared"]),
                              supporter.get(f"/mypage/declarations/{public_id}").text)
                rows = self.server.sql("SELECT id, account_id FROM self_assessments WHERE account_id IN (?, ?)",
                                       (owner_account, helper))
                self.assertEqual([r[1] for r in rows], [owner_account])
                assessment = rows[0][0]
                self.assertEqual(self.audit(public_id, "support.assessment_prepared"), [(f"supporter:{helper}",)])
                self.assertIn(f'href="/mypage/assessments/{assessment}"', owner.get("/mypage").text)
                self.assertEqual(supporter.get(f"/mypage/assessments/{assessment}").status, 404)

                # The policy draft: started and edited by the supporter, in the owner's account.
                page = supporter.get(f"/mypage/declarations/{public_id}")
                (start,) = [f for f in forms(page.text) if f["action"] == f"/mypage/declarations/{public_id}/policies"]
                made = supporter.post(start["action"], start["fields"])
                self.assertEqual(made.status, 303, made.text[:300])
                editor_path = made.header("Location")
                policy = int(re.fullmatch(rf"/mypage/declarations/{public_id}/policies/(\d+)", editor_path).group(1))
                editor = supporter.get(editor_path)
                self.assertEqual(editor.status, 200)
                self.assertIn(html_escape(words["supporters.policy.note"].replace("{name}", app["business_name"])),
                              editor.text)
                self.assertNotIn('value="publish"', editor.text)
                typed = f"私たちは、お客さまの情報を大切に扱います（{helper_lang}）。"
                edited = supporter.post(editor_path, {"csrf": csrf_of(editor.text), "policy_section_1": typed,
                                                      "policy_business_name": app["business_name"],
                                                      "policy_assets": "customers", "policy_established": "2026-04-01",
                                                      "policy_representative_title": "代表取締役",
                                                      "policy_representative_name": "試験 太郎"})
                self.assertEqual(edited.status, 303, edited.text[:300])
                (holder, draft) = self.server.sql("SELECT account_id, draft FROM policies WHERE id = ?", (policy,))[0]
                self.assertEqual(holder, owner_account)
                self.assertIn(typed, draft)
                self.assertEqual(len(self.audit(public_id, "support.policy_started")), 1)
                self.assertEqual(self.audit(public_id, "support.policy_prepared"), [(f"supporter:{helper}",)])
                # Publishing stays the owner's: the owner's own addresses are no supporter's.
                self.assertEqual(supporter.get(f"/mypage/policies/{policy}").status, 404)
                self.assertEqual(supporter.post(f"/mypage/policies/{policy}/publish",
                                                {"csrf": csrf_of(editor.text)}).status, 404)
                self.assertEqual(self.server.sql("SELECT status FROM policies WHERE id = ?", (policy,)), [("draft",)])

                # The owner finds the draft on its own My Page and the supporter's steps in the history.
                self.assertIn(f'href="/mypage/policies/{policy}"', owner.get("/mypage").text)
                self.assertIn(html_escape(typed), owner.get(f"/mypage/policies/{policy}").text)
                history = owner.get(f"/mypage/declarations/{public_id}").text
                self.assertIn(html_escape(owner_words["field.prepared_assessment.label"]), history)
                self.assertIn(html_escape(owner_words["field.prepared_policy.label"]), history)
                self.assertIn(html_escape(owner_words["supporters.by.named"].replace("{email}", helper_email)), history)
                actors = self.server.sql("SELECT c.field, c.actor FROM declaration_changes c JOIN declarations d "
                                         "ON d.id = c.declaration_id WHERE d.public_id = ? ORDER BY c.id", (public_id,))
                self.assertEqual(actors, [("prepared_assessment", f"supporter:{helper}"),
                                          ("prepared_policy", f"supporter:{helper}"),
                                          ("prepared_policy", f"supporter:{helper}")])

                # The owner uses what was prepared: it publishes the draft, and stepping up offers the
                # saved result with the published policy as its two-star evidence.
                self.assertNotIn(f'value="sengen-{policy}"', owner.get(f"/mypage/declarations/{public_id}/step-up").text)
                preview = owner.get(f"/mypage/policies/{policy}/publish")
                self.assertEqual(preview.status, 200, preview.text[:500])
                published = owner.post(f"/mypage/policies/{policy}/publish", {"csrf": csrf_of(preview.text)})
                self.assertEqual(published.status, 303, published.text[:500])
                self.assertIn(f'value="sengen-{policy}"', owner.get(f"/mypage/declarations/{public_id}/step-up").text)

                # The owner ends the support: the supporter is told in its own language, and refused from then on.
                page = owner.get(f"/mypage/declarations/{public_id}")
                (end_form,) = [f for f in forms(page.text) if f["action"].endswith("/end")]
                self.assertEqual(owner.post(end_form["action"], end_form["fields"]).status, 303)
                (ended,) = [m for m in self.sink.wait_for(helper_email, 2)[1:]]
                self.assertEqual(subject(ended), words["mail.support_ended.subject"]
                                 .replace("{site_name}", words["site.name"]).replace("{business_name}", app["business_name"]))
                self.assertIn(app["business_name"], body(ended))
                self.assertEqual(supporter.get(editor_path).status, 404)
                self.assertEqual(self.save_for(supporter, public_id)[0].status, 404)

    def test_a_supporter_without_the_right_to_prepare_is_refused_403_and_a_stranger_404(self):
        owner, supporter, public_id, app, _, _ = self.invited_and_accepted(
            "owner-q@example.jp", "vendor-q@example.jp", rights=("edit_details",))
        owner_policy = owner.post("/mypage/policies", {"csrf": csrf_of(owner.get("/mypage").text)})
        self.assertEqual(owner_policy.status, 303, owner_policy.text[:300])
        policy = owner_policy.header("Location").rsplit("/", 1)[1]
        stranger = Visitor(self.server)
        stranger.sign_in(self.sink, "stranger-q@example.jp")
        before = (self.server.sql("SELECT COUNT(*) FROM self_assessments")[0][0],
                  self.server.sql("SELECT draft FROM policies WHERE id = ?", (policy,)),
                  self.server.sql("SELECT COUNT(*) FROM policies")[0][0])

        # Without the right: the page says the business prepares, with no link to a page it cannot open.
        page = supporter.get(f"/mypage/declarations/{public_id}")
        self.assertIn(html_escape(self.ja["supporters.prepare.not_allowed"]), page.text)
        self.assertNotIn(f"/mypage/declarations/{public_id}/policies", page.text)
        readiness = supporter.get(f"/mypage/declarations/{public_id}/subsidies")
        self.assertNotIn("/step-up", readiness.text)
        self.assertNotIn("#prepare-title", readiness.text)
        self.assertIn(html_escape(self.ja["subsidies.owner_steps_up"]), readiness.text)
        self.assertNotIn("#prepare-title", supporter.get("/mypage").text)
        # Its result page offers no business to save for.
        self.assertNotIn('name="save_for"', assessment_result(supporter).text)

        token = csrf_of(page.text)
        for who, status in ((supporter, 403), (stranger, 404)):
            with self.subTest(status=status):
                self.assertEqual(self.save_for(who, public_id)[0].status, status)
                self.assertEqual(who.post(f"/mypage/declarations/{public_id}/policies",
                                          {"csrf": csrf_of(who.get("/signin").text)}).status, status)
                self.assertEqual(who.get(f"/mypage/declarations/{public_id}/policies/{policy}").status, status)
                self.assertEqual(who.post(f"/mypage/declarations/{public_id}/policies/{policy}",
                                          {"csrf": csrf_of(who.get("/signin").text),
                                           "policy_section_1": "書き換え"}).status, status)
        # The guard answers before any policy is looked up; an unknown declaration is not found.
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}/policies/999999").status, 403)
        self.assertEqual(supporter.post("/mypage/declarations/99999999999/policies", {"csrf": token}).status, 404)
        after = (self.server.sql("SELECT COUNT(*) FROM self_assessments")[0][0],
                 self.server.sql("SELECT draft FROM policies WHERE id = ?", (policy,)),
                 self.server.sql("SELECT COUNT(*) FROM policies")[0][0])
        self.assertEqual(after, before)
        self.assertEqual(self.audit(public_id, "support.assessment_prepared"), [])
        self.assertEqual(self.audit(public_id, "support.policy_prepared"), [])


class SupportNoticesAndTheMailLimits(unittest.TestCase):
    """The notices of a support started or ended count against the mail limits; once these are spent,
    the step still happens and no mail goes out."""

    @classmethod
    def setUpClass(cls):
        # Applying and confirming count no mail against the declaration: the invitation is the one it may have.
        start_sink_and_server(cls, "--mail-limit-per-declaration", "1")

    def test_a_support_starts_and_ends_without_its_notices_once_the_declarations_mail_is_spent(self):
        owner = Visitor(self.server)
        app = application("owner-l@example.jp")
        public_id = declare(self.server, self.sink, app, owner)
        owner_mails = len(self.sink.wait_for("owner-l@example.jp", 2))  # the receipt and the declared mail
        page = owner.get(f"/mypage/declarations/{public_id}/supporters/invite")
        sent = owner.post(f"/mypage/declarations/{public_id}/supporters/invite",
                          [("csrf", csrf_of(page.text)), ("supporter_email", "vendor-l@example.jp")])
        self.assertEqual(sent.status, 303, sent.text[:300])
        (mail,) = self.sink.wait_for("vendor-l@example.jp")
        supporter = Visitor(self.server)
        self.assertEqual(supporter.press(link(mail, "/support/")).status, 303)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}").status, 200)
        page = owner.get(f"/mypage/declarations/{public_id}")
        (end_form,) = [f for f in forms(page.text) if f["action"].endswith("/end")]
        self.assertEqual(owner.post(end_form["action"], end_form["fields"]).status, 303)
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}").status, 404)
        self.sink.settle()
        self.assertEqual(len(self.sink.to("owner-l@example.jp")), owner_mails)
        self.assertEqual(len(self.sink.to("vendor-l@example.jp")), 1)


if __name__ == "__main__":
    unittest.main()
