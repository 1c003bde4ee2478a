#!/usr/bin/env bash
# Street-scale KDE at national extent (issue #15): bit-identity of the streamed surface with the
# held one at 50 m (a real force and the national year), the national year at 25 m, and how time
# and memory grow from 1 force to 8 to all 62.
#   NAT=/tmp/natyear OLD=/path/to/older/hotspots bash benchmarks/national/national_kde.sh [HOTSPOTS]
# NAT: the folder written by make_national_year.py. OLD: a binary before this change (default:
# this binary with --hotspots, which holds the whole surface as before). SECTIONS="1 2 3" picks
# sections. Prints every command.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
hs="${1:-$repo/build/cli/hotspots}"
nat="${NAT:-/tmp/natyear}"
out="${OUT:-/tmp/national_bench}"
real="${REAL:-$repo/../shared/data/real}"
[ -d "$real" ] || real=/work/shared/data/real
mkdir -p "$out"
run() { echo "+ $*" >&2; /usr/bin/time -f "  %e s wall, %U s user, %S s sys, peak %M KB" "$@"; }
old_surface() {  # $1 = output tif, rest = inputs and options
  local tif="$1"; shift
  if [ -n "${OLD:-}" ]; then run "$OLD" kde "$@" --surface "$tif" --overwrite -q
  else run "$hs" kde "$@" --surface "$tif" --hotspots "$out/held_hotspots.geojson" --hotspots-scope all \
      --overwrite -q; fi
}
same() { gdalinfo -checksum "$1" | grep Checksum; gdalinfo -checksum "$2" | grep Checksum
         /usr/bin/python3 "$here/compare_surfaces.py" "$1" "$2"; }

sections="${SECTIONS:-1 2 3 4}"
want() { [[ " $sections " == *" $1 "* ]]; }
if want 1; then
echo "== 1. A real force at 50 m: Leicestershire 2021-11..2022-10, force boundary" >&2
force=("$real/police_uk_sanjiv576/street" --from 2021-11 --to 2022-10
       --boundary "$real/derived/leics_force_lad13.geojson" --cell-size 50 --radius 250)
old_surface "$out/force50_old.tif" "${force[@]}"
run "$hs" kde "${force[@]}" --surface "$out/force50_new.tif" --overwrite -q
run "$hs" kde "${force[@]}" --surface "$out/force50_sparse.tif" --sparse --overwrite -q
same "$out/force50_old.tif" "$out/force50_new.tif"
same "$out/force50_old.tif" "$out/force50_sparse.tif"

fi
if want 2; then
echo "== 2. The national year at 50 m" >&2
national=("$nat" --cell-size 50 --radius 250 --skip-bad-rows)
old_surface "$out/nat50_old.tif" "${national[@]}"
run "$hs" kde "${national[@]}" --surface "$out/nat50_new.tif" --overwrite -q
run "$hs" kde "${national[@]}" --surface "$out/nat50_sparse.tif" --sparse --overwrite -v 2>&1 \
  | grep -E "^(surface|timings|estimated|radius)" >&2
same "$out/nat50_old.tif" "$out/nat50_new.tif"
same "$out/nat50_old.tif" "$out/nat50_sparse.tif"
ls -l "$out"/nat50_*.tif >&2

fi
if want 3; then
echo "== 3. Growth at 25 m, --sparse: 1 force, 8 forces, all 62" >&2
for set in 01 0[1-8] all; do
  if [ "$set" = all ]; then inputs=("$nat"); else inputs=("$nat"/*/*-synthetic-$set-street.csv); fi
  run "$hs" kde "${inputs[@]}" --cell-size 25 --radius 250 --skip-bad-rows \
    --surface "$out/nat25_$set.tif" --sparse --overwrite -v 2>&1 \
    | grep -E "^(surface|timings|estimated|radius|  [0-9.]+ s wall|[0-9,]+ of)" >&2
  ls -l "$out/nat25_$set.tif" >&2
done
fi
if want 4; then
echo "== 4. One force at 10 m (Leicestershire 2021-11..2022-10, force boundary), streamed and held" >&2
force10=("$real/police_uk_sanjiv576/street" --from 2021-11 --to 2022-10
         --boundary "$real/derived/leics_force_lad13.geojson" --cell-size 10 --radius 250)
run "$hs" kde "${force10[@]}" --surface "$out/force10.tif" --overwrite -v 2>&1 \
  | grep -E "^(surface|timings|estimated|radius)|wall" >&2
run "$hs" kde "${force10[@]}" --surface "$out/force10_held.tif" --hotspots "$out/force10.geojson" \
  --overwrite -v 2>&1 | grep -E "^(timings|estimated|radius)|hotspots from|wall" >&2
same "$out/force10_held.tif" "$out/force10.tif"
ls -l "$out"/force10*.tif >&2
fi
