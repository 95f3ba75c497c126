"""Starts the real sengen binary on a free loopback port with a throwaway SQLite database and
file mail, and talks HTTP to it with a cookie jar. Standard library only."""
import html.parser
import http.cookiejar
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from ports import free_port  # noqa: E402
from sengen_server import sanitizer_report  # noqa: E402


class Server:
    def __init__(self, binary):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="sengen-assessment-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        os.makedirs(os.path.join(self.dir, "mail"))
        self.log = open(os.path.join(self.dir, "server.log"), "wb")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--db", "sqlite:" + os.path.join(self.dir, "sengen.db"),
             "--mail", "file:" + os.path.join(self.dir, "mail")],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("sengen exited at start-up:\n" + self.read_log())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("sengen did not answer /healthz:\n" + self.read_log())
            time.sleep(0.1)

    def read_log(self):
        self.log.flush()
        with open(os.path.join(self.dir, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        """SIGTERM, so that a sanitized build checks for leaks on the way out; raises on a
        sanitizer's report in the log."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        report = sanitizer_report(self.read_log())
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        if report:
            raise AssertionError("sengen's sanitizer report:\n" + report)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def header(self, name):
        return self.headers.get(name)


class Client:
    """A browser-like client: keeps cookies, sends a language preference."""

    def __init__(self, server, lang="ja"):
        self.server = server
        self.lang = lang
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, body=None, headers=None):
        h = {"Accept-Language": self.lang}
        h.update(headers or {})
        req = urllib.request.Request(self.server.base + path, data=body, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=30) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode("utf-8")
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path, raw_body):
        return self.request("POST", path, raw_body, {"Content-Type": "application/json"})

    def cookie(self, name):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None


class FormReader(html.parser.HTMLParser):
    """Collects the forms of a page: action, hidden inputs, checked radios, text inputs."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "form":
            self.forms.append({"action": a.get("action"), "hidden": [], "checked": {}, "text": {}, "buttons": []})
        elif tag == "input" and self.forms:
            f = self.forms[-1]
            kind = a.get("type", "text")
            if kind == "hidden":
                f["hidden"].append((a.get("name"), a.get("value", "")))
            elif kind == "radio" and "checked" in a:
                f["checked"][a.get("name")] = a.get("value")
            elif kind == "text":
                f["text"][a.get("name")] = a.get("value", "")
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(a.get("formaction") or self.forms[-1]["action"])


def read_forms(page_html):
    r = FormReader()
    r.feed(page_html)
    return r
