// SPDX-License-Identifier: MIT
// Golden runs of `hotspots kde`: exit codes, messages, the GeoTIFF read back through GDAL, the
// hotspot layer, determinism and refusal to clobber.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "cli_test_util.hpp"
#include "hotspots/io/raster_io.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

// 300 points: 200 in a tight cluster at (452000, 301000) and 100 spread over 4 km x 4 km, in
// EPSG:27700 metres. Uniform draws from raw mt19937_64 bits (portable across standard libraries).
std::string cluster_csv() {
  std::mt19937_64 rng(7);
  auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::string csv = "x,y\n";
  for (int i = 0; i < 200; ++i)
    csv += std::to_string(452000 + 60 * (uniform() - 0.5)) + "," +
           std::to_string(301000 + 60 * (uniform() - 0.5)) + "\n";
  for (int i = 0; i < 100; ++i)
    csv += std::to_string(450000 + 4000 * uniform()) + "," +
           std::to_string(299000 + 4000 * uniform()) + "\n";
  return csv;
}

std::vector<std::string> base_args(const ScratchDir& dir) {
  return {"kde", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--radius",
          "250", "--cell-size",       "25"};
}

TEST(KdeCli, WritesGeoTiffWithGeoreferencingAndMetadata) {
  ScratchDir dir("kde_tif");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--output-value", "count", "--surface", dir.file("s.tif")});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const RasterFile f = read_raster(dir.file("s.tif"));
  EXPECT_EQ(f.crs.epsg, 27700);
  // Extent = data bbox grown by the radius, snapped outward to 25 m.
  const GridSpec& g = f.raster.grid;
  EXPECT_DOUBLE_EQ(g.cell_size_m, 25.0);
  EXPECT_EQ(std::fmod(g.xmin, 25.0), 0.0);
  EXPECT_EQ(std::fmod(g.ymax, 25.0), 0.0);
  EXPECT_LE(g.xmin, 450000.0 - 250.0);
  EXPECT_GE(g.xmax(), 452030.0 + 250.0);
  // Count mode: every disc lies inside the grid, so the cells hold all 300 incidents up to the
  // discretisation of the kernel on a 25 m grid with h = 250 m (h/C = 10: |error| < 1e-3 per
  // point, see kde_test) and Float32 storage (~1e-7 relative per cell).
  double sum = 0;
  for (double v : f.raster.values) sum += std::isnan(v) ? 0 : v;
  EXPECT_NEAR(sum, 300.0, 300.0 * 1e-3);
  auto meta = [&](const std::string& key) {
    for (const auto& [k, v] : f.metadata)
      if (k == key) return v;
    return std::string("(missing)");
  };
  EXPECT_EQ(meta("KERNEL"), "quartic");
  EXPECT_EQ(meta("RADIUS_M"), "250");
  EXPECT_EQ(meta("CELL_SIZE_M"), "25");
  EXPECT_EQ(meta("OUTPUT_VALUE"), "count");
  EXPECT_NE(meta("HOTSPOTS_COMMAND").find("--radius 250"), std::string::npos);
}

// Edge incidents: a boundary whose east edge runs 100 m west of the cluster. By default the
// cluster (outside) is smoothed into the cells within 250 m of it, the stderr line and the
// GeoTIFF's EDGE_INCIDENTS say how many, and the cells outside stay nodata; with
// --no-edge-incidents the same cells lose that density.
TEST(KdeCli, IncidentsJustOutsideTheBoundaryAreSmoothedUnlessTurnedOff) {
  ScratchDir dir("kde_edge");
  dir.write("pts.csv", cluster_csv());
  dir.write(
      "west.geojson",
      R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:27700"}},)"
      R"("features":[{"type":"Feature","properties":{"id":"w"},"geometry":{"type":"Polygon",)"
      R"("coordinates":[[[449000,298000],[451900,298000],[451900,304000],[449000,304000],)"
      R"([449000,298000]]]}}]})");
  auto args = base_args(dir);
  args.insert(args.end(), {"--boundary", dir.file("west.geojson"), "--surface", dir.file("a.tif")});
  const auto with_edge = run_cli(args);
  ASSERT_EQ(with_edge.code, 0) << with_edge.err;
  EXPECT_NE(with_edge.err.find("also smooths"), std::string::npos) << with_edge.err;
  args.back() = dir.file("b.tif");
  args.push_back("--no-edge-incidents");
  const auto without = run_cli(args);
  ASSERT_EQ(without.code, 0) << without.err;
  EXPECT_EQ(without.err.find("also smooths"), std::string::npos) << without.err;

  const RasterFile a = read_raster(dir.file("a.tif"));
  const RasterFile b = read_raster(dir.file("b.tif"));
  std::string edge_a, edge_b;
  for (const auto& [k, v] : a.metadata)
    if (k == "EDGE_INCIDENTS") edge_a = v;
  for (const auto& [k, v] : b.metadata)
    if (k == "EDGE_INCIDENTS") edge_b = v;
  EXPECT_GE(std::stoi(edge_a), 200);  // the whole cluster lies within 250 m of the edge
  EXPECT_EQ(edge_b, "0");
  // The cell 150 m west of the cluster (inside) holds its density with the default only.
  const GridSpec& g = a.raster.grid;
  const auto row = g.row_of(301000), col = g.col_of(451850);
  EXPECT_GT(a.raster.at(row, col), b.raster.at(row, col) + 1000.0);
  // The grid covers the study area only: the cluster itself lies east of it.
  EXPECT_LT(g.xmax(), 452000.0 - 30.0);
}

