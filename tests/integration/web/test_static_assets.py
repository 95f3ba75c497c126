"""Static assets: cacheable with validators, conditional requests, HEAD, unknown names."""

import re
import unittest

from sengen_server import SengenServer, SOURCE_DIR


class StaticAssets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer().start()
        cls.addClassCleanup(cls.server.close)

    def test_the_stylesheet_is_served_with_an_etag_and_cache_control(self):
        reply = self.server.get("/static/site.css")
        self.assertEqual(reply.status, 200)
        self.assertTrue(reply.header("Content-Type").startswith("text/css"))
        self.assertRegex(reply.header("ETag"), r'^(W/)?"[^"]+"$')
        self.assertRegex(reply.header("Cache-Control"), r"max-age=\d+")
        self.assertEqual(reply.body, (SOURCE_DIR / "src/web/static/site.css").read_bytes())
        self.assertEqual(int(reply.header("Content-Length")), len(reply.body))

    def test_if_none_match_with_the_current_etag_gets_304_without_a_body(self):
        etag = self.server.get("/static/site.css").header("ETag")
        full_length = len(self.server.get("/static/site.css").body)
        with self.server.socket() as s:
            s.sendall(b"GET /static/site.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag.encode() +
                      b"\r\nConnection: close\r\n\r\n")
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertRegex(head, rb"^HTTP/1\.1 304 ")
        self.assertEqual(body, b"")
        self.assertIn(b"ETag: " + etag.encode(), head)
        # A 304 may state a length only if it is that of the full response (RFC 9110 §8.6).
        length = re.search(rb"(?im)^content-length: *(\d+)", head)
        if length:
            self.assertEqual(int(length.group(1)), full_length)

    def test_a_stale_etag_gets_the_full_asset(self):
        reply = self.server.get("/static/site.css", {"If-None-Match": '"not-the-etag"'})
        self.assertEqual(reply.status, 200)
        self.assertGreater(len(reply.body), 0)

    def test_a_304_keeps_the_connection_usable_for_the_next_request(self):
        etag = self.server.get("/static/site.css").header("ETag")
        conn = self.server.connection()
        try:
            conn.request("GET", "/static/site.css", headers={"If-None-Match": etag})
            first = conn.getresponse()
            self.assertEqual((first.status, first.read()), (304, b""))
            conn.request("GET", "/healthz")
            self.assertEqual(conn.getresponse().read(), b"ok\n")
        finally:
            conn.close()

    def test_head_states_the_length_of_the_get_body_and_sends_none(self):
        for path in ("/static/site.css", "/", "/no/such/page"):
            with self.subTest(path=path):
                get = self.server.get(path)
                head = self.server.request("HEAD", path)
                self.assertEqual(head.status, get.status)
                self.assertEqual(head.body, b"")
                self.assertEqual(int(head.header("Content-Length")), len(get.body))

    def test_an_unknown_asset_gets_404(self):
        for path in ("/static/nope.css", "/static/", "/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
                     "/.git/config", "/static/.git/HEAD"):
            with self.subTest(path=path):
                self.assertEqual(self.server.get(path).status, 404)

    def test_the_pages_link_the_stylesheet_with_a_version_so_it_can_be_cached(self):
        page = self.server.get("/").text
        m = re.search(r'href="(/static/site\.css\?v=[0-9a-f]+)"', page)
        self.assertIsNotNone(m)
        self.assertEqual(self.server.get(m.group(1)).status, 200)

    def test_the_favicon_and_robots_txt_are_served(self):
        self.assertEqual(self.server.get("/static/favicon.svg").header("Content-Type"), "image/svg+xml")
        self.assertEqual(self.server.get("/robots.txt").status, 200)


    def test_the_scripts_are_four_fixed_files_that_run_no_text_and_store_nothing(self):
        # What docs/security.md says of the browser side (V1.3.2, V3.5.5, V14.3.3, V15.3.6) holds
        # only while this stays so: four small script files (the copy button beside an ID, the
        # language switch following the form being filled in on pages with one form per item, the
        # offline check of a signed statement, and the page a mailed link opens, which posts the
        # token from the fragment, ADR 59), no inline script, no string run as code, no message
        # listener, nothing kept in the browser's storage. The switch's script is loaded only where
        # the switch is a form's button, the offline check and the link's script only on their pages.
        scripts = sorted(p.name for p in (SOURCE_DIR / "src/web/static").glob("*.js"))
        self.assertEqual(scripts, ["copy-id.js", "lang-switch.js", "link-token.js", "verify-offline.js"])
        for path, loaded in (("/", ["copy-id.js"]), ("/signin", ["copy-id.js", "lang-switch.js"]),
                             ("/verify/offline", ["copy-id.js", "verify-offline.js"]),
                             ("/confirm", ["copy-id.js", "lang-switch.js", "link-token.js"])):
            page = self.server.get(path)
            version = re.search(r"/static/site\.css\?v=([0-9a-f]+)", page.text).group(1)
            self.assertEqual(re.findall(r"<script\b[^>]*>", page.text),
                             [f'<script src="/static/{name}?v={version}" defer>' for name in loaded], path)
        for name in scripts:
            script = self.server.get("/static/" + name)
            self.assertEqual(script.status, 200)
            self.assertTrue(script.header("Content-Type").startswith("text/javascript"), script.header("Content-Type"))
            code = script.body.decode("utf-8")
            for banned in ("eval(", "Function(", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                           "localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches.",
                           "postMessage", "'message'", '"message"', "__proto__", "prototype"):
                self.assertNotIn(banned, code, f"{name}: {banned}")
            # A timer is given a function, never a string of code.
            self.assertNotRegex(code, r"setTimeout\(\s*['\"]")

    def test_the_offline_check_may_connect_nowhere(self):
        # /verify/offline handles what a visitor pasted: its policy lets no script send a request
        # (connect-src 'none'), where every other page allows 'self'.
        for path, connect in (("/verify/offline", "connect-src 'none'"), ("/verify", "connect-src 'self'")):
            csp = self.server.get(path).header("Content-Security-Policy")
            directives = [d.strip() for d in csp.split(";")]
            self.assertIn(connect, directives, path)
            self.assertIn("script-src 'self'", directives, path)
            self.assertNotIn("unsafe-inline", csp, path)


if __name__ == "__main__":
    unittest.main()
