#!/usr/bin/env bash
# Fails when any tracked C++ file differs from what clang-format (.clang-format) would make it.
set -euo pipefail
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src tests bench -name '*.cpp' -o -name '*.hpp')
[ -n "$files" ] || { echo "no C++ files found"; exit 1; }
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "clang-format: $(echo "$files" | wc -l) files clean"
