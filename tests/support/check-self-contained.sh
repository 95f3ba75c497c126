#!/usr/bin/env bash
# The repository explains itself: no code, comment or doc points at documents outside it (a
# reader of the project has only the project). Facts from elsewhere are written into docs/ with
# their public sources. Prints each offending line and fails when there is one.
set -euo pipefail
cd "${1:?usage: check-self-contained.sh SOURCE_DIR}"
pattern='\.\./shared|shared/(docs|seed)|\bstack\.md\b|house-style\.md|roadmap\.md'
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- src tests bench scripts cmake content docs \
    README.md DEVELOPERS.md Makefile CMakeLists.txt CMakePresets.json .ci)
else
  mapfile -t files < <(find src tests bench scripts cmake content docs README.md DEVELOPERS.md Makefile \
    CMakeLists.txt CMakePresets.json .ci -type f -not -path '*/node_modules/*')
fi
found=0
for f in "${files[@]}"; do
  [[ -f $f && $f != tests/support/check-self-contained.sh ]] || continue
  if grep -nIE "$pattern" "$f" >/tmp/self-contained.$$ 2>/dev/null; then
    sed "s|^|$f:|" /tmp/self-contained.$$
    found=1
  fi
done
rm -f /tmp/self-contained.$$
if ((found)); then
  echo "These lines point outside the repository: cite docs/ or the public source instead." >&2
  exit 1
fi
echo "no references outside the repository in ${#files[@]} files"
