"""A declarant's way without a stumble, signed in: ログアウト in every page's header, a step-up
button on My Page's card, a call to action on the home page, a policy editor whose 公開 button
saves what was typed and whose language switch keeps it, a publish page whose title says when
something is wrong, and /verify telling where a policy link leads."""

import itertools
import re

from sengen_server import html_escape
from test_policy import EN, JA, PolicyTest, fields_of
from toolkit_flow import application, csrf_of, declare

_mailboxes = itertools.count(1)


def new_address() -> str:
    return f"stumble{next(_mailboxes)}@example.jp"

SIGNOUT_FORM = re.compile(r'<header class="site-header">.*<form method="post" action="/signout" class="nav-form">.*</header>',
                          re.S)


class NoStumble(PolicyTest):
    def test_the_home_page_has_a_main_call_to_declare(self):
        for lang, words in (("ja", JA), ("en", EN)):
            page = self.server.get("/", {"Accept-Language": lang})
            self.assertIn(f'<a class="button button-large" href="/apply">{html_escape(words["home.cta_declare"])}</a>',
                          page.text)

    def test_signed_in_pages_have_the_sign_out_button_in_the_header(self):
        self.assertIsNone(SIGNOUT_FORM.search(self.server.get("/").text))
        b = self.declared(new_address())
        for path in ("/", "/verify", "/mypage"):
            page = b.get(path)
            self.assertEqual(page.status, 200)
            self.assertIsNotNone(SIGNOUT_FORM.search(page.text), path)
            self.assertIn(html_escape(JA["mypage.signout"]), page.text)
        out = b.post("/signout", {"csrf": csrf_of(b.get("/").text)})
        self.assertEqual(out.status, 303)
        self.assertIsNone(SIGNOUT_FORM.search(b.get("/").text))

    def test_the_my_page_card_has_a_step_up_button(self):
        b = self.declared(new_address())
        page = b.get("/mypage")
        m = re.search(r'<a class="button button-secondary" href="(/mypage/declarations/\d{11}/step-up)">([^<]+)</a>',
                      page.text)
        self.assertIsNotNone(m, page.text)
        self.assertEqual(m.group(2), html_escape(JA["mypage.step_up.link"]))
        self.assertEqual(b.get(m.group(1)).status, 200)

    def test_the_publish_button_belongs_to_the_form_and_saves_what_was_typed(self):
        b = self.declared(new_address())
        location = self.new_policy(b)
        page = b.get(location)
        self.assertRegex(page.text, r'<form [^>]*id="policy-form"')
        self.assertIn('<button type="submit" class="button" form="policy-form" name="then" value="publish">', page.text)
        fields = fields_of(page.text)
        fields.update(policy_business_name="株式会社いま入力した", policy_assets="customers",
                      policy_established="2026-04-01", policy_representative_title="代表取締役",
                      policy_representative_name="佐藤 花子")
        done = b.post(location, list(fields.items()) + [("then", "publish")])
        self.assertEqual((done.status, done.header("Location")), (303, location + "/publish"), done.text[:500])
        publish = b.get(location + "/publish")
        self.assertEqual(publish.status, 200)
        self.assertIn("株式会社いま入力した", publish.text)
        self.assertNotIn("<title>" + JA["form.error_prefix"], publish.text)

    def test_the_publish_page_with_problems_says_error_in_its_title(self):
        b = self.declared(new_address())
        location = self.new_policy(b)
        page = b.get(location + "/publish")
        self.assertIn("<title>" + html_escape(JA["form.error_prefix"] + JA["policy.publish.title"]), page.text)

    def test_switching_language_in_the_policy_editor_keeps_what_was_typed(self):
        b = self.declared(new_address())
        location = self.new_policy(b)
        page = b.get(location)
        self.assertRegex(page.text, r'<button type="submit" class="lang-switch" form="policy-form"')
        fields = fields_of(page.text)
        fields["policy_representative_name"] = "途中 入力"
        switched = b.post(location, list(fields.items()) + [("switch_lang", "en")])
        self.assertEqual(switched.status, 303)
        b.lang = "en"  # what the browser would send next does not matter: the cookie decides
        again = b.get(switched.header("Location"))
        self.assertIn('<html lang="en">', again.text)
        self.assertIn('value="途中 入力"', again.text)

    def test_switching_language_on_the_other_forms_keeps_what_was_typed(self):
        # Sign-in: the address typed so far.
        from toolkit_flow import Browser
        visitor = Browser(self.server)
        page = visitor.get("/signin")
        self.assertRegex(page.text, r'<button type="submit" class="lang-switch" form="signin-form"')
        switched = visitor.post("/signin", {"csrf": csrf_of(page.text), "email": "half@exam", "switch_lang": "en"})
        self.assertEqual(switched.status, 200)
        self.assertIn('<html lang="en">', switched.text)
        self.assertIn('value="half@exam"', switched.text)
        self.assertNotIn("error-summary", switched.text)
        # My Page's change of details and step up.
        b = self.declared(new_address())
        public_id = re.search(r'href="/mypage/declarations/(\d{11})"', b.get("/mypage").text).group(1)
        for path, field, typed in ((f"/mypage/declarations/{public_id}/edit", "address", "千代田区途中まで"),
                                   (f"/mypage/declarations/{public_id}/step-up", "assessment_date", "2026-0")):
            page = b.get(path)
            self.assertRegex(page.text, r'<button type="submit" class="lang-switch" form="fields-form"')
            fields = [(k, v) for k, v in re.findall(r'<input class="input[^"]*" id="f-[a-z_]+" name="([a-z_]+)" '
                                                    r'type="[a-z]+" value="([^"]*)"', page.text)]
            fields = [(k, typed if k == field else v) for k, v in fields]
            lang = "en" if b.lang == "ja" else "ja"
            switched = b.post(path, [("csrf", csrf_of(page.text)), ("switch_lang", lang)] + fields)
            self.assertEqual(switched.status, 200, path)
            self.assertIn(f'<html lang="{lang}">', switched.text)
            self.assertIn(f'value="{typed}"', switched.text)
            b.lang = lang

    def test_verify_says_where_the_policy_link_leads(self):
        b = self.declared(new_address())
        location = self.new_policy(b)
        self.complete(b, location)
        url, _ = self.publish(b, location)
        here = declare(self.server, application(new_address(), level=2, assessment_date="2026-01-15", policy_url=url))
        elsewhere = declare(self.server, application(new_address(), level=2, assessment_date="2026-01-15",
                                                     policy_url="https://example.jp/policy"))
        for declared, note, other in ((here, "verify.policy_note_registry", "verify.policy_note"),
                                      (elsewhere, "verify.policy_note", "verify.policy_note_registry")):
            page = self.server.get(f"/verify/{declared['id']}", {"Accept-Language": "ja"})
            self.assertEqual(page.status, 200)
            self.assertIn(html_escape(JA[note]), page.text)
            self.assertNotIn(html_escape(JA[other]), page.text)
