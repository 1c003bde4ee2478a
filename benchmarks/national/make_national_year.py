#!/usr/bin/python3
"""Lay translated copies of the real Leicestershire year over Great Britain (issue #15).

Writes a police.uk-style folder holding about 7 million rows:

    OUT/YYYY-MM/YYYY-MM-synthetic-NN-street.csv      (NN = 01 .. N, one file per force and month)

Each synthetic force is the real Leicestershire Police year (12 consecutive months of
../shared/data/real/police_uk_sanjiv576/street, 2021-11..2022-10 by default) shifted in British
National Grid metres (EPSG:27700) by a whole-kilometre offset, then converted back to WGS 84
longitude/latitude with 6 decimals (police.uk's precision). Offsets come from a regular grid
(`--step-km`) and are kept only when the shifted force area (the Leicestershire force polygon,
../shared/data/real/derived/leics_force_area_from_lad13.geojson) lies mostly (`--min-land`) inside
a coarse hand-drawn outline of Great Britain (LAND_KM below, BNG kilometres; good to ~10 km, so
"mostly on land", not coastline-exact). Neighbouring copies overlap when the step is smaller than
the force (~80 km across), as real forces' busy areas do not; the point is the national extent and
row count, not a realistic map.

Columns are police.uk's; `Reported by` and `Falls within` are "Synthetic Force NN"; `Crime ID` is
the real id with "-sNN" appended when it is not empty (ids stay unique across copies); `LSOA code`
and `LSOA name` are emptied (a shifted point is not in its old LSOA). Rows without coordinates
keep empty coordinates. The output is deterministic: same arguments, byte-identical files.

Usage: /usr/bin/python3 benchmarks/national/make_national_year.py OUT_DIR
           [--from 2021-11] [--months 12] [--forces 62] [--step-km 50] [--min-land 0.8]
Needs GDAL's Python bindings (osgeo) and pyproj, both Debian packages (python3-gdal,
python3-pyproj) installed by .ci/setup.sh.
"""

import argparse
import csv
import io
import os
import sys

import numpy as np
from osgeo import ogr
from pyproj import Transformer

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "real"))
if not os.path.isdir(REAL):
    REAL = "/work/shared/data/real"
STREET = os.path.join(REAL, "police_uk_sanjiv576", "street")
FORCE_AREA = os.path.join(REAL, "derived", "leics_force_area_from_lad13.geojson")

# Coarse outline of Great Britain's mainland in BNG kilometres (clockwise from Land's End).
LAND_KM = [
    (140, 25), (250, 50), (300, 80), (407, 91), (464, 100), (531, 104), (622, 136),
    (638, 165), (588, 186), (617, 215), (654, 293), (622, 342), (555, 340), (556, 363),
    (540, 411), (525, 470), (452, 525), (436, 569), (400, 650), (368, 678), (394, 806),
    (399, 867), (266, 845), (336, 950), (338, 973), (226, 975), (213, 894), (176, 827),
    (167, 797), (186, 730), (172, 620), (233, 622), (206, 560), (268, 551), (340, 556),
    (297, 518), (340, 465), (331, 436), (335, 390), (245, 380), (237, 335), (258, 281),
    (175, 225), (190, 205), (265, 193), (318, 176), (358, 173), (330, 160), (297, 146),
    (256, 133), (192, 75), (140, 25),
]

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]


