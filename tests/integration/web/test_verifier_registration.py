"""Making a verifier account tells nobody whether an address has one (issue 12; ADR 49). With a
valid key, the form's answer is the same page, status and headers whether or not the address
already has an account; what differs goes by mail to the address itself: a new address gets the
link that makes the account, an address with an account is told so and where to sign in (its
password unchanged). The link opens a page with a button and works once. The limits stay: mails
to one address are counted before anything tells the two apart, and so are the refusals. The real
binary, mailing through a real SMTP server on loopback.

A verifier signs in with its password and then a code from an authenticator app (ADR 0056): a new
account (and one made before verifiers had a second factor) is taken from the password to the
set-up page, and nothing opens until a code confirms it. Codes are computed as the console's tests
compute them (tests/support/totp_code.py)."""

import re
import time
import unittest

from sengen_server import catalogue, html_escape, run_sengen
from smtp_flow import Visitor, body, csrf_of, start_sink_and_server, token_of
from totp_code import secret_on, totp

PASSWORD = "a long and unusual phrase 42"
OTHER_PASSWORD = "another long unusual phrase 7"
# Headers whose values differ from one reply to the next whatever the address.
VARYING = {"date", "set-cookie", "content-length"}


def comparable(reply, address):
    """A reply with what differs between any two replies taken out: the form tokens, and the
    address typed where a refused form shows it back."""
    text = re.sub(r'name="csrf" value="[^"]*"', 'name="csrf" value=""', reply.text)
    text = text.replace(html_escape(address), "ADDRESS")
    headers = sorted((k.lower(), v if k.lower() not in VARYING else "") for k, v in reply.headers.items())
    cookies = sorted(v.split("=", 1)[0] for k, v in reply.headers.items() if k.lower() == "set-cookie")
    return reply.status, headers, cookies, text


