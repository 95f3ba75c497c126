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
#   BENCH_ENDPOINTS="..."  space-separated paths, instead of the ENDPOINTS list below
#   BENCH_LOG_LEVEL=warn   sengen's log level; "info" turns the access log on (written to a file)
#   BENCH_SENGEN_FLAGS=""  extra `sengen serve` flags, e.g. "--db postgresql://..."; they win over
#                          the script's own settings, which are passed as SENGEN_* variables
#   BENCH_SAME_HEADERS=1   nginx also sends sengen's response headers (CSP, nosniff, ...), so
#                          both servers send about the same bytes; 0 for nginx's own headers only
#   BENCH_SKIP_BUILD=0     1: use the existing build/release/sengen
#   BENCH_JOBS=2           parallel jobs for the build
#   BENCH_KEEP=0           1: keep the temporary directory (configs, logs, wrk output)
set -euo pipefail
cd "$(dirname "$0")/.."

# The endpoints compared, one a line. Each must answer 200 to a plain GET without a cookie; its
# body (and Content-Type) is fetched from sengen once and served by nginx as a static file.
ENDPOINTS=(
  "/healthz"
  "/"
)

die() {
  echo "bench: $*" >&2
  exit 1
}

positive() {  # name value max
  if [[ ! $2 =~ ^[1-9][0-9]{0,5}$ ]] || (($2 > $3)); then die "$1 must be a whole number from 1 to $3 (got '$2')"; fi
}

rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
warmup=${BENCH_WARMUP:-2}
log_level=${BENCH_LOG_LEVEL:-warn}
same_headers=${BENCH_SAME_HEADERS:-1}
positive BENCH_ROUNDS "$rounds" 50
positive BENCH_DURATION "$duration" 600
positive BENCH_CONNECTIONS "$connections" 10000
positive BENCH_THREADS "$threads" 64
((connections >= threads)) || die "BENCH_CONNECTIONS must be at least BENCH_THREADS"
if [[ ! $warmup =~ ^(0|[1-9][0-9]?)$ ]] || ((warmup > 60)); then die "BENCH_WARMUP must be a whole number from 0 to 60"; fi
if [[ -n ${BENCH_ENDPOINTS:-} ]]; then read -r -a ENDPOINTS <<<"$BENCH_ENDPOINTS"; fi
((${#ENDPOINTS[@]})) || die "no endpoints to measure"
read -r -a extra_flags <<<"${BENCH_SENGEN_FLAGS:-}"

for tool in wrk nginx curl cmake timeout; do
  command -v "$tool" >/dev/null || die "$tool is missing; run: scripts/install-deps.sh bench"
done

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j"${BENCH_JOBS:-2}" --target sengen
fi
bin=build/release/sengen
[[ -x $bin ]] || die "$bin is missing; build it with: cmake --build --preset release --target sengen"

# --- servers, stopped on any exit (normal end, failure, Ctrl-C, SIGTERM) --------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/sengen-bench.XXXXXX")
# nginx workers run as "nobody" when the master is root: they must be able to reach www/.
chmod 755 "$work"
mkdir -m 700 "$work/sengen" "$work/wrk"
mkdir -p "$work/sengen/mail" "$work/nginx/www" "$work/nginx/tmp"
sengen_pid=
nginx_pid=
wrk_pid=

stop() {  # pid: SIGTERM, up to 15 s to finish, then SIGKILL
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$wrk_pid"
  stop "$sengen_pid"
  stop "$nginx_pid"
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "bench: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port below the kernel's ephemeral range (so no client connection can hold it) that no TCP
# socket on this machine uses, in any state. Another process may still take it before we bind,
# so the servers are started with a few attempts.
free_port() {
  local low p i hex tables=()
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 11000)) || low=61000
  for p in /proc/net/tcp /proc/net/tcp6; do [[ -r $p ]] && tables+=("$p"); done
  ((${#tables[@]})) || die "cannot read /proc/net/tcp"
  for ((i = 0; i < 200; i++)); do
    p=$((10000 + RANDOM % (low - 10000)))
    printf -v hex ':%04X' "$p"
    awk -v h="$hex" 'FNR > 1 && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' "${tables[@]}" || {
      echo "$p"
      return 0
    }
  done
  die "found no free loopback port"
}

# name pid url log: waits up to 15 s for a 200 from url. Returns 1 if the process exited (its log
# says why), and fails the run if it never answers.
wait_ready() {
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$2" 2>/dev/null || {
      wait "$2" 2>/dev/null || true
      return 1
    }
    curl -fsS -o /dev/null --max-time 1 "$3" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$1 did not answer $3 within 15 s"
}

# name launcher log url-path: starts a server on a free port, and on a new one when the port
# turned out to be taken. The launcher is called with the port and sets the server's pid in `pid`.
start_server() {
  local _
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    "$2" "$port"
    wait_ready "$1" "$pid" "http://127.0.0.1:$port$4" "$3" && return 0
    pid=
    printf -v "${1}_pid" '%s' ''  # it has exited: nothing to stop
    grep -qi 'in use' "$3" 2>/dev/null || die "$1 exited during start-up; its log ends:
$(tail -n 20 "$3" 2>/dev/null)"
  done
  die "$1 found no free port in 5 attempts"
}

launch_sengen() {
  # Our settings go in as SENGEN_* variables, so that BENCH_SENGEN_FLAGS (flags) override them.
  SENGEN_LISTEN=127.0.0.1:$1 SENGEN_DB=sqlite:$work/sengen/bench.db \
    SENGEN_MAIL=file:$work/sengen/mail SENGEN_LOG_LEVEL=$log_level \
    "$bin" serve "${extra_flags[@]}" >"$work/sengen/stdout.log" 2>"$work/sengen/stderr.log" &
  pid=$!
  sengen_pid=$pid
}
start_server sengen launch_sengen "$work/sengen/stderr.log" /healthz
sengen_port=$port

# nginx string literal: backslashes and quotes escaped.
nginx_quote() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# Fetch each endpoint's body from sengen once; nginx serves it as /e<N>, with the same Content-Type
# and, when BENCH_SAME_HEADERS=1, the same other headers.
locations=
for i in "${!ENDPOINTS[@]}"; do
  ep=${ENDPOINTS[$i]}
  body=$work/nginx/www/e$i
  headers=$work/nginx/headers.e$i
  code=$(curl -sS --max-time 10 -o "$body" -D "$headers" -w '%{http_code}' "http://127.0.0.1:$sengen_port$ep") ||
    die "could not fetch $ep from sengen"
  [[ $code == 200 ]] || die "sengen answered $code to GET $ep; only endpoints that answer 200 can be compared"
  chmod 644 "$body"
  content_type=application/octet-stream
  adds=
  while IFS= read -r line; do
    line=${line%$'\r'}
    [[ $line == *:* ]] || continue
    name=${line%%:*}
    value=${line#*:}
    value=${value# }
    case ${name,,} in
      content-type) content_type=$value ;;
      connection | content-length | date | server | keep-alive | transfer-encoding) ;;
      *)
        if [[ $same_headers == 1 ]]; then
          if [[ $value == *'$'* ]]; then
            echo "bench: not copying header $name to nginx (it contains \$)" >&2
          else
            adds+="      add_header $(nginx_quote "$name") $(nginx_quote "$value") always;"$'\n'
          fi
        fi
        ;;
    esac
  done <"$headers"
  locations+="    location = /e$i {"$'\n'"      default_type $(nginx_quote "$content_type");"$'\n'"$adds    }"$'\n'
done

launch_nginx() {
  rm -f "$work/nginx/error.log"
  cat >"$work/nginx/nginx.conf" <<EOF
# Generated by bench/http.sh: the static reference. One worker per core, no access log.
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  types {}
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  server_tokens off;
  etag off;
  # Keep every connection for the whole run, as sengen does (nginx's default closes after 1000).
  keepalive_timeout 75s;
  keepalive_requests 1000000000;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$1;
    root $work/nginx/www;
    location / { return 404; }
$locations  }
}
EOF
  nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' \
    >"$work/nginx/stdout.log" 2>&1 &
  pid=$!
  nginx_pid=$pid
}
start_server nginx launch_nginx "$work/nginx/error.log" /e0
nginx_port=$port

for i in "${!ENDPOINTS[@]}"; do
  curl -fsS --max-time 10 -o "$work/nginx/check" "http://127.0.0.1:$nginx_port/e$i" ||
    die "nginx did not serve /e$i"
  cmp -s "$work/nginx/check" "$work/nginx/www/e$i" || die "nginx's body for ${ENDPOINTS[$i]} differs from sengen's"
done

# --- load -------------------------------------------------------------------------------------------

url() {  # server index
  if [[ $1 == sengen ]]; then
    echo "http://127.0.0.1:$sengen_port${ENDPOINTS[$2]}"
  else
    echo "http://127.0.0.1:$nginx_port/e$2"
  fi
}

# wrk runs as a background job that the script waits for: `wait` returns at once on Ctrl-C, and
# the trap then stops wrk and both servers. (A foreground `timeout` sits in its own process group,
# so Ctrl-C would not reach it and bash would carry on with the next run.)
wrk_run() {  # seconds url output
  local rc=0
  timeout $(($1 + 30)) wrk -t"$threads" -c"$connections" -d"$1s" --timeout 5s --latency "$2" >"$3" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || rc=$?
  wrk_pid=
  ((rc == 0)) || die "wrk failed on $2: $(cat "$3")"
}

# wrk prints latencies as 812.00us, 4.90ms, 1.02s or 1.50m; in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
    else { print "nan" } }'
}

