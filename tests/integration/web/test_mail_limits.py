"""The registry cannot be turned into a mail cannon: mails are counted per recipient address and
per declaration, by every node together (in the database), whoever asks and from whichever client
address; a refusal says so in the user's language and tells nothing about the address. The real
binary, mailing through a real SMTP server on loopback."""

import json
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import (CONTACT_NAME, SmtpSengen, Visitor, api_post, application, body, csrf_of, declare,
                       edit_form_fields, start_sink_and_server)

# The application form's steps as a visitor fills them in (the contact address is added per test).
BUSINESS_STEP = [("entity_type", "sole_proprietor"), ("business_name", "再送試験商店"),
                 ("business_name_kana", "サイソウシケン"), ("postal_code", "100-0001"), ("prefecture", "13"),
                 ("address", "千代田区千代田1-1"), ("industry", "G"), ("employees", "1-5"),
                 ("representative_title", "代表"), ("representative_name", "山田 太郎"),
                 ("contact_name", "山田 花子")]
DECLARATION_STEP = [("level", "1")] + [("commitment", str(n)) for n in range(1, 6)] + [("purposes", "customer")]

LIMITS = ("--mail-limit-unproven", "2", "--mail-limit-per-address", "3", "--mail-limit-per-declaration", "2")


class MailLimits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls, *LIMITS)
        # A second node on the same database: the counts are shared, not per process.
        cls.other_node = SmtpSengen(cls.sink, *LIMITS, db_path=cls.server.db_path).start()
        cls.addClassCleanup(cls.other_node.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def test_applications_naming_one_address_mail_it_only_a_few_times_a_day_from_any_client_or_node(self):
        victim = "victim@example.jp"
        first = api_post(self.server, "/api/v1/applications", application(victim, contact_name="見知らぬ人"))
        second = api_post(self.other_node, "/api/v1/applications", application(victim))
        self.assertEqual((first.status, second.status), (202, 202))
        third = api_post(self.server, "/api/v1/applications", application(victim), lang="en")
        self.assertEqual(third.status, 429, third.text)
        problem = json.loads(third.body)
        self.assertEqual(problem["code"], "rate.mail.unproven")
        self.assertEqual(problem["title"], self.en["error.mail_limit.title"])
        self.assertEqual(problem["detail"], self.en["error.mail_limit.body"])
        self.assertEqual(third.header("Retry-After"), "60")
        # Two mails arrived, and no third; none quotes what the applicant typed but the business name.
        mails = self.sink.wait_for(victim, 2)
        self.sink.settle()
        self.assertEqual(len(self.sink.to(victim)), 2)
        for m in mails:
            self.assertNotIn("見知らぬ人", body(m))
            self.assertNotIn(CONTACT_NAME, body(m))
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM declarations WHERE contact_email = ?", (victim,)),
                         [(2,)])

    def test_sign_in_links_to_one_address_are_limited_the_same_whether_or_not_it_has_an_account(self):
        known = "known@example.jp"
        declare(self.server, self.sink, application(known), Visitor(self.server))
        refusals = []
        for address in (known, "unknown@example.jp"):
            asked = 0
            while True:
                visitor = Visitor(self.server)
                page = visitor.get("/signin")
                reply = visitor.post("/signin", {"csrf": csrf_of(page.text), "next": "/mypage", "email": address})
                if reply.status != 200:
                    break
                asked += 1
                self.assertLess(asked, 10, "never refused")
            self.assertEqual(reply.status, 429, reply.text[:300])
            self.assertIn(html_escape(self.ja["error.mail_limit.title"]), reply.text)
            self.assertIn(html_escape(self.ja["error.mail_limit.body"]), reply.text)
            self.assertNotIn(address, reply.text)
            refusals.append(asked)
        # Three mails a day to one address: the known one had had its receipt already.
        self.assertEqual(refusals, [2, 3])
        # The address no account holds was answered three times as the known one was, but only two
        # links went to it: the cap on mails to an address that has never proven itself.
        self.sink.wait_for("unknown@example.jp", 2)
        self.sink.settle()
        self.assertEqual(len(self.sink.to("unknown@example.jp")), 2)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM signin_tokens WHERE email_key = ?",
                                         ("unknown@example.jp",)), [(2,)])

    def test_every_action_on_one_declaration_counts_against_its_daily_mails(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("busy@example.jp"), owner)
        path = f"/mypage/declarations/{public_id}/edit"

        def edit(name):
            page = owner.get(path)
            fields = edit_form_fields(page.text)
            return owner.post(path, [(k, name if k == "business_name" else v) for k, v in fields])

        self.assertEqual(edit("改名一").status, 303)
        self.assertEqual(edit("改名二").status, 303)
        refused = edit("改名三")
        self.assertEqual(refused.status, 429)
        self.assertIn(html_escape(self.ja["error.mail_limit.body"]), refused.text)
        stop_page = owner.get(f"/mypage/declarations/{public_id}/stop")
        stopped = owner.post(f"/mypage/declarations/{public_id}/stop", {"csrf": csrf_of(stop_page.text)})
        self.assertEqual(stopped.status, 429)
        # Refused means not done.
        self.assertEqual(self.server.sql("SELECT business_name, status FROM declarations WHERE public_id = ?",
                                         (public_id,)), [("改名二", "declared")])


