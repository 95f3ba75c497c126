"""The operators' console: accounts set up from a one-time link (password, then TOTP, then
recovery codes), sign-in with two factors, every page closed to anyone not signed in, staff kept
out of admin pages, CSRF on posts, and bad passwords and codes slowed down and recorded in the
audit log. Codes are computed with RFC 6238's algorithm (tests/support/totp_code.py)."""

import html
import re
import time
import unittest

import sys
from pathlib import Path

from browser_client import BrowserClient
from sengen_server import LOOPBACK, SengenServer, catalogue, run_sengen
from totp_code import totp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "toolkit"))

import toolkit_flow  # noqa: E402

PASSWORD = "a long and unusual phrase 42"
JA = catalogue("ja")
CONSOLE_PAGES = ["/console", "/console/declarations", "/console/declarations/10000000016", "/console/audit",
                 "/console/operators"]


class Browser(BrowserClient):
    """The shared browser-like client, with the console's forms: each post carries the CSRF token
    read from its form page."""

    def __init__(self, server):
        super().__init__(server, "ja", LOOPBACK)

    def csrf(self, path):
        page = self.get(path)
        match = re.search(r'name="csrf" value="([^"]+)"', page.text)
        return match.group(1) if match else ""

    def get(self, path):
        """A page; a set-up link ("/console/setup#<token>", ADR 59) is followed as link-token.js
        follows it, the token posted to "/console/setup/view"."""
        page, _, token = path.partition("#")
        if not token:
            return super().get(path)
        return super().post(page + "/view", {"csrf": self.csrf(page), "token": token})

    def post(self, path, fields, form_page=None):
        """A form's post; to a set-up link, the token goes in the body to the link's page."""
        page, _, token = path.partition("#")
        extra = {"token": token} if token else {}
        return super().post(page, {"csrf": self.csrf(form_page or page), **extra, **fields})


def create_operator(server, email, role):
    out = run_sengen("operator", "create", "--email", email, "--role", role, "--db", f"sqlite:{server.db_path}",
                     "--base-url", server.origin)
    assert out.returncode == 0, out.stderr
    link = out.stdout.strip().splitlines()[-1]
    assert link.startswith(server.origin + "/console/setup#"), out.stdout
    return link[len(server.origin):]


def set_up(server, email, role):
    """An operator through the whole set-up; returns the browser (signed in), secret and codes."""
    path = create_operator(server, email, role)
    b = Browser(server)
    reply = b.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert reply.status == 303 and reply.header("Location") == "/console/totp", (reply.status, reply.text)
    page = b.request("GET", "/console/totp")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    assert 'src="data:image/svg+xml;base64,' in page.text
    done = b.post("/console/totp", {"code": totp(secret)})
    assert done.status == 200, done.text
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", done.text)
    assert len(codes) == 10
    return b, secret, codes


