"""A second implementation of the transparency log's formats, written from the public
specifications with Python's standard library and the openssl command only: what docs/trust.md
tells an outside verifier to use. Tests build logs, statements and checkpoints with it and check
that sengen agrees, and check sengen's own output with it.

- RFC 9162 section 2.1: the Merkle tree and its inclusion proofs, read literally (recursion over
  the largest power of two below n), not the stored-hash arithmetic sengen uses.
- C2SP signed-note: Ed25519 signatures by openssl, key IDs and verifier keys by hashlib.
- C2SP tlog-checkpoint and sengen's entry format (docs/trust.md).
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import tempfile
from pathlib import Path

EM_DASH = "\u2014"
# PKCS#8 and SubjectPublicKeyInfo wrappings of raw Ed25519 keys (RFC 8410), for openssl.
PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [root(leaves[:k])]


def consistency_proof(old_size: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1, over leaf hashes."""
    def subproof(m: int, d: list[bytes], whole: bool) -> list[bytes]:
        n = len(d)
        if m == n:
            return [] if whole else [root(d)]
        k = _split(n)
        if m <= k:
            return subproof(m, d[:k], whole) + [root(d[k:])]
        return subproof(m - k, d[k:], False) + [root(d[:k])]
    if old_size == 0 or old_size == len(leaves):
        return []
    return subproof(old_size, leaves, True)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


class Ed25519Key:
    """An Ed25519 key held by openssl in a temporary directory."""

    def __init__(self, name: str, seed: bytes | None = None):
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix="tlog-ref-"))
        self.pem = self.dir / "key.pem"
        if seed is None:
            subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(self.pem)], check=True,
                           capture_output=True)
        else:
            subprocess.run(["openssl", "pkey", "-inform", "DER", "-out", str(self.pem)], input=PKCS8_PREFIX + seed,
                           check=True, capture_output=True)
        der = subprocess.run(["openssl", "pkey", "-in", str(self.pem), "-pubout", "-outform", "DER"], check=True,
                             capture_output=True).stdout
        self.public_key = der[-32:]
        self.key_id = key_id(name, self.public_key)

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([1]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def sign(self, text: str) -> bytes:
        message = self.dir / "message"
        message.write_bytes(text.encode())
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(self.pem), "-rawin", "-in", str(message)],
                              check=True, capture_output=True).stdout

    def cosigner_vkey(self) -> str:
        """The key as a witness's cosigner key (C2SP tlog-cosignature: type 0x04)."""
        encoded = base64.b64encode(bytes([4]) + self.public_key).decode()
        return f"{self.name}+{cosignature_key_id(self.name, self.public_key).hex()}+{encoded}"

    def cosignature_line(self, checkpoint: str, timestamp: int) -> str:
        """A cosignature/v1 line on the checkpoint's text, as a witness answers it."""
        signature = self.sign(f"cosignature/v1\ntime {timestamp}\n{checkpoint}")
        raw = cosignature_key_id(self.name, self.public_key) + timestamp.to_bytes(8, "big") + signature
        return f"{EM_DASH} {self.name} {base64.b64encode(raw).decode()}\n"

    def signed_note(self, text: str) -> str:
        signature = base64.b64encode(self.key_id + self.sign(text)).decode()
        return f"{text}\n{EM_DASH} {self.name} {signature}\n"


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]


def openssl_verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether openssl verifies `signature` as the Ed25519 signature of `message` by `public_key`."""
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "pub.der").write_bytes(SPKI_PREFIX + public_key)
        (Path(d) / "msg").write_bytes(message)
        (Path(d) / "sig").write_bytes(signature)
        ok = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey",
                             str(Path(d) / "pub.der"), "-rawin", "-in", str(Path(d) / "msg"), "-sigfile",
                             str(Path(d) / "sig")], capture_output=True)
    return ok.returncode == 0


def verify_note(note: str, vkey: str) -> str | None:
    """The note's text when the key's signature on it verifies (openssl), else None."""
    name, kid, b64 = vkey.split("+", 2)
    public_key = base64.b64decode(b64)[1:]
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    for line in signatures.splitlines():
        dash, signer, sig = line.split(" ")
        raw = base64.b64decode(sig)
        if dash != EM_DASH or signer != name or raw[:4].hex() != kid:
            continue
        if openssl_verifies(public_key, text.encode(), raw[4:]):
            return text
    return None


def checkpoint_text(origin: str, size: int, root_hash: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root_hash).decode()}\n"


def entry_text(origin: str, public_id: str, event: str, level: int, status: str, time: str,
               record: bytes) -> str:
    return (f"{origin}\nsengen-event v1\nid {public_id}\nevent {event}\nlevel {level}\nstatus {status}\n"
            f"time {time}\nrecord {base64.b64encode(record).decode()}\n")


def tile_index_path(n: int) -> str:
    """C2SP tlog-tiles: N in 3-digit path elements, all but the last prefixed with 'x'."""
    parts = []
    while True:
        parts.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    parts.reverse()
    return "/".join(["x" + p for p in parts[:-1]] + [parts[-1]])


def tiles(entries: list[bytes]) -> dict[str, bytes]:
    """Every tile path (below the log's prefix) of the tree of `entries`, with its bytes: hash tiles
    at every level the tree reaches and entry bundles, full ones and the partial one at the end of
    each level, computed with the recursive MTH above rather than stored hashes."""
    out: dict[str, bytes] = {}
    size = len(entries)
    leaves = [leaf_hash(e) for e in entries]
    level = 0
    while True:
        span = 256 ** level  # leaves under one hash of this level
        count = size // span
        if count == 0:
            break
        hashes = [root(leaves[j * span:(j + 1) * span]) if span > 1 else leaves[j] for j in range(count)]
        for n in range(0, (count + 255) // 256):
            row = hashes[n * 256:(n + 1) * 256]
            suffix = "" if len(row) == 256 else f".p/{len(row)}"
            out[f"tile/{level}/{tile_index_path(n)}{suffix}"] = b"".join(row)
        level += 1
    for n in range(0, (size + 255) // 256):
        bundle = entries[n * 256:(n + 1) * 256]
        suffix = "" if len(bundle) == 256 else f".p/{len(bundle)}"
        out[f"tile/entries/{tile_index_path(n)}{suffix}"] = b"".join(len(e).to_bytes(2, "big") + e for e in bundle)
    return out


def cosignature_key_id(name: str, public_key: bytes) -> bytes:
    """C2SP tlog-cosignature: the key ID of an Ed25519 cosigner (type 0x04)."""
    return hashlib.sha256(name.encode() + b"\n\x04" + public_key).digest()[:4]


def verify_cosignature(line: str, checkpoint: str, name: str, public_key: bytes) -> int | None:
    """The timestamp of a cosignature line ("— name base64") on the checkpoint text when openssl
    verifies its Ed25519 signature of "cosignature/v1\ntime T\n" + text, else None."""
    dash, signer, sig = line.rstrip("\n").split(" ")
    raw = base64.b64decode(sig)
    if dash != EM_DASH or signer != name or raw[:4] != cosignature_key_id(name, public_key) or len(raw) != 76:
        return None
    timestamp = int.from_bytes(raw[4:12], "big")
    message = f"cosignature/v1\ntime {timestamp}\n{checkpoint}"
    return timestamp if openssl_verifies(public_key, message.encode(), raw[12:]) else None
