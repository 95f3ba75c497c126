"""Security events against the real binary: a declarant's sign-in is an audit event; refused links,
refused authorization, rate-limit refusals and refused input each write one `security event=...`
line to the log, naming the client's network and never the token, the typed text or the address
(docs/operations.md, Logs)."""

import json
import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "toolkit"))

from browser_client import token_of  # noqa: E402
from sengen_server import SengenServer, token_hash  # noqa: E402
from test_console import set_up  # noqa: E402
from toolkit_flow import Browser, application, csrf_of, declare, signin_link  # noqa: E402


def security_lines(server, event: str) -> list[str]:
    return [line for line in server.log().splitlines() if f" security event={event} " in line]


def network_of(address: str) -> str:
    a, b, c, _ = address.split(".")
    return f"{a}.{b}.{c}.0/24"


class SecurityEvents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)

    def ask_for_link(self, b: Browser, address: str) -> str:
        page = b.get("/signin")
        before = {p.name for p in Path(self.server.mail_dir).glob("*.eml")}
        self.assertEqual(b.post("/signin", {"csrf": csrf_of(page.text), "email": address}).status, 200)
        return signin_link(self.server, address, before)

    def press(self, b: Browser, link: str):
        return b.press_link(link)

    # --- V16.3.1: authentication --------------------------------------------------------------------

    def test_a_declarants_sign_in_is_an_audit_event_with_the_account_and_address(self):
        b = Browser(self.server)
        b.sign_in("audited@example.jp")
        account = self.server.sql("SELECT id FROM accounts WHERE email = ?", ("audited@example.jp",))[0][0]
        rows = self.server.sql("SELECT actor, ip FROM audit_events WHERE action = 'account.signed_in'")
        self.assertIn((f"account:{account}", b.source), rows)

    def test_an_unknown_used_or_expired_sign_in_link_is_a_security_line_without_its_token(self):
        b = Browser(self.server)
        before = len(security_lines(self.server, "link.refused"))
        used = self.ask_for_link(b, "links@example.jp")
        self.assertEqual(self.press(b, used).status, 303)
        self.assertEqual(len(security_lines(self.server, "link.refused")), before, "a good link is no refusal")

        self.assertEqual(self.press(b, used).status, 404)
        unknown = "/signin/link#" + "Q" * 43
        self.assertEqual(self.press(b, unknown).status, 404)
        expired = self.ask_for_link(b, "links@example.jp")
        self.server.sql("UPDATE signin_tokens SET expires_at = expires_at - 3600 WHERE token_hash = ?",
                        (token_hash(token_of(expired)),))
        self.assertEqual(self.press(b, expired).status, 404)

        lines = security_lines(self.server, "link.refused")[before:]
        self.assertEqual(len(lines), 3, lines)
        for line in lines:
            self.assertIn("link=signin method=POST route=/signin/link client=" + network_of(b.source), line)
        log = self.server.log()
        for path in (used, unknown, expired):
            self.assertNotIn(token_of(path), log)
        self.assertNotIn(b.source + " ", log.replace("client=" + network_of(b.source), ""))

    def test_an_unknown_or_used_confirmation_link_is_a_security_line(self):
        b = Browser(self.server)
        before = len(security_lines(self.server, "link.refused"))
        self.assertEqual(b.get("/confirm/" + "R" * 43).status, 404)
        lines = security_lines(self.server, "link.refused")[before:]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("link=confirm reason=confirm.unknown method=GET route=/confirm/{token}", lines[0])
        self.assertNotIn("R" * 43, self.server.log())

    # --- V16.3.2: authorization ---------------------------------------------------------------------

    def test_asking_for_a_declaration_the_account_does_not_hold_is_not_found_and_logged(self):
        other = declare(self.server, application("holder@example.jp"))["id"]
        b = Browser(self.server)
        b.sign_in("prober@example.jp")
        account = self.server.sql("SELECT id FROM accounts WHERE email = ?", ("prober@example.jp",))[0][0]
        before = len(security_lines(self.server, "access.refused"))
        for path in (f"/mypage/declarations/{other}", f"/mypage/declarations/{other}/badge"):
            self.assertEqual(b.get(path).status, 404, path)
        lines = security_lines(self.server, "access.refused")[before:]
        self.assertEqual(len(lines), 2, lines)
        self.assertIn(f"what=declaration actor=account:{account} method=GET route=/mypage/declarations/{{id}}",
                      lines[0])
        self.assertIn(f"client={network_of(b.source)}", lines[0])
        self.assertNotIn(other, "\n".join(lines))

    def test_a_refused_csrf_token_is_a_security_line(self):
        b = Browser(self.server)
        b.get("/signin")
        before = len(security_lines(self.server, "csrf.refused"))
        self.assertEqual(b.post("/signin", {"csrf": "forged", "email": "csrf@example.jp"}).status, 403)
        lines = security_lines(self.server, "csrf.refused")[before:]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("method=POST route=/signin client=" + network_of(b.source), lines[0])
        self.assertNotIn("forged", lines[0])
        self.assertNotIn("csrf@example.jp", self.server.log())

    def test_a_staff_operator_on_an_admin_page_is_a_security_line(self):
        staff, _, _ = set_up(self.server, "staff-probe@example.jp", "staff")
        operator = self.server.sql("SELECT id FROM operators WHERE email = 'staff-probe@example.jp'")[0][0]
        before = len(security_lines(self.server, "role.refused"))
        self.assertEqual(staff.request("GET", "/console/operators").status, 403)
        lines = security_lines(self.server, "role.refused")[before:]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(f"need=admin actor=operator:{operator} method=GET route=/console/operators", lines[0])

    # --- V16.3.3: rate limits and hostile input -----------------------------------------------------

    def test_an_over_long_request_line_or_header_block_is_a_security_line_without_its_text(self):
        before = len(security_lines(self.server, "input.refused"))
        self.assertEqual(self.server.get("/verify/" + "HOSTILE" * 2000).status, 414)
        self.assertEqual(self.server.get("/", {f"X-Hostile-{i}": "v" * 200 for i in range(150)}).status, 431)
        lines = security_lines(self.server, "input.refused")[before:]
        self.assertEqual(len(lines), 2, lines)
        self.assertIn("code=request.target_too_long", lines[0])
        self.assertIn("code=request.headers_too_large", lines[1])
        self.assertNotIn("HOSTILE", self.server.log())
        self.assertNotIn("X-Hostile", self.server.log())

    def test_a_field_refused_for_hostile_characters_is_a_security_line_naming_the_field_not_the_text(self):
        before = len(security_lines(self.server, "input.refused"))
        body = json.dumps(application("hostile@example.jp", business_name="株式会社\u202eEVIL\u202c")).encode()
        reply = self.server.request("POST", "/api/v1/applications", {"Content-Type": "application/json"}, body)
        self.assertEqual(reply.status, 422, reply.text)
        lines = security_lines(self.server, "input.refused")[before:]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("code=invalid_characters field=business_name method=POST route=/api/v1/applications", lines[0])
        self.assertNotIn("EVIL", self.server.log())