def sign_in(server, email, secret=None, code=None, password=PASSWORD):
    b = Browser(server)
    reply = b.post("/console/signin", {"email": email, "password": password})
    if reply.status != 303:
        return b, reply
    reply = b.post("/console/signin/code", {"code": code or totp(secret, time.time() + 30)})
    return b, reply


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        seeded = run_sengen("seed", "--declarations", "3", "--db", f"sqlite:{cls.server.db_path}")
        assert seeded.returncode == 0, seeded.stderr
        cls.admin, cls.admin_secret, cls.admin_codes = set_up(cls.server, "admin@example.jp", "admin")
        cls.staff, cls.staff_secret, _ = set_up(cls.server, "staff@example.jp", "staff")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def audit(self, action):
        return self.server.sql("SELECT actor, subject, ip, details FROM audit_events WHERE action = ?", (action,))

    def test_every_console_page_sends_a_stranger_to_the_sign_in_page(self):
        stranger = Browser(self.server)
        for path in CONSOLE_PAGES:
            reply = stranger.request("GET", path)
            self.assertEqual(reply.status, 303, path)
            self.assertEqual(reply.header("Location"), "/console/signin", path)

    def test_a_declarant_session_does_not_open_the_console(self):
        b = Browser(self.server)
        b.cookies[self.server.session_cookie_name()] = self.server.add_session()
        self.assertEqual(b.request("GET", "/console").status, 303)

    def test_a_password_alone_does_not_open_the_console(self):
        b = Browser(self.server)
        reply = b.post("/console/signin", {"email": "staff@example.jp", "password": PASSWORD})
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.header("Location"), "/console/signin/code")
        for path in CONSOLE_PAGES:
            self.assertEqual(b.request("GET", path).status, 303, path)

    def test_the_set_up_pages_show_the_qr_code_and_the_secret_and_the_codes_work(self):
        page = self.admin.request("GET", "/console")
        self.assertEqual(page.status, 200)
        self.assertIn("admin@example.jp", page.text)
        self.assertIn('href="/console/operators"', page.text)

    def test_staff_get_403_on_admin_pages_and_admins_do_not(self):
        self.assertEqual(self.staff.request("GET", "/console").status, 200)
        self.assertEqual(self.staff.request("GET", "/console/operators").status, 403)
        self.assertEqual(self.staff.post("/console/operators", {"email": "x@example.jp", "role": "admin"},
                                         form_page="/console").status, 403)
        self.assertEqual(self.admin.request("GET", "/console/operators").status, 200)

    def test_an_admin_creates_an_operator_from_the_console(self):
        reply = self.admin.post("/console/operators", {"email": "new@example.jp", "role": "staff"})
        self.assertEqual(reply.status, 200)
        link = re.search(r'id="setup-link">([^<]+)<', reply.text).group(1)
        self.assertIn("/console/setup#", html.unescape(link))
        self.assertTrue(self.audit("operator.created"))

    def test_posts_without_the_csrf_token_are_refused(self):
        self.assertEqual(self.admin.request("POST", "/console/operators",
                                            {"email": "y@example.jp", "role": "staff"}).status, 403)
        self.assertEqual(Browser(self.server).request("POST", "/console/signin",
                                                      {"email": "admin@example.jp", "password": PASSWORD}).status, 403)

    def test_a_set_up_link_works_once_and_common_or_short_passwords_are_refused(self):
        path = create_operator(self.server, "once@example.jp", "staff")
        b = Browser(self.server)
        short = b.post(path, {"password": "short", "password_again": "short"})
        self.assertEqual(short.status, 422)
        common = b.post(path, {"password": "password12345", "password_again": "password12345"})
        self.assertEqual(common.status, 422)
        self.assertEqual(b.post(path, {"password": PASSWORD, "password_again": PASSWORD}).status, 303)
        self.assertEqual(Browser(self.server).get(path).status, 404)

    def test_a_recovery_code_signs_in_once(self):
        code = self.admin_codes[0]
        _, reply = sign_in(self.server, "admin@example.jp", code=code)
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.header("Location"), "/console")
        _, again = sign_in(self.server, "admin@example.jp", code=code)
        self.assertEqual(again.status, 422)

    def test_find_and_revoke_and_the_audit_page_shows_it(self):
        public_id = self.server.sql("SELECT public_id FROM declarations WHERE status = 'declared' LIMIT 1")[0][0]
        found = self.staff.request("GET", "/console/declarations?q=" + public_id)
        self.assertIn(f'href="/console/declarations/{public_id}"', found.text)
        record = f"/console/declarations/{public_id}"
        self.assertEqual(self.staff.post(record + "/revoke", {"reason": " "}, form_page=record).status, 422)
        reply = self.staff.post(record + "/revoke", {"reason": "虚偽の申告"}, form_page=record)
        self.assertEqual(reply.status, 303)
        self.assertIn("revoked", self.server.get(f"/api/v1/declarations/{public_id}").text)
        internal = self.server.sql("SELECT id FROM declarations WHERE public_id = ?", (public_id,))[0][0]
        audit = self.staff.request("GET", f"/console/audit?action=declaration.revoke&subject=declaration:{internal}")
        self.assertEqual(audit.status, 200)
        staff_id = self.server.sql("SELECT id FROM operators WHERE email = 'staff@example.jp'")[0][0]
        self.assertRegex(audit.text, rf"<td>operator:{staff_id}</td><td>declaration.revoke</td>"
                                     rf"<td>declaration:{internal}</td>")
        # The console records the operator's address, as every action from a request does.
        revoked = self.server.sql("SELECT ip FROM audit_events WHERE action = 'declaration.revoke' AND subject = ?",
                                  (f"declaration:{internal}",))
        self.assertEqual(revoked, [("127.0.0.1",)])
        back = self.staff.post(record + "/reinstate", {"reason": "誤りでした"}, form_page=record)
        self.assertEqual(back.status, 303)
        self.assertEqual(self.staff.request("GET", "/console/audit?from=2020-13-01").status, 422)


    # --- ending other people's sessions (ASVS V7.4.5) ---------------------------------------------

    def declarant_with_two_browsers(self, address):
        """A declaration of `address` and two browsers signed in to its account."""
        public_id = toolkit_flow.declare(self.server, toolkit_flow.application(address))["id"]
        browsers = []
        for _ in range(2):
            b = toolkit_flow.Browser(self.server)
            b.sign_in(address)
            self.assertEqual(b.get("/mypage").status, 200)
            browsers.append(b)
        return public_id, browsers

    def test_an_admin_signs_a_declarant_out_everywhere_with_a_reason_and_it_is_recorded(self):
        public_id, browsers = self.declarant_with_two_browsers("signed-out-by-admin@example.jp")
        bystander = toolkit_flow.Browser(self.server)
        bystander.sign_in("bystander@example.jp")
        record = f"/console/declarations/{public_id}"
        page = self.admin.request("GET", record)
        self.assertIn(f'action="{record}/end-sessions"', page.text)
        # Staff see no button and are refused; a reason is needed.
        self.assertNotIn("/end-sessions", self.staff.request("GET", record).text)
        self.assertEqual(self.staff.post(record + "/end-sessions", {"reason": "盗まれた端末"}, form_page=record).status,
                         403)
        self.assertEqual(self.admin.post(record + "/end-sessions", {"reason": " "}, form_page=record).status, 422)
        self.assertEqual(self.admin.request("POST", record + "/end-sessions", {"reason": "x"}).status, 403)  # no CSRF
        for b in browsers:
            self.assertEqual(b.get("/mypage").status, 200)

        done = self.admin.post(record + "/end-sessions", {"reason": "端末をなくしたとの電話"}, form_page=record)
        self.assertEqual(done.status, 303)
        for b in browsers:
            reply = b.get("/mypage")
            self.assertEqual(reply.status, 303)
            self.assertTrue(reply.header("Location").startswith("/signin"))
        self.assertEqual(bystander.get("/mypage").status, 200)
        internal = self.server.sql("SELECT id FROM declarations WHERE public_id = ?", (public_id,))[0][0]
        admin_id = self.server.sql("SELECT id FROM operators WHERE email = 'admin@example.jp'")[0][0]
        events = [e for e in self.audit("account.sessions_ended") if e[1] == f"declaration:{internal}"]
        self.assertEqual(len(events), 1)
        actor, _, ip, details = events[0]
        self.assertEqual((actor, ip), (f"operator:{admin_id}", "127.0.0.1"))
        self.assertIn("端末をなくしたとの電話", details)
        self.assertIn('"sessions":"2"', details.replace(" ", ""))
        self.assertIn("account.sessions_ended", self.admin.request("GET", record).text)

    def test_the_command_line_signs_a_declarant_out_everywhere(self):
        address = "signed-out-by-cli@example.jp"
        _, browsers = self.declarant_with_two_browsers(address)
        out = run_sengen("sessions", "end", "--email", address.upper(), "--reason", "依頼により",
                         "--db", f"sqlite:{self.server.db_path}")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("2", out.stdout)
        for b in browsers:
            self.assertEqual(b.get("/mypage").status, 303)
        events = self.server.sql("SELECT actor, ip, details FROM audit_events WHERE action = 'account.sessions_ended' "
                                 "AND actor = 'operator:cli'")
        self.assertTrue(any("依頼により" in details for _, _, details in events), events)
        unknown = run_sengen("sessions", "end", "--email", "nobody-here@example.jp",
                             "--db", f"sqlite:{self.server.db_path}")
        self.assertNotEqual(unknown.returncode, 0)

    def test_an_admin_signs_another_operator_out_everywhere(self):
        _, secret, _ = set_up(self.server, "ended-operator@example.jp", "staff")
        first, reply = sign_in(self.server, "ended-operator@example.jp", secret)
        self.assertEqual(reply.status, 303)
        self.assertEqual(first.request("GET", "/console").status, 200)
        victim = self.server.sql("SELECT id FROM operators WHERE email = 'ended-operator@example.jp'")[0][0]
        action = f"/console/operators/{victim}/end-sessions"
        page = self.admin.request("GET", "/console/operators")
        self.assertIn(f'action="{action}"', page.text)
        admin_id = self.server.sql("SELECT id FROM operators WHERE email = 'admin@example.jp'")[0][0]
        self.assertNotIn(f'action="/console/operators/{admin_id}/end-sessions"', page.text)
        self.assertEqual(self.staff.post(action, {"reason": "x"}, form_page="/console").status, 403)
        self.assertEqual(self.admin.post(action, {"reason": ""}, form_page="/console/operators").status, 422)
        done = self.admin.post(action, {"reason": "退職のため"}, form_page="/console/operators")
        self.assertEqual(done.status, 200)
        self.assertEqual(first.request("GET", "/console").status, 303)
        self.assertEqual(self.admin.request("GET", "/console").status, 200)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM operator_sessions WHERE operator_id = ?", (victim,)),
                         [(0,)])
        events = [e for e in self.audit("operator.sessions_ended") if e[1] == f"operator:{victim}"]
        self.assertEqual(len(events), 1)
        self.assertIn("退職のため", events[0][3])

    # --- one's own sessions (ASVS V7.5.2) ---------------------------------------------------------

    def test_an_operator_sees_its_own_sessions_and_ends_one_leaving_the_others(self):
        email = "lists-sessions@example.jp"
        here, secret, codes = set_up(self.server, email, "staff")
        there = Browser(self.server)
        there.headers["User-Agent"] = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                                       "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86")
        self.assertEqual(there.post("/console/signin", {"email": email, "password": PASSWORD}).status, 303)
        self.assertEqual(there.post("/console/signin/code", {"code": codes[0]}).status, 303)
        third, reply = sign_in(self.server, email, code=codes[1])
        self.assertEqual(reply.status, 303)
        page = here.request("GET", "/console/sessions")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/console/sessions"', page.text)
        rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', page.text, re.S)
        self.assertEqual(len(rows), 3, rows)
        self.assertEqual(sum(html.escape(JA["mypage.sessions.this_device"]) in r for r in rows), 1)
        edge = next(r for r in rows if "Edge / Windows" in r)
        self.assertIn("127.0.0.1</td>", edge)
        for (hashed,) in self.server.sql("SELECT id_hash FROM operator_sessions"):
            self.assertNotIn(hashed[:32], page.text)
        action = re.search(r'action="(/console/sessions/[^"]+/end)"', edge).group(1)
        self.assertEqual(here.request("POST", action, {}).status, 403)  # no CSRF token
        done = here.post(action, {}, form_page="/console/sessions")
        self.assertEqual(done.status, 303)
        self.assertEqual(there.request("GET", "/console").status, 303)
        self.assertEqual(third.request("GET", "/console").status, 200)
        self.assertEqual(here.request("GET", "/console").status, 200)
        self.assertEqual(done.header("Location"), "/console/sessions?ended=1")
        after = here.request("GET", done.header("Location"))
        self.assertEqual(len(re.findall(r'<tr>\s*<th scope="row">', after.text)), 2)
        self.assertIn(html.escape(JA["mypage.sessions.ended"]), after.text)

    # --- changing one's password (ASVS V6.1.2, V6.2.2, V6.2.3, V6.2.5-V6.2.12) ------------------

    def test_an_operator_changes_the_password_with_the_current_one_and_the_other_sessions_end(self):
        email = "changes-password@example.jp"
        here, secret, codes = set_up(self.server, email, "staff")
        there, reply = sign_in(self.server, email, secret)
        self.assertEqual(reply.status, 303)
        page = here.request("GET", "/console/password")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/console/password"', page.text)
        # Password managers may fill and paste: nothing turns that off.
        for field, autocomplete in (("current_password", "current-password"), ("new_password", "new-password")):
            tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page.text).group(0)
            self.assertIn('type="password"', tag)
            self.assertIn(f'autocomplete="{autocomplete}"', tag)
            self.assertNotIn("maxlength", tag)
        self.assertNotIn("onpaste", page.text)
        self.assertNotIn('autocomplete="off"', page.text)

        new = "五月の風と青い海 " + "and a long tail " * 8  # over 64 characters, mixed scripts, no rules
        self.assertGreater(len(new), 64)
        wrong = here.post("/console/password", {"current_password": "not the password at all",
                                                "new_password": new, "password_again": new})
        self.assertEqual(wrong.status, 422)
        self.assertIn(html.escape(JA["console.password.wrong"]), wrong.text)
        for bad, code in (("changes-password rocks", "context"), ("I love sengen so much", "context"),
                          ("password12345", "common"), ("short", "too_short")):
            refused = here.post("/console/password", {"current_password": PASSWORD, "new_password": bad,
                                                      "password_again": bad})
            self.assertEqual(refused.status, 422, bad)
            self.assertIn(html.escape(JA["console.password." + code]), refused.text)
        mismatch = here.post("/console/password", {"current_password": PASSWORD, "new_password": new,
                                                   "password_again": new + "x"})
        self.assertEqual(mismatch.status, 422)
        self.assertEqual(here.request("POST", "/console/password", {"current_password": PASSWORD,
                                                                    "new_password": new,
                                                                    "password_again": new}).status, 403)
        self.assertEqual(there.request("GET", "/console").status, 200)  # nothing changed so far

        done = here.post("/console/password", {"current_password": PASSWORD, "new_password": new,
                                               "password_again": new})
        self.assertEqual(done.status, 200)
        self.assertIn(html.escape(JA["console.password.changed"]), done.text)
        self.assertEqual(here.request("GET", "/console").status, 200)
        self.assertEqual(there.request("GET", "/console").status, 303)
        # The old password no longer passes the first step; the new one does.
        _, old = sign_in(self.server, email, secret)
        self.assertNotEqual(old.status, 303)
        _, fresh = sign_in(self.server, email, password=new, code=codes[0])
        self.assertEqual(fresh.status, 303)
        self.assertEqual(fresh.header("Location"), "/console")
        operator_id = self.server.sql("SELECT id FROM operators WHERE email = ?", (email,))[0][0]
        changed = [e for e in self.audit("operator.password_changed") if e[1] == f"operator:{operator_id}"]
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed[0][0], f"operator:{operator_id}")
        self.assertIn('"other_sessions_ended":"1"', changed[0][3].replace(" ", ""))
        failed = [e for e in self.audit("operator.password_change_failed") if e[1] == f"operator:{operator_id}"]
        self.assertEqual(len(failed), 1)

    def test_the_password_page_needs_a_signed_in_operator(self):
        stranger = Browser(self.server)
        reply = stranger.request("GET", "/console/password")
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.header("Location"), "/console/signin")
        self.assertEqual(self.staff.request("GET", "/console/password").status, 200)


