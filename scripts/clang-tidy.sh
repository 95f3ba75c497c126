#!/usr/bin/env bash
# clang-tidy (.clang-tidy at the root) over every C++ source file in src/, JOBS files at a time,
# with the compile database of the given build directory (default build/asan, which `make test` and
# `make check` configure). Any finding fails: .clang-tidy makes every warning an error.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
jobs=${JOBS:-$(nproc)}
if [[ ! -f $build/compile_commands.json ]]; then
  echo "clang-tidy: $build/compile_commands.json is missing; configure that build first" >&2
  exit 2
fi
files=$(git ls-files 'src/*.cpp' 2>/dev/null || find src -name '*.cpp' | sort)
# One file per clang-tidy process keeps both cores busy to the end; xargs fails if any file does.
if ! echo "$files" | xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet 2> >(grep -v ' warnings\? generated\.$' >&2); then
  echo "clang-tidy: findings above (see .clang-tidy for the checks and why some are off)" >&2
  exit 1
fi
echo "clang-tidy: $(echo "$files" | wc -l) files in src/ clean"
