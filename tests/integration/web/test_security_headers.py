"""Every kind of response carries the baseline security headers; HSTS only behind https."""

import unittest

from sengen_server import SengenServer

# An HTML page, a static asset, an error page, the health check, and the one page with a stricter
# policy of its own (/verify/offline: its script may connect nowhere).
PATHS = ["/", "/static/site.css", "/no/such/page", "/healthz", "/verify/offline"]


class SecurityHeaders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)

    def check_baseline(self, reply, path):
        csp = reply.header("Content-Security-Policy")
        self.assertIsNotNone(csp, path)
        self.assertNotIn("unsafe-inline", csp, path)
        self.assertNotIn("unsafe-eval", csp, path)
        directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
        self.assertEqual(directives.get("frame-ancestors"), "frame-ancestors 'none'", path)
        self.assertIn("default-src", directives, path)
        # The least a policy must hold: no plug-ins, and no <base> that could re-point relative URLs.
        self.assertEqual(directives.get("object-src"), "object-src 'none'", path)
        self.assertEqual(directives.get("base-uri"), "base-uri 'none'", path)
        self.assertEqual(reply.header("X-Content-Type-Options"), "nosniff", path)
        # Never the full URL to another site: at most the origin, and only over https.
        self.assertIn(reply.header("Referrer-Policy"),
                      ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"), path)

    def test_html_static_error_and_health_responses_all_carry_the_security_headers(self):
        statuses = {}
        for path in PATHS:
            reply = self.server.get(path)
            statuses[path] = reply.status
            self.check_baseline(reply, path)
        self.assertEqual(statuses, {"/": 200, "/static/site.css": 200, "/no/such/page": 404, "/healthz": 200,
                                    "/verify/offline": 200})

    def test_pages_and_errors_are_not_stored_by_browsers_or_caches(self):
        # A form page (it holds a session's CSRF token), the home page and an error page.
        for path in ("/signin", "/", "/no/such/page"):
            self.assertEqual(self.server.get(path).header("Cache-Control"), "no-store", path)

    def test_no_hsts_is_sent_when_the_base_url_is_http(self):
        for path in PATHS:
            self.assertIsNone(self.server.get(path).header("Strict-Transport-Security"), path)


class SecurityHeadersBehindHttps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer(base_url="https://example.test").start()
        cls.addClassCleanup(cls.server.close)

    def test_hsts_is_sent_on_every_response_when_the_base_url_is_https(self):
        for path in PATHS:
            reply = self.server.get(path)
            hsts = reply.header("Strict-Transport-Security")
            self.assertIsNotNone(hsts, path)
            directives = [d.strip().lower() for d in hsts.split(";")]
            max_age = [int(d.split("=", 1)[1]) for d in directives if d.startswith("max-age=")]
            self.assertEqual(len(max_age), 1, hsts)
            self.assertGreaterEqual(max_age[0], 365 * 24 * 3600, path)
            self.assertIn("includesubdomains", directives, path)
            self.assertNotIn("unsafe-inline", reply.header("Content-Security-Policy"), path)


if __name__ == "__main__":
    unittest.main()