class BruteForce(unittest.TestCase):
    def test_bad_passwords_are_refused_after_five_tries_and_recorded(self):
        with SengenServer() as server:
            set_up(server, "target@example.jp", "staff")
            statuses = [sign_in(server, "target@example.jp", password="wrong password guess")[1].status
                        for _ in range(6)]
            self.assertEqual(statuses[:5], [403] * 5)
            self.assertEqual(statuses[5], 429)
            # The right password is refused too until the window ends.
            self.assertEqual(sign_in(server, "target@example.jp", password=PASSWORD)[1].status, 429)
            failed = server.sql("SELECT ip FROM audit_events WHERE action = 'operator.signin_failed'")
            self.assertEqual(len(failed), 5)
            self.assertEqual(failed[0][0], "127.0.0.1")
            self.assertTrue(server.sql("SELECT 1 FROM audit_events WHERE action = 'operator.signin_refused'"))

    def test_bad_codes_are_refused_after_five_tries_and_recorded(self):
        with SengenServer() as server:
            set_up(server, "codes@example.jp", "staff")
            b = Browser(server)
            self.assertEqual(b.post("/console/signin", {"email": "codes@example.jp", "password": PASSWORD}).status,
                             303)
            statuses = [b.post("/console/signin/code", {"code": "000000"}).status for _ in range(6)]
            # The code that confirmed TOTP at set-up counts too: five attempts in the window.
            self.assertEqual(statuses, [422] * 4 + [429] * 2)
            self.assertEqual(len(server.sql("SELECT 1 FROM audit_events WHERE action = 'operator.code_failed'")), 4)
            self.assertTrue(server.sql("SELECT 1 FROM audit_events WHERE action = 'operator.signin_refused'"))



class FreshInstall(unittest.TestCase):
    def test_a_fresh_install_has_no_account_and_no_default_password_opens_anything(self):
        with SengenServer() as server:
            # Every kind of account starts empty: an operator exists only once `sengen operator
            # create` has made one and its set-up link has been followed, a verifier only with a key.
            for table in ("operators", "accounts", "verifier_accounts"):
                self.assertEqual(server.sql(f"SELECT COUNT(*) FROM {table}"), [(0,)], table)
            for email, password in (("admin", "admin"), ("admin@example.jp", "admin"), ("root", "password"),
                                    ("operator@localhost", "changeme")):
                b = Browser(server)
                self.assertEqual(b.post("/console/signin", {"email": email, "password": password}).status, 403, email)
                self.assertEqual(b.request("GET", "/console").status, 303)
                verifier = BrowserClient(server, "ja", LOOPBACK)
                page = verifier.get("/verifier/signin")
                token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
                reply = verifier.post("/verifier/signin", {"csrf": token, "email": email, "password": password})
                self.assertNotEqual(reply.status, 303, email)
                self.assertEqual(verifier.get("/verifier").status, 303)

if __name__ == "__main__":
    unittest.main()
