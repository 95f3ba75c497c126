#!/usr/bin/env bash
# Registry benchmark: GET /api/v1/declarations/{id}, /verify/{id} and the public search by a
# declaration's name (/verify/search?name=…) over a registry of
# BENCH_DECLARATIONS seeded declarations, on SQLite and on PostgreSQL, against nginx serving a
# static file of the same size, measured with wrk on loopback in alternating rounds and reported
# as a ratio (see bench/README.md). wrk asks for BENCH_IDS different IDs spread over the whole
# table, in turn (bench/rotate.lua), so the lookup does not read one hot row.
#
#   bench/registry.sh                     1,000,000 declarations, both engines, 3 rounds x 10 s
#   BENCH_QUICK=1 bench/registry.sh       100,000 declarations, 2 rounds x 5 s
#   BENCH_ENGINES=sqlite bench/registry.sh
#
# Settings (environment variables), besides those of bench/http.sh (BENCH_ROUNDS, BENCH_DURATION,
# BENCH_CONNECTIONS, BENCH_THREADS, BENCH_WARMUP, BENCH_LOG_LEVEL, BENCH_SENGEN_FLAGS,
# BENCH_SAME_HEADERS, BENCH_SKIP_BUILD, BENCH_BIN, BENCH_BASELINE_BIN, BENCH_JOBS, BENCH_KEEP):
#   BENCH_DECLARATIONS=1000000  declarations seeded into each database (`sengen seed`)
#   BENCH_ENGINES="sqlite postgres"
#   BENCH_IDS=1000              IDs wrk rotates through, read back from the database
#   BENCH_SEED_TIMEOUT=3600     seconds allowed for seeding one database
#   BENCH_QUICK=1               defaults of 100,000 declarations, 2 rounds of 5 s
#   BENCH_NODES=1               sengen nodes on the PostgreSQL database (1 or 2): with 2, each
#                               gets its own wrk with half the connections at the same time, nginx
#                               gets the same two clients, and both nodes' CPU counts
#   BENCH_BASELINE_BIN=         an older sengen, served from the same databases beside the new one
#                               and measured in the same rounds (a before/after comparison that
#                               seeds once; the schema must be the same)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

# The endpoints compared; {id} is replaced by each ID in turn, {name} by the business name of each
# of the same declarations (URL-encoded): what a visitor types to check a badge they saw.
ENDPOINTS=(
  "/api/v1/declarations/{id}"
  "/verify/{id}"
  "/verify/search?name={name}"
)

if [[ ${BENCH_QUICK:-0} == 1 ]]; then
  default_declarations=100000 default_rounds=2 default_duration=5
else
  default_declarations=1000000 default_rounds=3 default_duration=10
fi
bench_settings
declarations=${BENCH_DECLARATIONS:-$default_declarations}
id_count=${BENCH_IDS:-1000}
seed_timeout=${BENCH_SEED_TIMEOUT:-3600}
positive BENCH_DECLARATIONS "$declarations" 50000000
positive BENCH_IDS "$id_count" 100000
positive BENCH_SEED_TIMEOUT "$seed_timeout" 86400
nodes=${BENCH_NODES:-1}
[[ $nodes == 1 || $nodes == 2 ]] || die "BENCH_NODES must be 1 or 2 (got '$nodes')"
bench_engines
bench_tools wrk nginx curl cmake timeout
bench_build sengen
bench_workdir sengen-registry-bench

# --- databases --------------------------------------------------------------------------------

declare -A db_url ids_file names_file sengen_port_of cpu_pids_of baseline_port_of baseline_pids_of seed_line maintenance_line plan_line
declare -A startup_line sengen_urls_of

