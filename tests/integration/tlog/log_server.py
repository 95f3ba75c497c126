"""What the transparency log's HTTP tests share: a log key made by the real `sengen log keygen`,
a `sengen serve` that signs its log with it, and a real `sengen witness serve`."""

import base64
import signal
import subprocess
import time
from pathlib import Path

from ports import free_port
from sengen_server import SengenServer, binary, clean_environment, port_accepts

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


class WitnessProcess:
    """A real `sengen witness serve` of `name` in `directory`, witnessing the logs of `log_vkeys`.
    `vkey` is its cosigner key, `public_key` the raw Ed25519 key inside it."""

    def __init__(self, directory: Path, name: str, *log_vkeys: str):
        self.dir = directory
        self.name = name
        self.log_vkeys = log_vkeys
        self.process = None
        self.port = free_port()
        made = subprocess.run([binary(), "witness", "keygen", "--name", name, "--out", str(directory / "w.key")],
                              capture_output=True, text=True, env=clean_environment(), timeout=30)
        assert made.returncode == 0, made.stderr
        self.vkey = made.stdout.splitlines()[-1]
        self.public_key = base64.b64decode(self.vkey.split("+", 2)[2])[1:]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        args = [binary(), "witness", "serve", "--key", str(self.dir / "w.key"), "--state", str(self.dir / "state"),
                "--listen", f"127.0.0.1:{self.port}"]
        for vkey in self.log_vkeys:
            args += ["--log", vkey]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        env=clean_environment())
        deadline = time.monotonic() + 20
        while not port_accepts(self.port):
            assert self.process.poll() is None, "the witness stopped"
            assert time.monotonic() < deadline, "the witness did not start"
            time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        if self.process is not None:
            self.process.stderr.close()
        self.process = None