# CPU time (user + system, in clock ticks) used so far by a server: the process with that pid, all
# its threads, and its children (nginx's workers). Read from /proc/PID/stat, whose second field
# (the command name, in parentheses) may itself contain spaces.
server_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v p="$1" '{
      pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
      if (pid == p || f[2] == p) t += f[12] + f[13] }
    END { print t + 0 }'
}
clock_ticks=$(getconf CLK_TCK)

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A rps p99 cpu errors
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit+="+changes"
echo "sengen $commit ($bin) vs nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo "wrk -t$threads -c$connections -d${duration}s, $rounds alternating rounds, warm-up ${warmup}s;" \
  "sengen --log-level $log_level, same headers on nginx: $([[ $same_headers == 1 ]] && echo yes || echo no)"
if ((${#extra_flags[@]})); then
  echo "extra sengen flags: $(sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#g' <<<"${extra_flags[*]}")"
fi

if ((warmup > 0)); then
  for i in "${!ENDPOINTS[@]}"; do
    for server in sengen nginx; do wrk_run "$warmup" "$(url $server "$i")" "$work/wrk/warmup"; done
  done
fi

for ((r = 1; r <= rounds; r++)); do
  # Alternate which server goes first, so neither always runs on the warmer (or busier) machine.
  if ((r % 2)); then order=(sengen nginx); else order=(nginx sengen); fi
  for i in "${!ENDPOINTS[@]}"; do
    for server in "${order[@]}"; do
      out=$work/wrk/$server.e$i.r$r
      pid=$sengen_pid
      [[ $server == nginx ]] && pid=$nginx_pid
      ticks_before=$(server_ticks "$pid")
      wrk_run "$duration" "$(url "$server" "$i")" "$out"
      ticks=$(($(server_ticks "$pid") - ticks_before))
      req_s=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
      lat=$(awk '$1 == "99%" { print $2 }' "$out")
      [[ -n $req_s && -n $lat ]] || die "could not read wrk's output ($out):
$(cat "$out")"
      lat_ms=$(to_ms "$lat")
      requests=$(awk '/ requests in / { print $1 }' "$out")
      # The server's CPU time per request, in microseconds: what it costs, whoever else is busy.
      cpu_us=$(awk -v t="$ticks" -v hz="$clock_ticks" -v n="$requests" 'BEGIN { print (n > 0) ? t / hz * 1e6 / n : 0 }')
      # Requests that were not 2xx/3xx, and socket errors (connect, read, write, timeout).
      errs=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
                  /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                  END { print n + 0 }' "$out")
      rps[$server,$i]+="$req_s "
      p99[$server,$i]+="$lat_ms "
      cpu[$server,$i]+="$cpu_us "
      errors[$server,$i]=$((${errors[$server,$i]:-0} + errs))
      note=
      ((errs == 0)) || note="  ($errs errors)"
      printf '  round %d/%d  %-7s %-24s %9.0f req/s  p99 %8.2f ms  CPU %7.1f us/req%s\n' "$r" "$rounds" \
        "$server" "${ENDPOINTS[$i]}" "$req_s" "$lat_ms" "$cpu_us" "$note"
    done
  done
done

# --- report ---------------------------------------------------------------------------------------

echo
printf '%-24s %13s %12s %12s %12s %7s %10s\n' endpoint "sengen req/s" "sengen p99" "nginx req/s" "nginx p99" \
  ratio "CPU ratio"
failed=0
for i in "${!ENDPOINTS[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  {
    s_rps=$(median ${rps[sengen,$i]})
    s_p99=$(median ${p99[sengen,$i]})
    n_rps=$(median ${rps[nginx,$i]})
    n_p99=$(median ${p99[nginx,$i]})
    s_cpu=$(median ${cpu[sengen,$i]})
    n_cpu=$(median ${cpu[nginx,$i]})
  }
  ratio=$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.2fx", (b > 0) ? a / b : 0 }')
  cpu_ratio=$(awk -v s="$s_cpu" -v n="$n_cpu" 'BEGIN { printf "%.2fx", (s > 0) ? n / s : 0 }')
  note=
  for server in sengen nginx; do
    if ((${errors[$server,$i]})); then
      note+=" ($server: ${errors[$server,$i]} errors)"
      failed=1
    fi
  done
  printf '%-24s %13.0f %9.2f ms %12.0f %9.2f ms %7s %10s%s\n' "${ENDPOINTS[$i]}" "$s_rps" "$s_p99" "$n_rps" \
    "$n_p99" "$ratio" "$cpu_ratio" "$note"
done
echo "Medians of $rounds rounds. ratio = sengen req/s / nginx req/s; CPU ratio = nginx's CPU time per"
echo "request / sengen's (server processes only, not a database server). 1.00x = as good as nginx."

if grep -qiE '\b(error|critical)\b' "$work/sengen/stderr.log"; then
  echo "bench: sengen logged errors during the run:" >&2
  grep -iE '\b(error|critical)\b' "$work/sengen/stderr.log" | head -n 5 >&2
  failed=1
fi
((failed == 0)) || die "errors during the run: the figures above are not comparable"
