#!/usr/bin/env bash
# The domain reaches no I/O: every #include in src/domain/ names the standard library, another
# domain header, or one of the few libraries docs/adr/0026-the-domain-links-no-io.md allows.
# Run from the repository's root (CTest does); prints each offending line and fails.
set -uo pipefail
cd "${1:-.}"

# Allowed third-party headers, and why:
#   unicode/*        ICU, for normalising what users type (NFKC) and for UTF-8 checks
#   tl/expected.hpp  Result<T>
#   arpa/inet.h      inet_pton/inet_ntop: address text to bytes and back, no socket is opened
allowed='^(unicode/[a-z0-9_]+\.h|tl/expected\.hpp|arpa/inet\.h)$'

status=0
while IFS= read -r file; do
    while IFS= read -r line; do
        number=${line%%:*}
        text=${line#*:}
        if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
            header=${BASH_REMATCH[1]}
            [[ $header == domain/* ]] && continue
        elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
            header=${BASH_REMATCH[1]}
            [[ $header =~ ^[a-z_0-9]+$ ]] && continue  # the C++ standard library
            [[ $header =~ $allowed ]] && continue
        else
            header=$text
        fi
        echo "$file:$number: the domain may not include $header" >&2
        status=1
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file")
done < <(find src/domain -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' \) | sort)
exit $status
