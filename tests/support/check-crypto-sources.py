#!/usr/bin/python3
"""Keeps sengen's cryptography to the few primitives docs/security.md names (V11).

Fails, naming each file and line, when a source file under src/
  - draws random numbers from anything but libsodium (rand, random, drand48, the <random>
    engines, std::random_device), except the seed subcommand, which invents demonstration data
    from a seed that must repeat and guards nothing;
  - uses MD5, SHA-1 or another hash that is broken or too short for security, except HMAC-SHA1 in
    the TOTP code, which RFC 6238 and every authenticator app use (HMAC does not rely on the
    collision resistance that SHA-1 lost), and SHA-256 where the transparency log's formats
    prescribe it (tokens and secrets are hashed with BLAKE2b);
  - calls OpenSSL's own random or cipher functions (tokens and hashes come from libsodium);
and when the token functions stop drawing from randombytes_buf or hashing with BLAKE2b.
Usage: check-crypto-sources.py SOURCE_DIR
"""

import re
import sys
from pathlib import Path

FORBIDDEN = [
    (re.compile(r"\b(?:std::)?s?rand\s*\("), "rand()/srand(): not a cryptographic generator"),
    (re.compile(r"\b(?:random|srandom|drand48|lrand48|mrand48|arc4random)\s*\("), "a libc generator"),
    (re.compile(r"\bstd::(?:mt19937(?:_64)?|minstd_rand0?|default_random_engine|ranlux\w*|knuth_b|random_device)\b"),
     "a <random> engine"),
    (re.compile(r"\b(?:MD4|MD5|md4|md5|RIPEMD|ripemd|crypto_hash_sha256|SHA224|SHA1_|EVP_md5|EVP_md4)\w*"),
     "a hash too weak or too short for security"),
    (re.compile(r"\bEVP_sha1\b|\bSHA1\s*\("), "SHA-1"),
    (re.compile(r"\b(?:RAND_bytes|RAND_pseudo_bytes|EVP_Encrypt\w*|EVP_Cipher\w*|DES_\w+|RC4\w*)\b"),
     "OpenSSL random or ciphers (sengen draws and hashes with libsodium)"),
]

# Where a match above is expected, and why (see the docstring).
ALLOWED = {
    ("src/app/seed.cpp", "a <random> engine"),
    ("src/app/totp.cpp", "SHA-1"),
    # The transparency log hashes with SHA-256 because RFC 9162 and the C2SP formats that other
    # tools read prescribe it (the Merkle tree and the signed-note key IDs); nothing secret is
    # hashed there.
    ("src/tlog/merkle.cpp", "a hash too weak or too short for security"),
    ("src/tlog/note.cpp", "a hash too weak or too short for security"),
    ("src/tlog/entry.cpp", "a hash too weak or too short for security"),
}

# What the token functions must keep doing.
REQUIRED = [
    ("src/app/tokens.cpp", "randombytes_buf", "random_token draws from libsodium's CSPRNG"),
    ("src/app/tokens.cpp", "crypto_generichash", "token_hash is BLAKE2b (crypto_generichash)"),
]


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    for path in sorted((root / "src").rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h", ".c"):
            continue
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            code = line.split("//", 1)[0]
            for pattern, what in FORBIDDEN:
                if pattern.search(code) and (rel, what) not in ALLOWED:
                    problems.append(f"{rel}:{n}: {what}: {line.strip()}")
    for rel, needle, why in REQUIRED:
        f = root / rel
        if not f.is_file() or needle not in f.read_text(encoding="utf-8"):
            problems.append(f"{rel}: no longer uses {needle} ({why})")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
