"""`sengen log keygen`: the signing key file and the verifier key it prints, checked the way an
outsider would, with hashlib and the openssl command: the file is owner-only and in the signer key
form of C2SP signed-note tools; the verifier key's ID is SHA-256(name || 0x0A || 0x01 || key)[:4];
the public key is the one the file's seed derives; an existing file is never overwritten; a bad
name is refused with status 2."""

import base64
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

from sengen_server import binary, clean_environment

# PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), so that openssl can read it.
PKCS8_ED25519_PREFIX = bytes.fromhex("302e020100300506032b657004220420")


def public_key_of(seed: bytes) -> bytes:
    der = subprocess.run(["openssl", "pkey", "-inform", "DER", "-pubout", "-outform", "DER"],
                         input=PKCS8_ED25519_PREFIX + seed, capture_output=True, check=True).stdout
    return der[-32:]


def key_id(name: str, public_key: bytes) -> str:
    return hashlib.sha256(name.encode() + b"\n" + b"\x01" + public_key).digest()[:4].hex()


class Keygen(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-log-"))
        self.addCleanup(shutil.rmtree, self.dir, True)

    def keygen(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), "log", "keygen", *args], capture_output=True, text=True,
                              env=clean_environment(), cwd=self.dir, timeout=30)

    def test_the_key_file_is_owner_only_and_the_printed_verifier_key_is_its_public_half(self):
        name = "registry.example.jp/log"
        run = self.keygen("--name", name, "--out", "log.key")
        self.assertEqual(run.returncode, 0, run.stderr)
        path = self.dir / "log.key"
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

        vkey = run.stdout.splitlines()[-1]
        vname, vid, vb64 = vkey.split("+", 2)
        self.assertEqual(vname, name)
        raw = base64.b64decode(vb64, validate=True)
        self.assertEqual(len(raw), 33)
        self.assertEqual(raw[0], 0x01)
        self.assertEqual(vid, key_id(name, raw[1:]))

        secret = path.read_text().strip()
        self.assertTrue(secret.startswith(f"PRIVATE+KEY+{name}+{vid}+"), "the signer key form")
        seed_raw = base64.b64decode(secret.split("+", 4)[4], validate=True)
        self.assertEqual(len(seed_raw), 33)
        self.assertEqual(seed_raw[0], 0x01)
        self.assertEqual(public_key_of(seed_raw[1:]), raw[1:])
        # The secret is in the file only.
        self.assertNotIn(secret.split("+", 4)[4], run.stdout + run.stderr)

    def test_two_keys_differ_and_the_default_file_is_made_in_the_working_directory(self):
        first = self.keygen("--name", "example.org/log")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertTrue((self.dir / "sengen-log.key").is_file())
        second = self.keygen("--name", "example.org/log", "--out", "other.key")
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertNotEqual(first.stdout.splitlines()[-1], second.stdout.splitlines()[-1])

    def test_an_existing_file_is_never_overwritten(self):
        path = self.dir / "log.key"
        path.write_text("a key that signed checkpoints\n")
        run = self.keygen("--name", "example.org/log", "--out", "log.key")
        self.assertEqual(run.returncode, 1)
        self.assertIn("never overwritten", run.stderr)
        self.assertEqual(path.read_text(), "a key that signed checkpoints\n")
        # Nor through a symbolic link.
        os.symlink(self.dir / "elsewhere", self.dir / "link.key")
        run = self.keygen("--name", "example.org/log", "--out", "link.key")
        self.assertEqual(run.returncode, 1)
        self.assertFalse((self.dir / "elsewhere").exists())

    def test_a_name_with_a_space_or_a_plus_is_refused_with_status_2(self):
        for name in ("has space", "a+b", "", "\u3000ログ"):
            run = self.keygen("--name", name, "--out", "log.key")
            self.assertEqual(run.returncode, 2, name)
            self.assertIn("--name", run.stderr)
            self.assertFalse((self.dir / "log.key").exists())


if __name__ == "__main__":
    unittest.main()
