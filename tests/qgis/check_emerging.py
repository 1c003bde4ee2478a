#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Opens the units of a `hotspots emerging` folder with QGIS itself (headless).

usage: check_emerging.py OUTDIR

Checks that units.geojson loads, isValid(), and picks up units.qml as its default style: a
categorised renderer on `category` with the 17 ArcGIS classes (codes -8..8, ArcGIS's labels),
every feature's category among them, and as many features as ogrinfo reports.
Exit 0 = all good, 1 = a check failed, 77 = skipped because python3-qgis is not installed.
"""
import os
import re
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import QgsApplication, QgsVectorLayer
except ImportError as e:
    print(f"SKIP: python3-qgis is not installed ({e})")
    sys.exit(77)

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


out = sys.argv[1]
app = QgsApplication([], False)
app.initQgis()
path = os.path.join(out, "units.geojson")
layer = QgsVectorLayer(path, "units", "ogr")
check(layer.isValid(), "units.geojson loads")
renderer = layer.renderer()
name = type(renderer).__name__
check(name == "QgsCategorizedSymbolRenderer", f"default style from units.qml: {name}")
if name == "QgsCategorizedSymbolRenderer":
    check(renderer.classAttribute() == "category", f"field {renderer.classAttribute()}")
    values = sorted(int(c.value()) for c in renderer.categories())
    check(values == list(range(-8, 9)), f"categories {values}")
    labels = {int(c.value()): c.label() for c in renderer.categories()}
    check(labels.get(1) == "New Hot Spot" and labels.get(-3) == "Intensifying Cold Spot"
          and labels.get(0) == "No Pattern Detected", "ArcGIS labels")
    used = {f["category"] for f in layer.getFeatures()}
    check(used <= set(values), f"every feature's category is styled: {sorted(used)}")
ogr = subprocess.run(["ogrinfo", "-ro", "-so", "-al", path], capture_output=True, text=True,
                     check=True).stdout
count = int(re.findall(r"^Feature Count: (\d+)", ogr, re.M)[0])
check(layer.featureCount() == count, f"{layer.featureCount()} features (ogrinfo: {count})")
print(f"{len(failures)} failure(s)")
sys.stdout.flush()
# No app.exitQgis() and no interpreter teardown: QGIS 3.22's bindings can crash while layers
# still referenced are destroyed after QGIS (see check_pack.py); leave at once with our code.
os._exit(1 if failures else 0)
