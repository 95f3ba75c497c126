#!/usr/bin/env bash
# HTTP benchmark: sengen against nginx serving the same response body as a static file, measured
# with wrk on loopback in alternating rounds and reported as a ratio (see bench/README.md).
#
#   bench/http.sh                                      3 rounds x 10 s x 64 connections
#   BENCH_ROUNDS=1 BENCH_DURATION=3 bench/http.sh      a quick look
#
# Settings (environment variables):
#   BENCH_ROUNDS=3         alternating rounds; each round runs every endpoint on both servers
#   BENCH_DURATION=10      seconds per wrk run
#   BENCH_CONNECTIONS=64   wrk -c
#   BENCH_THREADS=2        wrk -t
#   BENCH_WARMUP=2         seconds of unrecorded load per server and endpoint first (0: none)
#   BENCH_ENDPOINTS="..."  space-separated paths, instead of the ENDPOINTS list below (and no POSTs)
#   BENCH_POST_ENDPOINTS="PATH FILE,..."  POST endpoints instead of the POST_ENDPOINTS list below
#   BENCH_LOG_LEVEL=warn   sengen's log level; "info" turns the access log on (written to a file)
#   BENCH_SENGEN_FLAGS=""  extra `sengen serve` flags, e.g. "--db postgresql://..."; they win over
#                          the script's own settings, which are passed as SENGEN_* variables
#   BENCH_SAME_HEADERS=1   nginx also sends sengen's response headers (CSP, nosniff, ...), so
#                          both servers send about the same bytes; 0 for nginx's own headers only
#   BENCH_SKIP_BUILD=0     1: use the existing build/release/sengen
#   BENCH_BIN=             a sengen binary to measure instead (no build), e.g. an older one
#   BENCH_BASELINE_BIN=    an older sengen to measure too, in the same rounds on its own copy of
#                          the same (empty) database: a before/after comparison in one run
#   BENCH_JOBS=2           parallel jobs for the build
#   BENCH_KEEP=0           1: keep the temporary directory (configs, logs, wrk output)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

# The endpoints compared, one a line. Each must answer 200 to a plain GET without a cookie; its
# body (and Content-Type) is fetched from sengen once and served by nginx as a static file.
ENDPOINTS=(
  "/healthz"
  "/"
)
# Endpoints that answer a POST, one a line: the path and a file whose bytes wrk POSTs as JSON.
# nginx answers the same request with sengen's answer to it (bench/lib.sh, nginx_add_post_body).
POST_ENDPOINTS=(
  "/api/v1/assessments/score bench/score-request.json"
)

bench_settings
if [[ -n ${BENCH_ENDPOINTS:-} ]]; then
  read -r -a ENDPOINTS <<<"$BENCH_ENDPOINTS"
  POST_ENDPOINTS=()
fi
if [[ -n ${BENCH_POST_ENDPOINTS:-} ]]; then
  IFS=',' read -r -a POST_ENDPOINTS <<<"$BENCH_POST_ENDPOINTS"
  [[ -n ${BENCH_ENDPOINTS:-} ]] || ENDPOINTS=()
fi
((${#ENDPOINTS[@]} + ${#POST_ENDPOINTS[@]})) || die "no endpoints to measure"
bench_tools wrk nginx curl cmake timeout
bench_build sengen
bench_workdir sengen-bench
mkdir -m 700 "$work/sengen"
mkdir -p "$work/sengen/mail"

launch() {  # binary dir port
  # Our settings go in as SENGEN_* variables, so that BENCH_SENGEN_FLAGS (flags) override them.
  SENGEN_LISTEN=127.0.0.1:$3 SENGEN_DB=sqlite:$work/$2/bench.db \
    SENGEN_MAIL=file:$work/$2/mail SENGEN_LOG_LEVEL=$log_level \
    "$1" serve "${extra_flags[@]}" >"$work/$2/stdout.log" 2>"$work/$2/stderr.log" &
  pid=$!
  track "$pid"
}
launch_sengen() { launch "$bin" sengen "$1"; }
launch_baseline() { launch "$baseline_bin" baseline "$1"; }
start_server sengen launch_sengen "$work/sengen/stderr.log" /healthz
sengen_pid=$pid
sengen_port=$port
if [[ -n $baseline_bin ]]; then
  mkdir -m 700 "$work/baseline"
  mkdir -p "$work/baseline/mail"
  start_server baseline launch_baseline "$work/baseline/stderr.log" /healthz
  baseline_pid=$pid
  baseline_port=$port
fi

# Each endpoint's body is fetched from sengen once; nginx serves it as /e<N>.
names=()
for i in "${!ENDPOINTS[@]}"; do
  nginx_add_body "e$i" "http://127.0.0.1:$sengen_port${ENDPOINTS[$i]}"
  names+=("e$i")
done
posts=()
for i in "${!POST_ENDPOINTS[@]}"; do
  read -r path body <<<"${POST_ENDPOINTS[$i]}"
  [[ -n $path && -r $body ]] || die "a POST endpoint is 'PATH BODY_FILE' with a readable file (got '${POST_ENDPOINTS[$i]}')"
  nginx_add_post_body "p$i" "http://127.0.0.1:$sengen_port$path" "$body"
  names+=("p$i")
  posts+=("$path $body")
done
nginx_start "${names[@]}"
for i in "${!ENDPOINTS[@]}"; do
  bench_endpoint "${ENDPOINTS[$i]}" "http://127.0.0.1:$sengen_port${ENDPOINTS[$i]}" \
    "http://127.0.0.1:$nginx_port/e$i" "$sengen_pid" "$nginx_pid"
  [[ -z $baseline_bin ]] || bench_baseline "http://127.0.0.1:$baseline_port${ENDPOINTS[$i]}" "$baseline_pid"
done
for i in "${!posts[@]}"; do
  read -r path body <<<"${posts[$i]}"
  bench_endpoint "POST $path" "http://127.0.0.1:$sengen_port$path" "http://127.0.0.1:$nginx_port/p$i" \
    "$sengen_pid" "$nginx_pid"
  [[ -z $baseline_bin ]] || bench_baseline "http://127.0.0.1:$baseline_port$path" "$baseline_pid"
  bench_post "$body"
done

bench_header
bench_measure
bench_report
echo "Medians of $rounds rounds. ratio = sengen req/s / nginx req/s; CPU ratio = nginx's CPU time per"
echo "request / sengen's (server processes only, not a database server). 1.00x = as good as nginx."
check_sengen_log "$work/sengen/stderr.log"
[[ -z $baseline_bin ]] || check_sengen_log "$work/baseline/stderr.log"
((bench_failed == 0)) || die "errors during the run: the figures above are not comparable"
