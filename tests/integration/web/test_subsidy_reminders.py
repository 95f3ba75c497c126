"""Subsidy reminders (issue 13, point 5) with the real binary and a real SMTP server: a signed-in
declarant subscribes a declaration to a programme; the operator marks the programme open in its
catalogue file and sends SIGHUP; exactly one mail arrives, with List-Unsubscribe and
List-Unsubscribe-Post, saying what the declaration still needs (and that this registry's ID is not
accepted where the programme checks IPA's registry); reloading again, or starting a second node on
the same database, sends nothing; a new round opening sends one more; the mail's link stops the
reminders without signing in (the confirmation page in Japanese, RFC 8058's one-click POST in
English), after which nothing more is sent. In Japanese and in English."""

import re
import shutil
import signal
import tempfile
import time
import unittest
from pathlib import Path

from sengen_server import LOOPBACK, SOURCE_DIR, send
from smtp_flow import (SmtpSengen, SmtpSink, Visitor, application, body, csrf_of, declare, forms, text_of)

SHIPPED = (SOURCE_DIR / "content" / "subsidies.toml").read_text(encoding="utf-8")
SLUG = "digital-ai-2026"
NAME = {"ja": "デジタル化・AI導入補助金2026", "en": "Digitalisation and AI Introduction Subsidy 2026"}
NOT_ACCEPTED = {"ja": "この登録簿の自己宣言IDは認められません",
                "en": "this registry's declaration ID is not accepted there"}
ROUND_FIVE = {"ja": "第5回締切", "en": "Fifth deadline"}
DONE = {"ja": "お知らせを止めました", "en": "Reminders stopped"}


def catalogue(edition: str, status: str, fifth_round: str | None = None) -> str:
    """The shipped catalogue with SLUG's status set, and optionally a fifth round in that status."""
    text = re.sub(r'^edition = "[^"]*"', f'edition = "{edition}"', SHIPPED, count=1, flags=re.M)
    start = text.index(f'slug = "{SLUG}"')
    end = text.index("[[programme]]", start)
    entry = text[start:end].replace('status = "unknown"', f'status = "{status}"', 1)
    if fifth_round:
        entry = entry.rstrip("\n") + (f'\n\n[[programme.round]]\nid = "5"\nname.ja = "第5回締切"\n'
                                      f'name.en = "Fifth deadline"\nstatus = "{fifth_round}"\n\n')
    return text[:start] + entry + text[end:]


