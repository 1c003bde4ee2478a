#!/usr/bin/env bash
# One-stop set-up for hotspots on Debian 12.
#   bash .ci/setup.sh          install what is missing, build (Release), run the main job on data/sample
#   bash .ci/setup.sh test     the same set-up, then build and run the whole test suite with ctest
# Idempotent: packages are installed only when missing, builds are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

packages=(build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev libboost-dev
  libcli11-dev libfmt-dev libtbb-dev libfast-float-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev libssl-dev
  libcairo2-dev libpng-dev fonts-dejavu-core libxlsxwriter-dev)
# The test suite opens the analyse pack in QGIS itself (ctest label qgis).
[ "$mode" = test ] && packages+=(python3-qgis qgis-providers)
# The report tests read report.pdf back with pdftotext/pdftoppm, print report.html with headless
# Chromium and read tables.xlsx with openpyxl.
[ "$mode" = test ] && packages+=(poppler-utils python3-openpyxl chromium)
# benchmarks/national/make_national_year.py (the national-year generator) uses GDAL's and PROJ's
# Python bindings.
[ "$mode" = test ] && packages+=(python3-gdal python3-pyproj python3-numpy)
# The fuzz targets (tests/fuzz) need clang and libFuzzer's runtime.
[ "$mode" = test ] && packages+=(clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc)
build=build
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHOTSPOTS_WERROR="${CI:+ON}" >/dev/null
fi

main_job() {
  out=out/sample
  mkdir -p "$out"
  hs=build/cli/hotspots
  sample=data/sample
  # The sample plants 3 unparsable coordinates: --skip-bad-rows rejects (and counts) them.
  $hs info "$sample/police_uk" --boundary "$sample/force_area.geojson" --skip-bad-rows \
    --rejects "$out/rejects.csv" --overwrite --json > "$out/info.json.tmp"
  mv "$out/info.json.tmp" "$out/info.json"
  # The main job: the hotspot pack for the second half of 2024, compared with the first half.
  $hs analyse "$sample/police_uk" --boundary "$sample/districts.geojson" \
    --zones "$sample/small_areas.geojson" --population-field population \
    --from 2024-07 --to 2024-12 --radius 250 --cell-size 50 --skip-bad-rows --overwrite \
    -o "$out/pack"
  echo "setup: outputs in $out/: info.json, rejects.csv and pack/ (report.pdf, report.html," \
    "tables.xlsx, summary.md, manifest.json," \
    "hotspots.qgs, zones.csv, asb/ violence/ all/ with density.tif, hotspots.geojson, map.png...)"
}

case "$mode" in
  run)
    cmake --build "$build" --target hotspots -j "$jobs"
    main_job
    ;;
  test)
    cmake --build "$build" -j "$jobs"
    main_job
    ctest --test-dir "$build" --output-on-failure -j "$jobs"
    if [ "${HOTSPOTS_SANITIZE_TESTS:-1}" = "1" ]; then
      # AddressSanitizer + UndefinedBehaviorSanitizer build of the same suite (Debug-level checks).
      # Not the peers, the one-node Slurm run (label slurm) nor the README examples (label readme):
      # they ran once above, in Release.
      san=build-asan
      if [ ! -f "$san/build.ninja" ]; then
        cmake -S . -B "$san" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOTSPOTS_SANITIZE=ON \
          -DHOTSPOTS_BENCHMARKS=OFF >/dev/null
      fi
      cmake --build "$san" -j "$jobs"
      ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --test-dir "$san" --output-on-failure -j "$jobs" -LE "peers|slurm|readme"
    fi
    if [ "${HOTSPOTS_FUZZ_SECONDS:-90}" != "0" ]; then
      # libFuzzer on the CSV incident reader and the boundary reader, bounded: the build takes
      # about a minute (only the readers are compiled), then each target runs
      # HOTSPOTS_FUZZ_SECONDS (default 90; 0 skips). A finding fails the job.
      tests/fuzz/run.sh "${HOTSPOTS_FUZZ_SECONDS:-90}"
    fi
    ;;
  *)
    echo "usage: bash .ci/setup.sh [run|test]" >&2
    exit 2
    ;;
esac
