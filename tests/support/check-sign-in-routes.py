#!/usr/bin/python3
"""Every way into sengen is a documented one (ASVS 5.0 V6.3.4).

Reads the route table (src/web/routes.cpp) and the web handlers (src/web/*.cpp), finds every route
whose handler, directly or through the functions it calls, starts a signed-in session: a
declarant's (`ctx.sign_in(...)`, or `ctx.finish_sign_in()` after the code of ADR 61), an
operator's or a verifier's (their cookie set to a new token by `set_strict_cookie`). Fails unless
that list is exactly the one in the V6.3.4 row of docs/security.md, written there as
`METHOD /path` items, so that a new way in cannot appear without the map saying so, and a
documented one cannot quietly go.
Usage: check-sign-in-routes.py SOURCE_DIR
"""

import re
import sys
from pathlib import Path

ROUTE = re.compile(r'\{M::(\w+),\s*"([^"]+)",\s*handlers::(\w+)')
# A function defined at the start of a line (namespaces are not indented here); its body ends at
# the first line that is a lone closing brace.
DEFINITION = re.compile(r"^[A-Za-z_][\w:<>,\s\*&]*?\b(\w+)\([^;{}]*\)\s*(?:const\s*)?\{\s*$", re.M)
STARTS_A_SESSION = [
    re.compile(r"\bctx\.sign_in\("),
    re.compile(r"\bctx\.finish_sign_in\("),
    re.compile(r'\bset_strict_cookie\(\s*ctx,\s*k(?:Operator|Verifier)Cookie,\s*(?![\s"])'),
]
DOCUMENTED_ITEM = re.compile(r"`((?:GET|POST) /[^`\s]*)`")


def functions(source: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in DEFINITION.finditer(source):
        end = source.find("\n}\n", m.end())
        out[m.group(1)] = out.get(m.group(1), "") + source[m.end():end if end != -1 else len(source)]
    return out


def session_starters(bodies: dict[str, str]) -> set[str]:
    found = {name for name, body in bodies.items() if any(p.search(body) for p in STARTS_A_SESSION)}
    while True:  # and whatever calls one of them
        more = {name for name, body in bodies.items() if name not in found
                and any(re.search(rf"\b{re.escape(f)}\(", body) for f in found)}
        if not more:
            return found
        found |= more


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    bodies: dict[str, str] = {}
    for path in sorted((root / "src/web").glob("*.cpp")):
        if path.name == "app.cpp":
            continue  # Context::sign_in itself, and the cookie helper, are defined there
        for name, body in functions(path.read_text(encoding="utf-8")).items():
            bodies[name] = bodies.get(name, "") + body
    starters = session_starters(bodies)
    routes = ROUTE.findall((root / "src/web/routes.cpp").read_text(encoding="utf-8"))
    if not routes:
        print("no routes found in src/web/routes.cpp: has its form changed?")
        return 1
    derived = {f"{method.upper()} {path}" for method, path, handler in routes if handler in starters}

    doc = (root / "docs/security.md").read_text(encoding="utf-8")
    row = next((line for line in doc.splitlines() if line.startswith("| V6.3.4 |")), None)
    if row is None:
        print("docs/security.md has no V6.3.4 row")
        return 1
    documented = set(DOCUMENTED_ITEM.findall(row))

    ok = True
    for r in sorted(derived - documented):
        print(f"route {r} starts a signed-in session but the V6.3.4 row of docs/security.md does not list it")
        ok = False
    for r in sorted(documented - derived):
        print(f"the V6.3.4 row of docs/security.md lists {r}, which starts no signed-in session (or no longer exists)")
        ok = False
    if ok:
        print(f"sign-in routes: the {len(derived)} routes that start a session are the documented ones: "
              + ", ".join(sorted(derived)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
