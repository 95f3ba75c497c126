"""Using what was made here for ★★: on /mypage/declarations/{id}/step-up and on /apply's declaration
step, a signed-in account with a saved self-assessment and a published policy may choose them
instead of typing a date and an address (the saved assessment's day in Japan, the policy's absolute
public address); /verify/{id} then links the policy. Taking the policy down offers to step the ★★
declarations that cite it down to ★."""

import re
import unittest
import urllib.parse

from sengen_server import catalogue, html_escape
from toolkit_flow import (FIRST, Browser, ServerTest, application, csrf_of, declaration, declare, japan_day, mails,
                          text_of, total, wait_for_mail)

JA = catalogue("ja")
EN = catalogue("en")


class LinkTest(ServerTest):
    def published_policy(self, b, name="株式会社さくら印刷"):
        """A policy written and published by the signed-in browser: (policy id, absolute URL)."""
        created = b.post("/mypage/policies", {"csrf": b.csrf()})
        location = created.header("Location")
        page = b.get(location)
        fields = {"csrf": csrf_of(page.text), "policy_lang": "ja", "policy_business_name": name,
                  "policy_assets": "own", "policy_established": "2026-04-01",
                  "policy_representative_title": "代表取締役", "policy_representative_name": "佐藤 花子"}
        self.assertEqual(b.post(location, fields).status, 303)
        self.assertEqual(b.post(location + "/publish", {"csrf": fields["csrf"]}).status, 303)
        m = re.search(r'<a href="(http://127\.0\.0\.1:\d+/policy/[a-z0-9]{10})">', b.get(location).text)
        return int(location.rsplit("/", 1)[1]), m.group(1)

    def one_star(self, address):
        return declare(self.server, application(address))["id"]