def months_from(first, count):
    year, month = (int(part) for part in first.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def land_polygon():
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x_km, y_km in LAND_KM:
        ring.AddPoint_2D(x_km * 1000.0, y_km * 1000.0)
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    return polygon


def force_polygon_bng(to_bng):
    source = ogr.Open(FORCE_AREA)
    layer = source.GetLayer(0)
    feature = layer.GetNextFeature()
    geometry = feature.GetGeometryRef().Clone()
    ring = geometry.GetGeometryRef(0) if geometry.GetGeometryType() == ogr.wkbPolygon else None
    if ring is None:
        sys.exit(f"{FORCE_AREA}: expected one polygon")
    lon = np.array([ring.GetX(i) for i in range(ring.GetPointCount())])
    lat = np.array([ring.GetY(i) for i in range(ring.GetPointCount())])
    x, y = to_bng.transform(lon, lat)
    out_ring = ogr.Geometry(ogr.wkbLinearRing)
    for xi, yi in zip(x, y):
        out_ring.AddPoint_2D(float(xi), float(yi))
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(out_ring)
    return polygon


def choose_offsets(force, land, step_km, min_land, wanted):
    """Whole-km offsets (dx, dy) of a regular grid, kept when the shifted force is mostly on land.

    Offsets are ordered by distance from the real position (0, 0 first), ties by (dy, dx), so the
    first N are a compact, deterministic set."""
    area = force.GetArea()
    candidates = []
    span = 12
    for j in range(-span, 2 * span):
        for i in range(-span, span):
            dx, dy = i * step_km, j * step_km
            shifted = force.Clone()
            ring = shifted.GetGeometryRef(0)
            for k in range(ring.GetPointCount()):
                ring.SetPoint_2D(k, ring.GetX(k) + dx * 1000.0, ring.GetY(k) + dy * 1000.0)
            fraction = shifted.Intersection(land).GetArea() / area
            if fraction >= min_land:
                candidates.append((dx * dx + dy * dy, dy, dx))
    candidates.sort()
    if len(candidates) < wanted:
        sys.exit(f"only {len(candidates)} offsets of {step_km} km land >= {min_land:.0%} of the "
                 f"force; ask for fewer --forces or a smaller --step-km")
    return [(dx, dy) for _, dy, dx in candidates[:wanted]]


def read_month(month):
    path = os.path.join(STREET, f"{month}-leicestershire-street.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if rows[0] != HEADER:
        sys.exit(f"{path}: unexpected header {rows[0]}")
    return path, rows[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--from", dest="first", default="2021-11")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--forces", type=int, default=62)
    parser.add_argument("--step-km", type=int, default=50)
    parser.add_argument("--min-land", type=float, default=0.8)
    args = parser.parse_args()

    out_dir = os.path.abspath(args.out_dir)
    repo = os.path.abspath(os.path.join(HERE, "..", ".."))
    if out_dir == repo or out_dir.startswith(repo + os.sep):
        sys.exit(f"{out_dir}: write the national year outside the repository")

    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    offsets = choose_offsets(force_polygon_bng(to_bng), land_polygon(), args.step_km,
                             args.min_land, args.forces)

    total = 0
    for month in months_from(args.first, args.months):
        path, rows = read_month(month)
        has_xy = np.array([bool(r[4]) and bool(r[5]) for r in rows])
        lon = np.array([float(r[4]) if ok else 0.0 for r, ok in zip(rows, has_xy)])
        lat = np.array([float(r[5]) if ok else 0.0 for r, ok in zip(rows, has_xy)])
        x, y = to_bng.transform(lon, lat)
        folder = os.path.join(out_dir, month)
        os.makedirs(folder, exist_ok=True)
        for number, (dx, dy) in enumerate(offsets, start=1):
            name = f"Synthetic Force {number:02d}"
            new_lon, new_lat = to_wgs.transform(x + dx * 1000.0, y + dy * 1000.0)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(HEADER)
            for k, row in enumerate(rows):
                crime_id = f"{row[0]}-s{number:02d}" if row[0] else ""
                lon_text = f"{new_lon[k]:.6f}" if has_xy[k] else ""
                lat_text = f"{new_lat[k]:.6f}" if has_xy[k] else ""
                writer.writerow([crime_id, row[1], name, name, lon_text, lat_text, row[6], "", "",
                                 row[9], row[10], row[11]])
            target = os.path.join(folder, f"{month}-synthetic-{number:02d}-street.csv")
            temporary = target + ".part"
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                handle.write(buffer.getvalue())
            os.replace(temporary, target)
            total += len(rows)
        print(f"{month}: {len(rows)} rows x {len(offsets)} forces (from {path})", file=sys.stderr)
    print(f"{total} rows, {len(offsets)} synthetic forces, {args.months} months in {out_dir}",
          file=sys.stderr)
    print("offsets (km): " + " ".join(f"{n:02d}:{dx:+d},{dy:+d}" for n, (dx, dy) in
                                       enumerate(offsets, start=1)), file=sys.stderr)

if __name__ == "__main__":
    main()
