"""A PDF is made off the event loop: with one thread, requests on other connections are answered
while a report is still being laid out, and the report still arrives whole (ADR 25)."""
import http.client
import select
import unittest
import urllib.parse

from sengen_server import LOOPBACK, SengenServer
from toolkit_flow import FIRST, Browser, forms


class SlowRoutes(unittest.TestCase):
    def test_other_requests_are_answered_while_a_pdf_is_being_made(self):
        with SengenServer("--threads", "1") as server:
            b = Browser(server)
            page = b.result(FIRST)
            self.assertEqual(page.status, 200)
            form = next(f for f in forms(page.text) if f["action"] == "/assessment/report.pdf")
            body = urllib.parse.urlencode(list(form["hidden"].items()) + [("business_name", "株式会社テスト")])
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "ja",
                       "Cookie": "; ".join(f"{k}={v}" for k, v in b.cookies.items())}

            pdf = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
            pdf.request("POST", "/assessment/report.pdf", body=body.encode("utf-8"), headers=headers)
            # The report takes tenths of a second to lay out; a health check takes about a millisecond.
            for _ in range(3):
                self.assertEqual(server.get("/healthz").status, 200)
            pending, _, _ = select.select([pdf.sock], [], [], 0)
            self.assertEqual(pending, [], "the health checks waited for the PDF")

            reply = pdf.getresponse()
            data = reply.read()
            pdf.close()
            self.assertEqual(reply.status, 200)
            self.assertEqual(reply.getheader("Content-Type"), "application/pdf")
            self.assertTrue(data.startswith(b"%PDF-"))
            self.assertEqual(int(reply.getheader("Content-Length")), len(data))


if __name__ == "__main__":
    unittest.main()
