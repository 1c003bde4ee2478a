#!/usr/bin/env bash
# The force pack at street scale, old binary against new: `hotspots analyse` on the 40 real
# Leicestershire months (benchmarks/analyse_real.sh's command) with --cell-size 50 --radius 300,
# RUNS interleaved runs of each binary. Prints per run the wall and user time, the peak memory
# and the pack's own phase timings (-v), then compares the two packs file by file: SHA-256 of
# every file but manifest.json (whose timings differ run to run), and for PNGs that differ in
# bytes, their pixels as GDAL decodes them.
#   usage: bash benchmarks/pack_speed.sh OLD_BINARY NEW_BINARY
#   env: RUNS (3), EXTRA (--cell-size 50 --radius 300), DATA, WORK (/tmp/hotspots_pack_speed)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OLD="${1:?usage: pack_speed.sh OLD_BINARY NEW_BINARY}"
NEW="${2:?usage: pack_speed.sh OLD_BINARY NEW_BINARY}"
RUNS="${RUNS:-3}"
export EXTRA="${EXTRA:---cell-size 50 --radius 300}"
WORK="${WORK:-/tmp/hotspots_pack_speed}"
mkdir -p "$WORK"
for run in $(seq 1 "$RUNS"); do
  for which in old new; do
    bin="$OLD"
    [ "$which" = new ] && bin="$NEW"
    echo "== run $run $which ($(uptime | sed 's/.*load/load/'))"
    WORK="$WORK/$which" bash "$ROOT/benchmarks/analyse_real.sh" "$bin" 2>/dev/null |
      grep -E "timings|Elapsed|Maximum resident"
    grep -E "User time" "$WORK/$which/stderr.txt"
  done
done
echo "== files of the last packs (manifest.json aside)"
(cd "$WORK/old/pack" && find . -type f ! -name manifest.json | sort | xargs sha256sum) > "$WORK/old.sha"
(cd "$WORK/new/pack" && find . -type f ! -name manifest.json | sort | xargs sha256sum) > "$WORK/new.sha"
echo "$(wc -l < "$WORK/old.sha") files old, $(wc -l < "$WORK/new.sha") new"
same=0
pixels_same=0
while read -r sum file; do
  other=$(grep -F "  $file" "$WORK/new.sha" | cut -d' ' -f1 || true)
  if [ "$sum" = "$other" ]; then
    same=$((same + 1))
  elif [ "${file##*.}" = png ] &&
    gdal_translate -q -of ENVI "$WORK/old/pack/$file" "$WORK/a.raw" &&
    gdal_translate -q -of ENVI "$WORK/new/pack/$file" "$WORK/b.raw" &&
    cmp -s "$WORK/a.raw" "$WORK/b.raw"; then
    pixels_same=$((pixels_same + 1))
  else
    echo "differs: $file"
  fi
done < "$WORK/old.sha"
echo "byte-identical: $same; PNGs with identical pixels but other bytes: $pixels_same"
