"""Making a verifier account tells nobody whether an address has one (issue 12; ADR 49). With a
valid key, the form's answer is the same page, status and headers whether or not the address
already has an account; what differs goes by mail to the address itself: a new address gets the
link that makes the account, an address with an account is told so and where to sign in (its
password unchanged). The link opens a page with a button and works once. The limits stay: mails
to one address are counted before anything tells the two apart, and so are the refusals. The real
binary, mailing through a real SMTP server on loopback."""

import re
import unittest

from sengen_server import catalogue, html_escape, run_sengen
from smtp_flow import Visitor, body, csrf_of, start_sink_and_server

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
        return [link for m in self.sink.to(address) for link in re.findall(r"/verifier/register/[A-Za-z0-9_-]{43}",
                                                                             body(m))]

    def account(self, address):
        return self.server.sql("SELECT id, password_hash FROM verifier_accounts WHERE email = ?", (address,))

    def make_account(self, address):
        """Asks, follows the mailed link and presses its button: the account, signed in."""
        _, asked = self.ask(address)
        self.assertEqual(asked.status, 200, asked.text[:300])
        self.sink.wait_for(address)
        v = Visitor(self.server)
        made = v.press(self.registration_links(address)[-1])
        self.assertEqual((made.status, made.header("Location")), (303, "/verifier"), made.text[:300])
        self.assertEqual(v.get("/verifier").status, 200)
        return v

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

    def test_the_link_shows_a_button_makes_the_account_once_and_signs_in(self):
        address = "new-verifier@example.jp"
        _, asked = self.ask(address)
        self.assertEqual(asked.status, 200)
        self.sink.wait_for(address)
        link = self.registration_links(address)[-1]
        v = Visitor(self.server)
        page = v.get(link)
        self.assertEqual(page.status, 200)
        self.assertIn(address, page.text)
        self.assertEqual(self.account(address), [])  # opening the link alone makes nothing
        made = v.post(link, {"csrf": csrf_of(page.text)})
        self.assertEqual((made.status, made.header("Location")), (303, "/verifier"))
        self.assertEqual(v.get("/verifier").status, 200)
        (account_id, password_hash), = self.account(address)
        self.assertTrue(password_hash.startswith("$argon2id$"))
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'verifier.account_created' "
                                         "AND actor = ?", (f"verifier:{account_id}",)), [(1,)])
        # The link works once; only its hash was kept.
        again = Visitor(self.server)
        self.assertEqual(again.get(link).status, 404)
        self.assertEqual(again.post(link, {"csrf": csrf_of(again.get("/verifier/register").text)}).status, 404)
        token = link.rsplit("/", 1)[1]
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


if __name__ == "__main__":
    unittest.main()
