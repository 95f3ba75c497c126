"""`sengen log monitor` against a log served over HTTP as C2SP tlog-tiles. The log is built by the
independent Python implementation (tests/support/tlog_reference.py: recursive MTH, openssl
signatures) and served from a directory by Python's own HTTP server, so that the monitor is
checked against the specifications, not against sengen's own tile code. It must accept a log that
grows, print each new entry once, keep the checkpoint it saw, and exit 1 with the reason, keeping
its state, when the log forks, rewrites its history or is signed by another key; exit 2 when it
cannot reach the log."""

import functools
import http.server
import shutil
import subprocess
import tempfile
import threading
import unittest
from pathlib import Path

import tlog_reference as ref
from declaration_ids import declaration_id
from sengen_server import binary, clean_environment

ORIGIN = "registry.example.jp/log"


def entries(count: int, changed: int | None = None) -> list[bytes]:
    out = []
    for i in range(count):
        n = 4242 if i == changed else i
        out.append(ref.entry_text(ORIGIN, declaration_id(100 + n), "issued", 1, "declared",
                                  f"2026-12-07T06:{n // 60 % 60:02d}:{n % 60:02d}Z", bytes([n % 256]) * 32).encode())
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        # /moved/... sends the client elsewhere: the monitor must not follow.
        if self.path.startswith("/moved/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/moved"):])
            self.end_headers()
            return
        super().do_GET()


class Monitor(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.key = ref.Ed25519Key(ORIGIN)
        cls.other_key = ref.Ed25519Key(ORIGIN)

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-monitor-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.site = self.dir / "site"
        (self.site / "log").mkdir(parents=True)
        self.state = self.dir / "state"
        handler = functools.partial(QuietHandler, directory=str(self.site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/log"

    def publish(self, log: list[bytes], key=None, witnesses=()):
        """Serves `log` as its tiles and a checkpoint signed by `key` (the log's own by default) and
        cosigned by each of `witnesses`."""
        shutil.rmtree(self.site / "log")
        for path, data in ref.tiles(log).items():
            target = self.site / "log" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        text = ref.checkpoint_text(ORIGIN, len(log), ref.root([ref.leaf_hash(e) for e in log]))
        note = (key or self.key).signed_note(text)
        for witness in witnesses:
            note += witness.cosignature_line(text, 1_800_000_000)
        (self.site / "log" / "checkpoint").write_text(note)

    def monitor(self, url=None, extra=()) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), "log", "monitor", "--url", url or self.url, "--state", str(self.state),
                               "--key", self.key.vkey(), *extra], capture_output=True, text=True,
                              env=clean_environment(), timeout=60)

    def test_a_growing_log_is_consistent_and_each_new_entry_is_printed_once(self):
        self.publish(entries(300))
        first = self.monitor()
        self.assertEqual(first.returncode, 0, first.stderr + first.stdout)
        lines = first.stdout.splitlines()
        self.assertEqual(lines[-1], f"{ORIGIN}: consistent; 300 entries (300 new since the last run)")
        self.assertEqual(lines[0], f"0 {declaration_id(100)} issued level 1 declared 2026-12-07T06:00:00Z")
        self.assertEqual(len(lines), 301)
        self.assertEqual(ref.verify_note(self.state.read_text(), self.key.vkey()),
                         ref.checkpoint_text(ORIGIN, 300, ref.root([ref.leaf_hash(e) for e in entries(300)])))

        # Grown past a full tile and into a level-0 partial one: only the new entries are printed.
        self.publish(entries(600))
        second = self.monitor()
        self.assertEqual(second.returncode, 0, second.stderr + second.stdout)
        lines = second.stdout.splitlines()
        self.assertEqual(len(lines), 301)
        self.assertTrue(lines[0].startswith(f"300 {declaration_id(400)} issued"), lines[0])
        self.assertEqual(lines[-1], f"{ORIGIN}: consistent; 600 entries (300 new since the last run)")

        again = self.monitor()
        self.assertEqual(again.returncode, 0)
        self.assertEqual(again.stdout.splitlines(), [f"{ORIGIN}: consistent; 600 entries (0 new since the last run)"])

    def test_a_fork_or_a_rewritten_history_fails_and_the_state_is_kept(self):
        self.publish(entries(300))
        self.assertEqual(self.monitor().returncode, 0)
        kept = self.state.read_text()

        self.publish(entries(300, changed=42))  # the same size, another root
        fork = self.monitor()
        self.assertEqual(fork.returncode, 1, fork.stderr + fork.stdout)
        self.assertIn("the log is not consistent", fork.stdout)
        self.assertIn("forked", fork.stdout)
        self.assertEqual(self.state.read_text(), kept)

        self.publish(entries(400, changed=42))  # grown, on a changed past
        rewritten = self.monitor()
        self.assertEqual(rewritten.returncode, 1, rewritten.stderr + rewritten.stdout)
        self.assertIn("history was rewritten", rewritten.stdout)
        self.assertEqual(self.state.read_text(), kept)

        # The honest log, grown, still passes from the kept state.
        self.publish(entries(400))
        self.assertEqual(self.monitor().returncode, 0)

    def test_a_verifier_may_require_k_of_n_witnesses(self):
        w1, w2, w3 = (ref.Ed25519Key(f"witness{i}.example/w") for i in (1, 2, 3))
        self.publish(entries(20), witnesses=(w1, w2))  # cosigned by two of the three
        given = ["--witness", w1.cosigner_vkey(), "--witness", w2.cosigner_vkey(), "--witness", w3.cosigner_vkey()]
        all_three = self.monitor(extra=given)
        self.assertEqual(all_three.returncode, 1, all_three.stdout + all_three.stderr)
        self.assertIn("not witnessed as required: 2 of the 3 given witnesses cosigned the checkpoint; 3 are required",
                      all_three.stdout)
        self.assertFalse(self.state.exists())
        two = self.monitor(extra=[*given, "--witnesses-required", "2"])
        self.assertEqual(two.returncode, 0, two.stdout + two.stderr)
        # A log key given as a witness is refused: a cosigner key has its own type.
        wrong = self.monitor(extra=["--witness", w1.vkey()])
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("not a witness's cosigner key", wrong.stderr)

    def test_a_redirect_is_not_followed(self):
        self.publish(entries(10))
        moved = self.monitor(url=self.url.replace("/log", "/moved/log"))
        self.assertEqual(moved.returncode, 2, moved.stderr + moved.stdout)
        self.assertIn("answered 302", moved.stderr)
        self.assertFalse(self.state.exists())
        self.assertEqual(self.monitor().returncode, 0)  # the same log at its own address

    def test_another_key_fails_and_an_unreachable_log_is_exit_2(self):
        self.publish(entries(10), key=self.other_key)
        signed_elsewhere = self.monitor()
        self.assertEqual(signed_elsewhere.returncode, 1, signed_elsewhere.stderr + signed_elsewhere.stdout)
        self.assertIn("not signed by the given key", signed_elsewhere.stdout)
        self.assertFalse(self.state.exists())

        self.httpd.shutdown()
        self.httpd.server_close()
        gone = self.monitor()
        self.assertEqual(gone.returncode, 2, gone.stderr + gone.stdout)
        self.assertIn("sengen: log monitor:", gone.stderr)

        missing = self.monitor(url="http://127.0.0.1:1/log")
        self.assertEqual(missing.returncode, 2)


if __name__ == "__main__":
    unittest.main()
