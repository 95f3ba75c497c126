"""Runs one of the repository checks (a script taking a tree's root) on a small made-up tree, for
the tests of the checks' own rules."""

import subprocess
import sys
import tempfile
from pathlib import Path


def run_on_tree(check: Path, files: dict[str, str]) -> int:
    """Writes `files` (path under the root -> text) into a fresh directory, runs `check` on it and
    returns its exit code."""
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return subprocess.run([sys.executable, str(check), str(root)], capture_output=True).returncode
