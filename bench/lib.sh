# shellcheck shell=bash
# Shared by bench/http.sh and bench/registry.sh (sourced, not run): settings checks, the build, a
# temporary directory and servers stopped on every exit, servers on free loopback ports, nginx
# serving sengen's own response bodies as static files, wrk in alternating rounds, and the table.
#
# A script using it fills the endpoint arrays (see bench_endpoint) and calls, in order:
#   bench_settings; bench_tools ...; bench_build TARGET...; bench_workdir;
#   start sengen (start_server with its own launcher); nginx_add_body per endpoint; nginx_start;
#   bench_measure; bench_report

die() {
  echo "bench: $*" >&2
  exit 1
}

positive() {  # name value max
  if [[ ! $2 =~ ^[1-9][0-9]{0,8}$ ]] || (($2 > $3)); then die "$1 must be a whole number from 1 to $3 (got '$2')"; fi
}

# The settings every HTTP benchmark shares; a script may set defaults first (e.g. default_duration).
bench_settings() {
  rounds=${BENCH_ROUNDS:-${default_rounds:-3}}
  duration=${BENCH_DURATION:-${default_duration:-10}}
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
  read -r -a extra_flags <<<"${BENCH_SENGEN_FLAGS:-}"
  # The servers measured in each round: sengen and nginx, and with BENCH_BASELINE_BIN an older
  # sengen too, on the same data, so that a change is compared with what it replaces in one run.
  servers=(sengen nginx)
  baseline_bin=${BENCH_BASELINE_BIN:-}
  if [[ -n $baseline_bin ]]; then
    [[ -x $baseline_bin ]] || die "BENCH_BASELINE_BIN=$baseline_bin is not an executable"
    servers=(sengen baseline nginx)
  fi
}

bench_tools() {  # command...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing; run: scripts/install-deps.sh bench"
  done
}

# BENCH_ENGINES (default "sqlite postgres") into the array `engines`, each known and with its
# client tool installed.
bench_engines() {
  read -r -a engines <<<"${BENCH_ENGINES:-sqlite postgres}"
  ((${#engines[@]})) || die "BENCH_ENGINES is empty"
  local engine
  for engine in "${engines[@]}"; do
    case $engine in
      sqlite) bench_tools sqlite3 ;;
      postgres) bench_tools psql ;;
      *) die "unknown engine '$engine' in BENCH_ENGINES (sqlite, postgres)" ;;
    esac
  done
}

# Builds the release preset, unless BENCH_SKIP_BUILD=1 or BENCH_BIN names the sengen to measure
# (an older build, for a before/after comparison). Sets `bin`.
bench_build() {  # target...
  local target args=()
  for target in "$@"; do args+=(--target "$target"); done
  if [[ -n ${BENCH_BIN:-} ]]; then
    bin=$BENCH_BIN
  else
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
      cmake --preset release >/dev/null
      cmake --build --preset release -j"${BENCH_JOBS:-2}" "${args[@]}"
    fi
    bin=build/release/sengen
  fi
  [[ -x $bin ]] || die "$bin is missing; build it with: cmake --build --preset release --target sengen"
}

# --- the temporary directory, and everything stopped on any exit (normal end, failure, Ctrl-C) ---

bench_pids=()     # servers started, stopped in reverse order on exit
bench_on_exit=()  # commands run after the servers are stopped (e.g. removing a database cluster)
job_pid=

bench_workdir() {  # prefix
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  # nginx workers run as "nobody" when the master is root: they must be able to reach www/.
  chmod 755 "$work"
  mkdir -m 700 "$work/wrk"
  mkdir -p "$work/nginx/www" "$work/nginx/tmp"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

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

track() { bench_pids+=("$1"); }
untrack() {  # pid: it has exited, there is nothing to stop
  local i
  for i in "${!bench_pids[@]}"; do [[ ${bench_pids[$i]} != "$1" ]] || unset 'bench_pids[i]'; done
}

bench_cleanup() {
  local rc=$? i cmd
  trap - EXIT INT TERM
  stop "$job_pid"
  local pids=("${bench_pids[@]}")
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[$i]}"; done
  for cmd in "${bench_on_exit[@]}"; do eval "$cmd" || true; done
  if [[ -n ${work:-} ]]; then
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
      echo "bench: kept $work" >&2
    else
      rm -rf "$work"
    fi
  fi
  exit "$rc"
}

