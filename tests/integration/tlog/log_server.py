"""What the transparency log's HTTP tests share: a log key made by the real `sengen log keygen`,
and a `sengen serve` that signs its log with it."""

import subprocess
from pathlib import Path

from sengen_server import SengenServer, binary, clean_environment

BASE_URL = "https://registry.example.jp"
ORIGIN = "registry.example.jp/log"


def keygen(path: Path, name: str = ORIGIN) -> str:
    """Makes a signing key at `path` and returns the verifier key keygen printed last."""
    made = subprocess.run([binary(), "log", "keygen", "--name", name, "--out", str(path)], capture_output=True,
                          text=True, env=clean_environment(), timeout=30)
    assert made.returncode == 0, made.stderr
    return made.stdout.splitlines()[-1]


def serve_with_log_key(*args: str) -> tuple[SengenServer, str]:
    """A started server at BASE_URL whose log is signed by a fresh key, and that key's verifier key."""
    server = SengenServer("--mail-poll-ms", "50", *args, base_url=BASE_URL)
    vkey = keygen(server.dir / "log.key")
    server.args += ["--log-key", str(server.dir / "log.key")]
    server.start()
    return server, vkey