class DefaultMailLimits(unittest.TestCase):
    """With the settings left at their defaults (documented in docs/operations.md)."""

    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")

    def test_a_declaration_is_changed_and_mailed_about_at_most_twenty_times_a_day(self):
        owner = Visitor(self.server, lang="en")
        public_id = declare(self.server, self.sink, application("editor@example.jp"), owner)
        path = f"/mypage/declarations/{public_id}/edit"
        page = owner.get(path)
        fields = edit_form_fields(page.text)
        statuses = [owner.post(path, [(k, f"改名{n}" if k == "business_name" else v) for k, v in fields]).status
                    for n in range(21)]
        self.assertEqual(statuses, [303] * 20 + [429])
        refused = owner.post(path, [(k, "改名最後" if k == "business_name" else v) for k, v in fields])
        self.assertIn(html_escape(self.en["error.mail_limit.title"]), refused.text)
        # The receipt and the declaration, then twenty changes: no more.
        self.sink.wait_for("editor@example.jp", 22)
        self.sink.settle()
        self.assertEqual(len(self.sink.to("editor@example.jp")), 22)

    def test_a_resend_is_refused_once_the_application_has_expired_and_mails_nothing(self):
        for lang, words in (("ja", self.ja), ("en", self.en)):
            address = f"late-{lang}@example.jp"
            visitor = Visitor(self.server, lang=lang)
            for path, fields, then in (("/apply", [("terms_agreed", "yes")], "/apply/business"),
                                       ("/apply/business", BUSINESS_STEP + [("contact_email", address)],
                                        "/apply/declaration"),
                                       ("/apply/declaration", DECLARATION_STEP, "/apply/check"),
                                       ("/apply/check", [], "/apply/sent")):
                page = visitor.get(path)
                done = visitor.post(path, [("csrf", csrf_of(page.text))] + fields)
                self.assertEqual((done.status, done.header("Location")), (303, then), done.text[:500])
            # While the link is alive, a resend sends a new one.
            sent = visitor.get("/apply/sent")
            resent = visitor.post("/apply/resend", {"csrf": csrf_of(sent.text)})
            self.assertEqual((resent.status, resent.header("Location")), (303, "/apply/sent"))
            self.sink.wait_for(address, 2)
            # Once it has expired, a resend would revive a dead application: refused, nothing sent.
            self.server.sql("UPDATE declarations SET confirm_expires_at = confirm_expires_at - 2 * 86400 "
                            "WHERE contact_email = ?", (address,))
            refused = visitor.post("/apply/resend", {"csrf": csrf_of(visitor.get("/apply/sent").text)})
            self.assertEqual(refused.status, 410, refused.text[:300])
            self.assertIn(html_escape(words["confirm.expired.title"]), refused.text)
            self.assertIn('href="/apply"', refused.text)
            self.sink.settle()
            self.assertEqual(len(self.sink.to(address)), 2, lang)


if __name__ == "__main__":
    unittest.main()
