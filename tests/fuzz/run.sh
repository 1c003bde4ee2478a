#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/: clang, -fsanitize=fuzzer,address,undefined) and runs
# each for SECONDS on a corpus seeded from tests/fuzz/corpus/ and tests/fuzz/make_bad_inputs.py.
#   tests/fuzz/run.sh 60            every target for 60 s (the default)
#   FUZZ_TARGETS=zones_fuzz tests/fuzz/run.sh 600
# Findings (crash-*, leak-*, timeout-*) are written to build-fuzz/findings/TARGET/ and make the
# script exit 1; replay one with build-fuzz/tests/fuzz/TARGET FILE. Growing corpora are kept in
# build-fuzz/corpus/TARGET/ between runs (never committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
targets=(${FUZZ_TARGETS:-csv_incidents_fuzz zones_fuzz})
build=build-fuzz
jobs="${FUZZ_JOBS:-2}"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHOTSPOTS_FUZZ=ON -DHOTSPOTS_BENCHMARKS=OFF \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} \
    >/dev/null
fi
cmake --build "$build" --target "${targets[@]}" -j "$jobs"

status=0
for t in "${targets[@]}"; do
  case "$t" in
    csv_incidents_fuzz) seeds=csv ;;
    zones_fuzz) seeds=zones ;;
    *) echo "run.sh: unknown target $t" >&2; exit 2 ;;
  esac
  corpus="$build/corpus/$t"
  findings="$build/findings/$t"
  mkdir -p "$corpus" "$findings"
  cp -n tests/fuzz/corpus/"$seeds"/* "$corpus"/
  python3 tests/fuzz/make_bad_inputs.py "$seeds" "$corpus"
  echo "run.sh: $t for ${seconds} s" >&2
  # GDAL's driver registry and PROJ's caches live for the whole process: not leaks of ours.
  if ! ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -timeout=30 \
      -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" \
      2> "$build/$t.log"; then
    status=1
    echo "run.sh: $t found a failure: see $build/$t.log and $findings/" >&2
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
    "$build/$t.log" | sed "s/^/$t /" >&2 || true
done
exit "$status"
