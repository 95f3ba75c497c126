#!/usr/bin/env python3
"""No page or mail says what the declaration ID is good for on the operator's behalf: no template
(src/web/templates/) and no message of the catalogues (src/web/i18n/*.po, which hold every mail)
mentions subsidies. What the ID is accepted for comes only from the operator profile
(content/operator/*.toml, `accepted_for`), and the one list that names subsidies is the content of
the application form's purposes (content/choices.toml), neither of which is checked here.

Usage: check-no-subsidy-advice.py SOURCE_DIR"""

import re
import sys
from pathlib import Path

WORDS = re.compile(r"補助金|助成金|subsid", re.IGNORECASE)


def main() -> int:
    root = Path(sys.argv[1])
    files = sorted((root / "src/web/templates").glob("*.mustache")) + sorted((root / "src/web/i18n").glob("*.po"))
    if not files:
        print(f"no templates or catalogues under {root}", file=sys.stderr)
        return 2
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue  # a translator's comment is shown to no one
            if WORDS.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()[:160]}")
    for f in found:
        print(f)
    if found:
        print("advice about subsidies belongs in the operator profile's accepted_for, not in a template or message",
              file=sys.stderr)
        return 1
    print(f"{len(files)} templates and catalogues checked: no advice about subsidies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
