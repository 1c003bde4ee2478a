#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Per-force counts of `hotspots info` against an independent count of the real police.uk files.

The independent count uses Python's csv module only: a file's force is the <force> of its name
YYYY-MM-<force>-street.csv (the engine reads the `Falls within` column and maps police.uk's names
to these slugs with its own table, so the two agree only when that table is right); rows are
data rows; used rows are those with both Longitude and Latitude (the real files have no other
fault, and info is run without filters or boundary); months are the distinct Month values of
used rows. Then `--force` (a slug and a `Falls within` name) must keep exactly those forces'
rows, reject the others as filtered_force, and warn about nothing; and info and kde on the
mixed folder must warn that it mixes forces, names BTP and Northern Ireland.

usage: check_force_counts.py HOTSPOTS FOLDER [FOLDER...]   (exit 77: data missing)
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

NAME = re.compile(r"^\d{4}-\d{2}-(.+)-street\.csv$", re.IGNORECASE)


def count(folder):
    forces = {}
    for root, _, files in os.walk(folder):
        for name in files:
            m = NAME.match(name)
            if not m:
                continue
            f = forces.setdefault(m.group(1).lower(), {"rows": 0, "used": 0, "months": set()})
            with open(os.path.join(root, name), newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    f["rows"] += 1
                    if row["Longitude"].strip() and row["Latitude"].strip():
                        f["used"] += 1
                        f["months"].add(row["Month"].strip())
    return forces


def info(exe, args):
    run = subprocess.run([exe, "info", "--json", *args], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"hotspots info {' '.join(args)} failed ({run.returncode}): {run.stderr}")
    return json.loads(run.stdout), run.stderr


def main():
    exe, folders = sys.argv[1], sys.argv[2:]
    if not all(os.path.isdir(f) for f in folders):
        if os.environ.get("CI") == "true":
            sys.exit(f"real data missing under CI: {folders}")
        print(f"skipped: real data missing: {folders}")
        sys.exit(77)
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    for folder in folders:
        want = count(folder)
        got, err = info(exe, [folder])
        by_key = {f["force"]: f for f in got["forces"]}
        expect(f"{folder}: forces", sorted(by_key), sorted(want))
        for key, w in want.items():
            g = by_key.get(key, {})
            expect(f"{folder} {key} rows", g.get("rows"), w["rows"])
            expect(f"{folder} {key} used", g.get("used"), w["used"])
            expect(f"{folder} {key} rejected", g.get("rejected"), w["rows"] - w["used"])
            expect(f"{folder} {key} months", g.get("months"), len(w["months"]))
            expect(f"{folder} {key} first", g.get("first_month"), min(w["months"]))
            expect(f"{folder} {key} last", g.get("last_month"), max(w["months"]))
        expect(f"{folder} rows read", got["rows"]["read"], sum(w["rows"] for w in want.values()))
        mixed = len(want) > 1
        expect(f"{folder} mixed-force warning", "the study mixes" in err, mixed)
        print(f"{folder}: {len(want)} force(s), {got['rows']['read']} rows: per-force counts equal")
        if not mixed:
            continue
        expect(f"{folder} BTP warning", "British Transport Police's" in err, "btp" in want)
        expect(f"{folder} NI warning", "Northern Ireland's" in err, "northern-ireland" in want)

        # --force by slug and by `Falls within` name (any case).
        keep = sorted(want)[:2]
        names = {"btp": "british transport police", "city-of-london": "City of London Police"}
        args = [folder, "--force", keep[0], "--force", names.get(keep[1], keep[1])]
        got, err = info(exe, args)
        used = {f["force"]: f["used"] for f in got["forces"] if f["used"] > 0}
        expect(f"--force {keep} used", used, {k: want[k]["used"] for k in keep})
        # Files named for other forces are not opened (#13): their rows are neither read nor
        # rejected, and the files are listed.
        expect(f"--force {keep} filtered_force", got["rows"]["rejected_by_reason"]["filtered_force"],
               0)
        expect(f"--force {keep} rows read", got["rows"]["read"],
               sum(w["rows"] for k, w in want.items() if k in keep))
        expect(f"--force {keep} files not opened", len(got["skipped_by_name"]),
               sum(1 for name in os.listdir(folder) if name.endswith("-street.csv")
                   and not any(name.endswith(f"-{k}-street.csv") for k in keep)))
        expect(f"--force {keep} warns of mixing", "the study mixes" in err, True)  # two forces

        # One territorial force: no warning at all; Northern Ireland alone: its own grid.
        got, err = info(exe, [folder, "--force", "leicestershire"])
        expect("--force leicestershire stderr", err, "")
        if "northern-ireland" in want:
            got, err = info(exe, [folder, "--force", "PSNI"])
            expect("Northern Ireland alone: analysis CRS", got["analysis_crs"], "EPSG:2157")
            expect("Northern Ireland alone: stderr", err, "")

        # kde warns too (the 8 forces of 2019-02 used to make one surface without a word).
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run([exe, "kde", folder, "--cell-size", "2000", "--surface",
                                  os.path.join(tmp, "k.tif")], capture_output=True, text=True)
            expect("kde exit", run.returncode, 0)
            expect("kde mixed-force warning", "the study mixes" in run.stderr, True)

    if failures:
        print("\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
