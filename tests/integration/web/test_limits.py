"""Limits that protect the server from clients: oversized headers, slow senders, idle
keep-alive connections. Run with --read-timeout 1."""

import socket
import time
import unittest

from sengen_server import SengenServer

READ_TIMEOUT = 1.0
# The longest we wait for the server to drop a connection it should drop after READ_TIMEOUT.
DEADLINE = 5.0


def read_until_closed(s: socket.socket, limit: float) -> tuple[bytes, float]:
    """Reads until the peer closes the connection (or resets it); returns what came and when
    the close was seen, in seconds from the call. Fails the caller by returning limit+ on a
    socket that is still open after `limit` seconds."""
    start = time.monotonic()
    s.settimeout(limit)
    data = b""
    try:
        while chunk := s.recv(65536):
            data += chunk
    except socket.timeout:
        return data, float("inf")
    except ConnectionResetError:
        pass
    return data, time.monotonic() - start


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--read-timeout", str(int(READ_TIMEOUT))).start()
        cls.addClassCleanup(cls.server.close)

    def test_a_20_kb_header_is_refused_and_the_server_keeps_answering(self):
        with self.server.socket() as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20 * 1024 + b"\r\n\r\n")
            data, took = read_until_closed(s, DEADLINE)
        self.assertLess(took, DEADLINE, "the connection stayed open")
        if data:  # a response is allowed, but only a refusal
            self.assertRegex(data, rb"^HTTP/1\.1 4\d\d ")
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_many_headers_are_refused_and_the_server_keeps_answering(self):
        headers = b"".join(b"X-H%d: v\r\n" % i for i in range(500))
        with self.server.socket() as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
            data, took = read_until_closed(s, DEADLINE)
        self.assertLess(took, DEADLINE)
        if data:
            self.assertRegex(data, rb"^HTTP/1\.1 4\d\d ")
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_a_client_that_sends_half_a_request_and_stalls_is_disconnected_after_the_read_timeout(self):
        with self.server.socket() as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            data, took = read_until_closed(s, DEADLINE)
        self.assertEqual(data, b"")
        self.assertGreaterEqual(took, READ_TIMEOUT * 0.8)
        self.assertLess(took, DEADLINE)

    def test_a_client_that_trickles_a_request_byte_by_byte_is_disconnected_after_the_read_timeout(self):
        # The limit is on the whole request, not on the gap between bytes.
        request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
        start = time.monotonic()
        closed_after = None
        with self.server.socket() as s:
            for byte in request:
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    closed_after = time.monotonic() - start
                    break
                s.settimeout(0.2)
                try:
                    if s.recv(1) == b"":
                        closed_after = time.monotonic() - start
                        break
                except socket.timeout:
                    pass
                if time.monotonic() - start > DEADLINE:
                    break
        self.assertIsNotNone(closed_after, "a trickling client was never disconnected")
        self.assertLess(closed_after, DEADLINE)

    def test_an_idle_keep_alive_connection_is_closed_after_the_read_timeout(self):
        with self.server.socket() as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(DEADLINE)
            first = s.recv(65536)
            self.assertRegex(first, rb"^HTTP/1\.1 200 ")
            self.assertIn(b"keep-alive", first.lower())
            data, took = read_until_closed(s, DEADLINE)
        self.assertEqual(data, b"")
        self.assertGreaterEqual(took, READ_TIMEOUT * 0.8)
        self.assertLess(took, DEADLINE)

    def test_a_keep_alive_connection_serves_several_requests_in_a_row(self):
        conn = self.server.connection()
        try:
            for _ in range(3):
                conn.request("GET", "/healthz")
                self.assertEqual(conn.getresponse().read(), b"ok\n")
        finally:
            conn.close()


    # Request smuggling: a request whose length two headers give two ways must not be read one
    # way here and another by a proxy in front. It is refused or the connection is dropped, and
    # whatever follows it on the connection is never answered as a request of its own.
    def assert_refused_and_nothing_smuggled(self, request: bytes):
        smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        with self.server.socket() as s:
            s.sendall(request + smuggled)
            data, took = read_until_closed(s, DEADLINE)
        self.assertLess(took, DEADLINE, "the connection stayed open")
        self.assertLessEqual(data.count(b"HTTP/1.1 "), 1, data)
        if data:
            self.assertRegex(data, rb"^HTTP/1\.1 4\d\d ")
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_content_length_beside_transfer_encoding_is_refused_and_nothing_behind_it_is_answered(self):
        self.assert_refused_and_nothing_smuggled(
            b"POST /api/v1/assessments/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")

    def test_two_different_content_lengths_are_refused_and_nothing_behind_them_is_answered(self):
        self.assert_refused_and_nothing_smuggled(
            b"POST /api/v1/assessments/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}")

if __name__ == "__main__":
    unittest.main()
