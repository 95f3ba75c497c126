"""The record salt served with the public record (issue 14, point 2): with the log's key set,
`GET /api/v1/declarations/{id}` and the signed statement carry the declaration's salt in base64,
and SHA-256(salt ‖ the answer without `issuer` and `record_salt`, as compact JSON) computed with
hashlib, as docs/trust.md tells a verifier, is the `record` line of the declaration's latest log
entry, read from the signed statement and from the entry bundle of the tiles. Without a key the
answer has no salt."""

import base64
import hashlib
import json
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
from test_log_serving import parse_bundle  # noqa: E402



def record_line(answer: dict) -> str:
    """The `record` line an entry for this public record carries, computed as docs/trust.md says."""
    record = {k: v for k, v in answer.items() if k not in ("issuer", "record_salt")}
    canonical = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(base64.b64decode(answer["record_salt"], validate=True) + canonical).digest()
    return "record " + base64.b64encode(digest).decode()


class SaltServed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.vkey = serve_with_log_key()
        cls.declared = Registry(cls.server).declare_many([application() for _ in range(3)])
        revoke = subprocess.run([binary(), "declaration", "revoke", cls.declared[2].public_id, "--reason",
                                 "テストのための取消し", "--db", f"sqlite:{cls.server.db_path}", "--base-url", BASE_URL,
                                 "--mail", f"file:{cls.server.mail_dir}"],
                                capture_output=True, text=True, env=clean_environment(), timeout=30)
        assert revoke.returncode == 0, revoke.stderr + revoke.stdout

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def answer(self, public_id: str) -> dict:
        reply = self.server.get(f"/api/v1/declarations/{public_id}")
        self.assertEqual(reply.status, 200, reply.text)
        return json.loads(reply.body)

    def statement(self, public_id: str) -> dict:
        """The statement once a checkpoint covers the declaration's latest entry."""
        deadline = time.monotonic() + 20
        while True:
            reply = self.server.get(f"/api/v1/declarations/{public_id}/statement")
            if reply.status == 200:
                return json.loads(reply.body)
            self.assertEqual(reply.status, 503, reply.text)
            self.assertLess(time.monotonic(), deadline, reply.text)
            time.sleep(0.2)

    def test_the_salt_and_the_public_record_give_the_record_line_of_the_latest_signed_entry(self):
        for d in self.declared:
            answer = self.answer(d.public_id)
            self.assertEqual(len(base64.b64decode(answer["record_salt"], validate=True)), 32)
            self.assertEqual(list(answer)[-2:], ["issuer", "record_salt"], "the salt is the last member")
            bundle = self.statement(d.public_id)
            self.assertEqual(bundle["record_salt"], answer["record_salt"], "the statement carries the same salt")
            entry = ref.verify_note(bundle["statement"], self.vkey)
            self.assertIsNotNone(entry, "the statement's signature verifies with the published key")
            self.assertIn(f"id {d.public_id}\n", entry)
            self.assertEqual(entry.splitlines()[-1], record_line(answer))
            # A salt that is not this declaration's gives another hash: the check can fail.
            other = dict(answer, record_salt=self.answer(self.declared[0 if d is not self.declared[0] else 1]
                                                         .public_id)["record_salt"])
            self.assertNotEqual(entry.splitlines()[-1], record_line(other))
        revoked = self.answer(self.declared[2].public_id)
        self.assertEqual(revoked["status"], "revoked", "the record hashed is the record after the revocation")

    def test_the_record_line_in_the_tiles_matches_for_each_declarations_latest_entry(self):
        self.statement(self.declared[2].public_id)  # a checkpoint covers all four entries
        size = int(ref.verify_note(self.server.get("/log/checkpoint").text, self.vkey).splitlines()[1])
        self.assertEqual(size, 4)
        entries = [e.decode("utf-8") for e in parse_bundle(self.server.get(f"/log/tile/entries/000.p/{size}").body)]
        for d in self.declared:
            latest = [e for e in entries if f"\nid {d.public_id}\n" in e][-1]
            self.assertEqual(latest.splitlines()[-1], record_line(self.answer(d.public_id)))
        # The revoked one's first entry hashed the record as it was then: declared.
        first = [e for e in entries if f"\nid {self.declared[2].public_id}\n" in e][0]
        then = dict(self.answer(self.declared[2].public_id), status="declared")
        self.assertEqual(first.splitlines()[-1], record_line(then))


class SaltNotServed(unittest.TestCase):
    def test_without_a_key_the_public_record_has_no_salt(self):
        with SengenServer("--mail-poll-ms", "50", base_url=BASE_URL) as server:
            declared = Registry(server).declare(application())
            reply = server.get(f"/api/v1/declarations/{declared.public_id}")
            self.assertEqual(reply.status, 200, reply.text)
            answer = json.loads(reply.body)
            self.assertNotIn("record_salt", answer)
            self.assertEqual(answer["id"], declared.public_id)


if __name__ == "__main__":
    unittest.main()
