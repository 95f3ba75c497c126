"""Rotating the transparency log's signing key (issue 14, point 1): a new key signs from the tree
size the registry had when it took over; the old verifier key stays published at /log/key after
the new one (the log-previous-keys setting); a monitor that knows both keys follows the log across
the change, and one that knows only the old key is told the new checkpoint is not signed by it. A
previous key of another name, or the current key given as a previous one, stops `serve` at start."""

import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "verify"))

import tlog_reference as ref  # noqa: E402
from log_server import BASE_URL, ORIGIN, keygen  # noqa: E402
from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, binary, clean_environment  # noqa: E402



class KeyRotation(unittest.TestCase):
    def setUp(self):
        self.server = SengenServer("--mail-poll-ms", "50", base_url=BASE_URL)
        self.addCleanup(self.server.close)
        self.old = keygen(self.server.dir / "old.key")
        self.new = keygen(self.server.dir / "new.key")

    def checkpoint(self, size: int) -> str:
        deadline = time.monotonic() + 20
        while True:
            reply = self.server.get("/log/checkpoint")
            if reply.status == 200 and reply.text.split("\n")[1] == str(size):
                return reply.text
            self.assertLess(time.monotonic(), deadline, f"no checkpoint of {size}: {reply.text}")
            time.sleep(0.2)

    def monitor(self, *keys: str) -> subprocess.CompletedProcess:
        args = [binary(), "log", "monitor", "--url", f"{self.server.origin}/log", "--state",
                str(self.server.dir / "monitor.state")]
        for key in keys:
            args += ["--key", key]
        return subprocess.run(args, capture_output=True, text=True, env=clean_environment(), timeout=60)

    def test_a_new_key_signs_on_and_the_old_one_stays_published(self):
        self.server.args += ["--log-key", str(self.server.dir / "old.key")]
        self.server.start()
        Registry(self.server).declare_many([application() for _ in range(2)])
        signed_before = self.checkpoint(2)
        self.assertIsNotNone(ref.verify_note(signed_before, self.old))
        self.assertEqual(self.monitor(self.old).returncode, 0)

        self.server.stop()
        self.server.args = ["--mail-poll-ms", "50", "--log-key", str(self.server.dir / "new.key"),
                            "--log-previous-keys", self.old]
        self.server.start()
        self.assertEqual(self.server.get("/log/key").text, f"{self.new}\n{self.old}\n")
        Registry(self.server).declare_many([application()])
        signed_after = self.checkpoint(3)
        self.assertIsNotNone(ref.verify_note(signed_after, self.new))
        self.assertIsNone(ref.verify_note(signed_after, self.old))

        # Knowing only the old key, the monitor refuses the new checkpoint and keeps its state.
        only_old = self.monitor(self.old)
        self.assertEqual(only_old.returncode, 1, only_old.stdout + only_old.stderr)
        self.assertIn("not signed by the given key", only_old.stdout)
        # Knowing both, it follows the log across the change: the kept checkpoint (old key) and
        # the new one (new key) are of one history.
        both = self.monitor(self.new, self.old)
        self.assertEqual(both.returncode, 0, both.stdout + both.stderr)
        self.assertEqual(both.stdout.splitlines()[-1], f"{ORIGIN}: consistent; 3 entries (1 new since the last run)")

    def test_a_previous_key_of_another_log_or_the_current_one_stops_serve(self):
        other = keygen(self.server.dir / "other.key", name="elsewhere.example/log")
        for previous, expected in ((other, "is named 'elsewhere.example/log'"),
                                   (self.new, "the current key is not a previous one"),
                                   ("not-a-key", "expected verifier keys")):
            with self.subTest(previous=previous):
                run = subprocess.run([binary(), "serve", "--db", f"sqlite:{self.server.dir / 'x.db'}", "--listen",
                                      "127.0.0.1:1", "--base-url", BASE_URL, "--log-key",
                                      str(self.server.dir / "new.key"), "--log-previous-keys", previous],
                                     capture_output=True, text=True, env=clean_environment(), timeout=30)
                self.assertNotEqual(run.returncode, 0)
                self.assertIn(expected, run.stderr)


if __name__ == "__main__":
    unittest.main()
