"""`sengen witness serve` as C2SP tlog-witness specifies it, driven over HTTP as a log would drive
it. Requests are built, and cosignatures checked, by the independent Python implementation
(tests/support/tlog_reference.py: recursive MTH and consistency proofs, openssl for Ed25519), so
the witness is held to the specifications: a first checkpoint and each consistent one after it get
a timestamped cosignature/v1 line; a stale old size gets 409 with the size it holds
(text/x.tlog.size); an unknown log 404; a checkpoint not signed by the log 403; a bad proof or a
fork 422; a malformed body 400; and what it cosigned survives a restart."""

import base64
import http.client
import shutil
import tempfile
import time
import unittest
from pathlib import Path

import tlog_reference as ref
from log_server import WitnessProcess

ORIGIN = "registry.example.jp/log"
WITNESS = "witness.example.jp/w1"


def log_entries(count: int, changed: int | None = None) -> list[bytes]:
    return [f"entry {4242 if i == changed else i}\n".encode() for i in range(count)]


class Witness(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log_key = ref.Ed25519Key(ORIGIN)
        cls.stranger = ref.Ed25519Key(ORIGIN)

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-witness-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.witness = WitnessProcess(self.dir, WITNESS, self.log_key.vkey())
        self.cosigner_vkey = self.witness.vkey
        name, key_id, encoded = self.cosigner_vkey.split("+", 2)
        raw = base64.b64decode(encoded)
        self.assertEqual(name, WITNESS)
        self.assertEqual(raw[0], 0x04)  # a cosigner's verifier key
        self.public_key = raw[1:]
        self.assertEqual(key_id, ref.cosignature_key_id(WITNESS, self.public_key).hex())
        self.witness.start()
        self.addCleanup(self.witness.stop)

    def post(self, body: bytes) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.witness.port, timeout=20)
        conn.request("POST", "/add-checkpoint", body)
        reply = conn.getresponse()
        text = reply.read().decode()
        conn.close()
        return reply.status, reply.getheader("Content-Type") or "", text

    def checkpoint(self, entries: list[bytes], key=None) -> tuple[str, str]:
        text = ref.checkpoint_text(ORIGIN, len(entries), ref.root([ref.leaf_hash(e) for e in entries]))
        return text, (key or self.log_key).signed_note(text)

    def add(self, old: int, entries: list[bytes], proof_of: list[bytes] | None = None, key=None,
            proof: list[bytes] | None = None) -> tuple[int, str, str, str]:
        text, note = self.checkpoint(entries, key)
        if proof is None:
            proof = ref.consistency_proof(old, [ref.leaf_hash(e) for e in (proof_of or entries)])
        body = f"old {old}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + note
        status, content_type, reply = self.post(body.encode())
        return status, content_type, reply, text

    def assert_cosigned(self, reply: str, text: str):
        lines = reply.splitlines()
        self.assertEqual(len(lines), 1, reply)
        timestamp = ref.verify_cosignature(lines[0], text, WITNESS, self.public_key)
        self.assertIsNotNone(timestamp, "the cosignature does not verify with openssl")
        self.assertLess(abs(timestamp - time.time()), 120)

    def test_consistent_checkpoints_are_cosigned_and_a_stale_size_is_told_the_current_one(self):
        status, _, reply, text = self.add(0, log_entries(5))
        self.assertEqual(status, 200, reply)
        self.assert_cosigned(reply, text)
        for old, new in ((5, 17), (17, 17), (17, 300)):
            status, _, reply, text = self.add(old, log_entries(new))
            self.assertEqual(status, 200, f"{old} -> {new}: {reply}")
            self.assert_cosigned(reply, text)
        status, content_type, reply, _ = self.add(17, log_entries(400))
        self.assertEqual(status, 409)
        self.assertEqual(content_type, "text/x.tlog.size")
        self.assertEqual(reply, "300\n")

        # What was cosigned is kept across a restart.
        self.witness.stop()
        self.witness.start()
        self.assertEqual(self.add(0, log_entries(400))[2], "300\n")
        self.assertEqual(self.add(300, log_entries(400))[0], 200)

    def test_what_must_not_be_cosigned_is_refused_with_the_status_the_specification_gives(self):
        self.assertEqual(self.add(0, log_entries(10))[0], 200)
        # Signed by another key for the same origin: 403.
        self.assertEqual(self.add(10, log_entries(12), key=self.stranger)[0], 403)
        # A fork: grown from a different first ten; its own proof does not lead from the root kept.
        forked = log_entries(12, changed=3)
        self.assertEqual(self.add(10, forked)[0], 422)
        # The same size with another root.
        self.assertEqual(self.add(10, log_entries(10, changed=3))[0], 422)
        # A wrong proof.
        self.assertEqual(self.add(10, log_entries(12), proof=[bytes(32)] * 3)[0], 422)
        # An old size above the checkpoint's: 400.
        self.assertEqual(self.add(13, log_entries(12), proof=[])[0], 400)
        # An unknown log: 404.
        other = ref.Ed25519Key("elsewhere.example/log")
        text = ref.checkpoint_text("elsewhere.example/log", 1, ref.leaf_hash(b"x"))
        self.assertEqual(self.post(f"old 0\n\n{other.signed_note(text)}".encode())[0], 404)
        # Malformed bodies: 400.
        for body in (b"", b"old 01\n\n", b"old 0\nnot base64\n\n", b"new 0\n\n", b"old 0\n"):
            self.assertEqual(self.post(body)[0], 400, body)
        # None of that moved the record: the honest next checkpoint is still welcome.
        status, _, reply, text = self.add(10, log_entries(12))
        self.assertEqual(status, 200, reply)
        self.assert_cosigned(reply, text)

    def test_the_empty_tree_and_the_witness_page(self):
        status, _, reply, _ = self.add(0, [], proof=[])
        self.assertEqual(status, 200, reply)
        conn = http.client.HTTPConnection("127.0.0.1", self.witness.port, timeout=20)
        conn.request("GET", "/")
        page = conn.getresponse().read().decode()
        self.assertIn(self.cosigner_vkey, page)
        self.assertIn(f"witnesses: {ORIGIN}", page)
        conn.request("GET", "/add-checkpoint")
        self.assertEqual(conn.getresponse().status, 405)
        conn.close()


if __name__ == "__main__":
    unittest.main()