# `sengen seed` as a bounded job, with its progress every 30 s.
seed() {  # engine
  local log=$work/$1/seed.log started t0=$SECONDS last=$SECONDS rc=0 secs created
  started=$(date +%s.%N)
  timeout "$seed_timeout" "$bin" --db "${db_url[$1]}" --log-level info seed --declarations "$declarations" \
    >"$log" 2>&1 &
  job_pid=$!
  while kill -0 "$job_pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - last >= 30)); then
      last=$SECONDS
      echo "  $1: $(grep -o 'seeded [0-9]* declarations' "$log" | tail -n 1 || echo 'seeding') after $((SECONDS - t0)) s"
    fi
  done
  wait "$job_pid" || rc=$?
  job_pid=
  ((rc == 0)) || die "seeding $1 failed (exit $rc; 124 is BENCH_SEED_TIMEOUT):
$(tail -n 5 "$log")"
  secs=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  created=$(awk '/^created / { print $2 }' "$log")
  [[ $created == "$declarations" ]] || die "seeding $1 created '$created' declarations, not $declarations"
  seed_line[$1]=$(awk -v n="$created" -v s="$secs" 'BEGIN { printf "%d declarations in %.1f s: %.0f declarations/s", n, s, n / s }')
  echo "  $1: seeded ${seed_line[$1]}"
}

# IDs spread evenly over the table, in the order of the table, and the same declarations' names
# (URL-encoded, for the search). Both tools print the columns joined by "|", which no ID holds.
read_ids() {  # engine
  local q="SELECT public_id, business_name FROM declarations WHERE public_id IS NOT NULL AND id % step = 0"
  q+=" ORDER BY id LIMIT $id_count"
  local count rows=$work/$1/rows
  case $1 in
    sqlite)
      count=$(sqlite3 "$work/sqlite/bench.db" "SELECT COUNT(*) FROM declarations WHERE public_id IS NOT NULL")
      sqlite3 "$work/sqlite/bench.db" "${q//step/$((count / id_count > 0 ? count / id_count : 1))}" >"$rows"
      ;;
    postgres)
      count=$(psql_run "$pg_port" sengen "SELECT COUNT(*) FROM declarations WHERE public_id IS NOT NULL")
      psql_run "$pg_port" sengen "${q//step/$((count / id_count > 0 ? count / id_count : 1))}" >"$rows"
      ;;
  esac
  cut -d'|' -f1 "$rows" >"${ids_file[$1]}"
  cut -d'|' -f2- "$rows" |
    python3 -c 'import sys, urllib.parse; [print(urllib.parse.quote(l.rstrip("\n"), safe="")) for l in sys.stdin]' \
      >"${names_file[$1]}"
  (($(wc -l <"${ids_file[$1]}") == id_count)) || die "$1: found $(wc -l <"${ids_file[$1]}") IDs, wanted $id_count"
}

# The plan of the lookup by public_id: it must use the unique index, or the figures say little.
explain() {  # engine
  local id plan
  id=$(head -n 1 "${ids_file[$1]}")
  case $1 in
    sqlite)
      plan=$(sqlite3 "$work/sqlite/bench.db" "EXPLAIN QUERY PLAN SELECT * FROM declarations WHERE public_id = '$id'" |
        grep -v '^QUERY PLAN' | sed 's/^[^A-Z]*//')
      [[ $plan == *"USING INDEX"*"(public_id=?)"* ]] || die "sqlite: the lookup by public_id does not use an index: $plan"
      ;;
    postgres)
      plan=$(psql_run "$pg_port" sengen "EXPLAIN SELECT * FROM declarations WHERE public_id = '$id'" |
        head -n 1 | sed 's/  (cost=.*//')
      [[ $plan == "Index Scan using "* ]] || die "postgres: the lookup by public_id does not use an index: $plan"
      ;;
  esac
  plan_line[$1]=$plan
}

# Our settings go in as SENGEN_* variables, so that BENCH_SENGEN_FLAGS (flags) override them.
# Every request comes from 127.0.0.1: the rate limits are raised as far as they go. Sets `settings`.
settings_of() {  # port
  settings=(SENGEN_LISTEN=127.0.0.1:$1 "SENGEN_DB=${db_url[$engine]}" "SENGEN_MAIL=file:$work/$engine/mail"
    "SENGEN_LOG_LEVEL=$log_level" SENGEN_RATE_LIMIT_FACTOR=100000)
}
launch() {  # binary log-prefix port
  settings_of "$3"
  env "${settings[@]}" "$1" serve "${extra_flags[@]}" >"$work/$engine/$2stdout.log" 2>"$work/$engine/$2stderr.log" &
  pid=$!
  track "$pid"
}

