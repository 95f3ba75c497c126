"""The registry submits its checkpoints to witnesses (issue 14 point 7, ADR 55): a real `sengen
serve` with log-witnesses naming a real `sengen witness serve`. Each new checkpoint comes back
cosigned, and /log/checkpoint and the statements serve it with the cosignature after the log's own
signature, checked here with openssl (tests/support/tlog_reference.py), by `sengen log monitor` and
by `sengen verify-statement` requiring one of one. A node that restarts (and so has forgotten where
the witness stands) is told by the witness's 409 and submits again with a consistency proof; a
witness that is down does not stop the log; with log-witnesses-required, /log/checkpoint holds
back what is not cosigned yet. Settings that cannot work stop serve at start."""

import html
import json
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "verify"))

import tlog_reference as ref  # noqa: E402
from log_server import BASE_URL, ORIGIN, WitnessProcess, keygen  # noqa: E402
from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, binary, clean_environment  # noqa: E402

WITNESS = "witness.example.jp/w1"


class WitnessSubmission(unittest.TestCase):
    def setUp(self):
        self.server = SengenServer("--mail-poll-ms", "50", base_url=BASE_URL)
        self.addCleanup(self.server.close)
        self.log_vkey = keygen(self.server.dir / "log.key")
        witness_dir = Path(tempfile.mkdtemp(prefix="sengen-witness-", dir=self.server.dir))
        self.witness = WitnessProcess(witness_dir, WITNESS, self.log_vkey)
        self.addCleanup(self.witness.stop)

    def serve(self, *more: str):
        self.server.args = ["--mail-poll-ms", "50", "--log-key", str(self.server.dir / "log.key"),
                            "--log-witnesses", f"{self.witness.url}={self.witness.vkey}", *more]
        self.server.start()

    def served_checkpoint(self, size: int, cosigned: bool = True) -> tuple[str, str]:
        """Waits for /log/checkpoint to serve the tree of `size` (with a cosignature when asked),
        and returns the whole note and its checkpoint text."""
        deadline = time.monotonic() + 30
        while True:
            reply = self.server.get("/log/checkpoint")
            if reply.status == 200:
                text = ref.verify_note(reply.text, self.log_vkey)
                self.assertIsNotNone(text, f"the log's own signature does not verify:\n{reply.text}")
                if text.split("\n")[1] == str(size) and (not cosigned or f"— {WITNESS} " in reply.text):
                    return reply.text, text
            self.assertLess(time.monotonic(), deadline, f"no checkpoint of {size} (cosigned: {cosigned}): "
                            f"{reply.status} {reply.text}\n{self.server.log()}")
            time.sleep(0.1)

    def assert_cosigned(self, note: str, text: str):
        lines = [line for line in note.split("\n\n", 1)[1].splitlines() if line.startswith(f"— {WITNESS} ")]
        self.assertEqual(len(lines), 1, note)
        timestamp = ref.verify_cosignature(lines[0], text, WITNESS, self.witness.public_key)
        self.assertIsNotNone(timestamp, "the cosignature does not verify with openssl")
        self.assertLess(abs(timestamp - time.time()), 120)
        # The log's signature comes first, the witness's after it.
        self.assertTrue(note.split("\n\n", 1)[1].startswith(f"— {ORIGIN} "), note)

    def run_cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), *args], capture_output=True, text=True, env=clean_environment(),
                              timeout=60)

    def test_each_new_checkpoint_is_cosigned_and_served_with_its_cosignature(self):
        self.witness.start()
        self.serve()
        declared = Registry(self.server).declare_many([application() for _ in range(2)])
        note, text = self.served_checkpoint(2)
        self.assert_cosigned(note, text)

        monitor = self.run_cli("log", "monitor", "--url", f"{self.server.origin}/log", "--state",
                               str(self.server.dir / "monitor.state"), "--key", self.log_vkey,
                               "--witness", self.witness.vkey, "--witnesses-required", "1")
        self.assertEqual(monitor.returncode, 0, monitor.stdout + monitor.stderr)

        reply = self.server.get(f"/api/v1/declarations/{declared[1].public_id}/statement")
        self.assertEqual(reply.status, 200, reply.text)
        bundle = json.loads(reply.text)
        self.assertIn(f"— {WITNESS} ", bundle["checkpoint"])
        saved = self.server.dir / "statement.json"
        saved.write_text(reply.text)
        verified = self.run_cli("verify-statement", str(saved), "--key", self.log_vkey, "--witness",
                                self.witness.vkey, "--witnesses-required", "1")
        self.assertEqual(verified.returncode, 0, verified.stdout + verified.stderr)

        # /about names the witness's key for verifiers, in both languages.
        for lang, words in (("ja", "立会人"), ("en", "Witnesses independent of the registry")):
            page = self.server.get("/about", {"Accept-Language": lang}).text
            self.assertIn(f'<code class="log-key">{html.escape(self.witness.vkey)}</code>', page)
            self.assertIn(words, page)
            self.assertNotIn("at least", page)  # nothing is held back without log-witnesses-required

        # The next change is cosigned too: the witness checked the consistency proof from 2 to 3.
        Registry(self.server).declare_many([application()])
        note, text = self.served_checkpoint(3)
        self.assert_cosigned(note, text)

    def test_a_restarted_node_learns_from_the_409_where_the_witness_stands(self):
        self.witness.start()
        self.serve()
        Registry(self.server).declare_many([application() for _ in range(2)])
        self.served_checkpoint(2)
        # A node started afresh knows nothing of the witness: it submits from size 0, is told 2,
        # and submits again with the proof from 2.
        self.server.stop()
        self.serve()
        Registry(self.server).declare_many([application()])
        note, text = self.served_checkpoint(3)
        self.assert_cosigned(note, text)
        self.assertNotIn("still at another size", self.server.log())

    def test_a_witness_down_does_not_stop_the_log_and_required_holds_back_what_is_not_cosigned(self):
        self.serve()  # the witness is not running
        Registry(self.server).declare_many([application()])
        note, _ = self.served_checkpoint(1, cosigned=False)
        self.assertNotIn(f"— {WITNESS} ", note)
        deadline = time.monotonic() + 20
        while f"witness {WITNESS}: checkpoint of size 1 not submitted" not in self.server.log():
            self.assertLess(time.monotonic(), deadline, self.server.log())
            time.sleep(0.1)

        # Requiring one cosignature, the node serves no checkpoint until one is cosigned.
        self.server.stop()
        self.serve("--log-witnesses-required", "1")
        Registry(self.server).declare_many([application()])
        time.sleep(1.5)
        self.assertEqual(self.server.get("/log/checkpoint").status, 404)
        self.witness.start()
        Registry(self.server).declare_many([application()])
        note, text = self.served_checkpoint(3)
        self.assert_cosigned(note, text)
        self.assertIn("at least 1 of these witnesses", self.server.get("/about", {"Accept-Language": "en"}).text)
        # Statements carry the same cosigned checkpoint.
        declared = Registry(self.server).declare_many([application()])
        deadline = time.monotonic() + 30
        while True:
            reply = self.server.get(f"/api/v1/declarations/{declared[0].public_id}/statement")
            if reply.status == 200:
                break
            self.assertLess(time.monotonic(), deadline, reply.text)
            time.sleep(0.1)
        self.assertIn(f"— {WITNESS} ", json.loads(reply.text)["checkpoint"])

    def test_settings_that_cannot_work_stop_serve_at_start(self):
        cases = (
            (["--log-witnesses", f"{self.witness.url}={self.witness.vkey}"], "log-witnesses: set without log-key"),
            (["--log-key", str(self.server.dir / "log.key"), "--log-witnesses", f"{self.witness.url}={self.log_vkey}"],
             "is not a witness's cosigner key"),
            (["--log-key", str(self.server.dir / "log.key"), "--log-witnesses", f"ftp://x={self.witness.vkey}"],
             "expected URL=VKEY pairs"),
            (["--log-key", str(self.server.dir / "log.key"), "--log-witnesses", f"{self.witness.url}={self.witness.vkey}",
              "--log-witnesses-required", "2"], "more cosignatures than there are witnesses"),
        )
        for args, expected in cases:
            with self.subTest(args=args):
                started = subprocess.run([binary(), "serve", "--db", f"sqlite:{self.server.dir / 'refused.db'}", *args],
                                         capture_output=True, text=True, env=clean_environment(), timeout=60)
                self.assertNotEqual(started.returncode, 0)
                self.assertIn(expected, started.stdout + started.stderr)


if __name__ == "__main__":
    unittest.main()
