#!/usr/bin/python3
"""The mail outbox end to end: the real sengen binary, a real SQLite file and a real SMTP server
(aiosmtpd) on loopback, with STARTTLS and AUTH, and a throwaway CA made with openssl at test time.

Run by CTest (tests.cmake), one test case per CTest test:
    /usr/bin/python3 test_mail.py --sengen build/dev/sengen MailTests.test_name
Debian's python3-aiosmtpd is only visible to /usr/bin/python3 (a python3 first on PATH may not see it).
"""
import argparse
import email
import email.policy
import email.utils
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import unittest
import warnings
from datetime import datetime, timezone
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SENGEN = None
# aiosmtpd 1.4 talks to itself about deprecated attributes and, for implicit TLS, about AUTH
# without STARTTLS (the test server is on loopback and fully encrypted there).
warnings.filterwarnings("ignore", message="Session.login_data")
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
REPO = Path(__file__).resolve().parents[3]
FROM = "sengen 事務局 <no-reply@sengen.example.jp>"
BASE_URL = "https://sengen.example.jp"
SMTP_USER = "sengen-mailer"
SMTP_PASSWORD = "correct horse 電池 staple"
POLL_MS = "100"
RETRY_BASE = "1"


sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from ports import free_port  # noqa: E402


def wait_for(what, condition, timeout=20.0):
    """Polls `condition` until it returns something true; fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def read_po(lang):
    """msgid -> msgstr of src/web/i18n/<lang>.po (the subset of .po syntax sengen uses)."""
    messages, key, part = {}, None, None
    unescape = lambda s: s.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
    for line in (REPO / "src/web/i18n" / f"{lang}.po").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            key, part = unescape(line[7:-1]), "id"
        elif line.startswith("msgstr "):
            messages[key], part = unescape(line[8:-1]), "str"
        elif line.startswith('"') and part == "str":
            messages[key] += unescape(line[1:-1])
    return messages


def expected_test_mail(lang, to):
    po = read_po(lang)
    # Every mail ends with the operator's footer; the tests run with the demonstration profile.
    profile = tomllib.loads((REPO / "content/operator/demo.toml").read_text(encoding="utf-8"))
    values = {"site_name": po["site.name"], "base_url": BASE_URL, "to": to,
              "operator": profile["operator_name"][lang], "about_url": BASE_URL + "/about",
              "privacy_url": BASE_URL + "/privacy", "terms_url": BASE_URL + "/terms"}
    fill = lambda s: re.sub(r"\{([a-z_]+)\}", lambda m: values[m.group(1)], s)
    return fill(po["mail.test.subject"]), fill(po["mail.test.body"]) + fill(po["profile.mail_footer"])


class Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1, made with the openssl command."""

    def __init__(self, directory):
        d = Path(directory)
        self.ca, self.cert, self.key = d / "ca.pem", d / "server.pem", d / "server.key"
        ext = d / "server.ext"
        ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                       "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
        run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        run("req", "-x509", *ec, "-keyout", d / "ca.key", "-out", self.ca, "-days", "2",
            "-subj", "/CN=sengen test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        run("req", *ec, "-keyout", self.key, "-out", d / "server.csr", "-subj", "/CN=127.0.0.1")
        run("x509", "-req", "-in", d / "server.csr", "-CA", self.ca, "-CAkey", d / "ca.key",
            "-CAcreateserial", "-out", self.cert, "-days", "2", "-extfile", ext)

    def server_context(self):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


class Sink:
    """aiosmtpd handler: keeps every message it accepts. RCPT to refuse-*@ gets a 550."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append({
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "raw": envelope.original_content,
                # STARTTLS sets session.ssl; implicit TLS shows on the transport.
                "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                "authenticated": session.authenticated,
                "login": session.auth_data,
            })
        return "250 2.0.0 Accepted"

    def messages(self):
        with self.lock:
            return list(self.received)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() \
        and auth_data.password == SMTP_PASSWORD.encode()
    # handled=False: aiosmtpd then answers 535 itself (its default, True, sends no reply at all).
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)


class SmtpServer:
    """A real SMTP server on 127.0.0.1:port that can be stopped and started again."""

    def __init__(self, sink, port, certs, mode="starttls", auth=True):
        self.sink, self.port, self.certs, self.mode, self.auth = sink, port, certs, mode, auth
        self.controller = None

    def start(self):
        kwargs = {}
        if self.mode == "starttls":
            kwargs.update(tls_context=self.certs.server_context(), require_starttls=True)
        elif self.mode == "implicit":
            kwargs.update(ssl_context=self.certs.server_context())
        if self.auth:
            # aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls; under implicit TLS
            # the whole connection is encrypted anyway.
            kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=self.mode != "implicit")
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class Sengen:
    """One sengen node (`serve`) and the operator commands, on one SQLite file."""

    def __init__(self, directory, mail, extra=()):
        self.dir = Path(directory)
        self.db = "sqlite:" + str(self.dir / "sengen.db")
        self.settings = ["--db", self.db, "--mail", mail, "--mail-from", FROM, "--base-url", BASE_URL,
                         "--mail-poll-ms", POLL_MS, "--mail-retry-base-seconds", RETRY_BASE, *extra]
        self.proc = None
        self.log_path = self.dir / "serve.log"
        self.cli("migrate")

    def cli(self, *args, expect=0):
        p = subprocess.run([SENGEN, *args, *self.settings], capture_output=True, text=True, timeout=30)
        if expect is not None and p.returncode != expect:
            raise AssertionError(f"sengen {' '.join(args)} exited {p.returncode}: {p.stdout}{p.stderr}")
        return p

    def queue_test_mail(self, to, lang="ja"):
        out = self.cli("mail", "test", "--to", to, "--lang", lang).stdout
        return int(re.search(r"queued test mail (\d+)", out).group(1))

    def mail_list(self, *flags):
        lines = self.cli("mail", "list", *flags).stdout.splitlines()
        header = lines[0].split("\t")
        return {int(r["id"]): r for r in (dict(zip(header, l.split("\t"))) for l in lines[1:])}

    def serve(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([SENGEN, "serve", "--listen", f"127.0.0.1:{free_port()}", *self.settings],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for("the mail worker to start", lambda: b"mail worker" in self.log_path.read_bytes())
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None
        self.log.close()

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(15)
        self.proc = None
        self.log.close()
        return rc

    def close(self):
        if self.proc:
            self.kill()


class MailTests(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="sengen-mail-")
        self.tmp = Path(self._tmp.name)
        self.certs = Certificates(self.tmp)
        self.sink = Sink()
        self.port = free_port()
        self.servers, self.nodes = [], []

    def tearDown(self):
        for n in self.nodes:
            n.close()
        for s in self.servers:
            s.stop()
        self._tmp.cleanup()

    def smtp(self, **kw):
        s = SmtpServer(self.sink, self.port, self.certs, **kw)
        self.servers.append(s)
        return s

    def node(self, scheme="smtp", ca=True, password=SMTP_PASSWORD, extra=()):
        settings = ["--smtp-user", SMTP_USER, "--smtp-password", password, *extra]
        if ca:
            settings += ["--smtp-ca-file", str(self.certs.ca)]
        n = Sengen(self.tmp, f"{scheme}://127.0.0.1:{self.port}", settings)
        self.nodes.append(n)
        return n

    def wait_attempted(self, node, mail_id, attempts=1):
        return wait_for(f"attempt {attempts} of mail {mail_id}",
                        lambda: (r := node.mail_list().get(mail_id)) and int(r["attempts"]) >= attempts
                        and r["state"] == "pending" and r["last_error"] and r)

    def assert_each_arrives_once(self, node, expected):
        """`expected`: outbox id -> recipient. Waits for them, then a little longer for doubles."""
        wait_for(f"{len(expected)} mails", lambda: len(self.sink.messages()) >= len(expected))
        time.sleep(1.5)  # several poll intervals and more than the retry base: room for a double
        received = self.sink.messages()
        self.assertEqual(sorted(m["rcpt_tos"][0] for m in received), sorted(expected.values()))
        ids = [email.message_from_bytes(m["raw"])["Message-ID"] for m in received]
        self.assertEqual(len(set(ids)), len(ids), "a Message-ID arrived twice")
        listed = node.mail_list()
        for mail_id in expected:
            self.assertEqual(listed[mail_id]["state"], "sent")

    # --- content and security of one delivery ---------------------------------------------

    def test_starttls_with_auth_delivers_decoded_japanese_and_english_mail(self):
        self.smtp().start()
        n = self.node()
        ja = n.queue_test_mail("yamada@example.jp", "ja")
        en = n.queue_test_mail("smith@example.com", "en")
        n.serve()
        wait_for("two mails", lambda: len(self.sink.messages()) == 2)
        started = datetime.now(timezone.utc)
        by_rcpt = {m["rcpt_tos"][0]: m for m in self.sink.messages()}
        for to, lang in (("yamada@example.jp", "ja"), ("smith@example.com", "en")):
            got = by_rcpt[to]
            self.assertTrue(got["tls"], "mail went over STARTTLS")
            self.assertTrue(got["authenticated"])
            self.assertEqual(got["login"], SMTP_USER)
            self.assertEqual(got["mail_from"], "no-reply@sengen.example.jp")
            self.assertEqual(got["rcpt_tos"], [to])
            raw = got["raw"]
            head = raw.split(b"\r\n\r\n", 1)[0]
            for line in head.split(b"\r\n"):
                self.assertLessEqual(len(line), 78, line)
                line.decode("ascii")  # every header line is ASCII: non-ASCII travels encoded
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            subject, body = expected_test_mail(lang, to)
            self.assertEqual(str(msg["Subject"]), subject)
            if lang == "ja":
                self.assertIn(b"Subject: =?UTF-8?B?", head)
            self.assertEqual(msg["From"].addresses[0].display_name, "sengen 事務局")
            self.assertEqual(msg["From"].addresses[0].addr_spec, "no-reply@sengen.example.jp")
            self.assertEqual(msg["To"].addresses[0].addr_spec, to)
            self.assertEqual(msg["MIME-Version"], "1.0")
            self.assertEqual(msg.get_content_type(), "text/plain")
            self.assertEqual(msg.get_content_charset(), "utf-8")
            self.assertEqual(msg["Content-Language"], lang)
            self.assertRegex(msg["Message-ID"], r"^<[0-9a-f]{32}@sengen\.example\.jp>$")
            date = email.utils.parsedate_to_datetime(msg["Date"])
            self.assertLess(abs((date - started).total_seconds()), 120)
            self.assertEqual(msg.get_content().replace("\r\n", "\n"), body)
            self.assertIn(to, msg.get_content())
        listed = n.mail_list()
        self.assertEqual((listed[ja]["state"], listed[ja]["attempts"]), ("sent", "1"))
        self.assertEqual(listed[en]["subject"], expected_test_mail("en", "smith@example.com")[0])
        self.assertEqual(n.terminate(), 0, "serve stops cleanly on SIGTERM")
        log = n.log_path.read_bytes()
        self.assertIn(b"mail worker", log)
        self.assertRegex(log, rb"mail worker \S+ stopped")
        self.assertNotIn(SMTP_PASSWORD.encode(), log)
        self.assertNotIn(b"yamada@example.jp", log, "the log names outbox ids, not recipients")

    def test_smtps_implicit_tls_delivers(self):
        self.smtp(mode="implicit").start()
        n = self.node(scheme="smtps")
        mail_id = n.queue_test_mail("tls@example.jp")
        n.serve()
        wait_for("the mail", lambda: self.sink.messages())
        got = self.sink.messages()[0]
        self.assertTrue(got["tls"])
        self.assertEqual(got["login"], SMTP_USER)
        self.assertEqual(n.mail_list()[mail_id]["state"], "sent")

    def test_server_without_starttls_gets_no_mail(self):
        self.smtp(mode="plain", auth=False).start()
        n = self.node()
        mail_id = n.queue_test_mail("plain@example.jp")
        n.serve()
        row = self.wait_attempted(n, mail_id)
        self.assertIn("STARTTLS", row["last_error"])
        self.assertEqual(self.sink.messages(), [], "nothing may be sent in the clear")

    def test_server_certificate_from_an_unknown_ca_is_refused(self):
        self.smtp().start()
        n = self.node(ca=False)
        mail_id = n.queue_test_mail("verify@example.jp")
        n.serve()
        row = self.wait_attempted(n, mail_id)
        self.assertIn("certificate", row["last_error"].lower())
        self.assertEqual(self.sink.messages(), [])

    def test_wrong_smtp_password_is_refused_and_never_shown(self):
        self.smtp().start()
        wrong = "wrong-password-Zq81"
        n = self.node(password=wrong)
        mail_id = n.queue_test_mail("auth@example.jp")
        n.serve()
        row = self.wait_attempted(n, mail_id)
        self.assertEqual(self.sink.messages(), [])
        self.assertNotIn(wrong, row["last_error"])
        self.assertIn("535", row["last_error"])
        n.terminate()
        self.assertNotIn(wrong.encode(), n.log_path.read_bytes())

    def test_recipient_refused_with_5xx_fails_without_retries(self):
        self.smtp().start()
        n = self.node()
        mail_id = n.queue_test_mail("refuse-me@example.jp")
        n.serve()
        row = wait_for("the mail to fail", lambda: n.mail_list("--failed").get(mail_id))
        self.assertEqual(row["attempts"], "1")
        self.assertIn("550", row["last_error"])
        self.assertEqual(self.sink.messages(), [])

    def test_address_with_a_line_break_is_refused_when_queued(self):
        n = self.node()
        p = n.cli("mail", "test", "--to", "owner@example.jp\r\nBcc: victim@example.jp", expect=None)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(n.mail_list(), {})

    # --- durability ---------------------------------------------------------------------------

    def test_smtp_outage_queues_and_retries_and_each_mail_arrives_once(self):
        server = self.smtp()  # not started: the port refuses connections
        n = self.node()
        n.serve()
        expected = {n.queue_test_mail(f"outage{i}@example.jp"): f"outage{i}@example.jp" for i in range(3)}
        for mail_id in expected:
            self.assertIn("smtp:", self.wait_attempted(n, mail_id)["last_error"])
        self.assertEqual(self.sink.messages(), [])
        server.start()
        self.assert_each_arrives_once(n, expected)

    def test_node_killed_after_commit_sends_the_mail_once_on_restart(self):
        server = self.smtp()
        n = self.node()
        n.serve()
        mail_id = n.queue_test_mail("crash@example.jp")  # committed; the first try fails
        self.wait_attempted(n, mail_id)
        n.kill()  # SIGKILL: no shutdown code runs
        server.start()
        time.sleep(1.5)
        self.assertEqual(self.sink.messages(), [], "nothing sends while no node runs")
        n.serve()
        self.assert_each_arrives_once(n, {mail_id: "crash@example.jp"})

    def test_mail_queued_before_any_node_runs_is_sent_once_after_a_kill_and_restart(self):
        self.smtp().start()
        n = self.node()
        mail_id = n.queue_test_mail("early@example.jp")
        n.serve()
        self.assert_each_arrives_once(n, {mail_id: "early@example.jp"})
        n.kill()
        n.serve()
        time.sleep(1.5)
        self.assertEqual(len(self.sink.messages()), 1, "a restart does not send sent mail again")

    def test_failed_mail_is_listed_and_an_operator_retry_delivers_it(self):
        server = self.smtp()
        n = self.node(extra=["--mail-max-attempts", "2"])
        n.serve()
        mail_id = n.queue_test_mail("retry@example.jp")
        row = wait_for("the mail to fail", lambda: n.mail_list("--failed").get(mail_id))
        self.assertEqual((row["state"], row["attempts"], row["recipient"]), ("failed", "2", "retry@example.jp"))
        self.assertIn("smtp:", row["last_error"])
        self.assertEqual(row["subject"], expected_test_mail("ja", "retry@example.jp")[0])
        server.start()
        time.sleep(1.5)
        self.assertEqual(self.sink.messages(), [], "failed mail waits for the operator")
        out = n.cli("mail", "retry", str(mail_id)).stdout
        self.assertIn(str(mail_id), out)
        self.assert_each_arrives_once(n, {mail_id: "retry@example.jp"})
        self.assertEqual(n.mail_list("--failed"), {})
        again = n.cli("mail", "retry", str(mail_id), expect=None)
        self.assertEqual(again.returncode, 2, "only failed mail can be retried")

    # --- file transport -----------------------------------------------------------------------

    def test_file_transport_writes_complete_eml_files_only(self):
        out = self.tmp / "outbox-files"
        n = Sengen(self.tmp, f"file:{out}")
        self.nodes.append(n)
        n.serve()
        seen, stop = {}, threading.Event()

        def watch():  # reads every .eml the moment it appears, as a careless reader would
            while not stop.is_set():
                for f in out.glob("*.eml"):
                    seen.setdefault(f.name, []).append(f.read_bytes())

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            expected = {n.queue_test_mail(f"file{i}@example.jp", "ja" if i % 2 else "en"): f"file{i}@example.jp"
                        for i in range(12)}
            wait_for("12 files", lambda: len(list(out.glob("*.eml"))) == 12)
        finally:
            stop.set()
            watcher.join()
        # The watcher may have stopped between the last file's rename and its next pass: one more
        # pass reads what it has not seen yet (still only complete files can be there).
        for f in out.glob("*.eml"):
            seen.setdefault(f.name, []).append(f.read_bytes())
        self.assertEqual(sorted(p.name for p in out.iterdir()), sorted(seen), "only .eml files are left")
        for name, reads in seen.items():
            final = (out / name).read_bytes()
            for r in reads:
                self.assertEqual(r, final, f"{name} was seen half written")
            msg = email.message_from_bytes(final, policy=email.policy.default)
            mail_id = int(name.split("-", 1)[0])
            self.assertIn(msg["Message-ID"].strip("<>"), name)
            to = expected[mail_id]
            self.assertEqual(msg["To"].addresses[0].addr_spec, to)
            lang = msg["Content-Language"]
            self.assertEqual(msg.get_content().replace("\r\n", "\n"), expected_test_mail(lang, to)[1])
        listed = n.mail_list()
        self.assertTrue(all(listed[i]["state"] == "sent" for i in expected))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sengen", required=True)
    args, rest = parser.parse_known_args()
    SENGEN = os.path.abspath(args.sengen)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
