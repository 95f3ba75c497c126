#!/usr/bin/env bash
# Transparency log benchmark (issue 14; see bench/README.md), in two parts:
#
#   appends  confirming an application through the real use case (it issues the ID, queues the
#            完了 mail and appends the log entry in one transaction), with the log and without it,
#            on SQLite and on a throwaway PostgreSQL cluster, with 1 and more threads (the
#            Google Benchmark cases of bench/tlog_bench.cpp); reported as confirmations per second
#            and the ratio of the time per confirmation with the log to that without it.
#   tiles    /log/checkpoint and the log's tiles, served by sengen from a log of BENCH_LOG_ENTRIES
#            entries (made by `sengen import`), against nginx serving the same bytes and headers:
#            bench/http.sh on those endpoints.
#
#   bench/tlog.sh                                   both parts, both engines
#   BENCH_PARTS=appends BENCH_ENGINES=sqlite bench/tlog.sh
#   BENCH_QUICK=1 bench/tlog.sh                     a quick look (fewer confirmations, rounds, seconds)
#
# Settings (environment variables):
#   BENCH_PARTS="appends tiles"  which parts to run
#   BENCH_ENGINES="sqlite postgres"  engines of the appends part
#   BENCH_CONFIRMS=1000          confirmations per thread in each run of a case
#   BENCH_TLOG_THREADS="1 4"     the threads each case runs with
#   BENCH_ROUNDS=3               runs of each case (in random order), and rounds of the tiles part
#   BENCH_LOG_ENTRIES=5000       entries of the log the tiles part serves (at least 256)
#   BENCH_TILES_ENGINE=sqlite    the database sengen serves the tiles from (sqlite or postgres)
#   BENCH_SENGEN_BENCH=          the sengen_bench binary (default: build/release/bench/sengen_bench,
#                                built with sengen unless BENCH_BIN or BENCH_SKIP_BUILD=1)
#   BENCH_QUICK=1                defaults of 200 confirmations, 2 rounds of 5 s
#   and those of bench/http.sh for the tiles part (BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS,
#   BENCH_WARMUP, BENCH_LOG_LEVEL, BENCH_SAME_HEADERS, BENCH_SKIP_BUILD, BENCH_BIN, BENCH_JOBS,
#   BENCH_KEEP; BENCH_SENGEN_FLAGS are added after the script's own flags for the log).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [[ ${BENCH_QUICK:-0} == 1 ]]; then
  default_confirms=200 default_rounds=2 default_duration=5
else
  default_confirms=1000 default_rounds=3 default_duration=10
