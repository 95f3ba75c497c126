#!/usr/bin/env bash
# Keeps the docs true to the binary: every --flag that `sengen --help` lists must appear, in
# backticks, in docs/operations.md, and README.md must give the two Quick start commands.
#   check-docs.sh SENGEN_BINARY [SOURCE_DIR]
set -euo pipefail
bin=${1:?usage: check-docs.sh SENGEN_BINARY [SOURCE_DIR]}
src=${2:-$(dirname "$0")/../..}
ops=$src/docs/operations.md
readme=$src/README.md

help=$("$bin" --help) || { echo "$bin --help failed"; exit 1; }
flags=$(grep -oE '(^|[ ,])--[a-z][a-z0-9-]*' <<<"$help" | sed -E 's/^[ ,]//' | sort -u)
[ -n "$flags" ] || { echo "no --flags found in the output of $bin --help"; exit 1; }

missing=()
for f in $flags; do
  # In backticks, so that `--mail` is not found inside `--mail-from`.
  grep -qF -- "\`$f\`" "$ops" || missing+=("$f")
done
if ((${#missing[@]})); then
  echo "docs/operations.md does not document these flags of sengen --help: ${missing[*]}"
  echo "add each to the settings table (docs/architecture.md, 'A setting')"
  exit 1
fi

for cmd in "make run" "make test"; do
  grep -qF -- "$cmd" "$readme" || { echo "README.md lacks the Quick start command '$cmd'"; exit 1; }
done
echo "docs: all $(wc -w <<<"$flags") flags of sengen --help are in docs/operations.md; README has make run and make test"
