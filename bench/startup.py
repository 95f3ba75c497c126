#!/usr/bin/env python3
"""Start-up and idle memory of `sengen serve` (issue 15): starts the command given after `--` and
polls GET /readyz on PORT every 2 ms until it answers 200, then waits IDLE seconds and reads the
process's resident memory. Prints one line: "ready_ms=<ms> rss_idle_kb=<kB>". Stops the server
(SIGTERM) before it exits; exits 1 if the server stops or is not ready within 30 s.

  bench/startup.py PORT IDLE -- sengen serve ...
"""

import http.client
import signal
import subprocess
import sys
import time


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    port, idle, command = int(sys.argv[1]), float(sys.argv[2]), sys.argv[4:]
    started = time.monotonic()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if server.poll() is not None:
                print(f"the server stopped during start-up (exit {server.returncode})", file=sys.stderr)
                return 1
            if time.monotonic() - started > 30:
                print("the server was not ready within 30 s", file=sys.stderr)
                return 1
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/readyz")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.002)
        ready_ms = (time.monotonic() - started) * 1000
        time.sleep(idle)
        print(f"ready_ms={ready_ms:.0f} rss_idle_kb={rss_kb(server.pid)}")
        return 0
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
