"""sengen's own listener over TLS (tls-cert, tls-key; ADR 54, ASVS 5.0 V12.3.3): pages and /healthz
answer over TLS 1.2 or later with the configured certificate, older protocols and plain HTTP get
nothing, and a certificate or key that cannot be used stops `serve` at start, naming the setting.

The certificates are made here with the openssl command; the client is Python's ssl module."""

import http.client
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import tlog_reference
from sengen_server import LOOPBACK, SengenServer, binary, clean_environment, free_port, port_accepts, run_sengen


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed ECDSA certificate for 127.0.0.1 and its unencrypted key, as PEM files."""
    cert, key = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=IP:{LOOPBACK}"],
                   check=True, capture_output=True)
    return cert, key


def trusting(cert: Path) -> ssl.SSLContext:
    """A client context that trusts only `cert` and checks that it names 127.0.0.1."""
    ctx = ssl.create_default_context(cafile=str(cert))
    ctx.check_hostname = True
    return ctx


class TlsServer(SengenServer):
    """`sengen serve` with tls-cert and tls-key; ready once /healthz answers over TLS."""

    def __init__(self, cert: Path, key: Path, *args: str):
        super().__init__("--tls-cert", str(cert), "--tls-key", str(key), *args)
        self.cert = cert

    def connection(self, timeout: float = 10.0) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(LOOPBACK, self.port, timeout=timeout, context=trusting(self.cert))


class ServesOverTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.TemporaryDirectory(prefix="sengen-tls-")
        cls.cert, cls.key = make_certificate(Path(cls.certs.name), "sengen-test")
        cls.server = TlsServer(cls.cert, cls.key).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.certs.cleanup()

    def handshake(self, ctx: ssl.SSLContext) -> ssl.SSLSocket:
        raw = socket.create_connection((LOOPBACK, self.server.port), timeout=10)
        try:
            return ctx.wrap_socket(raw, server_hostname=LOOPBACK)
        except BaseException:
            raw.close()
            raise

    def test_a_page_and_healthz_answer_over_tls(self):
        health = self.server.get("/healthz")
        self.assertEqual(health.status, 200)
        page = self.server.get("/")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.html_lang(), "ja")
        # Served over TLS, the default base URL is https://: HSTS and __Host- cookies follow.
        self.assertIn("max-age=", page.header("Strict-Transport-Security") or "")
        self.assertIn("listening on https://", self.server.log())

    def test_a_certificate_close_to_its_end_is_warned_of_at_start(self):
        # The test certificate is valid for two days.
        self.assertIn(f"tls-cert: the certificate in '{self.cert}' expires on", self.server.log())
        self.assertIn("within 30 days: renew it and restart", self.server.log())

    def test_the_certificate_presented_is_the_configured_one(self):
        with self.handshake(trusting(self.cert)) as tls:
            presented = tls.getpeercert(binary_form=True)
        self.assertEqual(presented, ssl.PEM_cert_to_DER_cert(self.cert.read_text()))
        # Another certificate is not trusted in its place: the client's check can fail.
        other, _ = make_certificate(Path(self.certs.name), "other")
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.handshake(trusting(other)).close()

    def test_tls_1_3_is_chosen_and_without_compression(self):
        with self.handshake(trusting(self.cert)) as tls:
            self.assertEqual(tls.version(), "TLSv1.3")
            self.assertIsNone(tls.compression())

    def test_tls_1_2_is_accepted_with_a_forward_secret_aead_cipher(self):
        ctx = trusting(self.cert)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        with self.handshake(ctx) as tls:
            self.assertEqual(tls.version(), "TLSv1.2")
            name, _, _ = tls.cipher()
            self.assertTrue(name.startswith("ECDHE-"), name)
            self.assertTrue("GCM" in name or "CHACHA20" in name, name)
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            self.assertTrue(tls.recv(4096).startswith(b"HTTP/1.1 200"))

    def test_tls_1_1_and_below_are_refused_by_the_server(self):
        for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            with self.subTest(version=version.name):
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                # Let this client offer the old protocol at all (its own defaults forbid it), so
                # that the refusal seen is the server's alert.
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                ctx.minimum_version = version
                ctx.maximum_version = version
                with self.assertRaises(ssl.SSLError) as caught:
                    self.handshake(ctx).close()
                self.assertEqual(caught.exception.reason, "TLSV1_ALERT_PROTOCOL_VERSION", caught.exception)

    def test_plain_http_to_the_tls_port_gets_no_page(self):
        with socket.create_connection((LOOPBACK, self.server.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            received = b""
            try:
                while chunk := s.recv(4096):
                    received += chunk
            except ConnectionResetError:
                pass
        self.assertNotIn(b"HTTP/", received)
        self.assertNotIn(b"ok", received)
        # The server is still there for those who speak TLS.
        self.assertEqual(self.server.get("/healthz").status, 200)


def read_until_closed(s: socket.socket, deadline: float) -> tuple[bytes, float]:
    """What arrives until the server closes the connection, and how long that took (a socket
    timeout at `deadline` seconds means it stayed open)."""
    start = time.monotonic()
    s.settimeout(deadline)
    data = b""
    try:
        while chunk := s.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        return data, deadline
    return data, time.monotonic() - start


class BoundsTheHandshake(unittest.TestCase):
    """RESTinio starts its read timer only once the handshake is over: sengen bounds the handshake
    itself, by read-timeout, so a client cannot hold a connection open by never finishing it."""

    READ_TIMEOUT = 1
    DEADLINE = 15.0

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.TemporaryDirectory(prefix="sengen-tls-")
        cert, key = make_certificate(Path(cls.certs.name), "sengen-test")
        cls.server = TlsServer(cert, key, "--read-timeout", str(cls.READ_TIMEOUT)).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.certs.cleanup()

    def test_a_client_that_connects_and_sends_nothing_is_disconnected(self):
        with self.server.socket() as s:
            _, took = read_until_closed(s, self.DEADLINE)
        self.assertLess(took, self.DEADLINE, "the connection stayed open")

    def test_a_client_that_sends_half_a_client_hello_is_disconnected(self):
        with self.server.socket() as s:
            # A TLS record header announcing a 512-byte handshake message, and 5 bytes of it.
            s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03]))
            _, took = read_until_closed(s, self.DEADLINE)
        self.assertLess(took, self.DEADLINE, "the connection stayed open")
        self.assertEqual(self.server.get("/healthz").status, 200)


class WitnessOverTls(unittest.TestCase):
    """`sengen witness serve --tls-cert --tls-key`: the witness's small server speaks TLS the same way."""

    def test_the_witness_answers_over_tls_and_not_over_plain_http(self):
        work = Path(tempfile.mkdtemp(prefix="sengen-tls-witness-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(work)], check=False)
        cert, key = make_certificate(work, "witness")
        made = run_sengen("witness", "keygen", "--name", "witness.example.jp/w1", "--out", str(work / "w.key"))
        self.assertEqual(made.returncode, 0, made.stderr)
        port = free_port()
        log_key = tlog_reference.Ed25519Key("registry.example.jp/log")
        process = subprocess.Popen(
            [binary(), "witness", "serve", "--key", str(work / "w.key"), "--state", str(work / "state"), "--log",
             log_key.vkey(), "--listen", f"{LOOPBACK}:{port}", "--tls-cert", str(cert), "--tls-key", str(key)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_environment())
        self.addCleanup(process.wait, 20)
        self.addCleanup(process.terminate)
        deadline = time.monotonic() + 20
        while not port_accepts(port):
            self.assertIsNone(process.poll(), "the witness stopped")
            self.assertLess(time.monotonic(), deadline, "the witness did not start")
            time.sleep(0.05)
        conn = http.client.HTTPSConnection(LOOPBACK, port, timeout=10, context=trusting(cert))
        try:
            conn.request("POST", "/add-checkpoint", b"not a request of a log")
            reply = conn.getresponse()
            reply.read()
            self.assertEqual(reply.status, 400)
            self.assertEqual(conn.sock.getpeercert(binary_form=True), ssl.PEM_cert_to_DER_cert(cert.read_text()))
        finally:
            conn.close()
        with socket.create_connection((LOOPBACK, port), timeout=10) as s:
            s.sendall(b"POST /add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx")
            received, took = read_until_closed(s, 15.0)
        self.assertLess(took, 15.0)
        self.assertNotIn(b"HTTP/", received)


class RefusesToStart(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-tls-bad-"))
        self.cert, self.key = make_certificate(self.dir, "sengen-test")
        self.other_cert, self.other_key = make_certificate(self.dir, "other")

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.dir)], check=False)

    def serve(self, cert: Path, key: Path):
        db = self.dir / "db.sqlite"
        result = run_sengen("serve", "--db", f"sqlite:{db}", "--mail", f"file:{self.dir / 'mail'}",
                            "--listen", f"{LOOPBACK}:{free_port()}", "--tls-cert", str(cert), "--tls-key", str(key))
        # Stopped at start: before the database was even opened.
        self.assertFalse(db.exists())
        return result

    def test_a_key_that_does_not_belong_to_the_certificate(self):
        result = self.serve(self.cert, self.other_key)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("tls-key: the key in", result.stderr)
        self.assertIn("does not belong to the certificate", result.stderr)

    def test_a_certificate_file_that_cannot_be_read(self):
        result = self.serve(self.dir / "missing-cert.pem", self.key)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("tls-cert: cannot read", result.stderr)

    def test_a_key_file_that_cannot_be_read(self):
        result = self.serve(self.cert, self.dir / "missing-key.pem")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("tls-key: cannot read", result.stderr)

    def test_a_file_that_is_not_a_certificate(self):
        result = self.serve(self.key, self.key)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("tls-cert:", result.stderr)

    def test_a_certificate_without_its_key(self):
        db = self.dir / "db.sqlite"
        result = run_sengen("serve", "--db", f"sqlite:{db}", "--listen", f"{LOOPBACK}:{free_port()}",
                            "--tls-cert", str(self.cert))
        self.assertEqual(result.returncode, 2)
        self.assertIn("setting tls-cert", result.stderr)
        self.assertIn("tls-key must be set too", result.stderr)


if __name__ == "__main__":
    unittest.main()
