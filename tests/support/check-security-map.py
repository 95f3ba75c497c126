#!/usr/bin/python3
"""Keeps docs/security.md honest: every ASVS requirement has one row, every cited test exists.

docs/security.md maps each OWASP ASVS 5.0 level 1 and 2 requirement (the IDs listed in
docs/asvs-5.0-l2-ids.txt) to the test that proves it, or says why it does not apply. This check
fails, naming every problem at once, when
  - an ID of the list has no row, or more than one, or a row names an ID not in the list;
  - a row has no status, or one that is not in the legend;
  - a row cites `path::name` and the file does not exist or the name does not occur in it
    (`file.cpp::Suite.test_name` must be a GoogleTest, `file.py::test_name` a Python function).
Rows that end with "(pending merge)" cite tests that another branch is adding; with
SECURITY_MAP_SKIP_PENDING=1 their citations are listed but not checked, for use while branches
are being merged. Usage: check-security-map.py SOURCE_DIR
"""

import os
import re
import sys
from pathlib import Path

STATUSES = ("proven", "no test yet", "not yet met", "documented", "n/a")
ID = re.compile(r"V\d+\.\d+\.\d+")
CITATION = re.compile(r"`([A-Za-z0-9_./-]+\.(?:py|cpp|js|sh|cmake))::([^`]+)`")


def rows(doc: str):
    """(line number, [IDs], status, whole line) for each table row whose first cell holds IDs."""
    for n, line in enumerate(doc.splitlines(), 1):
        if not line.startswith("| V"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        ids = ID.findall(cells[0])
        if not ids:
            continue
        status = next((c.strip("*").strip() for c in cells[1:] if c.strip("*").strip() in STATUSES), None)
        yield n, ids, status, line


def cited_name_found(path: str, text: str, name: str) -> bool:
    """Whether the file defines the cited test: a GoogleTest `Suite.name` (or, without a dot, a
    function of that name), a Python `def name`, or a browser test whose it('...') title is the name."""
    if path.endswith(".cpp") and "." not in name:
        # A function that is not a GoogleTest, such as a fuzz target's LLVMFuzzerTestOneInput.
        return re.search(rf"\b{re.escape(name)}\s*\(", text) is not None
    if path.endswith(".cpp"):
        suite, _, test = name.partition(".")
        return re.search(rf"\bTEST(?:_F|_P)?\(\s*{re.escape(suite)}\s*,\s*{re.escape(test)}\s*\)", text) is not None
    if path.endswith(".py"):
        return re.search(rf"^\s*def {re.escape(name)}\(", text, re.M) is not None
    return name in text


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    skip_pending = os.environ.get("SECURITY_MAP_SKIP_PENDING") == "1"
    doc = (root / "docs" / "security.md").read_text(encoding="utf-8")
    wanted = [l.strip() for l in (root / "docs" / "asvs-5.0-l2-ids.txt").read_text().splitlines() if l.strip()]
    problems: list[str] = []

    seen: dict[str, list[int]] = {}
    counts = {s: 0 for s in STATUSES}
    citations = 0
    pending: list[str] = []
    for n, ids, status, line in rows(doc):
        for i in ids:
            seen.setdefault(i, []).append(n)
        if status is None:
            problems.append(f"docs/security.md:{n}: no status of {STATUSES} in the row of {', '.join(ids)}")
        else:
            counts[status] += len(ids)
        is_pending = line.rstrip().rstrip("|").rstrip().endswith("(pending merge)")
        if is_pending:
            pending.extend(ids)
        for path, name in CITATION.findall(line):
            citations += 1
            if is_pending and skip_pending:
                print(f"not checked (pending merge): {path}::{name}")
                continue
            f = root / path
            if not f.is_file():
                problems.append(f"docs/security.md:{n}: {path} does not exist (cited for {', '.join(ids)})")
            elif not cited_name_found(path, f.read_text(encoding="utf-8", errors="replace"), name):
                problems.append(f"docs/security.md:{n}: {path} has no test {name} (cited for {', '.join(ids)})")

    for i in wanted:
        if i not in seen:
            problems.append(f"{i} has no row in docs/security.md")
        elif len(seen[i]) > 1:
            problems.append(f"{i} has {len(seen[i])} rows (lines {', '.join(map(str, seen[i]))}); keep one")
    for i in sorted(set(seen) - set(wanted)):
        problems.append(f"docs/security.md:{seen[i][0]}: {i} is not a level 1 or 2 requirement of the list")

    for p in problems:
        print(p, file=sys.stderr)
    summary = ", ".join(f"{s}: {c}" for s, c in counts.items())
    print(f"{len(wanted)} requirements ({summary}); {citations} citations; pending merge: {', '.join(pending) or 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
