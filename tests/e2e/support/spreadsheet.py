"""Reads a file the browser downloaded, for the browser journeys: a CSV in a given encoding, or
an .xlsx (zipfile and the sheet's XML), printed as JSON rows of text cells. Standard library only.

    python3 spreadsheet.py csv FILE ENCODING
    python3 spreadsheet.py xlsx FILE
    python3 spreadsheet.py encode ENCODING < text > bytes
"""

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_rows(path: str) -> list[list[str]]:
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
                shared.append("".join(t.text or "" for t in si.iter(NS + "t")))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(NS + "row"):
        cells = {}
        for c in row.iter(NS + "c"):
            v = c.find(NS + "v")
            text = v.text if v is not None else ""
            if c.get("t") == "s":
                text = shared[int(text)]
            elif c.get("t") == "inlineStr":  # what libxlsxwriter's constant-memory mode writes
                text = "".join(t.text or "" for t in c.iter(NS + "t"))
            elif text.endswith(".0"):
                text = text[:-2]
            # OOXML writes control characters as _xHHHH_ (ECMA-376 Part 1, 22.9.2.19).
            cells[column(c.get("r"))] = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    # Empty cells are not written: every row as wide as the widest, as a CSV reader would give it.
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def main() -> None:
    kind = sys.argv[1]
    if kind == "encode":
        sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode(sys.argv[2]))
        return
    if kind == "csv":
        with open(sys.argv[2], "rb") as f:
            data = f.read()
        rows = list(csv.reader(io.StringIO(data.decode(sys.argv[3]), newline="")))
        print(json.dumps({"rows": rows, "bom": data.startswith(b"\xef\xbb\xbf")}, ensure_ascii=False))
        return
    print(json.dumps({"rows": xlsx_rows(sys.argv[2])}, ensure_ascii=False))


if __name__ == "__main__":
    main()