# Runs a command as a background job the script waits for, killed after `seconds`: `wait` returns
# at once on Ctrl-C, and the trap then stops it. (A foreground `timeout` sits in its own process
# group, so Ctrl-C would not reach it and bash would carry on with the next step.)
bounded() {  # seconds stdout-file command...
  local secs=$1 out=$2 rc=0
  shift 2
  timeout "$secs" "$@" >"$out" 2>&1 &
  job_pid=$!
  wait "$job_pid" || rc=$?
  job_pid=
  return "$rc"
}

# --- servers on free loopback ports ------------------------------------------------------------------

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

# name pid url: waits up to 15 s for a 200 from url. Returns 1 if the process exited (its log
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
# turned out to be taken. The launcher is called with the port, sets the server's pid in `pid`
# and tracks it. Sets `port` and `pid`.
start_server() {
  local _
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    "$2" "$port"
    wait_ready "$1" "$pid" "http://127.0.0.1:$port$4" && return 0
    untrack "$pid"
    pid=
    grep -qi 'in use' "$3" 2>/dev/null || die "$1 exited during start-up; its log ends:
$(tail -n 20 "$3" 2>/dev/null)"
  done
  die "$1 found no free port in 5 attempts"
}

# --- nginx: the static reference ----------------------------------------------------------------

nginx_locations=

# nginx string literal: backslashes and quotes escaped.
nginx_quote() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# Fetches url from sengen into www/<name> and adds locations serving those bytes with the same
# Content-Type and, when BENCH_SAME_HEADERS=1, the same other headers: /<name> itself, and every
# path under /<name>/ (the same file, for a wrk script that rotates through paths).
nginx_add_body() {  # name url
  nginx_fetch "$1" "$2"
  nginx_location "$1" ""
  nginx_locations+="    location ^~ /$1/ {"$'\n'"$nginx_loc      rewrite ^ /$1 break;"$'\n'"    }"$'\n'
}

# For an endpoint that answers a POST: sengen's answer to a POST of body-file (as JSON) becomes
# the file nginx serves for /<name>. nginx's static module answers POST with 405, so that answer
# is turned into the file itself (`error_page 405 =200 $uri`: an internal redirect to a GET of the
# same file). The redirect costs nginx a little, so for POSTs the ratio errs slightly in sengen's
# favour. (`return 200 "..."` would serve from memory, but nginx refuses a parameter over 4 KB.)
nginx_add_post_body() {  # name url body-file
  nginx_fetch "$1" "$2" -X POST -H 'Content-Type: application/json' --data-binary "@$3"
  nginx_location "$1" "      error_page 405 =200 \$uri;"$'\n'
}

nginx_fetch() {  # name url [curl options...]: the body into www/<name>, the headers beside it (the answer must be 200, or fetch_status)
  local name=$1 url=$2 code
  shift 2
  code=$(curl -sS --max-time 10 -o "$work/nginx/www/$name" -D "$work/nginx/headers.$name" -w '%{http_code}' "$@" "$url") ||
    die "could not fetch $url from sengen"
  [[ $code == "${fetch_status:-200}" ]] ||
    die "sengen answered $code to $url; only endpoints that answer ${fetch_status:-200} can be compared"
  chmod 644 "$work/nginx/www/$name"
}

# Adds `location = /<name>` with sengen's Content-Type (and other headers) and `directive` (none:
# the file). Leaves the location's settings in nginx_loc for further locations.
nginx_location() {  # name directive
  local name=$1 content_type=application/octet-stream adds='' line hname value
  while IFS= read -r line; do
    line=${line%$'\r'}
    [[ $line == *:* ]] || continue
    hname=${line%%:*}
    value=${line#*:}
    value=${value# }
    case ${hname,,} in
      content-type) content_type=$value ;;
      connection | content-length | date | server | keep-alive | transfer-encoding) ;;
      *)
        if [[ $same_headers == 1 ]]; then
          if [[ $value == *'$'* ]]; then
            echo "bench: not copying header $hname to nginx (it contains \$)" >&2
          else
            adds+="      add_header $(nginx_quote "$hname") $(nginx_quote "$value") always;"$'\n'
          fi
        fi
        ;;
    esac
  done <"$work/nginx/headers.$name"
  nginx_loc="      default_type $(nginx_quote "$content_type");"$'\n'"$adds"
  nginx_locations+="    location = /$name {"$'\n'"$nginx_loc$2    }"$'\n'
}