fi
confirms=${BENCH_CONFIRMS:-$default_confirms}
rounds=${BENCH_ROUNDS:-$default_rounds}
entries=${BENCH_LOG_ENTRIES:-5000}
tiles_engine=${BENCH_TILES_ENGINE:-sqlite}
read -r -a parts <<<"${BENCH_PARTS:-appends tiles}"
read -r -a tlog_threads <<<"${BENCH_TLOG_THREADS:-1 4}"
positive BENCH_CONFIRMS "$confirms" 1000000
positive BENCH_ROUNDS "$rounds" 50
positive BENCH_LOG_ENTRIES "$entries" 10000000
((entries >= 256)) || die "BENCH_LOG_ENTRIES must be at least 256 (one full tile)"
((${#parts[@]})) || die "BENCH_PARTS is empty"
for part in "${parts[@]}"; do
  [[ $part == appends || $part == tiles ]] || die "unknown part '$part' in BENCH_PARTS (appends, tiles)"
done
((${#tlog_threads[@]})) || die "BENCH_TLOG_THREADS is empty"
for n in "${tlog_threads[@]}"; do positive BENCH_TLOG_THREADS "$n" 64; done
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }
[[ $tiles_engine == sqlite || $tiles_engine == postgres ]] || die "BENCH_TILES_ENGINE is sqlite or postgres"

bench_tools cmake timeout python3 curl
if wants appends; then bench_engines; fi
# The tiles part checks its own tools in bench/http.sh; checked here too, before anything is built.
if wants tiles; then
  bench_tools wrk nginx
  [[ $tiles_engine != postgres ]] || bench_tools psql
fi
bench_build sengen sengen_bench
if [[ -n ${BENCH_SENGEN_BENCH:-} ]]; then
  gbench=$BENCH_SENGEN_BENCH
elif [[ -n ${BENCH_BIN:-} ]]; then
  gbench=$(dirname "$BENCH_BIN")/bench/sengen_bench
else
  gbench=build/release/bench/sengen_bench
fi
if wants appends; then
  [[ -x $gbench ]] || die "$gbench is missing; build it with: cmake --build --preset release --target sengen_bench" \
    "(or name it with BENCH_SENGEN_BENCH)"
fi
bench_workdir sengen-tlog-bench

# --- appends -------------------------------------------------------------------------------------

appends() {
  local engine filter=() pg=
  for engine in "${engines[@]}"; do
    case $engine in
      sqlite) filter+=(sqlite) ;;
      postgres)
        start_postgres
        pg=postgresql://postgres@127.0.0.1:$pg_port/sengen
        filter+=(postgres)
        ;;
    esac
  done
  local regex
  regex="^tlog_confirm/($(
    IFS='|'
    echo "${filter[*]}"
  ))/"
  echo "appends: confirming applications with and without the log; $confirms confirmations per thread" \
    "and run, threads ${tlog_threads[*]}, $rounds runs of each case in random order"
  # The cases' own errors (SkipWithError) are in the JSON; a crash or a bad flag ends it non-zero.
  SENGEN_BENCH_PG=$pg SENGEN_BENCH_TLOG_ITERATIONS=$confirms SENGEN_BENCH_TLOG_THREADS="${tlog_threads[*]}" \
    "$gbench" --benchmark_filter="$regex" --benchmark_repetitions="$rounds" \
    --benchmark_enable_random_interleaving=true --benchmark_display_aggregates_only=true \
    --benchmark_out="$work/appends.json" --benchmark_out_format=json ||
    die "sengen_bench failed"
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD 2>/dev/null || commit+="+changes"
  echo
  echo "sengen_bench $commit ($gbench), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg); $confirms confirmations per thread and run, $rounds runs per case;" \
    "SQLite: WAL on a temporary file${pg:+; PostgreSQL: throwaway cluster, durability off}"
  python3 - "$work/appends.json" <<'EOF' || die "the appends part had errors: its figures are not comparable"
import json
import statistics
import sys

runs = json.load(open(sys.argv[1]))["benchmarks"]
failed = [r for r in runs if r.get("error_occurred")]
for r in failed:
    print(f"bench: {r['name']}: {r.get('error_message', 'error')}", file=sys.stderr)
rates = {}  # (engine, threads, log) -> confirmations per second of each run
for r in runs:
    if r.get("run_type") != "iteration" or r.get("error_occurred"):
        continue
    _, engine, log = r["run_name"].split("/")[:3]
    rates.setdefault((engine, r["threads"], log), []).append(r["items_per_second"])
if failed or not rates:
    sys.exit(1)
print(f"{'engine':<10} {'threads':>7} {'with log /s':>12} {'without /s':>12} {'log us/confirm':>15} {'ratio':>7}")
for engine, threads in sorted({(e, t) for e, t, _ in rates}, key=lambda k: (k[0] != "sqlite", k[1])):
    on = statistics.median(rates.get((engine, threads, "log"), [0]))
    off = statistics.median(rates.get((engine, threads, "no_log"), [0]))
    if not on or not off:
        print(f"bench: {engine} threads {threads}: a case is missing", file=sys.stderr)
        sys.exit(1)
    # The time per confirmation (of the whole run: 1 / throughput) with the log, over without.
    extra_us = (1 / on - 1 / off) * 1e6
    print(f"{engine:<10} {threads:>7} {on:>12.0f} {off:>12.0f} {extra_us:>15.1f} {off / on:>6.2f}x")
print("Medians of the runs. with log /s = confirmations (each with its log entry) per second, all threads")
print("together; log us/confirm = the time the log adds to each (1/with - 1/without); ratio = time per")
print("confirmation with the log / without it (1.00x: the log costs nothing).")
EOF
}

# --- tiles ---------------------------------------------------------------------------------------

# A tile index as C2SP tlog-tiles writes it in a path: groups of three digits, all but the last
# with an "x" in front (1234067 -> x001/x234/067).
tile_index() {
  local n=$1 out
  printf -v out '%03d' $((n % 1000))
  n=$((n / 1000))
  while ((n > 0)); do
    printf -v out 'x%03d/%s' $((n % 1000)) "$out"
    n=$((n / 1000))
  done
  echo "$out"
}

launch_tiles() {  # port: serve the prepared log, signing its checkpoint
  SENGEN_LISTEN=127.0.0.1:$1 SENGEN_MAIL=file:$work/tiles/mail SENGEN_LOG_LEVEL=warn \
    "$bin" serve "${tiles_flags[@]}" >"$work/tiles/stdout.log" 2>"$work/tiles/stderr.log" &
  pid=$!
  track "$pid"
}

tiles() {
  local origin=bench.sengen.test/log db=sqlite:$work/tiles/tlog.db size i path code endpoints=()
  mkdir -m 700 "$work/tiles"
  mkdir -p "$work/tiles/mail"
  if [[ $tiles_engine == postgres ]]; then
    [[ -n ${pg_port:-} ]] || start_postgres  # the appends part's cluster, when it started one
    psql_run "$pg_port" postgres "CREATE DATABASE tiles" || die "could not create the database"
    db=postgresql://postgres@127.0.0.1:$pg_port/tiles
  fi
  tiles_flags=(--db "$db" --base-url "https://${origin%/log}" --log-key "$work/tiles/log.key")
  echo "tiles: a log of $entries entries on $tiles_engine (sengen import of bench/import_csv.py's rows)"
  "$bin" log keygen --name "$origin" --out "$work/tiles/log.key" >"$work/tiles/keygen.log" 2>&1 ||
    die "log keygen failed: $(cat "$work/tiles/keygen.log")"
  python3 bench/import_csv.py "$entries" "$work/tiles/import.csv" || die "could not write the import file"
  "$bin" --db "$db" --log-level warn migrate >"$work/tiles/migrate.log" 2>&1 ||
    die "migrate failed: $(cat "$work/tiles/migrate.log")"
  # The import appends one entry per declaration, with the origin of --base-url.
  bounded 3600 "$work/tiles/import.log" "$bin" --db "$db" --base-url "https://${origin%/log}" --log-level warn \
    import "$work/tiles/import.csv" || die "the import failed: $(tail -n 5 "$work/tiles/import.log")"

  # Serve it once, until the checkpoint of the whole log is signed and stored: bench/http.sh's
  # sengen then serves it from its first request.
  start_server "sengen (log)" launch_tiles "$work/tiles/stderr.log" /healthz
  for ((i = 0; i < 150; i++)); do
    size=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/log/checkpoint" 2>/dev/null | sed -n 2p) || size=
    [[ $size != "$entries" ]] || break
    sleep 0.1
  done
  [[ $size == "$entries" ]] || die "sengen signed no checkpoint of $entries entries within 15 s (last size: '${size:-none}')"

  local full=$((entries / 256)) rest=$((entries % 256))
  endpoints=(/log/checkpoint /log/tile/0/000 /log/tile/entries/000)
  if ((entries >= 65536)); then
    endpoints+=(/log/tile/1/000)
  else
    endpoints+=("/log/tile/1/000.p/$full")
  fi
  if ((rest > 0)); then
    endpoints+=("/log/tile/0/$(tile_index "$full").p/$rest" "/log/tile/entries/$(tile_index "$full").p/$rest")
  fi
  for path in "${endpoints[@]}"; do
    code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path") ||
      die "could not fetch $path"
    [[ $code == 200 ]] || die "sengen answered $code to $path"
  done
  stop "$pid"
  untrack "$pid"
  echo "tiles: every endpoint answers 200; sengen against nginx on them (bench/http.sh)"
  BENCH_BIN=$bin BENCH_ROUNDS=$rounds BENCH_DURATION=${BENCH_DURATION:-$default_duration} \
    BENCH_ENDPOINTS="${endpoints[*]}" BENCH_SENGEN_FLAGS="${tiles_flags[*]} ${BENCH_SENGEN_FLAGS:-}" bench/http.sh ||
    die "the tiles part failed"
}

if wants appends; then appends; fi
if wants tiles; then tiles; fi
