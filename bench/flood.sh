#!/usr/bin/env bash
# Load test (not in CI): do the cheap routes stay fast while expensive requests flood the server?
# Measures the latency of GET /healthz and GET /verify/{id} with wrk, first on a quiet server, then
# while other wrk processes flood the public policy PDF, the self-assessment's report PDF (made
# anew for every request) and the sign-in form (POST, with a valid session and CSRF token), in
# alternating rounds. Reports the cheap routes' p99 with and without the flood, and how the
# floods were answered (from sengen's /metrics). See bench/README.md.
#
#   bench/flood.sh                                   3 rounds x 10 s
#   BENCH_ROUNDS=1 BENCH_DURATION=5 bench/flood.sh   a quick look
#
# Settings (environment variables), besides BENCH_ROUNDS, BENCH_DURATION, BENCH_WARMUP,
# BENCH_LOG_LEVEL, BENCH_SENGEN_FLAGS, BENCH_SKIP_BUILD, BENCH_BIN, BENCH_JOBS and BENCH_KEEP
# (as in bench/http.sh):
#   BENCH_PROBE_CONNECTIONS=4    wrk -c of each cheap-route probe (one wrk thread each)
#   BENCH_FLOOD_CONNECTIONS=32   wrk -c of each flood (one wrk thread each)
#   BENCH_FLOODS="policy report signin"   which floods to run (to see what each one costs)
#   BENCH_RATE_LIMIT_FACTOR=100000   sengen's --rate-limit-factor; 1 runs with the real limits, where
#                                one flooding client is soon refused (the /verify probe then gets
#                                429 pages, so read /healthz)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

bench_settings
probe_connections=${BENCH_PROBE_CONNECTIONS:-4}
flood_connections=${BENCH_FLOOD_CONNECTIONS:-32}
positive BENCH_PROBE_CONNECTIONS "$probe_connections" 1000
positive BENCH_FLOOD_CONNECTIONS "$flood_connections" 10000
rate_factor=${BENCH_RATE_LIMIT_FACTOR:-100000}
positive BENCH_RATE_LIMIT_FACTOR "$rate_factor" 1000000
read -r -a floods <<<"${BENCH_FLOODS:-policy report signin}"
for f in "${floods[@]}"; do [[ $f =~ ^(policy|report|signin)$ ]] || die "unknown flood '$f' in BENCH_FLOODS (policy, report, signin)"; done
((${#floods[@]})) || die "BENCH_FLOODS is empty"
bench_tools wrk curl cmake timeout
bench_build sengen
bench_workdir sengen-flood
mkdir -m 700 "$work/sengen"
mkdir -p "$work/sengen/mail"

# Rate limits lifted (as in bench/registry.sh): the probes ask for one ID thousands of times a
# second from one address, and the sign-in flood then does its full work (a mail each) instead of
# being turned away after a few requests: the worst case for the cheap routes.
launch_sengen() {  # port
  SENGEN_LISTEN=127.0.0.1:$1 SENGEN_DB=sqlite:$work/sengen/bench.db SENGEN_MAIL=file:$work/sengen/mail \
    SENGEN_LOG_LEVEL=$log_level SENGEN_RATE_LIMIT_FACTOR=$rate_factor SENGEN_MAIL_POLL_MS=50 \
    "$bin" serve "${extra_flags[@]}" >"$work/sengen/stdout.log" 2>"$work/sengen/stderr.log" &
  pid=$!
  track "$pid"
}
start_server sengen launch_sengen "$work/sengen/stderr.log" /healthz
base=http://127.0.0.1:$port

# A declaration, a published policy and a visitor's session, made through the site.
public_id='' policy_pdf='' cookie='' signin_body='' report_body=''  # set by flood_setup.py
setup=$(/usr/bin/python3 -B bench/flood_setup.py "$port" "$work/sengen/mail") || die "setting up failed: $setup"
eval "$setup"
printf '%s' "$signin_body" >"$work/signin.body"
printf '%s' "$report_body" >"$work/report.body"
verify_path=/verify/$public_id
for path in /healthz "$verify_path" "$policy_pdf"; do
  curl -fsS -o /dev/null --max-time 10 "$base$path" || die "sengen did not answer $path"
done

probe() {  # path seconds output
  bounded $(($2 + 30)) "$3" wrk -t1 -c"$probe_connections" -d"$2s" --timeout 5s --latency "$base$1" ||
    die "wrk failed on $1: $(cat "$3")"
}

flood_pids=()
flood_start() {  # seconds round
  local secs=$1 r=$2 f args
  for f in "${floods[@]}"; do
    case $f in
      policy) args=("$base$policy_pdf") ;;
      report) args=(-s bench/form.lua "$base/assessment/report.pdf" -- "$work/report.body" "$cookie") ;;
      signin) args=(-s bench/form.lua "$base/signin" -- "$work/signin.body" "$cookie") ;;
    esac
    timeout $((secs + 30)) wrk -t1 -c"$flood_connections" -d"${secs}s" --timeout 10s "${args[@]}" \
      >"$work/wrk/flood-$f.$r" 2>&1 &
    flood_pids+=($!)
    track "$!"
  done
}
flood_wait() {
  local p
  for p in "${flood_pids[@]}"; do
    wait "$p" || true
    untrack "$p"
  done
  flood_pids=()
}

