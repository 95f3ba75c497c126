"""The transparency log served by a real `sengen serve` (issue 14, ADR 46), checked from outside
with tests/support/tlog_reference.py (hashlib and openssl, as docs/trust.md tells a verifier):
declarations made through the API and revoked with the CLI each append one entry; the signed
checkpoint at /log/checkpoint verifies with the key at /log/key; its root is the root of the leaves
read from the hash tile, each of which is the hash of an entry read from the entry bundle; an
inclusion proof built from those tiles leads to it. Without a key, /log/* answers 404 with problem
details and the rest of the site works as before."""

import base64
import json
import struct
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "verify"))

import tlog_reference as ref  # noqa: E402
from log_server import BASE_URL, ORIGIN, keygen, serve_with_log_key  # noqa: E402
from registry_flow import Registry, application  # noqa: E402
from sengen_server import SengenServer, binary, clean_environment  # noqa: E402



def parse_bundle(data: bytes) -> list[bytes]:
    """C2SP tlog-tiles entry bundle: each entry as a big-endian uint16 length and its bytes."""
    out, at = [], 0
    while at < len(data):
        (n,) = struct.unpack(">H", data[at:at + 2])
        out.append(data[at + 2:at + 2 + n])
        at += 2 + n
    return out


class LogServed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.vkey = serve_with_log_key()
        cls.registry = Registry(cls.server)
        cls.declared = cls.registry.declare_many([application() for _ in range(5)])
        revoke = subprocess.run([binary(), "declaration", "revoke", cls.declared[1].public_id, "--reason",
                                 "テストのための取消し", "--db", f"sqlite:{cls.server.db_path}", "--base-url", BASE_URL,
                                 "--mail", f"file:{cls.server.mail_dir}"],
                                capture_output=True, text=True, env=clean_environment(), timeout=30)
        assert revoke.returncode == 0, revoke.stderr + revoke.stdout
        cls.size = 6

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def checkpoint(self, size: int, timeout: float = 20.0) -> tuple[int, bytes]:
        """The signed checkpoint, once it covers `size` leaves (a node signs about once a second)."""
        deadline = time.monotonic() + timeout
        while True:
            reply = self.server.get("/log/checkpoint")
            self.assertEqual(reply.status, 200, reply.text)
            text = ref.verify_note(reply.text, self.vkey)
            self.assertIsNotNone(text, "the checkpoint's signature verifies with the published key")
            origin, n, root = text.splitlines()
            self.assertEqual(origin, ORIGIN)
            if int(n) >= size:
                self.assertEqual(reply.header("Content-Type"), "text/plain; charset=utf-8")
                self.assertEqual(reply.header("Cache-Control"), "public, max-age=1")
                return int(n), base64.b64decode(root)
            if time.monotonic() > deadline:
                raise AssertionError(f"no checkpoint of {size} leaves within {timeout}s: {text}")
            time.sleep(0.2)

    def test_the_verifier_key_is_the_one_keygen_printed(self):
        reply = self.server.get("/log/key")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.text, self.vkey + "\n")
        self.assertTrue(reply.header("Content-Type").startswith("text/plain"))

    def test_the_checkpoint_root_is_the_root_of_the_tiles_and_every_entry_is_included(self):
        size, root = self.checkpoint(self.size)
        self.assertEqual(size, self.size)
        hashes = self.server.get(f"/log/tile/0/000.p/{size}")
        self.assertEqual(hashes.status, 200)
        self.assertEqual(hashes.header("Cache-Control"), "public, max-age=1", "a partial tile is replaced later")
        leaves = [hashes.body[i:i + 32] for i in range(0, len(hashes.body), 32)]
        self.assertEqual(len(leaves), size)
        bundle = self.server.get(f"/log/tile/entries/000.p/{size}")
        self.assertEqual(bundle.status, 200)
        entries = parse_bundle(bundle.body)
        self.assertEqual(len(entries), size)
        for entry, leaf in zip(entries, leaves):
            self.assertEqual(ref.leaf_hash(entry), leaf)
        self.assertEqual(ref.root(leaves), root, "RFC 9162 root of the tiles' leaves is the signed root")

        texts = [e.decode("utf-8") for e in entries]
        ids = [d.public_id for d in self.declared]
        self.assertEqual([t.splitlines()[2] for t in texts[:5]], [f"id {i}" for i in ids])
        for t in texts[:5]:
            lines = t.splitlines()
            self.assertEqual(lines[0], ORIGIN)
            self.assertEqual(lines[1], "sengen-event v1")
            self.assertEqual(lines[3:6], ["event issued", "level 1", "status declared"])
        self.assertEqual(texts[5].splitlines()[2:6], [f"id {ids[1]}", "event revoked", "level 1", "status revoked"])
        for index in range(size):
            proof = ref.inclusion_proof(index, leaves)
            self.assertTrue(ref.verify_inclusion(index, size, leaves[index], proof, root))
            flipped = bytearray(leaves[index])
            flipped[0] ^= 1
            self.assertFalse(ref.verify_inclusion(index, size, bytes(flipped), proof, root))

    def test_a_statement_from_the_api_verifies_offline_with_sengen_and_with_the_reference(self):
        size, root = self.checkpoint(self.size)
        revoked = self.declared[1].public_id
        reply = self.server.get(f"/api/v1/declarations/{revoked}/statement")
        self.assertEqual(reply.status, 200, reply.text)
        self.assertEqual(reply.header("Content-Type"), "application/json")
        bundle = json.loads(reply.body)
        self.assertEqual(bundle["leaf_index"], 5, "its latest entry: the revocation")
        entry = ref.verify_note(bundle["statement"], self.vkey)
        self.assertIsNotNone(entry, "the statement's signature verifies with the published key")
        self.assertIn("event revoked\n", entry)
        self.assertIsNotNone(ref.verify_note(bundle["checkpoint"], self.vkey))
        proof = [base64.b64decode(h) for h in bundle["inclusion_proof"]]
        self.assertTrue(ref.verify_inclusion(5, size, ref.leaf_hash(entry.encode()), proof, root))

        saved = self.server.dir / "statement.json"
        saved.write_bytes(reply.body)
        run = subprocess.run([binary(), "verify-statement", str(saved), "--key", self.vkey], capture_output=True,
                             text=True, env=clean_environment(), timeout=30)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn(f"verified: {revoked} revoked", run.stdout)

        for path, status in ((f"/api/v1/declarations/{revoked[:-1]}0/statement", (400, 404)),
                             ("/api/v1/declarations/12345/statement", (400,))):
            reply = self.server.get(path)
            self.assertIn(reply.status, status, path)
            self.assertEqual(reply.header("Content-Type"), "application/problem+json", path)

    def test_a_tile_beyond_the_tree_or_off_the_specification_is_a_404_problem(self):
        self.checkpoint(self.size)
        for path in ("/log/tile/0/001", "/log/tile/0/000.p/200", "/log/tile/0/000.p/0", "/log/tile/0/0000",
                     "/log/tile/entries/x001/000", "/log/tile/nope"):
            reply = self.server.get(path)
            self.assertEqual(reply.status, 404, path)
            self.assertEqual(reply.header("Content-Type"), "application/problem+json", path)


