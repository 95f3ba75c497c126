"""The registry cannot be turned into a mail cannon: mails are counted per recipient address and
per declaration, by every node together (in the database), whoever asks and from whichever client
address; a refusal says so in the user's language and tells nothing about the address. The real
binary, mailing through a real SMTP server on loopback."""

import json
import unittest

from sengen_server import catalogue, html_escape
from smtp_flow import (CONTACT_NAME, SmtpSengen, Visitor, api_post, application, body, csrf_of, declare,
                       edit_form_fields, start_sink_and_server)

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
        cls.en = catalogue("en")

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


if __name__ == "__main__":
    unittest.main()