class SteppingUp(LinkTest):
    def test_the_choice_appears_only_with_a_saved_assessment_and_a_published_policy(self):
        address = "link-offer@example.jp"
        public_id = self.one_star(address)
        b = Browser(self.server)
        b.sign_in(address)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        self.assertEqual(page.status, 200)
        self.assertNotIn('name="evidence"', page.text)
        # Without a choice, the date and the address must be typed: both are marked required.
        required = f'<span class="req">{html_escape(catalogue("ja")["form.required"])}</span>'
        for field in ("assessment_date", "policy_url"):
            self.assertRegex(page.text, rf'<label class="label" for="f-{field}">[^<]*{re.escape(required)}</label>')
        b.save_assessment(FIRST)
        self.assertNotIn('name="evidence"', b.get(f"/mypage/declarations/{public_id}/step-up").text)
        self.published_policy(b)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        self.assertIn('name="evidence"', page.text)
        self.assertIn('value="typed"', page.text)
        # With a choice above them, they are needed only when typed by hand, and say so.
        unless = f'<span class="req">{html_escape(catalogue("ja")["form.required_unless_chosen"])}</span>'
        for field in ("assessment_date", "policy_url"):
            self.assertRegex(page.text, rf'<label class="label" for="f-{field}">[^<]*{re.escape(unless)}</label>')
            self.assertNotRegex(page.text, rf'id="f-{field}"[^>]*aria-required')

    def test_choosing_them_steps_up_with_the_assessment_day_and_the_public_address(self):
        address = "link-stepup@example.jp"
        public_id = self.one_star(address)
        b = Browser(self.server)
        b.sign_in(address)
        b.save_assessment(FIRST)
        policy_id, url = self.published_policy(b)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        option = f"sengen-{policy_id}"
        self.assertIn(f'value="{option}"', page.text)
        label = text_of(re.search(rf'<label class="choice-label" for="f-evidence_{option}">(.*?)</label>',
                                  page.text, re.S).group(1))
        y, m, d = (int(x) for x in japan_day().split("-"))
        self.assertIn(f"{y}年{m}月{d}日", label)
        self.assertIn(f"（{total(FIRST)}点）", label)
        self.assertIn(url, label)
        day = japan_day()
        done = b.post(f"/mypage/declarations/{public_id}/step-up",
                      {"csrf": csrf_of(page.text), "evidence": option, "assessment_date": "", "policy_url": ""})
        self.assertEqual(done.status, 303, text_of(done.text)[:1500])
        api = declaration(self.server, public_id)
        self.assertEqual(api["level"], 2)
        self.assertEqual(api["policy_url"], url)
        stored = self.server.sql("SELECT assessment_date, policy_url FROM declarations WHERE public_id = ?",
                                 (public_id,))
        self.assertIn(stored[0][0], (day, japan_day()))
        self.assertEqual(stored[0][1], url)
        verify = Browser(self.server).get(f"/verify/{public_id}")
        self.assertIn(f'<a href="{html_escape(url)}" rel="nofollow noopener"', verify.text)
        # The address is the policy's public page.
        self.assertEqual(Browser(self.server).get(urllib.parse.urlsplit(url).path).status, 200)

    def test_what_is_typed_still_works_beside_the_choice(self):
        address = "link-typed@example.jp"
        public_id = self.one_star(address)
        b = Browser(self.server)
        b.sign_in(address)
        b.save_assessment(FIRST)
        self.published_policy(b)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        done = b.post(f"/mypage/declarations/{public_id}/step-up",
                      {"csrf": csrf_of(page.text), "evidence": "typed", "assessment_date": "2026-01-15",
                       "policy_url": "https://example.jp/policy"})
        self.assertEqual(done.status, 303)
        self.assertEqual(declaration(self.server, public_id)["policy_url"], "https://example.jp/policy")

    def test_another_accounts_policy_cannot_be_chosen(self):
        declare(self.server, application("link-victim@example.jp"))  # only a declared account publishes
        other = Browser(self.server)
        other.sign_in("link-victim@example.jp")
        other.save_assessment(FIRST)
        victim_policy, _ = self.published_policy(other, "被害者商店")
        address = "link-forger@example.jp"
        public_id = self.one_star(address)
        b = Browser(self.server)
        b.sign_in(address)
        b.save_assessment(FIRST)
        self.published_policy(b)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        self.assertNotIn(f'value="sengen-{victim_policy}"', page.text)
        refused = b.post(f"/mypage/declarations/{public_id}/step-up",
                         {"csrf": csrf_of(page.text), "evidence": f"sengen-{victim_policy}"})
        self.assertEqual(refused.status, 422)
        self.assertIn('href="#f-evidence"', refused.text)
        self.assertIn(html_escape(JA["field_error.invalid_choice"]), refused.text)
        self.assertEqual(declaration(self.server, public_id)["level"], 1)


