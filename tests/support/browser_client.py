"""The browser-like HTTP client the black-box suites share: a cookie jar kept the way a browser
keeps it, form posts, and redirects followed on the same server, each request sent from a loopback
address the caller chooses (the registry counts some limits per client address).

Standard library only; tests/support is on the import path of every suite (run_unittest.py).
"""

from __future__ import annotations

import http.client
import urllib.parse

from sengen_server import LOOPBACK, Reply, send


class BrowserClient:
    """One visitor of `server`: its cookies, its Accept-Language and its own source address."""

    def __init__(self, server, lang: str, source: str):
        self.server = server
        self.lang = lang
        self.cookies: dict[str, str] = {}
        self.source = source
        self.headers: dict[str, str] = {}  # sent with every request (a User-Agent, say)

    def request(self, method: str, path: str, fields=None, headers=None) -> Reply:
        h = {"Accept-Language": self.lang, **self.headers}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode("utf-8")
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=30, source_address=(self.source, 0))
        try:
            reply = send(conn, method, path, h, body)
        finally:
            conn.close()
        for header in reply.all("Set-Cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            # An expired or emptied cookie is one the browser forgets.
            if "Max-Age=0" in header or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return reply

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, fields) -> Reply:
        return self.request("POST", path, list(fields.items()) if isinstance(fields, dict) else list(fields))

    def follow(self, reply: Reply) -> Reply:
        """Follows redirects, to this server only (the Location's path and query)."""
        while reply.status in (301, 302, 303):
            location = urllib.parse.urlsplit(reply.header("Location"))
            reply = self.get(location.path + ("?" + location.query if location.query else ""))
        return reply