class TilesKept(unittest.TestCase):
    """A node keeps each tile it has read, by path: every tile path names bytes that never change
    once the tree holds them. A tile the tree does not hold yet must not be kept as missing."""

    def test_a_tile_read_once_is_kept_and_one_beyond_the_tree_is_served_once_the_tree_holds_it(self):
        server, _ = serve_with_log_key()
        self.addCleanup(server.close)
        registry = Registry(server)

        def served(path: str, timeout: float = 20.0):
            deadline = time.monotonic() + timeout
            while (reply := server.get(path)).status != 200:
                self.assertLess(time.monotonic(), deadline, f"{path}: {reply.status}")
                time.sleep(0.1)
            return reply

        registry.declare_many([application() for _ in range(2)])
        two = served("/log/tile/0/000.p/2")
        self.assertEqual(server.get("/log/tile/0/000.p/3").status, 404, "beyond the tree")
        registry.declare_many([application()])
        three = served("/log/tile/0/000.p/3")
        entries = parse_bundle(served("/log/tile/entries/000.p/3").body)
        self.assertEqual(three.body, b"".join(ref.leaf_hash(e) for e in entries))
        self.assertEqual(three.body[:64], two.body)
        again = server.get("/log/tile/0/000.p/2")
        self.assertEqual((again.body, again.header("ETag")), (two.body, two.header("ETag")))
        self.assertTrue(two.header("ETag"))
        unchanged = server.get("/log/tile/0/000.p/2", {"If-None-Match": two.header("ETag")})
        self.assertEqual(unchanged.status, 304)
        self.assertEqual(unchanged.body, b"")


