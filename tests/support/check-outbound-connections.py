#!/usr/bin/python3
"""The server reaches no system but its database and its SMTP server (ASVS 5.0 V13.2.4, V13.2.5).

Fails, naming each file and line, when a source file under src/
  - includes a networking library's header anywhere but its one adapter: libcurl only in the SMTP
    transport (src/mail/transport_smtp.cpp) and the HTTP client (src/net/), libpqxx or libpq only
    in the PostgreSQL engine
    (src/storage/postgres/), RESTinio, asio and the socket headers only in the HTTP listener
    (src/web/server.cpp), which accepts connections and opens none;
  - calls anything that opens a connection or resolves a name (socket, connect, getaddrinfo,
    gethostbyname, an asio resolver or async_connect, curl_easy_init, PQconnectdb,
    pqxx::connection) outside those adapters, or, in the listener, anything that connects out;
  - uses the HTTP client (net/http_client.hpp) anywhere but the command line (src/cli/main.cpp),
    where `sengen log monitor` fetches from the URL given on its command line, and `serve` posts its
    log's checkpoints to the witnesses named in its log-witnesses setting, and nowhere else.
<arpa/inet.h> is allowed in src/domain/ip_network.cpp, which only converts addresses to and from
text. The URLs the adapters reach come from the `db`, `smtp-url` and `log-witnesses` settings alone.
Usage: check-outbound-connections.py SOURCE_DIR
"""

import re
import sys
from pathlib import Path

SMTP = "src/mail/transport_smtp.cpp"
LISTENER = "src/web/server.cpp"
HTTP_CLIENT = "src/net/http_client.cpp"
CLI = "src/cli/main.cpp"

# (header pattern, the files allowed to include it)
HEADERS = [
    (re.compile(r"#\s*include\s*<curl/"), lambda f: f == SMTP or f.startswith("src/net/")),
    (re.compile(r'#\s*include\s*"net/http_client\.hpp"'), lambda f: f in (CLI, HTTP_CLIENT)),
    (re.compile(r"#\s*include\s*<(?:pqxx/|libpq-fe\.h|postgresql/)"), lambda f: f.startswith("src/storage/postgres/")),
    (re.compile(r"#\s*include\s*<(?:restinio/|asio|boost/asio)"), lambda f: f == LISTENER),
    (re.compile(r"#\s*include\s*<(?:sys/socket\.h|netdb\.h|netinet/)"), lambda f: f == LISTENER),
    (re.compile(r"#\s*include\s*<arpa/inet\.h>"), lambda f: f in (LISTENER, "src/domain/ip_network.cpp")),
]

CONNECTING = re.compile(
    r"\b(?:socket|connect|getaddrinfo|gethostbyname\w*|async_connect|curl_easy_init|curl_multi_init|"
    r"PQconnectdb\w*|PQconnectStart\w*)\s*\(|\bpqxx::connection\b|\bresolver\b")
# What each adapter may call from that list.
ALLOWED_CALLS = {
    SMTP: {"curl_easy_init"},
    HTTP_CLIENT: {"curl_easy_init"},
}


def allowed_call(path: str, match: str) -> bool:
    name = re.match(r"[\w:]+", match).group(0)
    if path.startswith("src/storage/postgres/"):
        return name in ("pqxx::connection", "PQconnectdb", "PQconnectdbParams")
    return name in ALLOWED_CALLS.get(path, set())


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    problems = []
    files = sorted(p for p in (root / "src").rglob("*") if p.suffix in (".cpp", ".hpp", ".h"))
    for path in files:
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            for pattern, may in HEADERS:
                if pattern.search(code) and not may(rel):
                    problems.append(f"{rel}:{n}: includes a networking header outside its adapter: {line.strip()}")
            for m in CONNECTING.finditer(code):
                if not allowed_call(rel, m.group(0)):
                    problems.append(f"{rel}:{n}: opens a connection or resolves a name: {line.strip()}")
    for p in problems:
        print(p)
    if not problems:
        print(f"outbound connections: {len(files)} source files, only the database and SMTP adapters connect out, "
              "and the HTTP client only from the command line (log monitor, and serve's witnesses)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
