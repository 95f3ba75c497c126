"""The shared parts of form pages render with the page's own data: the field of the sign-in
page, the error summary with one link per problem, the progress of the application steps.
(A page value named like a partial, such as "field" or "errors", once hid it.)"""

import re
import unittest
import urllib.parse

from sengen_server import SengenServer, catalogue, csrf_token_for, html_escape

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "ja"}


class FormPartials(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)
        cls.ja = catalogue("ja")

    def session(self):
        token = self.server.add_session()
        return {"Cookie": f"{self.server.session_cookie_name()}={token}"}, csrf_token_for(token)

    def post(self, path, cookie, fields):
        return self.server.request("POST", path, {**FORM, **cookie}, urllib.parse.urlencode(fields, doseq=True))

    def error_links(self, page):
        summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
        self.assertIsNotNone(summary, "no error summary")
        return re.findall(r'<li><a href="#(f-[a-z_0-9]+)">([^<]+)</a></li>', summary.group(0))

    def test_the_sign_in_page_has_its_email_field(self):
        r = self.server.get("/signin", {"Accept-Language": "ja"})
        self.assertEqual(r.status, 200)
        self.assertRegex(r.text, r'<input class="input[^"]*" id="f-email" name="email" type="email"')
        self.assertIn(f'<label class="label" for="f-email">{html_escape(self.ja["field.email.label"])}', r.text)

    def test_a_sign_in_request_without_an_address_names_the_field_in_the_summary(self):
        cookie, csrf = self.session()
        r = self.post("/signin", cookie, {"csrf": csrf, "email": ""})
        self.assertEqual(r.status, 422)
        (href, text), = self.error_links(r.text)
        self.assertEqual(href, "f-email")
        self.assertTrue(text.startswith(html_escape(self.ja["field.email.label"]) + ": "), text)
        self.assertIn('aria-invalid="true"', r.text)

    def test_the_terms_step_shows_its_progress_and_an_error_summary_linking_to_the_box(self):
        cookie, csrf = self.session()
        first = self.server.get("/apply", {**FORM, **cookie})
        self.assertEqual(first.status, 200)
        self.assertIn('<nav class="progress"', first.text)
        self.assertIn(html_escape(self.ja["apply.progress"].replace("{n}", "1").replace("{total}", "4")), first.text)
        self.assertRegex(first.text, r'aria-current="step"><span class="step-no">1</span> '
                         + re.escape(html_escape(self.ja["apply.terms.short"])))
        self.assertNotIn("error-summary", first.text)

        r = self.post("/apply", cookie, {"csrf": csrf})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.error_links(r.text), [(
            "f-terms_agreed",
            html_escape(self.ja["field.terms_agreed.label"]) + ": " + html_escape(self.ja["field_error.terms_required"]))])

    def test_an_empty_business_step_lists_every_required_field_once(self):
        cookie, csrf = self.session()
        self.assertEqual(self.post("/apply", cookie, {"csrf": csrf, "terms_agreed": "yes"}).status, 303)
        r = self.post("/apply/business", cookie, {"csrf": csrf})
        self.assertEqual(r.status, 422)
        fields = [href for href, _ in self.error_links(r.text)]
        self.assertEqual(fields, ["f-entity_type", "f-business_name", "f-business_name_kana", "f-postal_code",
                                  "f-prefecture", "f-address", "f-industry", "f-employees",
                                  "f-representative_title", "f-representative_name", "f-contact_name",
                                  "f-contact_email"])
        self.assertIn('<span class="step-no">2</span>', r.text)


if __name__ == "__main__":
    unittest.main()
