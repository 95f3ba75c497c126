"""Declaration IDs as sengen issues them (docs/domain.md): a leading digit, a 9-digit serial and a
Damm check digit over the first ten, written here independently of the C++ code."""

DAMM_TABLE = [[0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
              [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
              [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
              [2, 5, 8, 1, 4, 3, 6, 7, 9, 0]]


def damm(digits: str) -> int:
    interim = 0
    for c in digits:
        interim = DAMM_TABLE[interim][int(c)]
    return interim


def declaration_id(serial: int, leading: int = 1) -> str:
    """The ID sengen issues for a serial: leading digit, 9-digit serial, Damm check digit."""
    ten = f"{leading}{serial:09d}"
    return ten + str(damm(ten))
