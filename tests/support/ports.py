"""A free TCP port for a test server, chosen so that nothing else on the machine is likely to take
it before the server binds it.

Port 0 would give a port from the kernel's ephemeral range, the same range every outgoing
connection takes its local port from: with many tests running at once, a client connection could
take the port between the choice and the server's bind ("Address already in use"). So the port is
drawn at random from below that range, and kept only if it can be bound on every address.
Standard library only.
"""

from __future__ import annotations

import random
import socket

_FLOOR = 10000  # below this: well-known and registered services a developer may be running


def _ephemeral_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A port below the ephemeral range that could be bound on 0.0.0.0 a moment ago."""
    top = _ephemeral_start() - 1
    if top <= _FLOOR:  # an unusual range: fall back to the kernel's choice
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    for _ in range(200):
        port = random.randint(_FLOOR, top)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {_FLOOR} and {top}")
