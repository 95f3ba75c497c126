#!/usr/bin/env bash
# Import benchmark (issue 12, point 11): `sengen import` of BENCH_ROWS declarations (1,000,000 by
# default) from one CSV file in the export's format, into an empty registry on SQLite and on
# PostgreSQL; reports rows per second, the whole command timed (reading, checking every row,
# the collision checks and the one transaction that writes). The file is made by
# bench/import_csv.py before any timing. See bench/README.md.
#
#   bench/import.sh                                          1,000,000 rows, both engines
#   BENCH_ROWS=20000 BENCH_ENGINES=sqlite bench/import.sh    a quick try
#
# Settings (environment variables): BENCH_ROWS (1000000), BENCH_ENGINES ("sqlite postgres"),
# BENCH_ROUNDS imports per engine, each into a fresh database (1), BENCH_IMPORT_TIMEOUT seconds
# per import (3600), BENCH_SKIP_BUILD, BENCH_BIN, BENCH_JOBS, BENCH_KEEP (as bench/http.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

rows=${BENCH_ROWS:-1000000}
rounds=${BENCH_ROUNDS:-1}
import_timeout=${BENCH_IMPORT_TIMEOUT:-3600}
positive BENCH_ROWS "$rows" 50000000
positive BENCH_ROUNDS "$rounds" 20
positive BENCH_IMPORT_TIMEOUT "$import_timeout" 86400
bench_engines
bench_tools cmake timeout python3
bench_build sengen
bench_workdir sengen-import-bench

echo "writing $rows rows to import"
python3 bench/import_csv.py "$rows" "$work/import.csv" || die "could not write the import file"
echo "sengen $(git rev-parse --short HEAD 2>/dev/null || echo unknown) ($bin), $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "$(nproc) cores; file $(du -h "$work/import.csv" | cut -f1)"

declare -A best
for engine in "${engines[@]}"; do
  [[ $engine != postgres ]] || start_postgres
  for ((round = 1; round <= rounds; round++)); do
    dir=$work/$engine.$round
    mkdir -m 700 "$dir"
    case $engine in
      sqlite) db=sqlite:$dir/bench.db ;;
      postgres)
        psql_run "$pg_port" postgres "CREATE DATABASE import_$round" || die "could not create a database"
        db=postgresql://postgres@127.0.0.1:$pg_port/import_$round
        ;;
    esac
    # Migrations first, so that the timing is the import's alone.
    "$bin" --db "$db" --log-level warn migrate >"$dir/migrate.log" 2>&1 || die "migrate failed: $(cat "$dir/migrate.log")"
    start=$(date +%s.%N)
    bounded "$import_timeout" "$dir/import.log" "$bin" --db "$db" --log-level warn import "$work/import.csv" ||
      die "$engine: the import failed: $(tail -n 5 "$dir/import.log")"
    end=$(date +%s.%N)
    grep -q "^imported $rows declarations" "$dir/import.log" || die "$engine: unexpected output: $(cat "$dir/import.log")"
    q="SELECT count(*) FROM declarations"
    case $engine in
      sqlite) n=$(sqlite3 "$dir/bench.db" "$q") ;;
      postgres) n=$(psql_run "$pg_port" "import_$round" "$q") ;;
    esac
    ((n == rows)) || die "$engine: $n declarations stored, expected $rows"
    rate=$(awk -v n="$rows" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')
    echo "  $engine round $round: $rows rows in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s" \
      "= $rate rows/s (the command's own figure: $(sed -n 's/.*(\([0-9]*\) rows\/s).*/\1/p' "$dir/import.log"))"
    [[ -n ${best[$engine]:-} ]] && ((best[$engine] >= rate)) || best[$engine]=$rate
    [[ ${BENCH_KEEP:-0} == 1 ]] || rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
  done
done

echo
echo "Import: $rows rows, best of $rounds, whole command (read, check, write)"
printf '%-10s %12s\n' engine "rows/s"
for engine in "${engines[@]}"; do printf '%-10s %12s\n' "$engine" "${best[$engine]}"; done