class Applying(LinkTest):
    def business_fields(self, csrf, address):
        app = application(address)
        return {"csrf": csrf, **{k: app[k] for k in (
            "entity_type", "corporate_number", "business_name", "business_name_kana", "postal_code", "prefecture",
            "address", "industry", "employees", "representative_title", "representative_name", "contact_name",
            "contact_email")}}

    def to_declaration_step(self, b, address):
        page = b.get("/apply")
        self.assertEqual(b.post("/apply", {"csrf": csrf_of(page.text), "terms_agreed": "yes"}).status, 303)
        page = b.get("/apply/business")
        done = b.post("/apply/business", self.business_fields(csrf_of(page.text), address))
        self.assertEqual(done.status, 303, text_of(done.text)[:2000])
        return b.get("/apply/declaration")

    def test_an_anonymous_applicant_is_not_offered_the_choice(self):
        b = Browser(self.server)
        page = self.to_declaration_step(b, "link-anon@example.jp")
        self.assertEqual(page.status, 200)
        self.assertNotIn('name="evidence"', page.text)

    def test_a_signed_in_applicant_declares_two_stars_with_what_was_made_here(self):
        address = "link-apply@example.jp"
        # Only an account with a live declaration may publish a policy: this one declares a second
        # business at ★★ with the policy it made here.
        self.one_star(address)
        b = Browser(self.server, "en")
        b.sign_in(address)
        b.save_assessment(FIRST)
        policy_id, url = self.published_policy(b)
        page = self.to_declaration_step(b, address)
        self.assertIn(f'value="sengen-{policy_id}"', page.text)
        self.assertIn(html_escape(EN["field.evidence.label"]), page.text)
        fields = [("csrf", csrf_of(page.text)), ("level", "2"), ("evidence", f"sengen-{policy_id}"),
                  ("assessment_date", ""), ("policy_url", ""), ("purposes", "trust")]
        fields += [("commitment", str(n)) for n in range(1, 6)]
        done = b.post("/apply/declaration", fields)
        self.assertEqual(done.status, 303, text_of(done.text)[:2000])
        check = b.get("/apply/check")
        self.assertEqual(check.status, 200)
        day = japan_day()
        self.assertIn(html_escape(url), check.text)
        # The check page shows the date as every page shows dates (English here: 6 December 2026).
        year, month, mday = (int(x) for x in day.split("-"))
        months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
        self.assertIn(f'<dd class="summary-value">{mday} {months[month - 1]} {year}</dd>', check.text)
        earlier = {name for name, _ in mails(self.server)}  # the first declaration's mails
        sent = b.post("/apply/check", {"csrf": csrf_of(check.text)})
        self.assertEqual(sent.status, 303)
        token = wait_for_mail(self.server, address, r"/confirm#([A-Za-z0-9_-]+)", earlier).group(1)
        confirm = b.get(f"/confirm/{token}")
        done = b.post(f"/confirm/{token}", {"csrf": csrf_of(confirm.text)})
        self.assertEqual(done.status, 200)
        public_id = re.search(r"/verify/(\d{11})", done.text).group(1)
        api = declaration(self.server, public_id)
        self.assertEqual(api["level"], 2)
        self.assertEqual(api["policy_url"], url)


class TakingDown(LinkTest):
    def stepped_up(self, address):
        public_id = self.one_star(address)
        b = Browser(self.server)
        b.sign_in(address)
        b.save_assessment(FIRST)
        policy_id, url = self.published_policy(b)
        page = b.get(f"/mypage/declarations/{public_id}/step-up")
        done = b.post(f"/mypage/declarations/{public_id}/step-up",
                      {"csrf": csrf_of(page.text), "evidence": f"sengen-{policy_id}"})
        self.assertEqual(done.status, 303)
        self.assertEqual(declaration(self.server, public_id)["level"], 2)
        return b, public_id, f"/mypage/policies/{policy_id}", url

    def test_taking_the_policy_down_offers_to_step_its_declarations_down_to_one_star(self):
        b, public_id, location, url = self.stepped_up("link-down@example.jp")
        page = b.get(location + "/unpublish")
        self.assertEqual(page.status, 200)
        self.assertIn(f'href="/mypage/declarations/{public_id}"', page.text)
        self.assertIn('name="step_down" value="yes"', page.text)
        self.assertIn('name="step_down" value="no"', page.text)
        done = b.post(location + "/unpublish", {"csrf": csrf_of(page.text), "step_down": "yes"})
        self.assertEqual(done.status, 303)
        self.assertIn(html_escape(JA["policy.flash.unpublished_stepped_down"]), b.get(location).text)
        api = declaration(self.server, public_id)
        self.assertEqual(api["level"], 1)
        verify = Browser(self.server).get(f"/verify/{public_id}")
        self.assertNotIn(html_escape(url), verify.text)
        self.assertEqual(Browser(self.server).get(urllib.parse.urlsplit(url).path).status, 410)
        events = self.server.sql("SELECT action FROM audit_events WHERE subject LIKE 'policy:%' ORDER BY id")
        self.assertIn(("policy.unpublished",), events)

    def test_taking_it_down_only_leaves_the_declarations_as_they_are(self):
        b, public_id, location, url = self.stepped_up("link-keep@example.jp")
        page = b.get(location + "/unpublish")
        done = b.post(location + "/unpublish", {"csrf": csrf_of(page.text), "step_down": "no"})
        self.assertEqual(done.status, 303)
        self.assertEqual(declaration(self.server, public_id)["level"], 2)
        self.assertEqual(Browser(self.server).get(urllib.parse.urlsplit(url).path).status, 410)


if __name__ == "__main__":
    unittest.main()