class FullTiles(unittest.TestCase):
    """Past 256 entries (an import of 300 declarations from another registry's export, made by
    bench/import_csv.py) the first tiles are full: immutable, cached for a year."""

    def test_full_tiles_are_immutable_and_with_the_partial_ones_give_the_signed_root(self):
        with SengenServer("--mail-poll-ms", "50", base_url=BASE_URL) as server:
            key = server.dir / "log.key"
            vkey = keygen(key)
            server.stop()
            csv = server.dir / "import.csv"
            script = Path(__file__).resolve().parents[3] / "bench" / "import_csv.py"
            subprocess.run([sys.executable, str(script), "300", str(csv)], check=True, timeout=60)
            imported = subprocess.run([binary(), "import", str(csv), "--db", f"sqlite:{server.db_path}",
                                       "--base-url", BASE_URL], capture_output=True, text=True,
                                      env=clean_environment(), timeout=120)
            self.assertEqual(imported.returncode, 0, imported.stdout + imported.stderr)
            # Each entry's record hash holds for the row and the record salt the import stored with
            # it (ADR 57: the salt is written with the row, not by the log afterwards).
            audited = subprocess.run([binary(), "log", "audit", "--db", f"sqlite:{server.db_path}"],
                                     capture_output=True, text=True, env=clean_environment(), timeout=120)
            self.assertEqual(audited.returncode, 0, audited.stdout + audited.stderr)
            self.assertIn("300 declarations checked: 300 match their latest log entry", audited.stdout)
            server.args += ["--log-key", str(key)]
            server.start()

            deadline = time.monotonic() + 20
            while True:
                reply = server.get("/log/checkpoint")
                if reply.status == 200:
                    break
                self.assertLess(time.monotonic(), deadline, reply.text)
                time.sleep(0.2)
            text = ref.verify_note(reply.text, vkey)
            self.assertIsNotNone(text)
            origin, size, root = text.splitlines()
            self.assertEqual((origin, size), (ORIGIN, "300"))

            full = server.get("/log/tile/0/000")
            self.assertEqual(full.status, 200)
            self.assertEqual(full.header("Cache-Control"), "public, max-age=31536000, immutable")
            self.assertEqual(len(full.body), 256 * 32)
            bundle = server.get("/log/tile/entries/000")
            self.assertEqual(bundle.header("Cache-Control"), "public, max-age=31536000, immutable")
            rest = server.get("/log/tile/0/001.p/44")
            self.assertEqual(rest.header("Cache-Control"), "public, max-age=1")
            self.assertEqual(server.get("/log/tile/0/001").status, 404, "not full yet")
            leaves = [(full.body + rest.body)[i:i + 32] for i in range(0, 300 * 32, 32)]
            entries = parse_bundle(bundle.body) + parse_bundle(server.get("/log/tile/entries/001.p/44").body)
            self.assertEqual([ref.leaf_hash(e) for e in entries], leaves)
            self.assertTrue(all(b"event imported\n" in e for e in entries))
            self.assertEqual(ref.root(leaves), base64.b64decode(root))
            # Level 1 holds the hash of the first 256 leaves once they are complete.
            level1 = server.get("/log/tile/1/000.p/1")
            self.assertEqual(level1.status, 200)
            self.assertEqual(level1.body, ref.root(leaves[:256]))

            # `sengen log monitor` reads the same log from outside: consistent, every entry once.
            state = server.dir / "monitor.state"
            monitor = [binary(), "log", "monitor", "--url", f"{server.origin}/log", "--state", str(state), "--key",
                       vkey]
            first = subprocess.run(monitor, capture_output=True, text=True, env=clean_environment(), timeout=60)
            self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
            self.assertEqual(first.stdout.splitlines()[-1], f"{ORIGIN}: consistent; 300 entries (300 new since the last run)")
            # A sole proprietor: no corporate number that an imported one could already hold.
            added = Registry(server).declare_many([application(entity_type="sole_proprietor", corporate_number="")])[0]
            deadline = time.monotonic() + 20
            while ref.verify_note(server.get("/log/checkpoint").text, vkey).splitlines()[1] != "301":
                self.assertLess(time.monotonic(), deadline, "no checkpoint of 301 entries")
                time.sleep(0.2)
            second = subprocess.run(monitor, capture_output=True, text=True, env=clean_environment(), timeout=60)
            self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
            lines = second.stdout.splitlines()
            self.assertEqual(len(lines), 2, lines)
            self.assertTrue(lines[0].startswith(f"300 {added.public_id} issued level 1 declared "), lines[0])
            self.assertEqual(lines[1], f"{ORIGIN}: consistent; 301 entries (1 new since the last run)")


class LogNotServed(unittest.TestCase):
    def test_without_a_key_the_log_is_404_and_the_site_works(self):
        with SengenServer("--mail-poll-ms", "50", base_url=BASE_URL) as server:
            for path in ("/log/key", "/log/checkpoint", "/log/tile/0/000.p/1",
                         "/api/v1/declarations/10000000018/statement"):
                reply = server.get(path)
                self.assertEqual(reply.status, 404, path)
                self.assertEqual(reply.header("Content-Type"), "application/problem+json", path)
                self.assertEqual(json.loads(reply.body)["code"], "tlog.not_served")
            self.assertEqual(server.get("/").status, 200)
            # Entries are appended even so: the key can be set later and signs the whole log.
            declared = Registry(server).declare(application())
            rows = server.sql("SELECT entry FROM tlog_entries")
            self.assertEqual(len(rows), 1)
            self.assertIn(f"id {declared.public_id}\n", rows[0][0])


if __name__ == "__main__":
    unittest.main()
