"""The PDF pool's queue is bounded: a burst of PDF requests larger than the pool and its queue gets
503 at once, with Retry-After and a short page in the visitor's language, while the cheap routes
keep answering; an oversized body on a PDF route is answered 413 before it can take a place in the
queue (the pool's size and --pdf-queue are in docs/operations.md)."""
import re
import socket
import unittest
import urllib.parse

from sengen_server import LOOPBACK, SengenServer, catalogue, html_escape
from toolkit_flow import FIRST, Browser, application, csrf_of, declare, forms

JA = catalogue("ja")
EN = catalogue("en")
BURST = 40


def read_reply(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with Content-Length, read off a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed before the headers")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed before the body")
        body += chunk
    return status, headers, body[:length]


class RenderQueue(unittest.TestCase):
    def burst(self, server, lang, oversized_at=None, others=None):
        """Opens BURST connections, then writes a report request on each as fast as it can, so that
        they all arrive while the first PDFs are still being laid out. Returns the replies in order."""
        b = Browser(server, lang)
        page = b.result(FIRST)
        self.assertEqual(page.status, 200)
        form = next(f for f in forms(page.text) if f["action"] == "/assessment/report.pdf")
        body = urllib.parse.urlencode(list(form["hidden"].items()) + [("business_name", "株式会社テスト")]).encode()
        cookie = "; ".join(f"{k}={v}" for k, v in b.cookies.items())

        def request(payload: bytes) -> bytes:
            return (f"POST /assessment/report.pdf HTTP/1.1\r\nHost: {LOOPBACK}\r\nAccept-Language: {lang}\r\n"
                    f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload

        normal = request(body)
        # Over --max-body-bytes (1024 here) but under the adapter's hard cap.
        big = request(body + b"&pad=" + b"x" * 4096)
        socks = [server.socket(timeout=60) for _ in range(BURST)]
        try:
            for i, s in enumerate(socks):
                s.sendall((others or {}).get(i) or (big if i == oversized_at else normal))
            return [read_reply(s) for s in socks]
        finally:
            for s in socks:
                s.close()

    def test_a_burst_beyond_the_queue_gets_503_with_retry_after_and_cheap_routes_still_answer(self):
        with SengenServer("--threads", "1", "--pdf-queue", "1", "--max-body-bytes", "1024") as server:
            replies = self.burst(server, "ja", oversized_at=BURST // 2)
            statuses = [r[0] for r in replies]
            self.assertEqual(statuses[BURST // 2], 413, "the oversized body was not answered before queueing")
            del replies[BURST // 2]
            made = [r for r in replies if r[0] == 200]
            refused = [r for r in replies if r[0] == 503]
            self.assertEqual(len(made) + len(refused), len(replies), statuses)
            self.assertGreaterEqual(len(made), 1, statuses)
            self.assertGreaterEqual(len(refused), BURST // 2, statuses)
            for _, headers, body in made:
                self.assertEqual(headers["content-type"], "application/pdf")
                self.assertTrue(body.startswith(b"%PDF-"))
            for _, headers, body in refused:
                self.assertEqual(headers["retry-after"], "5")
                self.assertEqual(headers["content-language"], "ja")
                text = body.decode("utf-8")
                self.assertIn(html_escape(JA["error.busy.title"]), text)
                self.assertIn(html_escape(JA["error.busy.body"]), text)
                self.assertLess(len(body), 20000)
            # The refusals are counted, and the cheap routes answer right after the burst.
            metrics = server.get("/metrics").text
            m = re.search(r'^sengen_render_queue_full_total\{route="/assessment/report.pdf"\} (\d+)$', metrics, re.M)
            self.assertIsNotNone(m, "no render-queue counter in /metrics")
            self.assertEqual(int(m.group(1)), len(refused))
            self.assertEqual(server.get("/healthz").status, 200)

    def test_a_policy_pdf_already_made_is_served_while_the_queue_is_full(self):
        with SengenServer("--threads", "1", "--pdf-queue", "0", "--mail-poll-ms", "50") as server:
            address = "queue-policy@example.jp"
            declare(server, application(address))
            b = Browser(server)
            b.sign_in(address)
            location = b.post("/mypage/policies", {"csrf": b.csrf()}).header("Location")
            fields = {"csrf": csrf_of(b.get(location).text), "policy_lang": "ja",
                      "policy_business_name": "株式会社さくら印刷", "policy_assets": "own",
                      "policy_established": "2026-04-01", "policy_representative_title": "代表取締役",
                      "policy_representative_name": "佐藤 花子"}
            self.assertEqual(b.post(location, fields).status, 303)
            self.assertEqual(b.post(location + "/publish", {"csrf": fields["csrf"]}).status, 303)
            slug = server.sql("SELECT slug FROM policies WHERE id = ?", (int(location.rsplit("/", 1)[1]),))[0][0]
            pdf_path = f"/policy/{slug}/1/policy.pdf"
            made = server.get(pdf_path)  # made once, and kept
            self.assertEqual(made.status, 200)
            get = f"GET {pdf_path} HTTP/1.1\r\nHost: {LOOPBACK}\r\n\r\n".encode()
            positions = (BURST // 4, BURST // 2, 3 * BURST // 4, BURST - 1)
            replies = self.burst(server, "ja", others={i: get for i in positions})
            self.assertGreaterEqual(sum(1 for r in replies if r[0] == 503), 1, [r[0] for r in replies])
            for i in positions:
                status, headers, body = replies[i]
                self.assertEqual(status, 200, f"the PDF already made waited for the pool (request {i})")
                self.assertEqual(body, made.body)

    def test_the_busy_page_is_in_english_for_an_english_visitor(self):
        with SengenServer("--threads", "1", "--pdf-queue", "0") as server:
            refused = [r for r in self.burst(server, "en") if r[0] == 503]
            self.assertGreaterEqual(len(refused), 1)
            _, headers, body = refused[0]
            self.assertEqual(headers["content-language"], "en")
            self.assertIn(html_escape(EN["error.busy.title"]), body.decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