class Reminders(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-reminders-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.file = self.dir / "subsidies.toml"
        self.file.write_text(catalogue("r-1", "unknown"), encoding="utf-8")
        self.sink = SmtpSink().start()
        self.addCleanup(self.sink.stop)
        self.server = SmtpSengen(self.sink, "--subsidy-catalogue", str(self.file)).start()
        self.addCleanup(self.server.close)

    def wait_for_log(self, server, pattern: str, count: int = 1, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(re.findall(pattern, server.log())) >= count:
                return
            time.sleep(0.05)
        self.fail(f"fewer than {count} log lines matching {pattern!r}; the log:\n{server.log()}")

    def reload(self, edition: str, status: str, fifth_round: str | None = None, queued: int = 0) -> None:
        """Writes the catalogue, signals the node and waits for its reminder pass."""
        self.file.write_text(catalogue(edition, status, fifth_round), encoding="utf-8")
        self.server.send_signal(signal.SIGHUP)
        self.wait_for_log(self.server, rf"subsidy reminders for edition {edition}: {queued} queued")

    def reminders_to(self, address: str) -> list:
        return [m for m in self.sink.to(address) if "List-Unsubscribe" in m]

    def wait_for_reminders(self, address: str, count: int, timeout: float = 20.0) -> list:
        """The reminders to `address` once there are `count` (the other mails are the declaration's own)."""
        deadline = time.monotonic() + timeout
        while len(got := self.reminders_to(address)) < count:
            self.assertLess(time.monotonic(), deadline, f"fewer than {count} reminders to {address}")
            time.sleep(0.05)
        self.assertEqual(len(got), count)
        return got

    def check_reminder(self, mail, lang: str, address: str) -> str:
        """The checks every reminder passes; returns its unsubscribe path."""
        self.assertIn(NAME[lang], str(mail["Subject"]))
        self.assertEqual(mail["Content-Language"], lang)
        self.assertEqual(mail["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        m = re.fullmatch(rf"<{re.escape(self.server.base_url)}(/subsidies/unsubscribe/[A-Za-z0-9_-]{{43}})>",
                         mail["List-Unsubscribe"])
        self.assertIsNotNone(m, mail["List-Unsubscribe"])
        text = body(mail)
        self.assertIn(NOT_ACCEPTED[lang], text)
        self.assertIn(self.server.base_url + m.group(1), text)
        self.assertIn(f"{self.server.base_url}/subsidies/{SLUG}", text)
        self.assertNotRegex(text, r"\{[a-z_]+\}")  # every placeholder filled
        return m.group(1)

    def run_in(self, lang: str) -> None:
        address = f"reminder-{lang}@example.jp"
        visitor = Visitor(self.server, lang)
        public_id = declare(self.server, self.sink, application(address, lang=lang), visitor)

        # Subscribe from the programme's page (a form with the CSRF token, back to the same page).
        page = visitor.get(f"/subsidies/{SLUG}")
        self.assertEqual(page.status, 200)
        (form,) = [f for f in forms(page.text) if f["action"].endswith(f"/{public_id}/subsidies/{SLUG}/subscribe")]
        done = visitor.post(form["action"], dict(form["fields"]))
        self.assertEqual(done.status, 303, done.text[:300])
        self.assertEqual(done.header("Location"), f"/subsidies/{SLUG}")
        page = visitor.follow(done)
        self.assertTrue([f for f in forms(page.text) if f["action"].endswith(f"/{SLUG}/unsubscribe")])
        # Without the token the subscription is refused.
        self.assertEqual(visitor.post(form["action"], {"back": "programme"}).status, 403)

        # The operator marks the programme open: one reminder.
        self.reload(f"{lang}-2", "open", queued=1)
        (mail,) = self.wait_for_reminders(address, 1)
        path = self.check_reminder(mail, lang, address)
        self.assertIn(public_id, body(mail))

        # Reloading again, or a second node starting on the same database, sends nothing more.
        self.reload(f"{lang}-3", "open", queued=0)
        second = SmtpSengen(self.sink, "--subsidy-catalogue", str(self.file), db_path=self.server.db_path).start()
        try:
            self.wait_for_log(second, rf"subsidy reminders for edition {lang}-3: 0 queued")
        finally:
            second.close()
        self.sink.settle()
        self.assertEqual(len(self.reminders_to(address)), 1)

        # A new round opening while the programme is open: one more.
        self.reload(f"{lang}-4", "open", fifth_round="open", queued=1)
        mails = self.wait_for_reminders(address, 2)
        path = self.check_reminder(mails[-1], lang, address)
        self.assertIn(ROUND_FIVE[lang], body(mails[-1]))

        # The link works without signing in.
        stranger = Visitor(self.server, lang)
        if lang == "ja":
            confirm = stranger.get(path)
            self.assertEqual(confirm.status, 200)
            self.assertIn("noindex", confirm.text)
            stopped = stranger.post(path, {"csrf": csrf_of(confirm.text)})
        else:
            # RFC 8058 §3.2: a mail program's POST, with no cookie and no CSRF token.
            conn = self.server.connection()
            try:
                stopped = send(conn, "POST", path, {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Accept-Language": lang}, b"List-Unsubscribe=One-Click")
            finally:
                conn.close()
        self.assertEqual(stopped.status, 200, stopped.text[:300])
        self.assertIn(DONE[lang], text_of(stopped.text))
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM subsidy_subscriptions")[0][0], 0)
        self.assertEqual(stranger.get(path).status, 404)

        # Nothing more once stopped, whatever opens.
        self.reload(f"{lang}-5", "open", fifth_round="closed", queued=0)
        self.sink.settle()
        self.assertEqual(len(self.reminders_to(address)), 2)

    def test_japanese(self):
        self.run_in("ja")

    def test_english(self):
        self.run_in("en")

    def test_a_post_without_the_token_or_the_one_click_body_is_refused(self):
        path = "/subsidies/unsubscribe/" + "A" * 43
        conn = self.server.connection()
        try:
            other_body = send(conn, "POST", path, {"Content-Type": "application/x-www-form-urlencoded"},
                              b"List-Unsubscribe=Yes")
        finally:
            conn.close()
        self.assertEqual(other_body.status, 403)
        self.assertEqual(self.server.get(path).status, 404)


if __name__ == "__main__":
    unittest.main()