class RateLimitEvents(unittest.TestCase):
    def test_each_refusal_of_a_limiter_is_one_line_with_the_rule_and_network_never_the_address_typed(self):
        # Its own server: the sign-in limit counts per client address.
        with SengenServer() as server:
            b = Browser(server)
            page = b.get("/signin")
            statuses = [b.post("/signin", {"csrf": csrf_of(page.text), "email": f"typed{i}@example.jp"}).status
                        for i in range(33)]
            self.assertEqual(statuses.count(429), 3, statuses)
            lines = security_lines(server, "rate.limited")
            self.assertEqual(len(lines), 3, lines)
            for line in lines:
                self.assertRegex(line, r"rule=rate\.signin\.ip method=POST route=/signin client=127\.0\.\d+\.0/24$")
            self.assertNotIn("typed", server.log())
            self.assertNotIn(b.source + " ", server.log())

    def test_a_lookup_refused_by_the_per_node_limiter_is_a_security_line(self):
        with SengenServer() as server:
            conn = server.connection()  # one kept-alive connection: ten thousand lookups are quick
            try:
                statuses = []
                for _ in range(10002):
                    conn.request("GET", "/api/v1/declarations/10000000016")
                    reply = conn.getresponse()
                    reply.read()
                    statuses.append(reply.status)
            finally:
                conn.close()
            self.assertEqual(statuses.count(429), 2, statuses[-5:])
            lines = security_lines(server, "rate.limited")
            self.assertEqual(len(lines), 2, lines)
            self.assertIn("rule=rate.lookup.ip method=GET route=/api/v1/declarations/{id} client=127.0.0.0/24", lines[0])


class Budget(unittest.TestCase):
    def test_a_flood_of_refusals_writes_a_bounded_number_of_lines_and_counts_the_rest(self):
        with SengenServer() as server:
            conn = server.connection()
            start = time.monotonic()
            try:
                for _ in range(500):
                    conn.request("GET", "/verify/" + "x" * 9000)
                    reply = conn.getresponse()
                    reply.read()
                    self.assertEqual(reply.status, 414)
            finally:
                conn.close()
            took = time.monotonic() - start
            lines = security_lines(server, "input.refused")
            # At most 20 lines in each second the flood lasted.
            self.assertLessEqual(len(lines), 20 * (int(took) + 2), (len(lines), took))
            time.sleep(1.1)
            self.assertEqual(server.get("/verify/" + "x" * 9000).status, 414)
            # Each line written after some were held back says how many: with the one line
            # written now, the counts account for every refusal of the flood.
            every = security_lines(server, "input.refused")
            self.assertEqual(len(every), len(lines) + 1)
            held = sum(int(m.group(1)) for line in every for m in [re.search(r" held_back=(\d+)$", line)] if m)
            if took < 10:  # then far more than 20 refusals came in some second, and were held back
                self.assertGreater(held, 0)
            self.assertEqual(len(lines) + held, 500, (len(lines), held))


if __name__ == "__main__":
    unittest.main()
