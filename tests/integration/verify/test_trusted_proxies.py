"""Rate limits behind a reverse proxy: with --trusted-proxies, a request from a trusted proxy is
limited by the client address in its X-Forwarded-For; from anyone else the header is ignored.
The search limit (120 in 10 minutes per address) is the one exercised."""
import unittest
import urllib.parse

from registry_flow import Registry
from sengen_server import SengenServer

LIMIT = 120


def search_path(**query) -> str:
    return "/verify/search?" + urllib.parse.urlencode(query)


class TrustedProxies(unittest.TestCase):
    def test_a_trusted_proxy_gets_one_limit_per_forwarded_client(self):
        proxy = "127.0.0.1"
        with SengenServer("--trusted-proxies", f"{proxy}, 10.0.0.0/8") as server:
            registry = Registry(server)

            def search(client, n):
                return registry.request("GET", search_path(name=f"p{n}"),
                                        headers={"X-Forwarded-For": client}, source=proxy)

            for n in range(LIMIT):
                self.assertEqual(search("203.0.113.5", n).status, 200, n)
            self.assertEqual(search("203.0.113.5", LIMIT).status, 429)
            # Another visitor behind the same proxy has a limit of its own.
            self.assertEqual(search("203.0.113.6", 0).status, 200)
            # What a client wrote in the header itself sits to the left of what the proxy added.
            self.assertEqual(search("198.51.100.1, 203.0.113.5", 0).status, 429)
            self.assertEqual(search("203.0.113.5, 198.51.100.1", 0).status, 200)
            # A chain of trusted proxies is walked past.
            self.assertEqual(search("203.0.113.5, 10.1.2.3", 0).status, 429)

    def test_anyone_else_cannot_choose_its_address_with_the_header(self):
        with SengenServer("--trusted-proxies", "127.0.0.1") as server:
            registry = Registry(server)
            visitor = registry.fresh_address()
            for n in range(LIMIT):
                reply = registry.request("GET", search_path(name=f"s{n}"),
                                         headers={"X-Forwarded-For": f"203.0.113.{n % 250}"}, source=visitor)
                self.assertEqual(reply.status, 200, n)
            refused = registry.request("GET", search_path(name="s"), headers={"X-Forwarded-For": "198.51.100.77"},
                                       source=visitor)
            self.assertEqual(refused.status, 429)

    def test_a_bad_setting_stops_the_server_with_a_message(self):
        server = SengenServer("--trusted-proxies", "10.0.0.0/33")
        with self.assertRaises(RuntimeError):
            server.__enter__()
        log = server.log()
        server.__exit__(None, None, None)
        self.assertIn("trusted-proxies", log)
        self.assertIn("10.0.0.0/33", log)


if __name__ == "__main__":
    unittest.main()
