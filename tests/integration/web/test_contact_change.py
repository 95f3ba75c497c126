"""A change of contact address on My Page is proven by the new address before anything changes;
then the declaration moves to the new address's account, the former address is told, and every
session of the former owner ends. The real binary, mailing through a real SMTP server on loopback."""

import time
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import (CONTACT_NAME, Visitor, application, body, csrf_of, declare, edit_form_fields, link,
                       sign_in_links, start_sink_and_server)


class ContactChange(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def stored(self, public_id):
        return self.server.sql("SELECT contact_email, account_id FROM declarations WHERE public_id = ?",
                               (public_id,))[0]

    def edit_fields(self, visitor, public_id, **changes):
        """The edit form as the browser would submit it, with `changes` typed over."""
        page = visitor.get(f"/mypage/declarations/{public_id}/edit")
        self.assertEqual(page.status, 200)
        fields = [(k, changes.get(k, v)) for k, v in edit_form_fields(page.text)]
        return fields

    def test_a_new_contact_proves_itself_then_takes_the_declaration_and_the_former_owner_loses_it(self):
        old, new = "leaving@example.jp", "successor@example.jp"
        owner, owner_phone = Visitor(self.server), Visitor(self.server)
        app = application(old)
        public_id = declare(self.server, self.sink, app, owner)
        owner_phone.sign_in(self.sink, old)
        before = self.stored(public_id)

        asked = owner.post(f"/mypage/declarations/{public_id}/edit",
                           self.edit_fields(owner, public_id, contact_email=new))
        self.assertEqual(asked.status, 303, asked.text[:500])
        shown = owner.follow(asked)
        self.assertIn(html_escape(self.ja["mypage.flash.contact_change_sent"]), shown.text)
        # Nothing has changed yet: the same contact, the same owner.
        self.assertEqual(self.stored(public_id), before)

        # The new address gets a link, the business's name and nothing else the requester typed.
        (mail,) = self.sink.wait_for(new)
        self.assertIn(app["business_name"], body(mail))
        self.assertNotIn(CONTACT_NAME, body(mail))
        self.assertNotIn(old, body(mail))
        path = link(mail, "/contact-change/")

        # Opening the link shows a page and changes nothing (mail scanners fetch links).
        successor = Visitor(self.server, lang="en")
        page = successor.open_link(path)
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(self.en["contact_change.title"]), page.text)
        self.assertIn(new, page.text)
        self.assertEqual(self.stored(public_id), before)

        done = successor.submit(page)
        self.assertEqual(done.status, 303, done.text[:500])
        self.assertEqual(done.header("Location"), f"/mypage/declarations/{public_id}")
        contact, account = self.stored(public_id)
        self.assertEqual(contact, new)
        self.assertNotEqual(account, before[1])
        (new_account_email,) = self.server.sql("SELECT email FROM accounts WHERE id = ?", (account,))[0]
        self.assertEqual(new_account_email, new)

        # The new contact sees the declaration on My Page.
        landing = successor.follow(done)
        self.assertEqual(landing.status, 200)
        self.assertIn(html_escape(self.en["mypage.flash.contact_changed"]), landing.text)
        self.assertIn(f'href="/mypage/declarations/{public_id}"', successor.get("/mypage").text)

        # Every browser of the former owner is signed out of it.
        for browser in (owner, owner_phone):
            gone = browser.get(f"/mypage/declarations/{public_id}")
            self.assertEqual(gone.status, 303)
            self.assertTrue(gone.header("Location").startswith("/signin"), gone.header("Location"))

        # The former address is told, without anything the requester wrote.
        subject = self.ja["mail.contact_moved.subject"].replace("{site_name}", self.ja["site.name"]) \
            .replace("{id}", public_id)
        # The receipt, the declaration, the sign-in link of the second browser, and the notice.
        (notice,) = [m for m in self.sink.wait_for(old, 4) if str(m["Subject"]) == subject]
        for typed in (new, app["business_name"], CONTACT_NAME):
            self.assertNotIn(typed, body(notice))

        # Signing in again with the former address no longer reaches the declaration.
        owner.sign_in(self.sink, old)
        self.assertEqual(owner.get(f"/mypage/declarations/{public_id}").status, 404)
        # The link works once.
        again = Visitor(self.server).open_link(path)
        self.assertEqual(again.status, 404)
        self.assertIn(html_escape(self.ja["contact_change.unknown.title"]), again.text)

    def test_a_contact_change_link_followed_after_ten_minutes_changes_the_contact_but_signs_nobody_in(self):
        old, new = "late-leaving@example.jp", "late-successor@example.jp"
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application(old), owner)
        asked = owner.post(f"/mypage/declarations/{public_id}/edit",
                           self.edit_fields(owner, public_id, contact_email=new))
        self.assertEqual(asked.status, 303, asked.text[:500])
        path = link(self.sink.wait_for(new)[0], "/contact-change/")
        # Mailed ten minutes and a second ago: the link still changes the contact (it lasts a day).
        self.server.sql("UPDATE contact_changes SET expires_at = expires_at - 601 WHERE new_email = ?", (new,))
        successor = Visitor(self.server, lang="en")
        done = successor.press(path)
        self.assertEqual(done.status, 200, done.text[:500])
        self.assertIn(html_escape(self.en["contact_change.done_signin.title"]), done.text)
        self.assertIn(html_escape(self.en["contact_change.done_signin.body"].replace("{minutes}", "10")), done.text)
        self.assertIn(f'href="/signin?next=%2Fmypage%2Fdeclarations%2F{public_id}"', done.text)
        self.assertEqual(self.stored(public_id)[0], new)
        self.assertEqual(successor.get(f"/mypage/declarations/{public_id}").status, 303, "not signed in")
        # The Japanese words exist too.
        self.assertIn("{minutes}", self.ja["contact_change.done_signin.body"])

    def test_other_details_change_at_once_and_the_contact_only_hears_of_them(self):
        owner = Visitor(self.server)
        app = application("keeps@example.jp")
        public_id = declare(self.server, self.sink, app, owner)
        changed = owner.post(f"/mypage/declarations/{public_id}/edit",
                             self.edit_fields(owner, public_id, business_name="株式会社改名後"))
        self.assertEqual(changed.status, 303)
        self.assertIn(html_escape(self.ja["mypage.flash.changed"]), owner.follow(changed).text)
        (name,) = self.server.sql("SELECT business_name FROM declarations WHERE public_id = ?", (public_id,))[0]
        self.assertEqual(name, "株式会社改名後")
        # The receipt, the declaration, and the change.
        self.assertEqual(len(self.sink.wait_for("keeps@example.jp", 3)), 3)
        self.assertFalse(self.server.sql("SELECT 1 FROM contact_changes c JOIN declarations d ON d.id = c.declaration_id "
                                         "WHERE d.public_id = ?", (public_id,)), "no contact change was asked for")

    # --- a fresh sign-in before the sign-in factor changes (ASVS V7.5.1) -------------------------

    def age_sessions(self, address, seconds):
        """Makes every session of the account of `address` seem to have signed in `seconds` earlier."""
        self.server.sql("UPDATE sessions SET created_at = created_at - ? WHERE account_id = "
                        "(SELECT id FROM accounts WHERE email_key = ?)", (seconds, address))

    def test_a_session_signed_in_over_ten_minutes_ago_is_asked_to_sign_in_again_before_the_contact_changes(self):
        old, new = "stale-session@example.jp", "stale-successor@example.jp"
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application(old), owner)
        before = self.stored(public_id)
        self.age_sessions(old, 11 * 60)
        links_before = sign_in_links(self.sink, old)

        asked = owner.post(f"/mypage/declarations/{public_id}/edit",
                           self.edit_fields(owner, public_id, contact_email=new, business_name="株式会社途中変更"))
        self.assertEqual(asked.status, 200, asked.text[:500])
        self.assertIn(html_escape(self.ja["mypage.sign_in_again.title"]), asked.text)
        # Nothing changed, nothing went to the new address, and not even the other fields were saved.
        self.assertEqual(self.stored(public_id), before)
        (name,) = self.server.sql("SELECT business_name FROM declarations WHERE public_id = ?", (public_id,))[0]
        self.assertNotEqual(name, "株式会社途中変更")
        self.assertFalse(self.server.sql("SELECT 1 FROM contact_changes c JOIN declarations d "
                                         "ON d.id = c.declaration_id WHERE d.public_id = ?", (public_id,)))

        # The current address gets a sign-in link that leads back to the form.
        deadline = time.monotonic() + 20
        while not (fresh := [l for l in sign_in_links(self.sink, old) if l not in links_before]):
            self.assertLess(time.monotonic(), deadline, "no sign-in link to the current address")
            time.sleep(0.05)
        back = owner.press(fresh[0])
        self.assertEqual(back.status, 303)
        self.assertEqual(back.header("Location"), f"/mypage/declarations/{public_id}/edit")
        again = owner.post(f"/mypage/declarations/{public_id}/edit",
                           self.edit_fields(owner, public_id, contact_email=new))
        self.assertEqual(again.status, 303, again.text[:500])
        self.assertIn(html_escape(self.ja["mypage.flash.contact_change_sent"]), owner.follow(again).text)
        self.sink.wait_for(new)
        self.assertTrue(self.server.sql("SELECT 1 FROM contact_changes c JOIN declarations d "
                                        "ON d.id = c.declaration_id WHERE d.public_id = ?", (public_id,)))

    def test_a_session_signed_in_under_ten_minutes_ago_goes_straight_through(self):
        old, new = "fresh-session@example.jp", "fresh-successor@example.jp"
        owner = Visitor(self.server, lang="en")
        public_id = declare(self.server, self.sink, application(old), owner)
        self.age_sessions(old, 9 * 60)
        asked = owner.post(f"/mypage/declarations/{public_id}/edit",
                           self.edit_fields(owner, public_id, contact_email=new))
        self.assertEqual(asked.status, 303, asked.text[:500])
        self.assertIn(html_escape(self.en["mypage.flash.contact_change_sent"]), owner.follow(asked).text)
        self.sink.wait_for(new)

    def test_an_old_session_still_changes_other_details_at_once(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("stale-other@example.jp"), owner)
        self.age_sessions("stale-other@example.jp", 3 * 3600)
        changed = owner.post(f"/mypage/declarations/{public_id}/edit",
                             self.edit_fields(owner, public_id, business_name="株式会社古いセッション"))
        self.assertEqual(changed.status, 303)
        (name,) = self.server.sql("SELECT business_name FROM declarations WHERE public_id = ?", (public_id,))[0]
        self.assertEqual(name, "株式会社古いセッション")


if __name__ == "__main__":
    unittest.main()
