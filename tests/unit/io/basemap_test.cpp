// SPDX-License-Identifier: MIT
// The vector basemap reader against ogr2ogr's reprojection of the same file (a peer tool).
#include "hotspots/io/basemap.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "hotspots/core/error.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using testing::ScratchDir;

// Two roads (a line and a two-part line) and a block outline in lon/lat, plus a point (skipped).
void write_roads(const std::string& path) {
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"A1"},"geometry":{"type":"LineString","coordinates":[[-1.14,52.63],[-1.13,52.635],[-1.12,52.64]]}},
{"type":"Feature","properties":{"name":"B2"},"geometry":{"type":"MultiLineString","coordinates":[[[-1.15,52.62],[-1.15,52.65]],[[-1.16,52.62],[-1.10,52.62]]]}},
{"type":"Feature","properties":{"name":"block"},"geometry":{"type":"Polygon","coordinates":[[[-1.135,52.632],[-1.133,52.632],[-1.133,52.634],[-1.135,52.632]]]}},
{"type":"Feature","properties":{"name":"pub"},"geometry":{"type":"Point","coordinates":[-1.13,52.63]}}]})";
}

TEST(Basemap, LinesAreReprojectedAsOgr2ogrDoes) {
  ScratchDir dir("basemap");
  const std::string src = dir.file("roads.geojson");
  write_roads(src);
  // The peer: ogr2ogr into British National Grid, read back as JSON.
  const std::string peer = dir.file("roads_bng.geojson");
  const std::string command = "ogr2ogr -f GeoJSON -t_srs EPSG:27700 -lco COORDINATE_PRECISION=6 '" +
                              peer + "' '" + src + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(peer);
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str());
  std::vector<std::vector<Point>> expected;
  for (const auto& f : j["features"]) {
    const auto& g = f["geometry"];
    const auto add = [&](const nlohmann::json& coords) {
      std::vector<Point> line;
      for (const auto& c : coords) line.push_back({c[0].get<double>(), c[1].get<double>()});
      expected.push_back(line);
    };
    if (g["type"] == "LineString") add(g["coordinates"]);
    if (g["type"] == "MultiLineString" || g["type"] == "Polygon")
      for (const auto& part : g["coordinates"]) add(part);
  }
  const BasemapLines got = read_basemap_lines(src, crs_from_epsg(27700), Extent{});
  ASSERT_EQ(got.lines.size(), expected.size());
  ASSERT_EQ(got.lines.size(), 4u);  // the point is not a line
  for (std::size_t l = 0; l < expected.size(); ++l) {
    ASSERT_EQ(got.lines[l].size(), expected[l].size()) << l;
    for (std::size_t i = 0; i < expected[l].size(); ++i) {
      // ogr2ogr wrote 6 decimals: agreement to a millimetre.
      EXPECT_NEAR(got.lines[l][i].x, expected[l][i].x, 1e-3) << l << "," << i;
      EXPECT_NEAR(got.lines[l][i].y, expected[l][i].y, 1e-3) << l << "," << i;
    }
  }
  // An extent keeps the lines whose box meets it: the box of B2's north-south part meets that
  // part and B2's east-west part (which starts at its south end), not A1 or the block further
  // east.
  Extent west;
  for (const Point& p : expected[1]) west.include(p.x, p.y);
  const BasemapLines some = read_basemap_lines(src, crs_from_epsg(27700), west);
  EXPECT_EQ(some.lines.size(), 2u);
}

TEST(Basemap, ARasterOrAMissingFileIsRefusedNamingIt) {
  ScratchDir dir("basemap_bad");
  const std::string tif = dir.file("tiles.tif");
  const std::string command =
      "gdal_create -of GTiff -outsize 4 4 -bands 3 -a_srs EPSG:27700 -a_ullr 0 4 4 0 '" + tif +
      "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  try {
    (void)read_basemap_lines(tif, crs_from_epsg(27700), Extent{});
    FAIL() << "a raster was read as a vector basemap";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tiles.tif"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("raster basemaps are not drawn yet"), std::string::npos);
  }
  EXPECT_THROW((void)read_basemap_lines(dir.file("nope.gpkg"), crs_from_epsg(27700), Extent{}),
               IoError);
}

}  // namespace
}  // namespace hotspots
