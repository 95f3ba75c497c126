#!/usr/bin/env bash
# Bulk verification benchmark (issue 12): POST /api/v1/verifications with BENCH_BATCH IDs per
# request over a registry of BENCH_DECLARATIONS seeded declarations, on SQLite and on PostgreSQL,
# measured with wrk on loopback, and single lookups (GET /api/v1/declarations/{id}) of the same
# IDs in the same run. Reports IDs verified per second both ways and their ratio (see
# bench/README.md). The bodies are prepared before the run (bench/bulk.lua posts them in turn),
# each asking for BENCH_BATCH different IDs spread over the whole table.
#
#   bench/bulk.sh                                        1,000,000 declarations, both engines
#   BENCH_DECLARATIONS=10000 BENCH_DURATION=10 BENCH_ENGINES=sqlite bench/bulk.sh   a quick try
#
# Settings (environment variables): BENCH_DECLARATIONS (1000000), BENCH_ENGINES ("sqlite
# postgres"), BENCH_BATCH IDs per request (1000), BENCH_BODIES different bodies (20),
# BENCH_AT=YYYY-MM-DD (ask for the state on that date too: the lifecycle events are read),
# BENCH_ROUNDS (3), BENCH_DURATION seconds per run (10), BENCH_CONNECTIONS (16; a bulk request is
# large), BENCH_THREADS (2), BENCH_WARMUP (2), BENCH_SEED_TIMEOUT (3600), BENCH_LOG_LEVEL,
# BENCH_SENGEN_FLAGS, BENCH_SKIP_BUILD, BENCH_BIN, BENCH_JOBS, BENCH_KEEP (as bench/http.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
bench_settings
declarations=${BENCH_DECLARATIONS:-1000000}
batch=${BENCH_BATCH:-1000}
bodies=${BENCH_BODIES:-20}
seed_timeout=${BENCH_SEED_TIMEOUT:-3600}
at=${BENCH_AT:-}
positive BENCH_DECLARATIONS "$declarations" 50000000
positive BENCH_BATCH "$batch" 1000
positive BENCH_BODIES "$bodies" 1000
positive BENCH_SEED_TIMEOUT "$seed_timeout" 86400
[[ -z $at || $at =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "BENCH_AT must be YYYY-MM-DD"
bench_engines
bench_tools wrk curl cmake timeout python3
bench_build sengen
bench_workdir sengen-bulk-bench
id_count=$((batch * bodies))

# wrk's "Requests/sec:" figure, and a check that every answer was a 2xx without socket errors.
requests_per_second() {  # wrk-output
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$1"; then die "wrk saw errors:
$(cat "$1")"; fi
  awk '/^Requests\/sec:/ { print $2 }' "$1"
}

declare -A bulk_ids single_ids
for engine in "${engines[@]}"; do
  dir=$work/$engine
  mkdir -m 700 "$dir"
  mkdir -p "$dir/mail" "$dir/bodies"
  case $engine in
    sqlite) db=sqlite:$dir/bench.db ;;
    postgres)
      start_postgres
      db=postgresql://postgres@127.0.0.1:$pg_port/sengen
      ;;
  esac
  echo "$engine: seeding $declarations declarations"
  bounded "$seed_timeout" "$dir/seed.log" "$bin" --db "$db" --log-level info seed --declarations "$declarations" ||
    die "seeding $engine failed: $(tail -n 5 "$dir/seed.log")"
  [[ $engine != postgres ]] || psql_run "$pg_port" sengen "VACUUM (ANALYZE) declarations"
  key=$("$bin" --db "$db" --log-level warn verifier-key create --name bench --rate 100000000 | tail -n 1)
  [[ $key == sv_* ]] || die "no verifier key was printed"

  # IDs spread over the whole table, then cut into bodies of `batch` IDs.
  q="SELECT public_id FROM declarations WHERE public_id IS NOT NULL ORDER BY id"
  case $engine in
    sqlite) sqlite3 "$dir/bench.db" "$q" >"$dir/all-ids" ;;
    postgres) psql_run "$pg_port" sengen "$q" >"$dir/all-ids" ;;
  esac
  python3 - "$dir/all-ids" "$dir" "$batch" "$bodies" "$at" <<'PY'
