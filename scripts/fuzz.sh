#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan, UBSan) and runs each for
# FUZZ_SECONDS (or until FUZZ_RUNS executions, when set), one after the other, each as one
# process at low priority.
#   scripts/fuzz.sh                 every target of fuzz/CMakeLists.txt
#   scripts/fuzz.sh email cookie    only these
#   FUZZ_TIMEOUT=600 scripts/fuzz.sh   a longer per-input timeout, for a machine busy with other work
# New inputs go to build/fuzz/corpus/<target>/ (the seeds in fuzz/corpus/<target>/ are only read);
# a crash or a broken property leaves its input in build/fuzz/findings/<target>/ and stops the
# script with an error. DEVELOPERS.md ("Fuzzing") says how a finding becomes a corpus file.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
jobs=${JOBS:-$(nproc)}
mapfile -t all < <(sed -n '/^set(SENGEN_FUZZ_TARGETS/,/)/p' fuzz/CMakeLists.txt | grep -oE '^ +[a-z_]+' | tr -d ' ')
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs" --target "${targets[@]/#/fuzz_}"

status=0
for t in "${targets[@]}"; do
  exe=build/fuzz/fuzz/fuzz_$t
  work=build/fuzz/corpus/$t
  findings=build/fuzz/findings/$t
  mkdir -p "$work" "$findings"
  # -timeout is wall time, not CPU time: on a busy machine a low-priority fuzzer can wait tens of
  # seconds for a core, and an input that takes a millisecond is then reported as a timeout (check
  # a "timeout-" finding by running the target on it alone). FUZZ_TIMEOUT raises it for such runs.
  args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" -timeout="${FUZZ_TIMEOUT:-30}"
        -rss_limit_mb=2048)
  [[ -n ${FUZZ_RUNS:-} ]] && args+=(-runs="$FUZZ_RUNS")
  [[ -f fuzz/dict/$t.dict ]] && args+=(-dict="fuzz/dict/$t.dict")
  echo "== $t: ${seconds}s"
  # Wall time and the CPU time the target really had (on a shared machine they differ).
  TIMEFORMAT="   $t: %R s wall, %U s user CPU"
  if ! time nice -n 10 "$exe" "${args[@]}" "$work" "fuzz/corpus/$t" 2>"build/fuzz/$t.log"; then
    echo "!! $t: a finding, see build/fuzz/$t.log and $findings/" >&2
    status=1
  fi
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "build/fuzz/$t.log" || true
done
exit $status
