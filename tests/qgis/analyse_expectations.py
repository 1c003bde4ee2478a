#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes PACK/expectations.json for check_pack.py from an `hotspots analyse` pack's manifest.

usage: analyse_expectations.py PACK_DIR

Feature counts come from the manifest's per-group figures (hotspots, clusters, zones); the Gi*
cells layer has no figure there, so its expected count is what ogrinfo reads. Layer names, order
and renderers are those the pack promises (README: `hotspots analyse`).
"""
import json
import os
import re
import subprocess
import sys

TITLES = {"asb": "Anti-social behaviour", "violence": "Violence and sexual offences",
          "all": "All incidents (crime and ASB)"}


def ogr_count(path):
    out = subprocess.run(["ogrinfo", "-ro", "-so", "-al", path], capture_output=True, text=True,
                         check=True).stdout
    return sum(int(c) for c in re.findall(r"^Feature Count: (\d+)", out, re.M))


def main():
    pack = sys.argv[1]
    with open(os.path.join(pack, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    groups = [g for g in manifest["groups"] if g["incidents"] > 0]
    layers = {}
    order = []  # bottom to top, as the project lists them
    # The basemap's clipped copy at the bottom, when the pack was made with --basemap.
    basemap = manifest["spec"]["basemap"]["path"]
    if basemap:
        name = f"Basemap ({os.path.basename(basemap)})"
        if os.path.exists(os.path.join(pack, "basemap.tif")):
            layers[name] = {"file": "basemap.tif", "qml": "basemap.qml", "raster": True,
                            "renderer": "QgsSingleBandGrayRenderer", "alpha_band": 2}
        else:
            layers[name] = {"file": "basemap.geojson", "qml": "basemap.qml",
                            "renderer": "QgsSingleSymbolRenderer", "geometry": "line",
                            "features": ogr_count(os.path.join(pack, "basemap.geojson"))}
        order.append(name)
    for g in groups:
        name = f"{g['title']} – density"
        classes = g["density_classes"]
        layers[name] = {"file": f"{g['folder']}/density.tif", "qml": f"{g['folder']}/density.qml",
                        "renderer": "QgsSingleBandPseudoColorRenderer", "min": classes[0],
                        "max": classes[-1], "ramp": "Discrete"}
        order.append(name)
    zones_field = f"{groups[0]['folder']}_incidents"
    name = f"Zones – {groups[0]['title']} incidents"
    layers[name] = {"file": "zones.geojson", "qml": "zones.qml",
                    "renderer": "QgsGraduatedSymbolRenderer", "field": zones_field,
                    "features": manifest["parameters"]["zones"]["count"]}
    order.append(name)
    for g in groups:
        f = g["folder"]
        cells = f"{g['title']} – Gi* significant cells"
        layers[cells] = {"file": f"{f}/gistar_cells.geojson", "qml": f"{f}/gistar_cells.qml",
                         "renderer": "QgsCategorizedSymbolRenderer", "field": "gi_bin",
                         "categories": 7,
                         "features": ogr_count(os.path.join(pack, f, "gistar_cells.geojson"))}
        clusters = f"{g['title']} – Gi* clusters"
        layers[clusters] = {"file": f"{f}/gistar_clusters.geojson",
                            "qml": f"{f}/gistar_clusters.qml",
                            "renderer": "QgsCategorizedSymbolRenderer", "field": "type",
                            "categories": 2, "labels": "rank",
                            "features": g["gistar_hot_clusters"] + g["gistar_cold_clusters"]}
        hotspots = f"{g['title']} – KDE hotspots"
        layers[hotspots] = {"file": f"{f}/hotspots.geojson", "qml": f"{f}/hotspots.qml",
                            "renderer": "QgsSingleSymbolRenderer", "labels": "rank",
                            "features": g["kde_hotspots"]}
        patrol = f"{g['title']} – patrol places"
        layers[patrol] = {"file": f"{f}/patrol.geojson", "qml": f"{f}/patrol.qml",
                          "renderer": "QgsSingleSymbolRenderer", "labels": "patrol_id",
                          "features": g["patrol_places"]}
        busiest = f"{g['title']} – busiest 100 m cells"
        layers[busiest] = {"file": f"{f}/busiest_cells.geojson", "qml": f"{f}/busiest_cells.qml",
                           "renderer": "QgsGraduatedSymbolRenderer", "field": "count",
                           "features": ogr_count(os.path.join(pack, f, "busiest_cells.geojson"))}
        order += [cells, clusters, hotspots, busiest, patrol]
    # The study area, on top: one feature, an outline.
    layers["Study area"] = {"file": "study_area.geojson", "qml": "study_area.qml",
                            "renderer": "QgsSingleSymbolRenderer", "features": 1}
    order.append("Study area")
    expectations = {"project_crs": manifest["parameters"]["analysis_crs"],
                    "panel_order": list(reversed(order)), "layers": layers}
    with open(os.path.join(pack, "expectations.json"), "w", encoding="utf-8") as f:
        json.dump(expectations, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
