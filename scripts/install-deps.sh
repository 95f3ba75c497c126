#!/usr/bin/env bash
# Installs what sengen needs on Debian 12, and nothing when all is present (then it prints nothing).
#   scripts/install-deps.sh run    build and serve
#   scripts/install-deps.sh test   also PostgreSQL, the SMTP sink, Chromium and the test npm packages
#                                  (browser tests, and Redocly CLI for the OpenAPI lint)
#   scripts/install-deps.sh check  also clang-tidy (make check)
#   scripts/install-deps.sh bench  also wrk, nginx, the sqlite3 shell and PostgreSQL (bench/registry.sh)
#   scripts/install-deps.sh fuzz   also clang and libFuzzer (make fuzz; make test does not need them)
# As root it runs apt-get; otherwise it prints the exact command to run and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-run}
build=(build-essential cmake pkg-config lld librestinio-dev libasio-dev libfmt-dev libspdlog-dev
       libsqlitecpp-dev libsqlite3-dev libpqxx-dev libpq-dev libkainjow-mustache-dev nlohmann-json3-dev
       libcurl4-openssl-dev libsodium-dev libtomlplusplus-dev libcli11-dev libicu-dev libexpected-dev
       libgtest-dev libgmock-dev libbenchmark-dev libcairo2-dev libpango1.0-dev libqrencode-dev
       libxlsxwriter-dev libssl-dev
       fonts-morisawa-bizud-gothic fonts-noto-cjk)
test_pkgs=(postgresql python3 python3-aiosmtpd python3-yaml chromium nodejs npm clang-format curl openssl
           poppler-utils zbar-tools libxml2-utils procps)
check_pkgs=(clang-tidy python3)
bench_pkgs=(wrk nginx-light curl sqlite3 postgresql python3)
fuzz_pkgs=(clang-14 libclang-rt-14-dev)

want=("${build[@]}")
case "$profile" in
  run) ;;
  test) want+=("${test_pkgs[@]}") ;;
  check) want+=("${check_pkgs[@]}") ;;
  bench) want+=("${bench_pkgs[@]}") ;;
  fuzz) want+=("${fuzz_pkgs[@]}") ;;
  *) echo "usage: $0 run|test|check|bench|fuzz" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  # nodejs/npm may come from elsewhere on the machine; a working command is enough.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "sengen needs these Debian packages. Run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ $profile == test ]]; then
  # The test npm packages (playwright-core and axe for the browser tests, @redocly/cli for
  # docs.openapi_lint), exactly as the lock file pins them; Debian's Chromium is used.
  lock=tests/e2e/package-lock.json
  stamp=tests/e2e/node_modules/.sengen-lock
  if [[ ! -f $stamp ]] || ! cmp -s "$lock" "$stamp"; then
    echo "Installing browser-test npm packages (npm ci)"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$lock" "$stamp"
  fi
fi