p99_of() { to_ms "$(awk '$1 == "99%" { print $2 }' "$1")"; }
rps_of() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
bad_of() {
  awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
       END { print n + 0 }' "$1"
}

# Requests answered by route and status so far, from sengen's own counters.
answered() {  # route-pattern
  curl -fsS --max-time 10 "$base/metrics" | awk -v r="$1" '
    index($0, "sengen_http_requests_total{route=\"" r "\"") == 1 {
      match($0, /status="[0-9]+"/); s = substr($0, RSTART + 8, 3); n[s] += $NF }
    END { for (s in n) printf "%s:%d ", s, n[s] }'
}

echo "sengen $(git rev-parse --short HEAD 2>/dev/null || echo unknown) ($bin), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "probes: wrk -t1 -c$probe_connections on /healthz and /verify/{id} at once; floods: wrk -t1 -c$flood_connections each on" \
  "${floods[*]} (policy: GET $policy_pdf, report: POST /assessment/report.pdf, signin: POST /signin);" \
  "${duration}s runs, $rounds rounds"

if ((warmup > 0)); then
  probe /healthz "$warmup" "$work/wrk/warmup"
  probe "$verify_path" "$warmup" "$work/wrk/warmup"
fi

declare -A p99s rpss bads
for ((r = 1; r <= rounds; r++)); do
  for mode in quiet flood; do
    if [[ $mode == flood ]]; then
      flood_start $((duration + 2)) "$r"
      sleep 1  # the floods are under way before the probes start
    fi
    probe /healthz "$duration" "$work/wrk/healthz.$mode.$r" &
    healthz_job=$!
    probe "$verify_path" "$duration" "$work/wrk/verify.$mode.$r"
    wait "$healthz_job" || die "the /healthz probe failed"
    [[ $mode == quiet ]] || flood_wait
    for what in healthz verify; do
      out=$work/wrk/$what.$mode.$r
      p99s[$what,$mode]+="$(p99_of "$out") "
      rpss[$what,$mode]+="$(rps_of "$out") "
      bads[$what,$mode]=$((${bads[$what,$mode]:-0} + $(bad_of "$out")))
      printf "  round %d/%d  %-5s  %-8s %8s req/s  p99 %8.2f ms\n" "$r" "$rounds" "$mode" "$what" "$(rps_of "$out")" \
        "$(p99_of "$out")"
    done
    if [[ $mode == flood ]]; then
      for f in "${floods[@]}"; do
        printf "  round %d/%d  flood  %-8s %8s req/s sent\n" "$r" "$rounds" "$f" "$(rps_of "$work/wrk/flood-$f.$r")"
      done
    fi
  done
done

echo
printf "%-10s %16s %16s %14s %14s\n" route "p99 quiet" "p99 flood" "req/s quiet" "req/s flood"
bench_failed=0
for what in healthz verify; do
  # shellcheck disable=SC2086 # space-separated numbers
  printf "%-10s %13.2f ms %13.2f ms %14.0f %14.0f\n" "$what" "$(median ${p99s[$what,quiet]})" \
    "$(median ${p99s[$what,flood]})" "$(median ${rpss[$what,quiet]})" "$(median ${rpss[$what,flood]})"
  for mode in quiet flood; do
    if ((${bads[$what,$mode]})); then
      echo "bench: $what had ${bads[$what,$mode]} errors or non-2xx answers ($mode)" >&2
      bench_failed=1
    fi
  done
done
echo "Medians of $rounds rounds. How the floods were answered, in all (status:count):"
echo "  GET /policy/{slug}/{n}/policy.pdf  $(answered "/policy/{slug}/{n}/policy.pdf")"
echo "  POST /assessment/report.pdf        $(answered "/assessment/report.pdf")"
echo "  POST /signin                       $(answered "/signin")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
check_sengen_log "$work/sengen/stderr.log"
((bench_failed == 0)) || die "errors during the run: the figures above are not comparable"
