"""Asking for sign-in links is limited per client address, so that nobody can use the form to
mail many addresses or to try many at once. Each test has a server of its own: the limit is
counted per client address, and every request here comes from 127.0.0.1."""

import re
import unittest
import urllib.parse

from sengen_server import SengenServer

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Visitor:
    """A browser reduced to what the sign-in form needs: its cookies and the form's token."""

    def __init__(self, server):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None):
        headers = {**FORM} if body is not None else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = self.server.request(method, path, headers, body)
        for header in reply.all("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return reply

    def ask_for_a_link(self, address: str):
        page = self.request("GET", "/signin")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return self.request("POST", "/signin", urllib.parse.urlencode({"csrf": csrf, "email": address}))


class SignInLimits(unittest.TestCase):
    def test_thirty_requests_an_hour_from_one_client_address_and_then_a_429(self):
        with SengenServer() as server:
            visitor = Visitor(server)
            # A different address each time, so that only the limit per client address counts.
            for n in range(30):
                self.assertEqual(visitor.ask_for_a_link(f"someone-{n}@example.jp").status, 200, n)
            self.assertEqual(visitor.ask_for_a_link("one-more@example.jp").status, 429)


if __name__ == "__main__":
    unittest.main()
