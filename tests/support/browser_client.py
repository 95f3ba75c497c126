"""The browser-like HTTP client the black-box suites share: a cookie jar kept the way a browser
keeps it, form posts, and redirects followed on the same server, each request sent from a loopback
address the caller chooses (the registry counts some limits per client address).

Standard library only; tests/support is on the import path of every suite (run_unittest.py).
"""

from __future__ import annotations

import html.parser
import http.client
import urllib.parse

from sengen_server import LOOPBACK, Reply, send


class _Forms(html.parser.HTMLParser):
    """Every form of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.forms[-1]["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"].append((a["name"], ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms(page: str) -> list[dict]:
    f = _Forms()
    f.feed(page)
    return f.forms


def link_form(page: str) -> dict:
    """The form of a page a one-time link shows: the one that carries the token (or, for a link
    mailed before ADR 59, the one that is not the layout's sign-out)."""
    candidates = [f for f in forms(page) if any(k == "token" for k, _ in f["fields"])]
    if not candidates:
        candidates = [f for f in forms(page) if not (f["action"] or "").endswith("/signout")]
    assert len(candidates) == 1, candidates
    return candidates[0]


def token_of(link: str) -> str:
    """The token of a mailed one-time link as a path with its fragment ("/confirm#<token>")."""
    return link.partition("#")[2]


class BrowserClient:
    """One visitor of `server`: its cookies, its Accept-Language and its own source address."""

    def __init__(self, server, lang: str, source: str):
        self.server = server
        self.lang = lang
        self.cookies: dict[str, str] = {}
        self.source = source
        self.headers: dict[str, str] = {}  # sent with every request (a User-Agent, say)

    def request(self, method: str, path: str, fields=None, headers=None) -> Reply:
        assert "#" not in path, f"a browser never sends an address's fragment: {path}"
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

    def open_link(self, link: str, code: str | None = None) -> Reply:
        """Follows a mailed one-time link as a browser does (ADR 59): opens its page without the
        fragment (which a browser never sends), then posts the token to "<page>/view" as
        link-token.js does, or as a person pasting `code` does; the page that the link shows. A
        link without a fragment (mailed before ADR 59, the token in its path) is simply opened."""
        page_path, _, token = link.partition("#")
        if not token and code is None:
            return self.get(link)
        opened = self.get(page_path)
        assert opened.status == 200, (page_path, opened.status, opened.text[:300])
        (form,) = [f for f in forms(opened.text) if f["action"] == page_path + "/view"]
        fields = dict(form["fields"])
        fields["token"] = token if code is None else code
        return self.post(form["action"], fields)

    def submit_link_form(self, page: Reply) -> Reply:
        """Presses the button of the form on a page that a one-time link shows."""
        assert page.status == 200, (page.status, page.text[:300])
        form = link_form(page.text)
        return self.post(form["action"], form["fields"])

    def press_link(self, link: str) -> Reply:
        """Opens a mailed link's page and presses its button, as a person following the link does."""
        return self.submit_link_form(self.open_link(link))

    def follow(self, reply: Reply) -> Reply:
        """Follows redirects, to this server only (the Location's path and query)."""
        while reply.status in (301, 302, 303):
            location = urllib.parse.urlsplit(reply.header("Location"))
            reply = self.get(location.path + ("?" + location.query if location.query else ""))
        return reply
