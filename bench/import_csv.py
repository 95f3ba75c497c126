#!/usr/bin/env python3
"""Writes an import file for bench/import.sh: ROWS declarations in the CSV format that
`sengen export --format csv` writes (UTF-8 with a BOM, CRLF), every row valid for the registry's
shipped content: IDs of sengen's scheme (leading digit, 9-digit serial, Damm check digit), valid
corporate numbers, the content's own codes, about 1 in 5 at two stars reached a year after
declaring, 1 in 50 stopped and 1 in 200 revoked.

    bench/import_csv.py ROWS OUT.csv [LEADING_DIGIT]

Standard library only (tomllib reads content/choices.toml, so the codes follow the content).
"""

import random
import sys
import tomllib
from pathlib import Path

DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]

COLUMNS = (
    "application_no,declaration_id,status,level,entity_type,corporate_number,business_name,business_name_kana,"
    "postal_code,prefecture,address,industry,employees,representative_title,representative_name,contact_name,"
    "contact_email,phone,website,purposes,principles_edition,assessment_date,policy_url,lang,terms_version,"
    "created_at,declared_at,level_since,ended_at"
)


def declaration_id(leading: int, serial: int) -> str:
    """Damm (2004): the check digit makes the check over all 11 digits 0."""
    s = f"{leading}{serial:09d}"
    interim = 0
    for c in s:
        interim = DAMM[interim][int(c)]
    return s + str(interim)


def corporate_number(base12: str) -> str:
    """法人番号の指定等に関する省令 第2条: the check digit, then the 12 digits."""
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return str(9 - total % 9) + base12


def main() -> None:
    rows, out = int(sys.argv[1]), Path(sys.argv[2])
    leading = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    root = Path(__file__).resolve().parent.parent
    choices = tomllib.loads((root / "content/choices.toml").read_text(encoding="utf-8"))
    principles = tomllib.loads((root / "content/principles.toml").read_text(encoding="utf-8"))
    terms = sorted(p.stem for p in (root / "content/terms").glob("*.toml"))[-1]
    codes = {k: [c["code"] for c in choices[k]] for k in ("industry", "employees", "purpose", "prefecture")}
    edition = principles["edition"]
    rng = random.Random(1)
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + COLUMNS + "\r\n")
        for i in range(1, rows + 1):
            corporation = i % 4 != 0
            level = 2 if rng.random() < 0.2 else 1
            year = 2018 + rng.randrange(7)
            declared = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            since = f"{year + 1}{declared[4:]}" if level == 2 else declared
            r = rng.random()
            status, ended = ("stopped", "2026-01-15") if r < 0.02 else ("revoked", "2026-02-16") if r < 0.025 else ("declared", "")
            f.write(",".join([
                str(i),
                declaration_id(leading, i),
                status,
                str(level),
                "corporation" if corporation else "sole_proprietor",
                corporate_number(f"{i:012d}") if corporation else "",
                f"株式会社見本{i}" if corporation else f"見本商店{i}",
                "ミホン",
                f"{100 + i % 900}-{1000 + i % 9000}",
                rng.choice(codes["prefecture"]),
                f"中央{1 + i % 9}-{1 + i % 30}",
                rng.choice(codes["industry"]),
                rng.choice(codes["employees"]),
                "代表",
                "見本 太郎",
                "見本 花子",
                f"import{i}@example.invalid",
                "03-1234-5678",
                "",
                rng.choice(codes["purpose"]),
                edition,
                "2024-04-01" if level == 2 else "",
                f"https://example.invalid/policy/{i}" if level == 2 else "",
                "ja",
                terms,
                declared,
                declared,
                since,
                ended,
            ]) + "\r\n")


if __name__ == "__main__":
    main()
