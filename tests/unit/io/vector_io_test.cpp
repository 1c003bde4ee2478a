// SPDX-License-Identifier: MIT
// The polygon writer's GeoJSON against ogr2ogr's (a peer tool): the same features, written in the
// analysis CRS and turned into RFC 7946 GeoJSON by GDAL's own driver, must come out byte for byte
// as write_polygons writes them (it transforms to WGS84 once per file instead of per feature).
#include "hotspots/io/vector_io.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/io/crs.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using testing::ScratchDir;

Polygon square(double x0, double y0, double size) {
  // Counter-clockwise, as the pack's cells.
  return Polygon{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}},
                 {}};
}

std::vector<PolygonFeature> awkward_features() {
  std::vector<PolygonFeature> features;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Values whose JSON text depends on GDAL's number formatting and string escaping.
  const std::vector<double> reals = {0.0,      0.03,          1.0 / 3.0, -0.019752009384574463,
                                     1e-20,    123456789.125, nan,       2.0 / 3.0 * 1e6,
                                     0.1 + 0.2};
  for (std::size_t i = 0; i < reals.size(); ++i) {
    PolygonFeature f;
    Polygon p = square(455000.0 + 50.0 * static_cast<double>(i),
                       303000.0 + 7.25 * static_cast<double>(i), 50.0);
    if (i % 3 == 1)
      p.holes.push_back({{455010.0 + 50.0 * static_cast<double>(i), 303010.0},
                         {455010.0 + 50.0 * static_cast<double>(i), 303020.0},
                         {455020.0 + 50.0 * static_cast<double>(i), 303020.0},
                         {455010.0 + 50.0 * static_cast<double>(i), 303010.0}});
    f.geometry = {p};
    if (i % 4 == 2) f.geometry.push_back(square(470000.0, 310000.0 + static_cast<double>(i), 25.0));
    f.values = {std::string(i == 4 ? "Leicester \"City\" / caf\xc3\xa9 \\ tab\t"
                                   : "r1c" + std::to_string(i)),
                std::int64_t{static_cast<std::int64_t>(i) - 3}, reals[i],
                i == 5 ? FieldValue{} : FieldValue{reals[reals.size() - 1 - i]}};
    features.push_back(std::move(f));
  }
  return features;
}

// Writes `features` as GeoJSON ourselves and as a GeoPackage that GDAL's GeoJSON driver then
// reprojects itself (the peer); returns {ours, peer} as text.
std::pair<std::string, std::string> ours_and_ogr2ogr(const ScratchDir& dir, const Crs& crs,
                                                     const std::vector<FieldDef>& fields,
                                                     const std::vector<PolygonFeature>& features) {
  VectorWriteOptions options;
  options.layer_name = "cells";
  const std::string gpkg = dir.file("cells.gpkg");
  const std::string ours = dir.file("cells.geojson");
  write_polygons(gpkg, crs, fields, features, options);
  write_polygons(ours, crs, fields, features, options);
  const std::string peer = dir.file("peer.geojson");
  const std::string command =
      "ogr2ogr -f GeoJSON -unsetFid -lco RFC7946=YES -lco COORDINATE_PRECISION=7 "
      "-lco WRITE_NAME=NO '" +
      peer + "' '" + gpkg + "' 2>/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return {testing::read_file(ours), testing::read_file(peer)};
}

TEST(VectorIo, GeoJsonIsByteIdenticalToOgr2ogrFromTheAnalysisCrs) {
  ScratchDir dir("vector_io");
  const Crs bng = crs_from_epsg(27700);
  const std::vector<FieldDef> fields = {{"cell_id", FieldType::text},
                                        {"rank", FieldType::integer},
                                        {"value", FieldType::real},
                                        {"other", FieldType::real}};
  const std::vector<PolygonFeature> features = awkward_features();
  // The peer: GDAL's GeoJSON driver reprojecting the British National Grid layer itself.
  const auto [ours, expected] = ours_and_ogr2ogr(dir, bng, fields, features);
  ASSERT_NE(expected.find("\"MultiPolygon\""), std::string::npos);  // the two-part feature
  ASSERT_NE(expected.find("null"), std::string::npos);
  EXPECT_EQ(ours, expected);
}

TEST(VectorIo, CellsSharingCornersAreByteIdenticalToOgr2ogr) {
  // A block of 50 m cells side by side, as the pack's Gi* cells: each corner is in up to four
  // cells and is transformed once; the text must still be the driver's, cell by cell.
  ScratchDir dir("vector_io_cells");
  const Crs bng = crs_from_epsg(27700);
  const std::vector<FieldDef> fields = {{"cell_id", FieldType::text}};
  std::vector<PolygonFeature> features;
  for (int row = 0; row < 30; ++row)
    for (int col = 0; col < 40; ++col) {
      PolygonFeature f;
      f.geometry = {square(455000.0 + 50.0 * col, 303000.0 - 50.0 * row, 50.0)};
      f.values = {fmt::format("r{}c{}", row, col)};
      features.push_back(std::move(f));
    }
  const auto [ours, peer] = ours_and_ogr2ogr(dir, bng, fields, features);
  EXPECT_EQ(ours, peer);
}

// Lon/lat input (no transformation), round and long coordinates, a control character, a
// clockwise exterior; a layer without features; a layer with a feature by the date line.
TEST(VectorIo, LonLatAndEmptyLayersAreByteIdenticalToOgr2ogr) {
  ScratchDir dir("vector_io_lonlat");
  const Crs wgs84 = crs_from_epsg(4326);
  const std::vector<FieldDef> fields = {{"name", FieldType::text}, {"n", FieldType::integer}};
  std::vector<PolygonFeature> features(3);
  features[0].geometry = {square(-1.0, 52.5, 0.25)};
  features[0].values = {std::string("a\x01b/c"), std::int64_t{-7}};
  features[1].geometry = {square(0.1 + 0.2, 53.123456789012, 1e-3)};
  features[1].values = {FieldValue{}, std::int64_t{0}};
  // Clockwise exterior: the writer must turn it (right-hand rule).
  features[2].geometry = {Polygon{{{2, 50}, {2, 51}, {3, 51}, {3, 50}, {2, 50}}, {}}};
  features[2].values = {std::string("caf\xc3\xa9"), std::int64_t{1} << 40};
  // A feature by the date line: the whole file goes through GDAL's driver, partial text dropped.
  std::vector<PolygonFeature> with_date_line = features;
  with_date_line.push_back(features[0]);
  with_date_line.back().geometry = {square(175.0, -41.0, 0.5)};
  for (const int variant : {0, 1, 2}) {
    const std::vector<PolygonFeature> written = variant == 0   ? features
                                                : variant == 1 ? std::vector<PolygonFeature>{}
                                                               : with_date_line;
    VectorWriteOptions options;
    options.layer_name = "places";
    options.overwrite = true;
    const std::string gpkg = dir.file("places.gpkg");
    const std::string ours = dir.file("places.geojson");
    write_polygons(gpkg, wgs84, fields, written, options);
    write_polygons(ours, wgs84, fields, written, options);
    const std::string peer = dir.file("peer.geojson");
    const std::string command =
        "rm -f '" + dir.file("peer.geojson") +
        "'; ogr2ogr -f GeoJSON -unsetFid -lco RFC7946=YES -lco COORDINATE_PRECISION=7 "
        "-lco WRITE_NAME=NO '" +
        peer + "' '" + gpkg + "' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    EXPECT_EQ(testing::read_file(ours), testing::read_file(peer)) << "variant " << variant;
  }
}

}  // namespace
}  // namespace hotspots