# Start-up and memory (issue 15): sengen started once more on the seeded database, timed until
# /readyz answers 200 (bench/startup.py polls every 2 ms), and its resident memory after 2 s idle.
startup() {
  local port line
  port=$(free_port)
  settings_of "$port"
  line=$(env "${settings[@]}" python3 bench/startup.py "$port" 2 -- "$bin" serve "${extra_flags[@]}") ||
    die "$engine: the start-up measurement failed"
  startup_line[$engine]=$(awk -F'[= ]' '{ printf "ready in %d ms; resident memory idle %.1f MB", $2, $4 / 1024 }' <<<"$line")
  echo "  $engine: ${startup_line[$engine]}"
}
launch_sengen() { launch "$bin" "" "$1"; }
launch_node2() { launch "$bin" node2- "$1"; }
launch_baseline() { launch "$baseline_bin" baseline- "$1"; }

for engine in "${engines[@]}"; do
  mkdir -m 700 "$work/$engine"
  mkdir -p "$work/$engine/mail"
  ids_file[$engine]=$work/$engine/ids
  names_file[$engine]=$work/$engine/names
  case $engine in
    sqlite) db_url[$engine]=sqlite:$work/sqlite/bench.db ;;
    postgres)
      start_postgres
      db_url[$engine]=postgresql://postgres@127.0.0.1:$pg_port/sengen
      ;;
  esac
  echo "$engine: seeding $declarations declarations"
  seed "$engine"
  if [[ $engine == postgres ]]; then
    # The seed inserts each declaration and then updates it, which leaves a dead version of every
    # row: vacuum now, as autovacuum would do soon, rather than in the middle of a measurement.
    started=$(date +%s.%N)
    psql_run "$pg_port" sengen "VACUUM (ANALYZE) declarations" && psql_run "$pg_port" sengen "CHECKPOINT"
    maintenance_line[$engine]="VACUUM (ANALYZE) and CHECKPOINT in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
    echo "  $engine: ${maintenance_line[$engine]}"
  fi
  read_ids "$engine"
  explain "$engine"
  echo "  $engine: lookup by public_id: ${plan_line[$engine]}"
  startup
  start_server "sengen ($engine)" launch_sengen "$work/$engine/stderr.log" /healthz
  sengen_port_of[$engine]=$port
  cpu_pids_of[$engine]=$pid
  sengen_urls_of[$engine]=http://127.0.0.1:$port
  if [[ $engine == postgres && $nodes == 2 ]]; then
    # A second stateless node on the same database, as operators scale out.
    start_server "sengen ($engine, node 2)" launch_node2 "$work/$engine/node2-stderr.log" /healthz
    cpu_pids_of[$engine]+=" $pid"
    sengen_urls_of[$engine]+=" http://127.0.0.1:$port"
  fi
  # PostgreSQL's work per request is part of the cost: its processes count in the CPU column.
  [[ $engine != postgres ]] || cpu_pids_of[$engine]+=" $pg_postmaster"
  if [[ -n $baseline_bin ]]; then
    start_server "baseline ($engine)" launch_baseline "$work/$engine/baseline-stderr.log" /healthz
    baseline_port_of[$engine]=$port
    baseline_pids_of[$engine]=$pid
    [[ $engine != postgres ]] || baseline_pids_of[$engine]+=" $pg_postmaster"
  fi
done

# --- nginx: per endpoint and engine, a body of the size sengen sends most typically ---------------

# The file of values an endpoint's placeholder ({id} or {name}) takes in turn.
values_file() {  # engine endpoint
  if [[ $2 == *"{name}" ]]; then echo "${names_file[$1]}"; else echo "${ids_file[$1]}"; fi
}

