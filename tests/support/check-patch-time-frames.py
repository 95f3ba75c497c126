#!/usr/bin/python3
"""The time frames for fixing vulnerable components stay written down (ASVS 5.0 V15.1.1, V15.2.1).

Fails unless docs/operations.md has the section "Security updates: time frames" with a table that
gives, for each severity (critical, high, medium, low), a time frame: a number of days or the next
release; and unless the section says that Debian security updates are applied weekly and that
sengen is restarted after them (a running process keeps the old library).
Usage: check-patch-time-frames.py SOURCE_DIR
"""

import re
import sys
from pathlib import Path

HEADING = "### Security updates: time frames"
SEVERITIES = ("critical", "high", "medium", "low")


def section(doc: str) -> str | None:
    start = doc.find(HEADING + "\n")
    if start == -1:
        return None
    end = doc.find("\n## ", start + len(HEADING))
    nxt = doc.find("\n### ", start + len(HEADING))
    ends = [e for e in (end, nxt) if e != -1]
    return doc[start:min(ends) if ends else len(doc)]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    doc = (Path(sys.argv[1]) / "docs/operations.md").read_text(encoding="utf-8")
    text = section(doc)
    if text is None:
        print(f"docs/operations.md has no section '{HEADING}'")
        return 1
    problems = []
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for severity in SEVERITIES:
        row = next((r for r in rows if r.lower().startswith(f"| {severity} ")), None)
        if row is None:
            problems.append(f"no row for '{severity}' in the table of time frames")
            continue
        frame = row.split("|")[2] if row.count("|") >= 3 else ""
        if not re.search(r"\b\d+ days?\b|next release", frame):
            problems.append(f"the row for '{severity}' gives no time frame (days or the next release): {row}")
    if not re.search(r"Debian security updates weekly", text):
        problems.append("the section does not say that Debian security updates are applied weekly")
    if "restart" not in text:
        problems.append("the section does not say to restart sengen after a library update")
    for p in problems:
        print(f"docs/operations.md, '{HEADING}': {p}")
    if not problems:
        print("patch time frames: every severity has a time frame; Debian updates weekly, then a restart")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
