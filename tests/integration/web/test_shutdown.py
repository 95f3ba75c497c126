"""Graceful shutdown: on SIGTERM or SIGINT the server stops accepting, finishes what it has
started, exits 0, and no client ever receives a cut-off response."""

import http.client
import signal
import socket
import subprocess
import threading
import time
import unittest

from sengen_server import LOOPBACK, SengenServer, port_accepts

GRACE = 5
CLIENTS = 6
REQUESTS_PER_CLIENT = 400  # bounded: the clients stop by themselves even if the server never does


class Client(threading.Thread):
    """Sends requests on keep-alive connections (a new one when the old one closes) until its
    budget is spent or the server refuses it; records every response it got."""

    def __init__(self, server: SengenServer, path: str):
        super().__init__(daemon=True)
        self.server, self.path = server, path
        self.complete = 0
        self.problems: list[str] = []
        self.refused = False

    def run(self):
        conn = None
        for _ in range(REQUESTS_PER_CLIENT):
            try:
                if conn is None:
                    conn = self.server.connection(timeout=10)
                conn.request("GET", self.path)
                resp = conn.getresponse()
            except (ConnectionRefusedError, http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError) as e:
                # No response started: the server was closing this connection or had closed
                # its socket. Try once more on a new connection; a refusal ends this client.
                if conn is not None:
                    conn.close()
                    conn = None
                if isinstance(e, ConnectionRefusedError):
                    self.refused = True
                    return
                continue
            except OSError as e:
                self.problems.append(f"error before a response: {e!r}")
                return
            # A response has started: it must arrive whole.
            try:
                body = resp.read()
            except (http.client.IncompleteRead, OSError) as e:
                self.problems.append(f"cut-off response: {e!r}")
                return
            expected = resp.getheader("Content-Length")
            if resp.status != 200 or expected is None or int(expected) != len(body):
                self.problems.append(f"bad response: {resp.status} {expected} {len(body)}")
                return
            self.complete += 1
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        if conn is not None:
            conn.close()


class GracefulShutdown(unittest.TestCase):
    def stop_under_load(self, sig):
        server = SengenServer("--shutdown-grace", str(GRACE), "--threads", "2")
        self.addCleanup(server.close)
        server.start()
        clients = [Client(server, "/" if i % 2 else "/static/site.css") for i in range(CLIENTS)]
        for c in clients:
            c.start()
        # Let the load build up.
        deadline = time.monotonic() + 10
        while sum(c.complete for c in clients) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertGreaterEqual(sum(c.complete for c in clients), 100, "the clients never got going")

        sent_at = time.monotonic()
        server.send_signal(sig)
        try:
            status = server.wait(timeout=GRACE + 2)
        except subprocess.TimeoutExpired:
            self.fail(f"still running {GRACE + 2}s after the signal")
        took = time.monotonic() - sent_at
        for c in clients:
            c.join(timeout=30)
            self.assertFalse(c.is_alive(), "a client hung")

        self.assertEqual(status, 0, server.log())
        self.assertLess(took, GRACE + 1)
        self.assertEqual([p for c in clients for p in c.problems], [])
        self.assertFalse(port_accepts(server.port), "the port still accepts connections")
        self.assertIn("stopped", server.log())
        return clients

    def test_sigterm_under_load_exits_0_within_the_grace_period_and_no_response_is_cut_off(self):
        self.stop_under_load(signal.SIGTERM)

    def test_sigint_under_load_exits_0_as_well(self):
        self.stop_under_load(signal.SIGINT)

    def test_sigterm_on_an_idle_server_with_an_open_keep_alive_connection_exits_promptly(self):
        server = SengenServer("--shutdown-grace", str(GRACE))
        self.addCleanup(server.close)
        server.start()
        conn = server.connection()
        conn.request("GET", "/healthz")
        self.assertEqual(conn.getresponse().read(), b"ok\n")
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        self.assertEqual(server.wait(timeout=GRACE + 2), 0)
        self.assertLess(time.monotonic() - started, 2.0)
        conn.close()
        self.assertFalse(port_accepts(server.port))


class PortTaken(unittest.TestCase):
    def test_a_port_already_taken_ends_the_start_with_status_1_and_a_clear_line(self):
        # A listener without SO_REUSEPORT holds the port: sengen's bind fails. It must say so and
        # exit 1, not abort (a thread left running used to end it in std::terminate, status 134).
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
            holder.bind((LOOPBACK, 0))
            holder.listen(1)
            port = holder.getsockname()[1]
            server = SengenServer(port=port)
            self.addCleanup(server.close)
            with self.assertRaises(RuntimeError):
                server.start()
            self.assertEqual(server.wait(timeout=10), 1)
            log = server.log()
            self.assertIn(f"cannot listen on {LOOPBACK}:{port}", log)
            self.assertNotIn("terminate called", log)


if __name__ == "__main__":
    unittest.main()
