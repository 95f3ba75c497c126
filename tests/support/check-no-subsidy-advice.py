#!/usr/bin/env python3
"""No page or mail says what the declaration ID is good for on the operator's behalf. What the ID is
accepted for comes only from the operator profile (content/operator/*.toml, `accepted_for`) and
from the subsidy catalogue (content/subsidies.toml), which says programme by programme which
registry each one checks. Neither is checked here.

Two rules, over every template (src/web/templates/) and every message of the catalogues
(src/web/i18n/*.po, which hold every mail):

1. Subsidies are named only where the catalogue is shown (any template may link to it and use its
   messages): the catalogue's own templates
   (subsidies.mustache, subsidy.mustache, _subsidy_*.mustache, mypage_subsidies.mustache) and the
   messages whose id starts with "subsidies.". Anywhere else (a confirmation mail, the badge page,
   My Page) a word for subsidy is the old advice this test was written against: telling
   declarants to use this registry's ID for a subsidy.
2. Nowhere, the catalogue's pages included, may a line say that this registry's ID can be used:
   the catalogue's pages say the opposite unless the catalogue itself lists this registry.

Usage: check-no-subsidy-advice.py SOURCE_DIR"""

import re
import sys
from pathlib import Path

WORDS = re.compile(r"補助金|助成金|subsid", re.IGNORECASE)
# Saying an ID is usable, in either language ("ID は…使えます", "the ID can be used", "use your ID").
ADVICE = re.compile(
    r"ID[^。\n]{0,40}(使えます|使用できます|利用できます|使うことができます|提出できます)"
    r"|\bID\b[^.\n]{0,40}\b(can|may) be (used|submitted)\b"
    r"|\buse (your|this registry's|the|our) (declaration )?ID\b",
    re.IGNORECASE,
)
CATALOGUE_TEMPLATES = re.compile(r"^(subsidies|subsidy|_subsidy_[a-z_]+|mypage_subsidies)\.mustache$")
CATALOGUE_MSGID = "subsidies."
MSGID = re.compile(r'^msgid\s+"(.*)"\s*$')
# Any template may link to the catalogue and show its messages: those messages are checked where
# they are written (rule 2 applies to them too).
CATALOGUE_REFERENCE = re.compile(r'\{\{t\.subsidies\.[a-z_]+\}\}|"[^"]*/subsidies(/[^"]*)?"')


def main() -> int:
    root = Path(sys.argv[1])
    files = sorted((root / "src/web/templates").glob("*.mustache")) + sorted((root / "src/web/i18n").glob("*.po"))
    if not files:
        print(f"no templates or catalogues under {root}", file=sys.stderr)
        return 2
    found = []
    for path in files:
        catalogue_page = path.suffix == ".mustache" and bool(CATALOGUE_TEMPLATES.match(path.name))
        msgid = ""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("#"):
                continue  # a translator's comment is shown to no one
            if path.suffix == ".po":
                m = MSGID.match(stripped)
                if m:
                    msgid = m.group(1)
            where = f"{path.relative_to(root)}:{number}: {stripped[:160]}"
            if ADVICE.search(line):
                found.append(where + "  (says this registry's ID can be used)")
            elif WORDS.search(CATALOGUE_REFERENCE.sub("", line)):
                allowed = catalogue_page if path.suffix == ".mustache" else msgid.startswith(CATALOGUE_MSGID)
                if not allowed:
                    found.append(where + "  (names subsidies outside the catalogue's pages)")
    for f in found:
        print(f)
    if found:
        print("subsidies are named only by the catalogue's pages and messages (subsidies.*); what the ID is "
              "accepted for belongs in the operator profile's accepted_for or the catalogue's accepts",
              file=sys.stderr)
        return 1
    print(f"{len(files)} templates and catalogues checked: subsidies named only by the catalogue's pages, "
          "and nothing says this registry's ID can be used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
