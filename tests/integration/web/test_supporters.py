"""Supporters (issue 13 point 6, ADR 42): an owner invites a supporter by email with the rights it
chooses; the supporter accepts by the mailed link, signed in as its own account, and does exactly
what it was allowed; the owner ends the support and the supporter's next request is refused. The
real binary, mailing through a real SMTP server on loopback, in Japanese and English."""

import time
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import (CONTACT_NAME, Visitor, application, body, csrf_of, declare, edit_form_fields, forms, link,
                       start_sink_and_server)

# The application form's steps as a browser fills them in (a sole proprietor, so no corporate number).
BUSINESS_STEP = [("entity_type", "sole_proprietor"), ("business_name_kana", "ダイリシンセイ"),
                 ("postal_code", "１００-０００１"), ("prefecture", "13"), ("address", "千代田区千代田1-1"),
                 ("industry", "G"), ("employees", "1-5"), ("representative_title", "代表"),
                 ("representative_name", "山田 太郎"), ("contact_name", "山田 花子")]
DECLARATION_STEP = [("level", "1")] + [("commitment", str(n)) for n in range(1, 6)] + [("purposes", "customer")]


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
        again = Visitor(self.server).get(path)
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
            shown = visitor.get(path)
            self.assertEqual(shown.status, 404)
            self.assertIn(html_escape(self.en["supporters.accept.unknown.title"]), shown.text)
            token = visitor.get("/signin")
            self.assertEqual(visitor.post(path, {"csrf": csrf_of(token.text)}).status, 404)
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


if __name__ == "__main__":
    unittest.main()