class VerifierRegistration(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls, "--mail-limit-unproven", "3")
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.key = run_sengen("--db", f"sqlite:{cls.server.db_path}", "verifier-key", "create", "--name",
                             "登録確認窓口").stdout.strip().splitlines()[-1]

    def ask(self, address, lang="ja", password=PASSWORD):
        """A new visitor (from its own client address) fills in the registration form."""
        v = Visitor(self.server, lang)
        page = v.get("/verifier/register")
        self.assertEqual(page.status, 200)
        return v, v.post("/verifier/register", {"csrf": csrf_of(page.text), "key": self.key, "email": address,
                                                "password": password, "password_again": password})

    def registration_links(self, address):
        return [link for m in self.sink.to(address) for link in re.findall(r"/verifier/register/link#[A-Za-z0-9_-]{43}",
                                                                             body(m))]

    def account(self, address):
        return self.server.sql("SELECT id, password_hash FROM verifier_accounts WHERE email = ?", (address,))

    def made_account(self, address, lang="ja"):
        """Asks, follows the mailed link and presses its button: the account, at the set-up page."""
        _, asked = self.ask(address)
        self.assertEqual(asked.status, 200, asked.text[:300])
        self.sink.wait_for(address)
        v = Visitor(self.server, lang)
        made = v.press(self.registration_links(address)[-1])
        self.assertEqual((made.status, made.header("Location")), (303, "/verifier/totp"), made.text[:300])
        return v

    def set_up_code(self, v):
        """Reads the secret off the set-up page and confirms it with a code; returns the secret."""
        page = v.get("/verifier/totp")
        self.assertEqual(page.status, 200, page.text[:300])
        secret = secret_on(page.text)
        done = v.post("/verifier/totp", {"csrf": csrf_of(page.text), "code": totp(secret)})
        self.assertEqual((done.status, done.header("Location")), (303, "/verifier"), done.text[:300])
        return secret

    def make_account(self, address):
        """An account made and set up: its browser, signed in, with the secret as `v.secret`."""
        v = self.made_account(address)
        v.secret = self.set_up_code(v)
        self.assertEqual(v.get("/verifier").status, 200)
        return v

    def password_step(self, address, lang="ja", password=PASSWORD):
        v = Visitor(self.server, lang)
        page = v.get("/verifier/signin")
        return v, v.post("/verifier/signin", {"csrf": csrf_of(page.text), "email": address, "password": password})

    def code_step(self, v, code):
        page = v.get("/verifier/signin/code")
        self.assertEqual(page.status, 200, page.text[:300])
        return v.post("/verifier/signin/code", {"csrf": csrf_of(page.text), "code": code})

    def assert_closed(self, v, to):
        """Every verifier page sends `v` on to `to` instead of opening."""
        for path in ("/verifier", "/verifier/password", "/verifier/results/" + "a" * 43):
            reply = v.get(path)
            self.assertEqual((reply.status, reply.header("Location")), (303, to), path)
        page = v.get(to)
        upload = v.post("/verifier/upload", {"csrf": csrf_of(page.text)})
        self.assertEqual((upload.status, upload.header("Location")), (303, to))

    def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account_and_the_mail_says_which(self):
        known, unknown = "known-verifier@example.jp", "unknown-verifier@example.jp"
        self.make_account(known)
        before = self.account(known)
        for lang in ("ja", "en"):
            with self.subTest(lang=lang):
                _, to_known = self.ask(known, lang, OTHER_PASSWORD)
                _, to_unknown = self.ask(unknown, lang, OTHER_PASSWORD)
                self.assertEqual(to_known.status, 200, to_known.text[:300])
                self.assertEqual(comparable(to_known, known), comparable(to_unknown, unknown))
                sent = {"ja": self.ja, "en": self.en}[lang]["verifier.register.sent.title"]
                self.assertIn(html_escape(sent), to_known.text)
                self.assertNotIn(known, to_known.text)
        # The mails differ: the known address is told it has an account and where to sign in (no
        # link that makes one), the unknown one gets a link per request.
        to_known = self.sink.wait_for(known, 3)
        to_unknown = self.sink.wait_for(unknown, 2)
        self.sink.settle()
        self.assertEqual((len(self.sink.to(known)), len(self.sink.to(unknown))), (3, 2))
        for m, cat in zip(to_known[1:], (self.ja, self.en)):
            self.assertIn("/verifier/signin", body(m))
            self.assertNotIn("/verifier/register/", body(m))
            self.assertIn(cat["mail.verifier_account_exists.subject"].split("}", 1)[1].strip(), m["Subject"])
        self.assertEqual(len(self.registration_links(unknown)), 2)
        for m, cat in zip(to_unknown, (self.ja, self.en)):
            self.assertIn(cat["mail.verifier_registration.subject"].split("}", 1)[1].strip(), m["Subject"])
        # Nothing changed for the account, and no account was made for the unknown address.
        self.assertEqual(self.account(known), before)
        self.assertEqual(self.account(unknown), [])

    def test_the_link_shows_a_button_makes_the_account_once_and_leads_to_the_set_up_page(self):
        address = "new-verifier@example.jp"
        _, asked = self.ask(address)
        self.assertEqual(asked.status, 200)
        self.sink.wait_for(address)
        link = self.registration_links(address)[-1]
        v = Visitor(self.server)
        page = v.open_link(link)
        self.assertEqual(page.status, 200)
        self.assertIn(address, page.text)
        self.assertEqual(self.account(address), [])  # opening the link alone makes nothing
        made = v.submit(page)
        self.assertEqual((made.status, made.header("Location")), (303, "/verifier/totp"))
        # Not usable until a code confirms the second factor.
        self.assert_closed(v, "/verifier/totp")
        self.set_up_code(v)
        self.assertEqual(v.get("/verifier").status, 200)
        (account_id, password_hash), = self.account(address)
        self.assertTrue(password_hash.startswith("$argon2id$"))
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'verifier.account_created' "
                                         "AND actor = ?", (f"verifier:{account_id}",)), [(1,)])
        # The link works once; only its hash was kept.
        again = Visitor(self.server)
        self.assertEqual(again.open_link(link).status, 404)
        self.assertEqual(again.post("/verifier/register/link", {"csrf": csrf_of(again.get("/verifier/register").text),
                                                                "token": token_of(link)}).status, 404)
        token = token_of(link)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM verifier_registrations WHERE token_hash = ?",
                                         (token,)), [(0,)])

    def test_the_mail_limit_refuses_both_alike(self):
        """Three mails a day to an address nobody has proven (--mail-limit-unproven 3): past them
        a request is refused the same way whether or not the address has an account."""
        known, unknown = "limit-known@example.jp", "limit-unknown@example.jp"
        self.make_account(known)  # its first mail
        _, first = self.ask(unknown)
        self.assertEqual(first.status, 200)
        replies = {address: [self.ask(address)[1] for _ in range(3)] for address in (known, unknown)}
        self.assertEqual([r.status for r in replies[known]], [200, 200, 429])
        self.assertIn(html_escape(self.ja["error.mail_limit.title"]), replies[known][2].text)
        for a, b in zip(replies[known], replies[unknown]):
            self.assertEqual(comparable(a, known), comparable(b, unknown))
        self.sink.settle()
        self.assertEqual((len(self.sink.to(known)), len(self.sink.to(unknown))), (3, 3))


    # --- the second factor (ADR 0056) ---------------------------------------------------------

    def test_the_set_up_page_shows_the_qr_code_and_the_secret_and_a_code_confirms_it(self):
        address = "set-up-verifier@example.jp"
        v = self.made_account(address)
        for lang, cat in (("en", self.en), ("ja", self.ja)):
            v.lang = lang
            page = v.get("/verifier/totp")
            self.assertEqual(page.status, 200)
            self.assertEqual(page.html_lang(), lang)
            self.assertIn(html_escape(cat["verifier.totp.title"]), page.text)
            self.assertIn(html_escape(cat["verifier.totp.lead"]), page.text)
            self.assertIn('src="data:image/svg+xml;base64,', page.text)
            self.assertIn(address, page.text)
            self.assertIn('name="csrf"', page.text)
        secret = secret_on(page.text)
        # The page shows the same pending secret until it is confirmed, kept as operators' are.
        self.assertEqual(secret_on(v.get("/verifier/totp").text), secret)
        (account_id, _), = self.account(address)
        self.assertEqual(self.server.sql("SELECT totp_secret, totp_pending FROM verifier_accounts WHERE id = ?",
                                         (account_id,)), [("", secret)])
        # Without the form's token the code is not even looked at.
        self.assertEqual(v.post("/verifier/totp", {"code": totp(secret)}).status, 403)
        self.assertEqual(self.set_up_code(v), secret)
        self.assertEqual(v.get("/verifier").status, 200)
        self.assertEqual(self.server.sql("SELECT totp_secret, totp_pending FROM verifier_accounts WHERE id = ?",
                                         (account_id,)), [(secret, "")])
        self.assertEqual(v.get("/verifier/totp").header("Location"), "/verifier/signin")  # set up once
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'verifier.totp_confirmed' "
                                         "AND actor = ?", (f"verifier:{account_id}",)), [(1,)])

    def test_a_verifiers_password_alone_does_not_open_the_verifier_pages(self):
        address = "password-alone@example.jp"
        first = self.make_account(address)
        v, reply = self.password_step(address)
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier/signin/code"))
        self.assert_closed(v, "/verifier/signin/code")
        self.assertEqual(v.get("/verifier/totp").header("Location"), "/verifier/signin")  # no new secret shown
        done = self.code_step(v, totp(first.secret, time.time() + 30))
        self.assertEqual((done.status, done.header("Location")), (303, "/verifier"), done.text[:300])
        page = v.get("/verifier")
        self.assertEqual(page.status, 200)
        self.assertIn(address, page.text)
        # The session that passed the password step is not the one that passed the code.
        self.assertEqual(v.get("/verifier/signin/code").header("Location"), "/verifier/signin")
        (account_id, _), = self.account(address)
        self.assertEqual(self.server.sql("SELECT details FROM audit_events WHERE action = 'verifier.signed_in' "
                                         "AND actor = ?", (f"verifier:{account_id}",)), [('{"factor":"totp"}',)])

    def test_a_wrong_code_is_refused_with_a_field_level_error_in_japanese_and_english(self):
        for lang, cat in (("ja", self.ja), ("en", self.en)):
            with self.subTest(lang=lang):
                address = f"wrong-code-{lang}@example.jp"
                v = self.made_account(address, lang)
                page = v.get("/verifier/totp")
                secret = secret_on(page.text)
                wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
                refused = v.post("/verifier/totp", {"csrf": csrf_of(page.text), "code": wrong})
                self.assert_field_error(refused, cat, wrong)
                self.assertEqual(v.get("/verifier").header("Location"), "/verifier/totp")
                self.assertEqual(self.set_up_code(v), secret)
                signing_in, _ = self.password_step(address, lang)
                wrong = f"{(int(totp(secret, time.time() + 30)) + 1) % 1_000_000:06d}"
                refused = self.code_step(signing_in, wrong)
                self.assert_field_error(refused, cat, wrong)
                self.assertEqual(signing_in.get("/verifier").header("Location"), "/verifier/signin/code")
                (account_id, _), = self.account(address)
                stages = [d for (d,) in self.server.sql("SELECT details FROM audit_events WHERE action = "
                                                        "'verifier.code_failed' AND actor = ?", (f"verifier:{account_id}",))]
                self.assertEqual(stages, ['{"stage":"setup"}', '{"stage":"signin"}'])

    def assert_field_error(self, reply, cat, typed):
        self.assertEqual(reply.status, 422, reply.text[:300])
        message = html_escape(cat["console.code.wrong"])
        field = re.search(r'<div class="field field-error">.*?</div>', reply.text, re.S)
        self.assertIsNotNone(field, "no field marked in error")
        self.assertIn(message, field.group(0))
        self.assertIn('aria-invalid="true"', field.group(0))
        self.assertIn('aria-describedby="f-code-hint f-code-error"', field.group(0))
        self.assertNotIn(typed, reply.text)  # a code is never shown again

    def test_a_code_is_good_once_and_wrong_codes_are_slowed_and_recorded(self):
        address = "code-once@example.jp"
        first = self.make_account(address)
        code = totp(first.secret, time.time() + 30)
        v, _ = self.password_step(address)
        self.assertEqual(self.code_step(v, code).status, 303)
        again, _ = self.password_step(address)
        self.assertEqual(self.code_step(again, code).status, 422)  # the same code, within its window
        # Five tries a quarter of an hour per account, right or wrong, as operators'.
        statuses = [self.code_step(again, "000000").status for _ in range(4)]
        self.assertEqual(statuses[-1], 429, statuses)
        (account_id, _), = self.account(address)
        refused = self.server.sql("SELECT details FROM audit_events WHERE action = 'verifier.signin_refused'")
        self.assertTrue(any("verifier.code.account" in d for (d,) in refused), refused)

    def test_an_account_made_before_the_second_factor_is_taken_to_the_set_up_page(self):
        address = "older-account@example.jp"
        self.make_account(address)
        # As migration 0044 leaves an account made before it: no secret, no session.
        self.server.sql("UPDATE verifier_accounts SET totp_secret = '', totp_last_step = 0 WHERE email = ?", (address,))
        v, reply = self.password_step(address, "en")
        self.assertEqual((reply.status, reply.header("Location")), (303, "/verifier/totp"))
        self.assert_closed(v, "/verifier/totp")
        secret = self.set_up_code(v)
        self.assertEqual(v.get("/verifier").status, 200)
        self.assertEqual(self.server.sql("SELECT totp_secret FROM verifier_accounts WHERE email = ?", (address,)),
                         [(secret,)])


if __name__ == "__main__":
    unittest.main()
