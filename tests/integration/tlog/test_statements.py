"""`sengen verify-statement` against a second implementation: tests/support/tlog_reference.py
builds a log with Python's hashlib (RFC 9162 read literally) and signs its checkpoint and a
statement with openssl, the tools docs/trust.md gives an outside verifier; sengen must accept what
they make, with the key `sengen log keygen` made, and refuse every altered bundle with a reason."""

import base64
import hashlib
import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import tlog_reference as ref
from declaration_ids import declaration_id
from sengen_server import binary, clean_environment

ORIGIN = "registry.example.jp/log"


class VerifyStatement(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="sengen-statement-"))
        # The log's key as the operator makes it; openssl signs with its seed.
        run = subprocess.run([binary(), "log", "keygen", "--name", ORIGIN, "--out", str(cls.dir / "log.key")],
                             capture_output=True, text=True, env=clean_environment(), timeout=30)
        assert run.returncode == 0, run.stderr
        cls.vkey = run.stdout.splitlines()[-1]
        seed = base64.b64decode((cls.dir / "log.key").read_text().strip().split("+", 4)[4])[1:]
        cls.key = ref.Ed25519Key(ORIGIN, seed)
        assert cls.key.vkey() == cls.vkey, "openssl derives the public key sengen printed"

        cls.entries = []
        for i in range(23):
            record = hashlib.sha256(bytes([i]) * 16 + json.dumps({"id": i}).encode()).digest()
            cls.entries.append(ref.entry_text(ORIGIN, declaration_id(400 + i), "issued" if i % 4 else "level_changed",
                                              1 + i % 2, "declared", f"2026-12-07T01:00:{i:02d}Z", record))
        cls.leaves = [ref.leaf_hash(e.encode()) for e in cls.entries]
        cls.checkpoint = cls.key.signed_note(ref.checkpoint_text(ORIGIN, len(cls.leaves), ref.root(cls.leaves)))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def bundle(self, index: int, **changes) -> Path:
        proof = ref.inclusion_proof(index, self.leaves)
        assert ref.verify_inclusion(index, len(self.leaves), self.leaves[index], proof, ref.root(self.leaves))
        bundle = {"statement": self.key.signed_note(self.entries[index]), "leaf_index": index,
                  "inclusion_proof": [base64.b64encode(h).decode() for h in proof], "checkpoint": self.checkpoint}
        bundle.update(changes)
        path = Path(tempfile.mkstemp(prefix=f"bundle-{index}-", suffix=".json", dir=self.dir)[1])
        path.write_text(json.dumps(bundle), encoding="utf-8")
        return path

    def verify(self, path: Path, *keys: str) -> subprocess.CompletedProcess:
        args = [binary(), "verify-statement", str(path)]
        for key in keys or (self.vkey,):
            args += ["--key", key]
        return subprocess.run(args, capture_output=True, text=True, env=clean_environment(), timeout=30)

    def test_every_entry_of_a_log_built_elsewhere_verifies(self):
        for index in range(len(self.entries)):
            run = self.verify(self.bundle(index))
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            self.assertIn(f"verified: {declaration_id(400 + index)}", run.stdout)
            self.assertIn(f"entry {index} of 23 in {ORIGIN}", run.stdout)
            self.assertEqual(len(run.stdout.splitlines()), 1)

    def test_an_altered_bundle_does_not_verify_and_says_why(self):
        proof = [base64.b64encode(h).decode() for h in ref.inclusion_proof(7, self.leaves)]
        flipped = list(proof)
        raw = bytearray(base64.b64decode(flipped[2]))
        raw[0] ^= 1
        flipped[2] = base64.b64encode(bytes(raw)).decode()
        other = ref.Ed25519Key(ORIGIN)
        cases = {
            "inclusion proof": self.bundle(7, inclusion_proof=flipped),
            "beyond the checkpoint": self.bundle(7, leaf_index=23),
            "checkpoint's signature": self.bundle(7, checkpoint=self.checkpoint.replace("\n23\n", "\n24\n")),
            "statement's signature": self.bundle(7, statement=self.key.signed_note(self.entries[7]).replace(
                "status declared", "status stopped")),
        }
        # A statement the log's key signed, of an entry the log does not hold.
        cases["inclusion proof "] = self.bundle(7, statement=self.key.signed_note(self.entries[8]))
        for reason, path in cases.items():
            run = self.verify(path)
            self.assertEqual(run.returncode, 1, reason)
            self.assertIn("does not verify", run.stdout, reason)
            self.assertIn(reason.strip(), run.stdout)
        # Signed by someone else's key of the same name: that key's holder cannot pass for the log.
        forged = self.dir / "forged.json"
        forged.write_text(json.dumps({"statement": other.signed_note(self.entries[3]), "leaf_index": 3,
                                      "inclusion_proof": [base64.b64encode(h).decode()
                                                          for h in ref.inclusion_proof(3, self.leaves)],
                                      "checkpoint": other.signed_note(ref.checkpoint_text(
                                          ORIGIN, len(self.leaves), ref.root(self.leaves)))}))
        self.assertEqual(self.verify(forged).returncode, 1)
        # ... unless the verifier is given that key: then it verifies, and names the same entry.
        self.assertEqual(self.verify(forged, other.vkey()).returncode, 0)

    def test_an_older_key_given_beside_the_current_one_is_accepted(self):
        older = ref.Ed25519Key(ORIGIN)
        run = self.verify(self.bundle(4), older.vkey(), self.vkey)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)

    def test_a_bad_key_or_an_unreadable_file_is_a_usage_error(self):
        self.assertEqual(self.verify(self.bundle(1), "not-a-key").returncode, 2)
        self.assertEqual(self.verify(self.dir / "missing.json").returncode, 2)
        junk = self.dir / "junk.json"
        junk.write_text("{\"statement\": 1}")
        run = self.verify(junk)
        self.assertEqual(run.returncode, 1)
        self.assertIn("statement", run.stderr)


if __name__ == "__main__":
    unittest.main()
