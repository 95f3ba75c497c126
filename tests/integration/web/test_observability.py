"""The access log, health and readiness checks, and Prometheus metrics."""

import datetime
import os
import re
import tempfile
import time
import unittest
from pathlib import Path

from browser_client import BrowserClient
from sengen_server import LOOPBACK, SengenServer, csrf_token_for

ACCESS_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<route>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d{3})ms$")
# One sample line of the Prometheus text exposition format (0.0.4).
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? '
                    r"(-?[0-9.e+-]+|\+Inf|NaN)$")


def parse_access(lines):
    out = []
    for line in lines:
        m = ACCESS_LINE.match(line)
        if m is None:
            raise AssertionError(f"malformed access-log line: {line!r}")
        out.append(m.groupdict())
    return out


class AccessLog(unittest.TestCase):
    def setUp(self):
        self.server = SengenServer()
        self.addCleanup(self.server.close)
        self.server.start()

    def test_each_request_writes_one_line_with_method_route_pattern_status_and_duration(self):
        before = len(self.server.access_lines())
        self.server.get("/")
        self.server.get("/static/site.css")
        self.server.get("/no/such/page")
        self.server.request("HEAD", "/healthz")
        self.server.request("POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, "a=b")
        self.server.get("/lang/en?next=/")
        lines = parse_access(self.server.access_lines()[before:])
        got = [(l["method"], l["route"], l["status"]) for l in lines]
        self.assertEqual(got, [
            ("GET", "/", "200"),
            ("GET", "/static/{file...}", "200"),
            ("GET", "unmatched", "404"),
            ("HEAD", "/healthz", "200"),
            ("POST", "/", "403"),
            ("GET", "/lang/{code}", "303"),
        ])

    def test_the_query_string_never_reaches_the_log(self):
        self.server.get("/?token=SECRET123&email=someone%40example.jp")
        self.server.get("/no/such/page?token=SECRET123")
        self.server.get("/lang/en?next=/x%3Ftoken%3DSECRET123")
        log = self.server.log()
        for leaked in ("SECRET123", "token=", "someone", "?"):
            self.assertNotIn(leaked, "\n".join(self.server.access_lines()), leaked)
        self.assertNotIn("SECRET123", log)
        self.assertNotIn("someone", log)

    def test_path_parameters_stay_out_of_the_log_behind_the_route_pattern(self):
        self.server.get("/static/SECRET123.css")
        self.server.get("/SECRET123")
        self.assertNotIn("SECRET123", self.server.log())

    def test_cookies_tokens_and_bodies_never_reach_the_log(self):
        token = self.server.add_session()
        csrf = csrf_token_for(token)
        self.server.request("POST", "/", {"Content-Type": "application/x-www-form-urlencoded",
                                          "Cookie": f"sengen_session={token}", "X-CSRF-Token": "wrong"},
                            f"csrf=bad&password=SECRET123")
        self.server.request("POST", "/", {"Content-Type": "application/x-www-form-urlencoded",
                                          "Cookie": f"sengen_session={token}"}, f"csrf={csrf}&password=SECRET123")
        log = self.server.log()
        for secret in (token, csrf, "SECRET123"):
            self.assertNotIn(secret, log)


class Operations(unittest.TestCase):
    def setUp(self):
        self.server = SengenServer()
        self.addCleanup(self.server.close)
        self.server.start()

    def test_healthz_answers_200_ok(self):
        reply = self.server.get("/healthz")
        self.assertEqual((reply.status, reply.text.strip()), (200, "ok"))
        self.assertTrue(reply.header("Content-Type").startswith("text/plain"))

    def test_readyz_answers_200_when_the_database_is_reachable(self):
        reply = self.server.get("/readyz")
        self.assertEqual(reply.status, 200)

    def metrics(self):
        reply = self.server.get("/metrics")
        self.assertEqual(reply.status, 200)
        self.assertTrue(reply.header("Content-Type").startswith("text/plain; version=0.0.4"))
        samples = {}
        for line in reply.text.splitlines():
            if not line or line.startswith("#"):
                continue
            self.assertRegex(line, SAMPLE)
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
        return reply.text, samples

    def test_metrics_count_requests_by_route_method_and_status(self):
        for _ in range(7):
            self.server.get("/")
        for _ in range(2):
            self.server.get("/no/such/page")
        _, samples = self.metrics()
        self.assertEqual(samples['sengen_http_requests_total{route="/",method="GET",status="200"}'], 7)
        self.assertEqual(samples['sengen_http_requests_total{route="unmatched",method="GET",status="404"}'], 2)
        for _ in range(3):
            self.server.get("/")
        _, samples = self.metrics()
        self.assertEqual(samples['sengen_http_requests_total{route="/",method="GET",status="200"}'], 10)

    def test_metrics_have_a_latency_histogram_with_buckets_sum_and_count(self):
        for _ in range(5):
            self.server.get("/")
        text, samples = self.metrics()
        self.assertIn("# TYPE sengen_http_request_duration_seconds histogram", text)
        buckets = [(k, v) for k, v in samples.items()
                   if k.startswith('sengen_http_request_duration_seconds_bucket{route="/",')]
        self.assertGreaterEqual(len(buckets), 2)
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts), "bucket counts must be cumulative")
        self.assertEqual(samples['sengen_http_request_duration_seconds_bucket{route="/",le="+Inf"}'], 5)
        self.assertEqual(samples['sengen_http_request_duration_seconds_count{route="/"}'], 5)
        self.assertGreater(samples['sengen_http_request_duration_seconds_sum{route="/"}'], 0)


