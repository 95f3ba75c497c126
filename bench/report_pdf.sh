#!/usr/bin/env bash
# The assessment report PDF from sengen against a headless Chromium printing the same report page
# (issue 15): bench/report_pdf.mjs does the work; this builds sengen (release) and checks the
# browser-test tools. Needs what `scripts/install-deps.sh test` installs (Chromium, Node.js and
# tests/e2e's packages). See bench/README.md, "Report PDF against Chromium".
#
#   bench/report_pdf.sh                                  Japanese, 30 rounds
#   BENCH_PDF_LANG=en BENCH_PDF_ROUNDS=10 bench/report_pdf.sh
#
# Settings: BENCH_PDF_LANG (ja), BENCH_PDF_ROUNDS (30), BENCH_PDF_OUT (keep the last PDFs there),
# BENCH_SKIP_BUILD, BENCH_BIN, BENCH_JOBS (as bench/http.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

bench_tools cmake node
[[ -x /usr/bin/chromium && -d tests/e2e/node_modules/playwright-core ]] ||
  die "Chromium or the browser-test packages are missing; run: scripts/install-deps.sh test"
bench_build sengen
echo "sengen $(git rev-parse --short HEAD 2>/dev/null || echo unknown) ($bin), $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "$(nproc) cores; $(/usr/bin/chromium --version 2>/dev/null || echo Chromium)"
SENGEN_BINARY=$(realpath "$bin") node bench/report_pdf.mjs