TEST(KdeCli, HotspotLayerIsRankedRfc7946AroundTheCluster) {
  ScratchDir dir("kde_hot");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--hotspots", dir.file("h.geojson"), "--top-percent", "2"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read_file(dir.file("h.geojson")));
  EXPECT_EQ(j["type"], "FeatureCollection");
  EXPECT_FALSE(j.contains("crs"));  // RFC 7946: no crs member
  ASSERT_GE(j["features"].size(), 1u);
  const auto& top = j["features"][0]["properties"];
  EXPECT_EQ(top["rank"], 1);
  // The 200-point cluster is the top hotspot: its centroid is within 50 m of the cluster centre
  // and it holds at least the 200 cluster incidents (of 300).
  EXPECT_NEAR(top["centroid_x"].get<double>(), 452000.0, 50.0);
  EXPECT_NEAR(top["centroid_y"].get<double>(), 301000.0, 50.0);
  EXPECT_GE(top["incidents"].get<double>(), 200.0);
  EXPECT_NEAR(top["pai"].get<double>(),
              top["share_incidents"].get<double>() / top["share_area"].get<double>(), 1e-9);
  // Coordinates are WGS84 lon/lat: the first vertex lies within ~150 m of the cluster centre,
  // (452000, 301000) = (-1.233609, 52.604305) by `gdaltransform -s_srs EPSG:27700 -t_srs
  // EPSG:4326` (GDAL 3.6.2); 0.003 degrees is about 200 m of longitude and 330 m of latitude.
  const auto& geometry = j["features"][0]["geometry"];
  const bool multi = geometry["type"] == "MultiPolygon";
  const auto& first = multi ? geometry["coordinates"][0][0][0] : geometry["coordinates"][0][0];
  EXPECT_NEAR(first[0].get<double>(), -1.233609, 0.003);
  EXPECT_NEAR(first[1].get<double>(), 52.604305, 0.003);
}

TEST(KdeCli, SameInputsGiveByteIdenticalOutputs) {
  ScratchDir dir("kde_det");
  dir.write("pts.csv", cluster_csv());
  // Same command line twice (the command line is part of the GeoTIFF metadata).
  auto args = base_args(dir);
  args.insert(args.end(),
              {"--surface", dir.file("s.tif"), "--hotspots", dir.file("h.geojson"), "--overwrite"});
  ASSERT_EQ(run_cli(args).code, 0);
  const std::string tif = read_file(dir.file("s.tif"));
  const std::string geojson = read_file(dir.file("h.geojson"));
  ASSERT_EQ(run_cli(args).code, 0);
  EXPECT_EQ(read_file(dir.file("s.tif")), tif);
  EXPECT_EQ(read_file(dir.file("h.geojson")), geojson);
}

TEST(KdeCli, RefusesToOverwriteAndLeavesTheOldFile) {
  ScratchDir dir("kde_clobber");
  dir.write("pts.csv", cluster_csv());
  dir.write("s.tif", "old");
  auto args = base_args(dir);
  args.insert(args.end(), {"--surface", dir.file("s.tif")});
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already exists; use --overwrite"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir.file("s.tif")), "old");
  args.push_back("--overwrite");
  EXPECT_EQ(run_cli(args).code, 0);
  EXPECT_NE(read_file(dir.file("s.tif")), "old");
}

TEST(KdeCli, FailedRunWritesNothing) {
  ScratchDir dir("kde_fail");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(),
              {"--surface", dir.file("s.tif"), "--hotspots", dir.file("no/such/h.geojson")});
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.tif")));
  for (const auto& e : std::filesystem::directory_iterator(dir.file("")))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
}

TEST(KdeCli, UsageErrorsExitTwo) {
  ScratchDir dir("kde_usage");
  dir.write("pts.csv", cluster_csv());
  EXPECT_EQ(run_cli({"kde", dir.file("pts.csv"), "--src-crs", "EPSG:27700"}).code, 2);  // no output
  auto args = base_args(dir);
  args.insert(args.end(), {"--kernel", "box", "--surface", dir.file("s.tif")});
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("quartic"), std::string::npos) << r.err;  // lists the valid kernels
  EXPECT_EQ(
      run_cli({"kde", dir.file("pts.csv"), "--radius", "-5", "--surface", dir.file("s.tif")}).code,
      2);
}

TEST(KdeCli, WritesGeoPackageAndShapefile) {
  ScratchDir dir("kde_formats");
  dir.write("pts.csv", cluster_csv());
  for (const char* name : {"h.gpkg", "h.shp"}) {
    auto args = base_args(dir);
    args.insert(args.end(), {"--hotspots", dir.file(name)});
    const auto r = run_cli(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.file(name)));
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("h.dbf")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("h.prj")));
}

}  // namespace
}  // namespace hotspots
