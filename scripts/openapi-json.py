#!/usr/bin/python3
"""Writes docs/api/openapi.json, the JSON twin of docs/api/openapi.yaml that sengen embeds and
serves at /api/v1/openapi.json. Run after editing the YAML; a test fails while the two differ.
Needs Debian's python3-yaml (installed by scripts/install-deps.sh test).

  scripts/openapi-json.py           write the JSON
  scripts/openapi-json.py --check   exit 1 if the JSON is not what the YAML gives
"""

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
YAML = ROOT / "docs" / "api" / "openapi.yaml"
JSON = ROOT / "docs" / "api" / "openapi.json"


def rendered() -> str:
    # safe_load: plain data only. Dates and times in the YAML must be quoted strings (JSON has none).
    document = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    text = rendered()
    if sys.argv[1:] == ["--check"]:
        if JSON.read_text(encoding="utf-8") != text:
            print(f"{JSON.relative_to(ROOT)} is out of date: run scripts/openapi-json.py", file=sys.stderr)
            return 1
        return 0
    JSON.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
