#!/usr/bin/env python3
"""No page or mail says what the declaration ID is good for on the operator's behalf. What the ID is
accepted for comes only from the operator profile (content/operator/*.toml, `accepted_for`) and
from the subsidy catalogue (content/subsidies.toml), which says programme by programme which
registry each one checks. Neither is checked here.

Two rules, over every template (src/web/templates/), every message of the catalogues
(src/web/i18n/*.po, which hold every mail), the rest of the content that pages show
(content/**/*.toml: levels, principles, terms, choices, the questionnaire, the policy template) and
the texts drawn into badges and PDFs (src/render/):

1. Subsidies are named only where the catalogue is shown (any template may link to it and use its
   messages): the catalogue's own templates
   (subsidies.mustache, subsidy.mustache, _subsidy_*.mustache, mypage_subsidies.mustache) and the
   messages whose id starts with "subsidies.". Anywhere else (a confirmation mail, the badge page,
   My Page, a choice on the application form) a word for subsidy is the old advice this test was
   written against: telling declarants, in so many words or by implication, to use this
   registry's ID for a subsidy.
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


# The content that is the operator's word (its profile) or the subsidy catalogue: not checked here.
EXEMPT_CONTENT = re.compile(r"^content/(subsidies\.toml|operator/[^/]+\.toml)$")
# A comment, which no one is shown: a translator's note in a catalogue, a note in a TOML file, a
# C++ comment. In a template a line starting with "#" is text on the page, so it is checked.
COMMENT = {".po": ("#",), ".toml": ("#",), ".cpp": ("//", "/*", "*"), ".hpp": ("//", "/*", "*")}

# A content entry's code is what is stored and sent, never shown ("subsidy" stays the code of a
# purpose whatever its label says).
STORED_CODE = re.compile(r'^code\s*=\s*"[a-z0-9_+-]*"\s*$')


def sources(root: Path) -> list[Path]:
    content = [p for p in sorted((root / "content").rglob("*.toml"))
               if not EXEMPT_CONTENT.match(p.relative_to(root).as_posix())]
    return (sorted((root / "src/web/templates").glob("*.mustache")) + sorted((root / "src/web/i18n").glob("*.po"))
            + content + sorted((root / "src/render").glob("*.[ch]pp")))


def main() -> int:
    root = Path(sys.argv[1])
    files = sources(root)
    if not any(p.suffix in (".mustache", ".po") for p in files):
        print(f"no templates or catalogues under {root}", file=sys.stderr)
        return 2
    found = []
    for path in files:
        catalogue_page = path.suffix == ".mustache" and bool(CATALOGUE_TEMPLATES.match(path.name))
        msgid = ""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(COMMENT.get(path.suffix, ())):
                continue
            if path.suffix == ".toml" and STORED_CODE.match(stripped):
                continue
            if path.suffix == ".po":
                m = MSGID.match(stripped)
                if m:
                    msgid = m.group(1)
            where = f"{path.relative_to(root)}:{number}: {stripped[:160]}"
            if ADVICE.search(line):
                found.append(where + "  (says this registry's ID can be used)")
            elif WORDS.search(CATALOGUE_REFERENCE.sub("", line)):
                if path.suffix == ".mustache":
                    allowed = catalogue_page
                elif path.suffix == ".po":
                    allowed = msgid.startswith(CATALOGUE_MSGID)
                else:
                    allowed = False  # content and drawn texts name no programme
                if not allowed:
                    found.append(where + "  (names subsidies outside the catalogue's pages)")
    for f in found:
        print(f)
    if found:
        print("subsidies are named only by the catalogue's pages and messages (subsidies.*); what the ID is "
              "accepted for belongs in the operator profile's accepted_for or the catalogue's accepts",
              file=sys.stderr)
        return 1
    print(f"{len(files)} templates, catalogues, content files and drawn texts checked: subsidies named only by the "
          "catalogue's pages, and nothing says this registry's ID can be used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