launch_nginx() {
  rm -f "$work/nginx/error.log"
  cat >"$work/nginx/nginx.conf" <<EOF
# Generated by bench/lib.sh: the static reference. One worker per core, no access log.
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
$nginx_locations  }
}
EOF
  nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' \
    >"$work/nginx/stdout.log" 2>&1 &
  pid=$!
  # shellcheck disable=SC2034 # for the scripts
  nginx_pid=$pid
  track "$pid"
}

# Starts nginx and checks that it serves each body added, byte for byte. Sets nginx_port.
nginx_start() {  # name... (as given to nginx_add_body or nginx_add_post_body)
  local name path
  start_server nginx launch_nginx "$work/nginx/error.log" "/$1"
  nginx_port=$port
  for name in "$@"; do
    for path in "/$name" "/$name/x"; do
      # A POST body has no location under /<name>/.
      [[ $path == "/$name" || $nginx_locations == *"location ^~ /$name/ "* ]] || continue
      curl -fsS --max-time 10 -o "$work/nginx/check" "http://127.0.0.1:$nginx_port$path" ||
        die "nginx did not serve $path"
      cmp -s "$work/nginx/check" "$work/nginx/www/$name" || die "nginx's body for $path differs from sengen's"
    done
  done
}

# --- load ---------------------------------------------------------------------------------------

# The endpoints measured, by index i. For each: its label, and for each server (sengen, nginx) the
# URL wrk requests, the pids whose CPU time counts, and optionally the path prefix of a rotation:
# then wrk runs bench/rotate.lua, which requests prefix + each line of ep_ids[i] in turn.
ep_label=()
ep_ids=()
ep_body=()  # a file: wrk POSTs it as JSON (bench/post.lua), to both servers
declare -A ep_url ep_cpu_pids ep_prefix