import json, sys
ids_file, out, batch, bodies, at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ids = [line.strip() for line in open(ids_file) if line.strip()]
want = batch * bodies
step = max(1, len(ids) // want)
picked = [ids[(i * step) % len(ids)] for i in range(want)]
with open(f"{out}/ids", "w") as f:
    f.write("\n".join(picked) + "\n")
for b in range(bodies):
    body = {"ids": picked[b * batch:(b + 1) * batch]}
    if at:
        body["at"] = at
    with open(f"{out}/bodies/{b:04d}.json", "w") as f:
        json.dump(body, f)
PY

  launch() {  # port
    SENGEN_LISTEN=127.0.0.1:$1 SENGEN_DB=$db SENGEN_MAIL=file:$dir/mail SENGEN_LOG_LEVEL=$log_level \
      SENGEN_RATE_LIMIT_FACTOR=100000 "$bin" serve "${extra_flags[@]}" >"$dir/stdout.log" 2>"$dir/stderr.log" &
    pid=$!
    track "$pid"
  }
  start_server "sengen ($engine)" launch "$dir/stderr.log" /healthz
  base=http://127.0.0.1:$port
  first_body=$(find "$dir/bodies" -name '*.json' | sort | head -n 1)
  check=$(curl -sS -o "$dir/check.json" -w '%{http_code}' -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' --data-binary "@$first_body" "$base/api/v1/verifications")
  [[ $check == 200 ]] || die "$engine: a bulk request answered $check: $(head -c 300 "$dir/check.json")"
  found=$(python3 -c 'import json,sys; print(sum(r["found"] for r in json.load(open(sys.argv[1]))["results"]))' \
    "$dir/check.json")
  ((found == batch)) || die "$engine: only $found of $batch IDs were found"

  mapfile -t body_files < <(find "$dir/bodies" -name '*.json' | sort)
  bulk_total=0 single_total=0
  for ((round = 1; round <= rounds; round++)); do
    if ((warmup > 0)); then
      bounded $((warmup + 30)) /dev/null wrk -t"$threads" -c"$connections" -d"${warmup}s" -s bench/bulk.lua \
        "$base/api/v1/verifications" -- "$key" "${body_files[@]}" || true
    fi
    out=$work/wrk/$engine-bulk-$round
    bounded $((duration + 30)) "$out" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s \
      -s bench/bulk.lua "$base/api/v1/verifications" -- "$key" "${body_files[@]}" || die "wrk failed: $(cat "$out")"
    rps=$(requests_per_second "$out")
    bulk=$(awk -v r="$rps" -v b="$batch" 'BEGIN { printf "%.0f", r * b }')
    out=$work/wrk/$engine-single-$round
    bounded $((duration + 30)) "$out" wrk -t"$threads" -c64 -d"${duration}s" --timeout 10s \
      -s bench/rotate.lua "$base" -- /api/v1/declarations/ "$dir/ids" || die "wrk failed: $(cat "$out")"
    single=$(awk -v r="$(requests_per_second "$out")" 'BEGIN { printf "%.0f", r }')
    echo "  $engine round $round: bulk $rps requests/s = $bulk IDs/s; single lookups $single IDs/s"
    bulk_total=$((bulk_total + bulk))
    single_total=$((single_total + single))
  done
  bulk_ids[$engine]=$((bulk_total / rounds))
  single_ids[$engine]=$((single_total / rounds))
  grep -q -i -e '\[error\]' -e '\[critical\]' "$dir/stderr.log" && die "$engine: errors in sengen's log:
$(grep -i -e '\[error\]' -e '\[critical\]' "$dir/stderr.log" | head -n 5)"
  stop "$pid"
  untrack "$pid"
done

echo
echo "Bulk verification: $declarations declarations, $batch IDs per request${at:+, at $at}, $rounds x ${duration} s"
printf '%-10s %16s %20s %8s\n' engine "bulk IDs/s" "single lookups/s" ratio
for engine in "${engines[@]}"; do
  printf '%-10s %16s %20s %7sx\n' "$engine" "${bulk_ids[$engine]}" "${single_ids[$engine]}" \
    "$(awk -v b="${bulk_ids[$engine]}" -v s="${single_ids[$engine]}" 'BEGIN { printf "%.1f", s ? b / s : 0 }')"
done
