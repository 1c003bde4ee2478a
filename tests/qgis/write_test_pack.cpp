// SPDX-License-Identifier: MIT
// Writes a small analysis pack into the folder given as argument, with the engine's own writers:
// a density GeoTIFF (EPSG:27700), Gi* cells, clusters, hotspots and zones as GeoJSON (EPSG:4326),
// a .qml beside each layer, project.qgs, and expectations.json saying what QGIS must find.
// tests/qgis/check_pack.py then opens it with QGIS.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/basemap.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/render/qgis_style.hpp"

using namespace hotspots;

namespace {

Ring square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

PolygonFeature feature(double x0, double y0, double size, std::vector<FieldValue> values) {
  return {{Polygon{square(x0, y0, size), {}}}, std::move(values)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_qgis_test_pack FOLDER\n");
    return 2;
  }
  const std::string dir = argv[1];
  try {
    const Crs bng = crs_from_epsg(27700);
    const Crs wgs84 = crs_from_epsg(4326);
    constexpr double x0 = 450000, y0 = 300000;  // the East Midlands

    // Surface: 40 × 30 cells of 50 m, a ramp with a nodata corner and zeros.
    GridSpec g{x0, y0 + 1500, 50, 40, 30};
    Raster r(g, 0.0);
    for (std::int64_t row = 0; row < g.rows; ++row)
      for (std::int64_t col = 0; col < g.cols; ++col)
        r.at(row, col) =
            row < 5 && col < 5 ? Raster::nodata() : static_cast<double>((row * col) % 17) * 3.0;
    GeoTiffOptions tiff;
    tiff.band_description = "density_per_km2";
    tiff.units = "incidents/km2";
    write_geotiff(dir + "/surface.tif", r, bng, tiff);

    // Gi* cells: one per gi_bin, −3..3, plus two more not significant.
    std::vector<PolygonFeature> cells;
    for (int i = 0; i < 9; ++i)
      cells.push_back(
          feature(x0 + 200.0 * i, y0, 200,
                  {std::string(fmt::format("r0c{}", i)), std::int64_t{i < 7 ? i - 3 : 0}}));
    write_polygons(dir + "/cells.geojson", bng,
                   {{"cell_id", FieldType::text}, {"gi_bin", FieldType::integer}}, cells, {});

    const std::vector<FieldDef> cluster_fields = {
        {"id", FieldType::integer}, {"type", FieldType::text}, {"rank", FieldType::integer}};
    write_polygons(
        dir + "/clusters.geojson", bng, cluster_fields,
        {feature(x0, y0 + 400, 400, {std::int64_t{1}, std::string("hot"), std::int64_t{1}}),
         feature(x0 + 600, y0 + 400, 200, {std::int64_t{2}, std::string("hot"), std::int64_t{2}}),
         feature(x0 + 1200, y0 + 400, 300,
                 {std::int64_t{3}, std::string("cold"), std::int64_t{1}})},
        {});

    write_polygons(dir + "/hotspots.geojson", bng,
                   {{"rank", FieldType::integer}, {"incidents", FieldType::real}},
                   {feature(x0 + 100, y0 + 900, 300, {std::int64_t{1}, 40.0}),
                    feature(x0 + 900, y0 + 900, 200, {std::int64_t{2}, 25.0})},
                   {});

    std::vector<PolygonFeature> zones;
    for (int i = 0; i < 4; ++i)
      zones.push_back(
          feature(x0 + 500.0 * i, y0, 500,
                  {std::string(fmt::format("Z{}", i)), static_cast<double>(10 * i + 3)}));
    write_polygons(dir + "/zones.geojson", bng,
                   {{"zone", FieldType::text}, {"incidents", FieldType::real}}, zones, {});

    // A vector basemap's lines (roads), as a pack copies them: three lines, one with a bend.
    write_basemap_lines(dir + "/roads.geojson",
                        {{{x0, y0}, {x0 + 2000, y0 + 1500}},
                         {{x0, y0 + 1500}, {x0 + 1000, y0 + 700}, {x0 + 2000, y0}},
                         {{x0 + 1000, y0}, {x0 + 1000, y0 + 1500}}},
                        bng, false);

    // Discrete quantile classes, as the PNG map draws them.
    const LayerStyle surface = SurfaceClassesStyle{quantile_breaks(r, 0.0)};
    const LayerStyle gi = GiBinStyle{};
    const LayerStyle clusters = ClusterTypeStyle{};
    const LayerStyle hotspots = HotspotStyle{};
    const LayerStyle graduated = GraduatedStyle{"incidents", {0, 10, 20, 40}};
    write_qml(dir + "/surface.qml", surface, false);
    write_qml(dir + "/cells.qml", gi, false);
    write_qml(dir + "/clusters.qml", clusters, false);
    write_qml(dir + "/hotspots.qml", hotspots, false);
    write_qml(dir + "/zones.qml", graduated, false);
    const LayerStyle roads = LineStyle{};
    write_qml(dir + "/roads.qml", roads, false);

    const Extent e = g.extent();
    const std::vector<QgisLayer> layers = {
        {"roads.geojson", "Roads basemap", roads, wgs84, {}, true},
        {"surface.tif", "KDE surface", surface, bng, e, true},
        {"zones.geojson", "Zones", graduated, wgs84, {}, true},
        {"cells.geojson", "Gi* cells", gi, wgs84, {}, false},
        {"hotspots.geojson", "Hotspots", hotspots, wgs84, {}, true},
        {"clusters.geojson", "Gi* clusters", clusters, wgs84, {}, true},
    };
    write_qgis_project(dir + "/project.qgs", "hotspots test pack", layers, bng, false);

    // What QGIS must find: layer names top-first (the layer panel's order), renderer classes,
    // category/range counts and feature counts (the counts are checked against ogrinfo too).
    std::ofstream out(dir + "/expectations.json");
    out << R"({
  "project_crs": "EPSG:27700",
  "panel_order": ["Gi* clusters", "Hotspots", "Gi* cells", "Zones", "KDE surface", "Roads basemap"],
  "layers": {
    "Roads basemap": {"file": "roads.geojson", "qml": "roads.qml", "renderer": "QgsSingleSymbolRenderer", "geometry": "line", "features": 3},
    "KDE surface": {"file": "surface.tif", "qml": "surface.qml", "renderer": "QgsSingleBandPseudoColorRenderer", "min": 0, "max": 48, "ramp": "Discrete"},
    "Zones": {"file": "zones.geojson", "qml": "zones.qml", "renderer": "QgsGraduatedSymbolRenderer", "field": "incidents", "ranges": 3, "features": 4},
    "Gi* cells": {"file": "cells.geojson", "qml": "cells.qml", "renderer": "QgsCategorizedSymbolRenderer", "field": "gi_bin", "categories": 7, "features": 9},
    "Hotspots": {"file": "hotspots.geojson", "qml": "hotspots.qml", "renderer": "QgsSingleSymbolRenderer", "labels": "rank", "features": 2},
    "Gi* clusters": {"file": "clusters.geojson", "qml": "clusters.qml", "renderer": "QgsCategorizedSymbolRenderer", "field": "type", "categories": 2, "labels": "rank", "features": 3}
  }
}
)";
    if (!out.flush()) throw IoError(dir + "/expectations.json: write failed");
  } catch (const Error& e) {
    std::fprintf(stderr, "write_qgis_test_pack: %s\n", e.what());
    return 1;
  }
  return 0;
}