# A URL may be a space-separated list: wrk_run then loads each at once (several sengen nodes; give
# nginx's URL as many times, so that both sides have the same clients).
bench_endpoint() {  # label sengen-url nginx-url sengen-pids nginx-pids [sengen-prefix nginx-prefix ids-file]
  local i=${#ep_label[@]}
  ep_body[i]=
  ep_label[i]=$1
  ep_url[sengen,$i]=$2
  ep_url[nginx,$i]=$3
  ep_cpu_pids[sengen,$i]=$4
  ep_cpu_pids[nginx,$i]=$5
  ep_prefix[sengen,$i]=${6:-}
  ep_prefix[nginx,$i]=${7:-}
  ep_ids[i]=${8:-}
}

# The endpoint just added is also measured on the baseline sengen (BENCH_BASELINE_BIN).
bench_baseline() {  # baseline-url baseline-pids [baseline-prefix]
  local i=$((${#ep_label[@]} - 1))
  ep_url[baseline,$i]=$1
  ep_cpu_pids[baseline,$i]=$2
  ep_prefix[baseline,$i]=${3:-}
}

# The endpoint just added is measured with POSTs of body-file.
bench_post() {  # body-file
  ep_body[${#ep_label[@]} - 1]=$1
}

wrk_args() {  # seconds server index url threads connections: sets `args`
  args=(-t"$5" -c"$6" -d"$1s" --timeout 5s --latency)
  if [[ -n ${ep_body[$3]} ]]; then
    args+=(-s bench/post.lua "$4" -- "${ep_body[$3]}" "$4")
  elif [[ -n ${ep_ids[$3]} ]]; then
    args+=(-s bench/rotate.lua "$4" -- "${ep_prefix[$2,$3]}" "${ep_ids[$3]}")
  else
    args+=("$4")
  fi
}

# One wrk against the server's URL; when the URL is a list (several sengen nodes, see
# bench_endpoint), one wrk per URL at the same time, the threads and connections shared out, and
# their outputs summed into one in wrk's own format: requests, requests a second, errors; the
# p99 is the highest of theirs (an upper bound of the whole run's).
wrk_run() {  # seconds server index output
  local urls k n pids=() rc=0 args
  read -r -a urls <<<"${ep_url[$2,$3]}"
  n=${#urls[@]}
  if ((n == 1)); then
    wrk_args "$1" "$2" "$3" "${urls[0]}" "$threads" "$connections"
    bounded $(($1 + 30)) "$4" wrk "${args[@]}" || die "wrk failed on ${urls[0]}: $(cat "$4")"
    return
  fi
  for k in "${!urls[@]}"; do
    wrk_args "$1" "$2" "$3" "${urls[$k]}" $(((threads + n - 1) / n)) $((connections / n))
    timeout $(($1 + 30)) wrk "${args[@]}" >"$4.$k" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do wait "${pids[$k]}" || rc=$?; done
  ((rc == 0)) || die "wrk failed on ${ep_url[$2,$3]}: $(cat "$4".*)"
  awk '
    / requests in / { n += $1 }
    /^Requests\/sec:/ { r += $2 }
    $1 == "99%" { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /ms$/) ms += 0; else if (v ~ /m$/) ms *= 60000; else if (v ~ /s$/) ms *= 1000
                  if (ms >= top) { top = ms; p99 = v } }
    /Non-2xx or 3xx responses:/ { bad += $NF }
    /Socket errors:/ { gsub(/,/, ""); c += $4; rd += $6; w += $8; t += $10 }
    END {
      printf "  %d requests in (%d wrk processes)\n", n, FILENAME_COUNT
      printf "     99%%  %s\n", p99
      if (bad) printf "  Non-2xx or 3xx responses: %d\n", bad
      if (c + rd + w + t) printf "  Socket errors: connect %d, read %d, write %d, timeout %d\n", c, rd, w, t
      printf "Requests/sec: %.2f\n", r
    }' FILENAME_COUNT="$n" "$4".* >"$4"
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

# CPU time (user + system, in clock ticks) used so far by servers: each process with one of these
# pids, all its threads, and its children (nginx's workers, PostgreSQL's backends). Read from
# /proc/PID/stat, whose second field (the command name, in parentheses) may itself contain spaces.
server_ticks() {  # "pid..."
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pids="$1" '
    BEGIN { n = split(pids, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
    { pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
      if ((pid in want) || (f[2] in want)) t += f[12] + f[13] }
    END { print t + 0 }'
}
clock_ticks=$(getconf CLK_TCK)

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A rps p99 cpu errors

bench_header() {  # what sengen runs on (printed after the settings)
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD 2>/dev/null || commit+="+changes"
  [[ -z ${BENCH_BIN:-} ]] || commit="binary"
  echo "sengen $commit ($bin) vs nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  echo "wrk -t$threads -c$connections -d${duration}s, $rounds alternating rounds, warm-up ${warmup}s;" \
    "sengen --log-level $log_level, same headers on nginx: $([[ $same_headers == 1 ]] && echo yes || echo no)"
  [[ -z $baseline_bin ]] || echo "baseline: $baseline_bin, measured in the same rounds on the same data"
  if ((${#extra_flags[@]})); then
    echo "extra sengen flags: $(sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#g' <<<"${extra_flags[*]}")"
  fi
}

# Every endpoint on both servers, in alternating rounds; one line per run.
bench_measure() {
  local i r server order out ticks ticks_before req_s lat lat_ms requests cpu_us errs note width=24
  for i in "${!ep_label[@]}"; do ((${#ep_label[$i]} <= width)) || width=${#ep_label[$i]}; done
  if ((warmup > 0)); then
    for i in "${!ep_label[@]}"; do
      for server in "${servers[@]}"; do wrk_run "$warmup" "$server" "$i" "$work/wrk/warmup"; done
    done
  fi
  for ((r = 1; r <= rounds; r++)); do
    # Rotate which server goes first, so none always runs on the warmer (or busier) machine.
    order=("${servers[@]:$(((r - 1) % ${#servers[@]}))}" "${servers[@]:0:$(((r - 1) % ${#servers[@]}))}")
    for i in "${!ep_label[@]}"; do
      for server in "${order[@]}"; do
        out=$work/wrk/$server.e$i.r$r
        ticks_before=$(server_ticks "${ep_cpu_pids[$server,$i]}")
        wrk_run "$duration" "$server" "$i" "$out"
        ticks=$(($(server_ticks "${ep_cpu_pids[$server,$i]}") - ticks_before))
        req_s=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
        lat=$(awk '$1 == "99%" { print $2 }' "$out")
        [[ -n $req_s && -n $lat ]] || die "could not read wrk's output ($out):
$(cat "$out")"
        lat_ms=$(to_ms "$lat")
        requests=$(awk '/ requests in / { print $1 }' "$out")
        # The servers' CPU time per request, in microseconds: what it costs, whoever else is busy.
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
        printf "  round %d/%d  %-8s %-${width}s %9.0f req/s  p99 %8.2f ms  CPU %7.1f us/req%s\n" "$r" "$rounds" \
          "$server" "${ep_label[$i]}" "$req_s" "$lat_ms" "$cpu_us" "$note"
      done
    done
  done
}

# The table of medians. Sets bench_failed=1 when a run had errors.
# shellcheck disable=SC2034 # bench_failed is for the scripts
bench_report() {
  local i server s_rps s_p99 n_rps n_p99 s_cpu n_cpu b_rps b_cpu ratio cpu_ratio note width=24 extra
  for i in "${!ep_label[@]}"; do ((${#ep_label[$i]} <= width)) || width=${#ep_label[$i]}; done
  echo
  extra=
  [[ -z $baseline_bin ]] || extra=$(printf " %14s %14s %12s" "baseline req/s" "baseline CPU r" "CPU vs base")
  printf "%-${width}s %13s %12s %12s %12s %7s %10s%s\n" endpoint "sengen req/s" "sengen p99" "nginx req/s" \
    "nginx p99" ratio "CPU ratio" "$extra"
  bench_failed=0
  for i in "${!ep_label[@]}"; do
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
    extra=
    if [[ -n $baseline_bin ]]; then
      # shellcheck disable=SC2086
      b_rps=$(median ${rps[baseline,$i]})
      # shellcheck disable=SC2086
      b_cpu=$(median ${cpu[baseline,$i]})
      # The baseline's CPU ratio to nginx, and sengen's CPU per request against the baseline's
      # (above 1.00x: the change costs less CPU per request than what it replaces).
      extra=$(awk -v b="$b_rps" -v bc="$b_cpu" -v n="$n_cpu" -v s="$s_cpu" \
        'BEGIN { printf " %14.0f %13.2fx %11.2fx", b, (bc > 0) ? n / bc : 0, (s > 0) ? bc / s : 0 }')
    fi
    note=
    for server in "${servers[@]}"; do
      if ((${errors[$server,$i]})); then
        note+=" ($server: ${errors[$server,$i]} errors)"
        bench_failed=1
      fi
    done
    printf "%-${width}s %13.0f %9.2f ms %12.0f %9.2f ms %7s %10s%s%s\n" "${ep_label[$i]}" "$s_rps" "$s_p99" "$n_rps" \
      "$n_p99" "$ratio" "$cpu_ratio" "$extra" "$note"
  done
}

# Sets bench_failed=1 when sengen's log (stderr) has errors: the figures would not be comparable.
# shellcheck disable=SC2034
check_sengen_log() {  # log
  if grep -qiE '\b(error|critical)\b' "$1"; then
    echo "bench: sengen logged errors during the run ($1):" >&2
    grep -iE '\b(error|critical)\b' "$1" | head -n 5 >&2
    bench_failed=1
  fi
}

# --- PostgreSQL ---------------------------------------------------------------------------------

psql_run() {  # port database sql: one statement, unaligned output
  psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d "$2" -c "$3"
}

# A throwaway PostgreSQL 15 cluster, as the tests start one (as the postgres user when root, on a
# free loopback port, durability off), with a database "sengen". Stopped and removed on exit.
start_postgres() {
  local out rc=0
  out=$(tests/support/pg-cluster.sh start $$) || rc=$?
  ((rc != 3)) || die "PostgreSQL 15 server is not installed; run: scripts/install-deps.sh bench"
  ((rc == 0)) || die "could not start a PostgreSQL cluster"
  read -r pg_port pg_dir <<<"$out"
  bench_on_exit+=("tests/support/pg-cluster.sh stop '$pg_dir'")
  psql_run "$pg_port" postgres "CREATE DATABASE sengen" || die "could not create the database"
  # Its postmaster's pid, for the benchmarks that count the database's CPU time too.
  pg_postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
}
