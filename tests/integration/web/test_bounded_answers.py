"""Every answer is bounded: a request with a huge number of problems gets a short list of them,
an over-long request line or header block gets a short 414 or 431 page (not a closed connection),
and the server's memory after a hostile run is back near where it started."""

import json
import os
import socket
import unittest

from sengen_server import SengenServer

# Well above the default max-body-bytes, so that the size of the body is not what stops these.
MAX_BODY = 8 * 1024 * 1024
# What an error answer may weigh at most: a few dozen problems with their messages.
SHORT = 16 * 1024
MAX_LISTED = 50


def unknown_keys(n: int, first: int = 1000) -> bytes:
    answers = ",".join('"%d":"yes"' % k for k in range(first, first + n))
    return ('{"answers":{%s}}' % answers).encode()


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def raw_exchange(server: SengenServer, request: bytes) -> bytes:
    """Sends `request` and reads the answer until the server closes the connection or one whole
    answer (by its Content-Length) has come."""
    with server.socket() as s:
        s.sendall(request)
        s.settimeout(10)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:") and len(body) >= int(line.split(b":")[1]):
                        return data
    return data


class BoundedAnswers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--max-body-bytes", str(MAX_BODY), "--rate-limit-factor", "1000").start()
        cls.addClassCleanup(cls.server.close)

    def score(self, body: bytes):
        return self.server.request("POST", "/api/v1/assessments/score", body=body,
                                   headers={"Content-Type": "application/json"}, timeout=60)

    def test_100000_unknown_keys_get_a_short_answer(self):
        r = self.score(unknown_keys(100_000))
        self.assertEqual(r.status, 422)
        self.assertLess(len(r.body), SHORT)
        problem = json.loads(r.body)
        self.assertLessEqual(len(problem["errors"]), MAX_LISTED)
        self.assertEqual(problem["errors"][0]["field"], "body")
        self.assertEqual(problem["errors"][0]["code"], "too_many_items")

    def test_hundreds_of_problems_are_named_up_to_the_cap_and_the_rest_counted(self):
        r = self.score(unknown_keys(500))
        self.assertEqual(r.status, 422)
        self.assertLess(len(r.body), SHORT)
        problem = json.loads(r.body)
        self.assertEqual(len(problem["errors"]), MAX_LISTED)
        # In question order: the 25 unanswered questions first, then the first unknown keys.
        self.assertEqual([e["code"] for e in problem["errors"]], ["required"] * 25 + ["unknown_question"] * 25)
        self.assertEqual(problem["errors"][0]["field"], "answers.1")
        self.assertEqual(problem["errors_not_listed"], 500 + 25 - MAX_LISTED)

    def test_a_few_problems_are_all_named_without_a_count(self):
        r = self.score(b'{"answers":{"1":"maybe","x":"yes"}}')
        self.assertEqual(r.status, 422)
        problem = json.loads(r.body)
        self.assertEqual(len(problem["errors"]), 2 + 24)
        self.assertNotIn("errors_not_listed", problem)

    def test_a_long_application_list_gets_a_short_answer(self):
        body = json.dumps({"purposes": ["x"] * 100_000}).encode()
        r = self.server.request("POST", "/api/v1/applications", body=body, headers={"Content-Type": "application/json"},
                                timeout=60)
        self.assertEqual(r.status, 422)
        self.assertLess(len(r.body), SHORT)
        self.assertEqual(json.loads(r.body)["errors"][0]["code"], "too_many_items")

    def test_an_over_long_request_line_gets_414_with_a_short_page(self):
        for path, kind in (("/verify?q=" + "a" * 10_000, "text/html"),
                           ("/api/v1/declarations/" + "1" * 10_000, "application/problem+json")):
            data = raw_exchange(self.server, b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertRegex(data, rb"^HTTP/1\.1 414 ", path[:30])
            head, _, body = data.partition(b"\r\n\r\n")
            self.assertIn(kind.encode(), head)
            self.assertLess(len(body), SHORT)
        r = self.server.get("/api/v1/declarations/" + "1" * 10_000)
        self.assertEqual(json.loads(r.body)["type"], "/problems/uri-too-long")
        # Just under the limit is still served.
        self.assertEqual(self.server.get("/healthz?" + "a" * 8000).status, 200)

    def test_an_over_large_header_block_gets_431_with_a_short_page(self):
        cases = {
            "one long value": b"X-Big: " + b"a" * 20 * 1024 + b"\r\n",
            "many fields": b"".join(b"X-H%d: v\r\n" % i for i in range(150)),
            "a large block": b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 2000) for i in range(20)),
            "a long cookie": b"Cookie: a=" + b"c" * 17 * 1024 + b"\r\n",
        }
        for name, headers in cases.items():
            data = raw_exchange(self.server, b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
            self.assertRegex(data, rb"^HTTP/1\.1 431 ", name)
            self.assertLess(len(data.partition(b"\r\n\r\n")[2]), SHORT, name)
        ja = self.server.get("/", headers={"X-Big": "a" * 20 * 1024, "Accept-Language": "ja"})
        self.assertEqual(ja.status, 431)
        self.assertIn("Cookie", ja.text)
        api = self.server.get("/api/v1/declarations/10000000016", headers={"X-Big": "a" * 20 * 1024})
        self.assertEqual(json.loads(api.body)["type"], "/problems/request-header-fields-too-large")
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_memory_after_a_hostile_run_returns_near_where_it_started(self):
        pid = self.server.proc.pid
        # Warm up: the first requests of each kind load what stays loaded (catalogues, pages).
        for _ in range(3):
            self.score(unknown_keys(30))
            self.server.get("/verify?q=" + "a" * 100)
        before = rss_kib(pid)
        hostile = unknown_keys(100_000)
        for _ in range(10):
            self.assertEqual(self.score(hostile).status, 422)
        for _ in range(20):
            self.assertEqual(self.score(unknown_keys(900)).status, 422)
        after = rss_kib(pid)
        self.assertLess(after - before, 24 * 1024, f"RSS grew from {before} KiB to {after} KiB")


if __name__ == "__main__":
    unittest.main()
