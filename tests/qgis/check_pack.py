#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Opens a hotspots pack with QGIS itself (headless) and checks that it is what we promise.

usage: check_pack.py PACK_DIR [PROJECT.qgs]

PACK_DIR holds the project (default project.qgs) and expectations.json:
  {"project_crs": "EPSG:27700", "panel_order": [layer names, top first],
   "layers": {name: {"file", "qml", "renderer", optional "field", "categories", "ramp", "ranges", "labels",
                     "features", "min", "max", "raster", "alpha_band", "geometry"}}}

Checks, after copying the pack to a new folder (so that only relative paths can work):
  * the project reads; its CRS; the layer panel order;
  * every layer loads, isValid(), its source resolves inside the copied pack;
  * its renderer is the class the style sets, with the expected categories / ranges / min-max,
    and labels on the expected field;
  * each vector layer's feature count equals what ogrinfo (GDAL, an independent reader) reports
    and what the writer expected;
  * each .qml loads with loadNamedStyle onto a fresh layer and sets the same renderer.
Exit 0 = all good, 1 = a check failed, 77 = skipped because python3-qgis is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsColorRampShader, QgsProject, QgsRasterLayer,
                           QgsVectorLayer, QgsWkbTypes)
except ImportError as e:  # only the missing package is a skip; anything else is a failure
    print(f"SKIP: python3-qgis is not installed ({e})")
    sys.exit(77)

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def ogr_feature_count(path):
    out = subprocess.run(["ogrinfo", "-ro", "-so", "-al", path], capture_output=True, text=True,
                         check=True).stdout
    counts = re.findall(r"^Feature Count: (\d+)", out, re.M)
    return sum(int(c) for c in counts) if counts else None


def check_renderer(layer, exp, where):
    renderer = layer.renderer()
    name = type(renderer).__name__ if renderer is not None else None
    check(name == exp["renderer"], f"{where}: renderer {name} (expected {exp['renderer']})")
    if name != exp["renderer"]:
        return
    if "field" in exp:
        field = renderer.classAttribute()
        check(field == exp["field"], f"{where}: classified on {field} (expected {exp['field']})")
    if "categories" in exp:
        n = len(renderer.categories())
        check(n == exp["categories"], f"{where}: {n} categories (expected {exp['categories']})")
    if "ranges" in exp:
        n = len(renderer.ranges())
        check(n == exp["ranges"], f"{where}: {n} ranges (expected {exp['ranges']})")
    if "min" in exp:
        lo, hi = renderer.classificationMin(), renderer.classificationMax()
        check((lo, hi) == (exp["min"], exp["max"]), f"{where}: min/max {lo}/{hi}")
        items = renderer.shader().rasterShaderFunction().colorRampItemList()
        check(len(items) >= 2 and items[0].color.alpha() == 0,
              f"{where}: values <= min are transparent ({len(items)} ramp items)")
        if "ramp" in exp:
            fn = renderer.shader().rasterShaderFunction()
            kind = {QgsColorRampShader.Discrete: "Discrete",
                    QgsColorRampShader.Interpolated: "Interpolated"}.get(fn.colorRampType())
            check(kind == exp["ramp"], f"{where}: {kind} colour ramp (expected {exp['ramp']})")
    if "alpha_band" in exp:
        check(renderer.alphaBand() == exp["alpha_band"],
              f"{where}: alpha band {renderer.alphaBand()} (expected {exp['alpha_band']})")
    if "labels" in exp:
        on = layer.labelsEnabled() and layer.labeling() is not None
        field = layer.labeling().settings().fieldName if on else None
        check(field == exp["labels"], f"{where}: labels on {field} (expected {exp['labels']})")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    src_dir = os.path.abspath(sys.argv[1])
    project_name = sys.argv[2] if len(sys.argv) == 3 else "project.qgs"
    with open(os.path.join(src_dir, "expectations.json"), encoding="utf-8") as f:
        expected = json.load(f)

    app = QgsApplication([], False)
    app.initQgis()
    with tempfile.TemporaryDirectory(prefix="hotspots_pack_") as tmp:
        pack = os.path.join(tmp, "moved pack")  # a space, too
        shutil.copytree(src_dir, pack)
        project = QgsProject.instance()
        check(project.read(os.path.join(pack, project_name)), f"{project_name} reads")
        check(project.crs().authid() == expected["project_crs"],
              f"project CRS {project.crs().authid()}")
        panel = [l.name() for l in project.layerTreeRoot().layerOrder()]
        check(panel == expected["panel_order"], f"layer panel order {panel}")
        by_name = {l.name(): l for l in project.mapLayers().values()}
        check(sorted(by_name) == sorted(expected["layers"]), f"layers {sorted(by_name)}")

        for name, exp in expected["layers"].items():
            layer = by_name.get(name)
            if layer is None:
                check(False, f"{name}: missing from the project")
                continue
            check(layer.isValid(), f"{name}: valid")
            source = layer.source().split("|")[0]
            check(os.path.realpath(source) == os.path.realpath(os.path.join(pack, exp["file"])),
                  f"{name}: source {source} is in the moved pack")
            check_renderer(layer, exp, name)
            file = os.path.join(pack, exp["file"])
            if "features" in exp:
                ogr = ogr_feature_count(file)
                check(layer.featureCount() == ogr == exp["features"],
                      f"{name}: {layer.featureCount()} features (ogrinfo {ogr}, "
                      f"expected {exp['features']})")
            # The .qml beside the layer, loaded onto a fresh layer.
            if "geometry" in exp:
                kind = {QgsWkbTypes.LineGeometry: "line", QgsWkbTypes.PolygonGeometry: "polygon",
                        QgsWkbTypes.PointGeometry: "point"}.get(layer.geometryType())
                check(kind == exp["geometry"], f"{name}: {kind} geometry")
            raster = "min" in exp or exp.get("raster", False)
            check(isinstance(layer, QgsRasterLayer) == raster,
                  f"{name}: a {'raster' if raster else 'vector'} layer")
            fresh = (QgsRasterLayer(file, name, "gdal") if raster
                     else QgsVectorLayer(file, name, "ogr"))
            check(fresh.isValid(), f"{exp['qml']}: data layer valid")
            msg, ok = fresh.loadNamedStyle(os.path.join(pack, exp["qml"]))
            check(ok, f"{exp['qml']}: loadNamedStyle ({msg})")
            check_renderer(fresh, exp, exp["qml"])
        project.clear()
    # No app.exitQgis(): layers still referenced here would then be destroyed after QGIS, which
    # crashes 3.22; os._exit below ends the process instead.
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # QGIS 3.22's Python bindings can crash while the interpreter tears them down; leave at once
    # so that the exit code is ours.
    os._exit(code)
