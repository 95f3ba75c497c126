"""One-time links keep their token out of every address the server sees (ASVS 5.0 V14.2.1, ADR 59).

Each mail with a one-time link (confirming an application, signing in, changing the contact, a
supporter's invitation, a verifier's registration) and an operator's set-up link give the page's
address with the token in the fragment only, which a browser never sends; the mail prints the token
as a code too. Following the link works end to end over HTTP as a browser does it: the page, then
the token posted in the body to "<page>/view" (what link-token.js sends, or a person pasting the
code), then the page's button, whose form carries the token in the body again. The pages send no
Referer and are not cached, and no log line holds a token. Links mailed before the upgrade, with
the token in the path, still work. The real binary, mailing through a real SMTP server on loopback.
"""

import re
import unittest
import urllib.parse

from sengen_server import catalogue, html_escape, run_sengen
from smtp_flow import (Visitor, api_post, application, body, csrf_of, declare, edit_form_fields, forms,
                       start_sink_and_server, token_of)

PASSWORD = "a long and unusual phrase 42"
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class LinkTokens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.key = run_sengen("--db", f"sqlite:{cls.server.db_path}", "verifier-key", "create", "--name",
                             "リンク確認窓口").stdout.strip().splitlines()[-1]

    # --- what the mail holds --------------------------------------------------------------------

    def mailed_link(self, text: str, page: str, code_printed: bool = True) -> str:
        """The one link to `page` in a mail's text, checked: its path and query hold no token, its
        fragment is the token, and (`code_printed`) the token is printed on a line of its own as the
        code to paste. Returns the link as a path with its fragment ("/confirm#<token>")."""
        urls = [u for u in re.findall(r"https?://\S+", text) if urllib.parse.urlsplit(u).path == page]
        self.assertEqual(len(urls), 1, f"one link to {page} in:\n{text}")
        parts = urllib.parse.urlsplit(urls[0])
        self.assertTrue(TOKEN.fullmatch(parts.fragment), urls[0])
        self.assertEqual(parts.query, "", urls[0])
        self.assertNotIn(parts.fragment, parts.netloc + parts.path)
        if code_printed:
            self.assertRegex(text, rf"(?m)^{parts.fragment}\r?$", "the code is printed on a line of its own")
        # Nowhere in the mail does the token follow a slash, as it did in the path of old links.
        self.assertNotIn("/" + parts.fragment, text)
        return page + "#" + parts.fragment

    def mail_link(self, address: str, page: str, count: int = 1) -> str:
        """The link to `page` in the `count`th mail to `address`."""
        return self.mailed_link(body(self.sink.wait_for(address, count)[count - 1]), page)

    def assert_private(self, reply, what: str):
        self.assertEqual(reply.header("Referrer-Policy"), "no-referrer", what)
        self.assertEqual(reply.header("Cache-Control"), "no-store", what)

    def follow(self, visitor, link: str, text_on_page: str):
        """Follows `link` step by step, checking every page on the way; returns the button's answer."""
        page, token = link.partition("#")[0], token_of(link)
        opened = visitor.get(page)
        self.assertEqual(opened.status, 200, opened.text[:300])
        self.assert_private(opened, page)
        self.assertIn("/static/link-token.js", opened.text)
        self.assertNotIn(token, opened.text)
        (form,) = [f for f in forms(opened.text) if f["action"] == page + "/view"]
        shown = visitor.post(form["action"], {**dict(form["fields"]), "token": token})
        self.assertEqual(shown.status, 200, shown.text[:300])
        self.assert_private(shown, page + "/view")
        self.assertIn(html_escape(text_on_page), shown.text)
        (act,) = [f for f in forms(shown.text) if any(k == "token" for k, _ in f["fields"])]
        self.assertEqual(act["action"], page, "the button posts to the page, the token in the body")
        self.assertIn(("token", token), act["fields"])
        return visitor.post(act["action"], act["fields"]), token

    def assert_no_token_logged(self, token: str):
        self.assertNotIn(token, self.server.log())

    # --- the six flows ----------------------------------------------------------------------------

    def test_a_confirmation_link_holds_its_token_in_the_fragment_and_confirms(self):
        app = application("fragment-confirm@example.jp", business_name="株式会社フラグメント確認")
        self.assertEqual(api_post(self.server, "/api/v1/applications", app).status, 202)
        link = self.mail_link(app["contact_email"], "/confirm")
        done, token = self.follow(Visitor(self.server), link, app["business_name"])
        self.assertEqual(done.status, 200, done.text[:300])
        self.assertIn(html_escape(self.ja["confirm.done.title"]), done.text)
        self.assert_private(done, "POST /confirm")
        self.assertEqual(self.server.sql("SELECT status FROM declarations WHERE contact_email = ?",
                                         (app["contact_email"],)), [("declared",)])
        self.assert_no_token_logged(token)

    def test_a_sign_in_link_holds_its_token_in_the_fragment_and_signs_in(self):
        address = "fragment-signin@example.jp"
        declare(self.server, self.sink, application(address), Visitor(self.server))
        v = Visitor(self.server, lang="en")
        page = v.get("/signin")
        self.assertEqual(v.post("/signin", {"csrf": csrf_of(page.text), "email": address}).status, 200)
        link = self.mail_link(address, "/signin/link", count=3)  # after the receipt and the declaration's mail
        done, token = self.follow(v, link, self.en["signin.confirm.title"])
        self.assertEqual((done.status, done.header("Location")), (303, "/mypage"), done.text[:300])
        self.assertEqual(v.get("/mypage").status, 200)
        self.assert_no_token_logged(token)

    def test_a_contact_change_link_holds_its_token_in_the_fragment_and_changes_the_contact(self):
        old, new = "fragment-old@example.jp", "fragment-new@example.jp"
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application(old), owner)
        edit = f"/mypage/declarations/{public_id}/edit"
        fields = [(k, new if k == "contact_email" else v) for k, v in edit_form_fields(owner.get(edit).text)]
        self.assertEqual(owner.post(edit, fields).status, 303)
        link = self.mail_link(new, "/contact-change")
        done, token = self.follow(Visitor(self.server), link, new)
        self.assertEqual((done.status, done.header("Location")), (303, f"/mypage/declarations/{public_id}"))
        self.assertEqual(self.server.sql("SELECT contact_email FROM declarations WHERE public_id = ?", (public_id,)),
                         [(new,)])
        self.assert_no_token_logged(token)

    def test_an_invitation_link_holds_its_token_in_the_fragment_and_makes_a_supporter(self):
        owner = Visitor(self.server)
        public_id = declare(self.server, self.sink, application("fragment-owner@example.jp"), owner)
        invite = f"/mypage/declarations/{public_id}/supporters/invite"
        page = owner.get(invite)
        sent = owner.post(invite, [("csrf", csrf_of(page.text)), ("supporter_email", "fragment-helper@example.jp"),
                                   ("rights", "edit_details")])
        self.assertEqual(sent.status, 303, sent.text[:300])
        link = self.mail_link("fragment-helper@example.jp", "/support")
        supporter = Visitor(self.server)
        done, token = self.follow(supporter, link, "fragment-helper@example.jp")
        self.assertEqual((done.status, done.header("Location")), (303, f"/mypage/declarations/{public_id}"))
        self.assertEqual(supporter.get(f"/mypage/declarations/{public_id}").status, 200)
        self.assert_no_token_logged(token)

    def test_a_verifier_registration_link_holds_its_token_in_the_fragment_and_makes_the_account(self):
        address = "fragment-verifier@example.jp"
        v = Visitor(self.server)
        page = v.get("/verifier/register")
        asked = v.post("/verifier/register", {"csrf": csrf_of(page.text), "key": self.key, "email": address,
                                              "password": PASSWORD, "password_again": PASSWORD})
        self.assertEqual(asked.status, 200, asked.text[:300])
        link = self.mail_link(address, "/verifier/register/link")
        done, token = self.follow(Visitor(self.server), link, address)
        self.assertEqual((done.status, done.header("Location")), (303, "/verifier/totp"), done.text[:300])
        self.assertEqual(len(self.server.sql("SELECT id FROM verifier_accounts WHERE email = ?", (address,))), 1)
        self.assert_no_token_logged(token)

    def test_an_operator_set_up_link_holds_its_token_in_the_fragment_and_sets_the_password(self):
        # Not mailed: the command prints it for the admin to pass on. The same rule holds.
        out = run_sengen("operator", "create", "--email", "fragment-op@example.jp", "--role", "staff", "--db",
                         f"sqlite:{self.server.db_path}", "--base-url", self.server.origin)
        self.assertEqual(out.returncode, 0, out.stderr)
        link = self.mailed_link(out.stdout, "/console/setup", code_printed=False)
        b = Visitor(self.server)
        opened = b.get("/console/setup")
        self.assert_private(opened, "/console/setup")
        shown = b.post("/console/setup/view", {"csrf": csrf_of(opened.text), "token": token_of(link)})
        self.assertEqual(shown.status, 200, shown.text[:300])
        self.assert_private(shown, "/console/setup/view")
        self.assertIn("fragment-op@example.jp", shown.text)
        (form,) = [f for f in forms(shown.text) if f["action"] == "/console/setup"]
        self.assertIn(("token", token_of(link)), form["fields"])
        fields = {**dict(form["fields"]), "password": PASSWORD, "password_again": PASSWORD}
        done = b.post("/console/setup", fields)
        self.assertEqual((done.status, done.header("Location")), (303, "/console/totp"), done.text[:300])
        self.assert_no_token_logged(token_of(link))

    # --- without JavaScript, and links mailed before the upgrade ---------------------------------

    def test_without_javascript_the_code_pasted_from_the_mail_opens_the_page_and_an_empty_one_is_named(self):
        for lang, t in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                app = application(f"paste-{lang}@example.jp", business_name=f"株式会社貼り付け{lang}")
                self.assertEqual(api_post(self.server, "/api/v1/applications", app).status, 202)
                token = token_of(self.mail_link(app["contact_email"], "/confirm"))
                v = Visitor(self.server, lang=lang)
                opened = v.get("/confirm")
                # The field to paste into is there for everyone; the script only fills it in.
                self.assertIn('name="token" type="text"', opened.text)
                self.assertIn(html_escape(t["link.code.label"]), opened.text)
                empty = v.post("/confirm/view", {"csrf": csrf_of(opened.text), "token": " "})
                self.assertEqual(empty.status, 422)
                self.assertIn(html_escape(t["link.code.missing"]), empty.text)
                self.assertIn('aria-invalid="true"', empty.text)
                # Pasted with the spaces a mail program or a Japanese keyboard may add around it.
                shown = v.post("/confirm/view", {"csrf": csrf_of(empty.text), "token": f"\u3000{token} "})
                self.assertEqual(shown.status, 200, shown.text[:300])
                self.assertIn(html_escape(app["business_name"]), shown.text)
                done = v.submit(shown)
                self.assertEqual(done.status, 200)
                self.assertIn(html_escape(t["confirm.done.title"]), done.text)

    def test_the_language_switch_on_a_shown_link_page_keeps_the_token_out_of_the_address(self):
        app = application("switch-link@example.jp", business_name="株式会社言語切替リンク")
        self.assertEqual(api_post(self.server, "/api/v1/applications", app).status, 202)
        token = token_of(self.mail_link(app["contact_email"], "/confirm"))
        v = Visitor(self.server)
        shown = v.open_link("/confirm#" + token)
        m = re.search(r'form="([^"]+)" formaction="([^"]+)" name="switch_lang" value="en"', shown.text)
        self.assertIsNotNone(m, "the switch is a button of the page's form")
        self.assertEqual(m.group(2), "/confirm/view")
        (form,) = [f for f in forms(shown.text) if f["action"] == "/confirm"]
        english = v.post(m.group(2), {**dict(form["fields"]), "switch_lang": "en"})
        self.assertEqual(english.status, 200)
        self.assertEqual(english.html_lang(), "en")
        self.assertIn(html_escape(self.en["confirm.title"]), english.text)
        self.assertNotIn(token, english.text.replace(f'name="token" value="{token}"', ""))

    def test_links_mailed_before_the_upgrade_with_the_token_in_the_path_still_work(self):
        app = application("old-link@example.jp")
        self.assertEqual(api_post(self.server, "/api/v1/applications", app).status, 202)
        token = token_of(self.mail_link(app["contact_email"], "/confirm"))
        v = Visitor(self.server)
        page = v.get(f"/confirm/{token}")
        self.assertEqual(page.status, 200)
        self.assert_private(page, "/confirm/{token}")
        self.assertIn(f'action="/confirm/{token}"', page.text)
        self.assertNotIn('name="token"', page.text)
        done = v.post(f"/confirm/{token}", {"csrf": csrf_of(page.text)})
        self.assertEqual(done.status, 200)
        self.assertIn(html_escape(self.ja["confirm.done.title"]), done.text)
        # The access log names the route, never the path that held the token.
        self.assertIn("/confirm/{token}", self.server.log())
        self.assert_no_token_logged(token)


if __name__ == "__main__":
    unittest.main()