# Sets `typical` to the URL whose body has the median size among 25 values spread over the list
# (every one must answer 200), and typical_size, typical_range.
typical_url() {  # engine endpoint
  local base="http://127.0.0.1:${sengen_port_of[$1]}" prefix=${2%\{*\}} value size sizes=() line n file
  file=$(values_file "$1" "$2")
  n=$(wc -l <"$file")
  while read -r value; do
    line=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' "$base$prefix$value") ||
      die "could not fetch $prefix$value from sengen ($1)"
    [[ $line == "200 "* ]] || die "sengen ($1) answered ${line% *} to GET $prefix$value"
    size=${line#* }
    sizes+=("$size $value")
  done < <(awk -v n="$n" 'NR == 1 || NR % int((n + 24) / 25) == 0' "$file" | head -n 25)
  line=$(printf '%s\n' "${sizes[@]}" | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
  typical_size=${line% *}
  typical_range=$(printf '%s\n' "${sizes[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
  typical=$base$prefix${line#* }
}

names=()
declare -A nginx_name body_line
for engine in "${engines[@]}"; do
  for i in "${!ENDPOINTS[@]}"; do
    name=$engine-e$i
    typical_url "$engine" "${ENDPOINTS[$i]}"
    nginx_add_body "$name" "$typical"
    nginx_name[$engine,$i]=$name
    body_line[$engine,$i]="$typical_size bytes (25 IDs: $typical_range)"
    names+=("$name")
  done
done
nginx_start "${names[@]}"

for engine in "${engines[@]}"; do
  for i in "${!ENDPOINTS[@]}"; do
    prefix=${ENDPOINTS[$i]%\{*\}}
    sengen_urls='' nginx_urls='' label=$engine
    for url in ${sengen_urls_of[$engine]}; do
      sengen_urls+="${sengen_urls:+ }$url$prefix"
      nginx_urls+="${nginx_urls:+ }http://127.0.0.1:$nginx_port/${nginx_name[$engine,$i]}/"
    done
    [[ $sengen_urls != *" "* ]] || label+=" x2"
    bench_endpoint "$label ${ENDPOINTS[$i]}" "$sengen_urls" "$nginx_urls" "${cpu_pids_of[$engine]}" "$nginx_pid" \
      "$prefix" "/${nginx_name[$engine,$i]}/" "$(values_file "$engine" "${ENDPOINTS[$i]}")"
    [[ -z $baseline_bin ]] ||
      bench_baseline "http://127.0.0.1:${baseline_port_of[$engine]}$prefix" "${baseline_pids_of[$engine]}" "$prefix"
  done
done

# --- load and report -------------------------------------------------------------------------------

echo
bench_header
echo "$declarations declarations per database; wrk rotates through $id_count IDs spread over each table" \
  "(bench/rotate.lua), and the same declarations' names for the search; sengen --rate-limit-factor 100000"
for engine in "${engines[@]}"; do
  for i in "${!ENDPOINTS[@]}"; do
    printf '  %-8s %-26s body %s\n' "$engine" "${ENDPOINTS[$i]}" "${body_line[$engine,$i]}"
  done
done
bench_measure
bench_report
echo "Medians of $rounds rounds. ratio = sengen req/s / nginx req/s; CPU ratio = nginx's CPU time per request /"
echo "sengen's (for postgres, sengen's plus the PostgreSQL cluster's). 1.00x = as good as nginx."
echo
echo "seeding (sengen seed --declarations $declarations, one process):"
for engine in "${engines[@]}"; do
  printf '  %-8s %s%s\n' "$engine" "${seed_line[$engine]}" \
    "${maintenance_line[$engine]:+; then ${maintenance_line[$engine]}}"
done
echo
echo "start-up and memory (issue 15; bench/startup.py; peak = the measured server's VmHWM after every run):"
for engine in "${engines[@]}"; do
  printf '  %-8s %s; peak resident memory under the runs %.1f MB\n' "$engine" "${startup_line[$engine]}" \
    "$(awk '/^VmHWM:/ { print $2 / 1024 }' "/proc/${cpu_pids_of[$engine]%% *}/status")"
  # What the resident memory is made of after the runs: the process's own (anonymous) memory,
  # and pages of files mapped into it (the database file read through SQLite's memory map, the
  # fonts, the code), which are the system's page cache and can be dropped at any time.
  printf '  %-8s after the runs: private %.1f MB, file pages %.1f MB\n' "$engine" \
    "$(awk '/^RssAnon:/ { print $2 / 1024 }' "/proc/${cpu_pids_of[$engine]%% *}/status")" \
    "$(awk '/^RssFile:/ { print $2 / 1024 }' "/proc/${cpu_pids_of[$engine]%% *}/status")"
done
for engine in "${engines[@]}"; do
  check_sengen_log "$work/$engine/stderr.log"
  [[ ! -e $work/$engine/node2-stderr.log ]] || check_sengen_log "$work/$engine/node2-stderr.log"
  [[ -z $baseline_bin ]] || check_sengen_log "$work/$engine/baseline-stderr.log"
done
((bench_failed == 0)) || die "errors during the run: the figures above are not comparable"
