#!/usr/bin/env python3
"""One word for one thing in what users read: the catalogues, the page and mail templates, the
content files and the texts drawn on the badge and the report. Prints every line that uses a
spelling the registry has decided against, and fails if there is one.

Of the terms of use (content/terms/), only the current version (the latest `effective` date, the
one the registry shows and asks applicants to agree to) is checked: an earlier version that
declarants agreed to is kept as it was written and never edited, and a new version uses these words."""

import re
import sys
import tomllib
from pathlib import Path

root = Path(sys.argv[1])


def earlier_terms(root: Path) -> set[str]:
    """The terms files other than the current one, as paths relative to `root`."""
    versions = []
    for path in root.glob("content/terms/*.toml"):
        with path.open("rb") as f:
            versions.append((str(tomllib.load(f).get("effective", "")), path.relative_to(root).as_posix()))
    versions.sort()
    return {rel for _, rel in versions[:-1]}


skipped = earlier_terms(root)

# (what is refused, why, the files it is looked for in)
JA = ["src/web/i18n/ja.po", "src/web/templates/*.mustache", "content/**/*.toml", "src/render/*.cpp"]
EN = ["src/web/i18n/en.po", "src/web/templates/*.mustache", "content/**/*.toml", "src/render/*.cpp"]
# What English readers read as sentences: the English catalogue's and content's texts.
EN_TEXT = ["src/web/i18n/en.po", "content/**/*.toml"]
RULES = [
    (re.compile("取消"), "write 取り消し (one spelling)", JA),
    (re.compile("(?<!自己)宣言ID"), "the ID is called 自己宣言ID", JA),
    (re.compile(r"\b[Ee]-mails?\b"), "write email", EN),
    # "mail" alone, as a noun or a verb, is email too ("the confirmation email", "we email you");
    # message ids (mail.changed), paths (/console/mail) and names (mail-from) are not words.
    (re.compile(r"(?<![\w./{-])[Mm]ail(s|ed|ing)?\b(?![\w.-])|(?<=[a-z] )mail\.$"), "write email", EN_TEXT),
    (re.compile(r"[Ss]elf-declaration ID"), "the ID is called the declaration ID", EN),
    # 「株式会社さくら の」: a value is followed by its particle with no space between them.
    (re.compile(r"\}\}? [のをがにでへとはも]"), "no space between a value and its particle",
     ["src/web/i18n/ja.po", "src/web/templates/*.mustache"]),
]

problems = 0
for pattern, why, globs in RULES:
    for g in globs:
        for path in sorted(root.glob(g)):
            rel = path.relative_to(root).as_posix()
            if rel in skipped:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                # Comments in code are for developers; what users read is in string literals.
                if path.suffix == ".cpp" and line.lstrip().startswith("//"):
                    continue
                # Nor are the comments of the catalogues and content files, or content's ids.
                if path.suffix in (".po", ".toml") and (line.lstrip().startswith("#") or
                                                        re.match(r"\s*id\s*=", line)):
                    continue
                if pattern.search(line):
                    print(f"{rel}:{number}: {why}: {line.strip()[:120]}")
                    problems += 1
sys.exit(1 if problems else 0)
