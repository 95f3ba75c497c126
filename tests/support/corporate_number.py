"""Valid 法人番号 for the suites' test applicants, computed here rather than asked of the server, so
that a test and the registry's own check cannot share one mistake.

Standard library only; tests/support is on the import path of every suite (run_unittest.py).
"""


def corporate_number(base12: str) -> str:
    """A 13-digit 法人番号: the check digit, then the 12 digits (法人番号の指定等に関する省令 第2条)."""
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return str(9 - total % 9) + base12
