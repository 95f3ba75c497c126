#!/usr/bin/env bash
# The executable answers --help, --version and `version`, and refuses a bad setting with status 2
# and a message naming the setting and the value.
set -euo pipefail
bin=$1
help=$("$bin" --help)
for cmd in serve migrate version backup restore mail; do grep -q "$cmd" <<<"$help" || { echo "--help lacks $cmd"; exit 1; }; done
"$bin" --version | grep -Eq '^sengen [0-9]+\.[0-9]+\.[0-9]+' || { echo "--version output wrong"; exit 1; }
"$bin" version | grep -Eq '^sengen [0-9]+\.[0-9]+\.[0-9]+' || { echo "version output wrong"; exit 1; }
set +e
out=$("$bin" serve --listen nonsense 2>&1); rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "bad --listen exited $rc, not 2"; exit 1; }
grep -q "listen" <<<"$out" && grep -q "nonsense" <<<"$out" || { echo "message lacks setting or value: $out"; exit 1; }
set +e
out=$(SENGEN_THREADS=zero "$bin" migrate 2>&1); rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "threads" <<<"$out" && grep -q "zero" <<<"$out" || { echo "bad SENGEN_THREADS: $rc $out"; exit 1; }
echo "cli checks passed"