class MetricsExposure(unittest.TestCase):
    """/metrics is for the operator's scraper, not for whoever reaches the node (ADR 43)."""

    TOKEN = "m" * 40

    def test_without_a_token_only_a_loopback_client_that_no_proxy_forwarded_reads_the_metrics(self):
        with SengenServer("--trusted-proxies", "127.0.0.0/8") as server:
            self.assertEqual(server.get("/metrics").status, 200)
            # Through a proxy on this machine: a visitor's request, wherever the visitor is.
            for headers in ({"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "127.0.0.1"},
                            {"Forwarded": "for=127.0.0.1"}):
                reply = server.get("/metrics", headers)
                self.assertEqual(reply.status, 404, headers)
                self.assertNotIn("sengen_http_requests_total", reply.text)
            self.assertIn("security event=access.refused what=metrics method=GET route=/metrics client=203.0.113.0/24",
                          server.log())

    def test_with_a_token_the_metrics_need_it_from_any_client(self):
        with SengenServer("--trusted-proxies", "127.0.0.0/8", env={"SENGEN_METRICS_TOKEN": self.TOKEN}) as server:
            self.assertEqual(server.get("/metrics").status, 404)
            self.assertEqual(server.get("/metrics", {"Authorization": "Bearer " + "x" * 40}).status, 404)
            self.assertEqual(server.get("/metrics", {"Authorization": self.TOKEN}).status, 404)
            reply = server.get("/metrics", {"Authorization": "Bearer " + self.TOKEN,
                                            "X-Forwarded-For": "203.0.113.9"})
            self.assertEqual(reply.status, 200)
            self.assertIn("sengen_http_requests_total", reply.text)
            self.assertNotIn(self.TOKEN, server.log())

    def test_a_short_token_stops_the_start_without_showing_it(self):
        server = SengenServer(env={"SENGEN_METRICS_TOKEN": "short-secret"})
        self.addCleanup(server.close)
        with self.assertRaises(RuntimeError):
            server.start()
        self.assertIn("metrics-token", server.log())
        self.assertNotIn("short-secret", server.log())



class LogTime(unittest.TestCase):
    def test_every_log_line_starts_with_its_time_in_utc_marked_z_whatever_the_machine_zone(self):
        # docs/operations.md (Logs) and docs/security.md (V16.2.2): a line's time is UTC and says so,
        # so lines from nodes in different zones sort together. TZ puts the process nine hours ahead.
        server = SengenServer(env={"TZ": "JST-9"})
        self.addCleanup(server.close)
        before = datetime.datetime.now(datetime.timezone.utc)
        server.start()
        server.get("/")
        server.get("/no/such/page")
        after = datetime.datetime.now(datetime.timezone.utc)
        lines = [l for l in server.log().splitlines() if l]
        self.assertTrue(any(" access " in l for l in lines))
        stamp = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})Z ")
        for line in lines:
            m = stamp.match(line)
            self.assertIsNotNone(m, f"log line without a UTC time: {line!r}")
            at = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc)
            self.assertLessEqual(before - datetime.timedelta(seconds=2), at)
            self.assertLessEqual(at, after + datetime.timedelta(seconds=2))


class WhereItWrites(unittest.TestCase):
    def test_a_busy_server_writes_only_to_its_log_stream_its_database_and_its_mail_directory(self):
        # docs/operations.md (Logs) and docs/security.md (V16.2.3): log lines go to standard error
        # and audit events to the database, nowhere else. HOME and TMPDIR are empty directories of
        # their own, so that a file written there would show.
        with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as tmp:
            server = SengenServer("--mail-poll-ms", "50", env={"HOME": home, "TMPDIR": tmp})
            self.addCleanup(server.close)
            server.start()
            browser = BrowserClient(server, "ja", LOOPBACK)
            page = browser.get("/signin")
            self.assertEqual(page.status, 200)
            token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            signin = browser.post("/signin", {"csrf": token, "email": "where-it-writes@example.jp"})
            self.assertEqual(signin.status, 200, signin.text[:300])
            server.get("/no/such/page")
            server.get("/verify/10000000000")
            server.get("/api/v1/declarations/1")
            deadline = time.monotonic() + 10
            while not list(server.mail_dir.glob("*.eml")) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(list(server.mail_dir.glob("*.eml")))
            # What the process holds open: sockets, pipes and its own files only.
            allowed = (str(server.dir), "/dev/", "socket:", "pipe:", "anon_inode:")
            fd_dir = Path(f"/proc/{server.proc.pid}/fd")
            opened = {os.readlink(fd_dir / fd) for fd in os.listdir(fd_dir) if (fd_dir / fd).exists()}
            self.assertEqual({t for t in opened if not t.startswith(allowed)}, set())
            self.assertEqual(server.stop(), 0)
            self.assertEqual(os.listdir(home), [])
            self.assertEqual(os.listdir(tmp), [])
            own = {p.name for p in server.dir.iterdir()}
            self.assertEqual(own - {"db.sqlite", "db.sqlite-wal", "db.sqlite-shm", "db.sqlite-journal"},
                             {"mail", "stderr.log"})

if __name__ == "__main__":
    unittest.main()
