// SPDX-License-Identifier: MIT
// Golden runs of `hotspots kde`: exit codes, messages, the GeoTIFF read back through GDAL, the
// hotspot layer, determinism and refusal to clobber.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
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

namespace hotspots {
namespace {

// The surface alone is streamed tile by tile; with --hotspots it is held whole. Both must give
// the same cells, and --sparse leaves out the tiles no incident reaches (read back as nodata).
TEST(KdeCli, StreamedSparseAndHeldSurfacesHaveTheSameCells) {
  ScratchDir dir("kde_stream");
  // Two clusters 60 km apart: a 25 m grid of 2,400 x 160 cells, 10 x 1 tiles, most empty.
  std::string csv = "x,y\n";
  for (int i = 0; i < 50; ++i) {
    csv += std::to_string(400000 + 7 * i) + "," + std::to_string(300000 + 3 * i) + "\n";
    csv += std::to_string(460000 - 5 * i) + "," + std::to_string(301000 + 2 * i) + "\n";
  }
  dir.write("pts.csv", csv);
  auto args = base_args(dir);
  auto held = args, streamed = args, sparse = args;
  held.insert(held.end(), {"--surface", dir.file("held.tif"), "--hotspots", dir.file("h.geojson")});
  streamed.insert(streamed.end(), {"--surface", dir.file("streamed.tif"), "-v", "--progress"});
  sparse.insert(sparse.end(), {"--surface", dir.file("sparse.tif"), "--sparse", "-v"});
  for (const auto& a : {held, streamed, sparse}) {
    const auto r = run_cli(a);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const auto progress = run_cli(streamed);  // refused: exists; nothing computed, no progress
  EXPECT_EQ(progress.err.find("...10"), std::string::npos) << progress.err;
  auto again = streamed;
  again.push_back("--overwrite");
  const auto shown = run_cli(again);
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.err.find("0...10...20...30...40...50...60...70...80...90...100 - done.\n"),
            std::string::npos)
      << shown.err;
  const auto s = run_cli(sparse);  // refused: exists
  EXPECT_NE(s.code, 0);
  const RasterFile h = read_raster(dir.file("held.tif"));
  const RasterFile t = read_raster(dir.file("streamed.tif"));
  const RasterFile p = read_raster(dir.file("sparse.tif"));
  ASSERT_EQ(h.raster.grid, t.raster.grid);
  ASSERT_EQ(h.raster.grid, p.raster.grid);
  std::int64_t zero = 0, missing = 0;
  for (std::size_t i = 0; i < h.raster.values.size(); ++i) {
    const double a = h.raster.values[i], b = t.raster.values[i], c = p.raster.values[i];
    ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << i;
    if (std::isnan(c)) {
      ++missing;
      if (a != 0.0) ADD_FAILURE() << "cell " << i << " is " << a << " but its tile was left out";
    } else {
      ASSERT_EQ(std::memcmp(&a, &c, sizeof a), 0) << i;
    }
    zero += a == 0.0;
  }
  EXPECT_GT(missing, h.raster.values.size() / 2);
  EXPECT_LE(missing, zero);
  EXPECT_LT(std::filesystem::file_size(dir.file("sparse.tif")),
            std::filesystem::file_size(dir.file("streamed.tif")));
}

TEST(KdeCli, ARunThatCannotFitIsRefusedByItsMemoryWithACellSizeThatFits) {
  ScratchDir dir("kde_memory");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args[7] = "1";  // --cell-size 1: 4,600 x 4,600 cells held
  args.insert(args.end(), {"--surface", dir.file("s.tif"), "--hotspots", dir.file("h.geojson"),
                           "--max-memory", "100"});
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("would need about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--max-memory 100 MB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("use --cell-size"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.tif")));
  // A budget below what the incidents alone need: no cell size is offered.
  auto tiny = args;
  tiny.back() = "2";
  const auto none = run_cli(tiny);
  EXPECT_EQ(none.code, 2) << none.err;
  EXPECT_NE(none.err.find("no cell size fits"), std::string::npos) << none.err;
  EXPECT_EQ(none.err.find("inf"), std::string::npos) << none.err;
  // The suggested cell size runs.
  const auto at = r.err.find("use --cell-size ");
  ASSERT_NE(at, std::string::npos);
  const std::string size = r.err.substr(at + 16, r.err.find(' ', at + 16) - at - 16);
  auto again = args;
  again[7] = size;
  const auto ok = run_cli(again);
  EXPECT_EQ(ok.code, 0) << size << ": " << ok.err;
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// Without a boundary, hot cells are ranked among the cells near incidents once most of the
// rectangle is empty: growing the rectangle (--extent) does not change them.
TEST(KdeCli, TopPercentWithoutABoundaryDoesNotGrowWithTheRectangle) {
  ScratchDir dir("kde_near");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  auto wide = args;
  args.insert(args.end(),
              {"--hotspots", dir.file("a.geojson"), "--extent", "449000,298000,453000,302000"});
  wide.insert(wide.end(),
              {"--hotspots", dir.file("b.geojson"), "--extent", "440000,290000,470000,320000"});
  const auto a = run_cli(args);
  const auto b = run_cli(wide);
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(b.err.find("cells near incidents"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("warning: no boundary"), std::string::npos) << b.err;
  const auto count_line = [](const std::string& err) {
    const auto at = err.find(" hot cells (");
    const auto from = err.rfind('\n', at);
    return err.substr(from == std::string::npos ? 0 : from + 1, at - from);
  };
  // Grown once more, the rectangle changes nothing: the same hot cells, shares and PAI.
  auto wider = wide;
  wider.back() = "430000,280000,480000,330000";
  wider[wider.size() - 3] = dir.file("c.geojson");
  const auto c = run_cli(wider);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(count_line(b.err), count_line(c.err)) << b.err << "\n" << c.err;
  EXPECT_EQ(read_file(dir.file("b.geojson")), read_file(dir.file("c.geojson")));
}

// Two forces in one police.uk-style file and no boundary: each force gets its own top list (a
// `force` field, ranks from 1 within each); --hotspots-scope all ranks every cell together.
TEST(KdeCli, HotspotsOfSeveralForcesAreRankedForceByForce) {
  ScratchDir dir("kde_forces");
  std::string csv =
      "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA "
      "name,Crime type,Last outcome category,Context\n";
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> jitter(-0.002, 0.002);
  const auto add = [&](const char* force, double lon, double lat, int n) {
    for (int i = 0; i < n; ++i)
      csv += fmt::format(
          ",2024-01,{0},{0},{1:.6f},{2:.6f},On or near Somewhere,,,Violence and "
          "sexual offences,,\n",
          force, lon + jitter(rng), lat + jitter(rng));
  };
  add("Leicestershire Police", -1.13, 52.63, 80);  // a busy city centre
  add("Leicestershire Police", -1.20, 52.70, 20);
  add("Derbyshire Constabulary", -1.47, 52.92, 30);  // a quieter one
  add("Derbyshire Constabulary", -1.40, 52.98, 10);
  dir.write("2024-01-mixed-street.csv", csv);
  const std::vector<std::string> args = {"kde",           dir.file("2024-01-mixed-street.csv"),
                                         "--cell-size",   "50",
                                         "--radius",      "300",
                                         "--top-percent", "10",
                                         "--hotspots",    dir.file("h.geojson")};
  auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, ::testing::HasSubstr("ranked force by force over 2 forces"));
  const auto layer = nlohmann::json::parse(read_file(dir.file("h.geojson")));
  std::map<std::string, std::vector<int>> ranks;
  for (const auto& f : layer["features"])
    ranks[f["properties"]["force"].get<std::string>()].push_back(
        f["properties"]["rank"].get<int>());
  ASSERT_EQ(ranks.size(), 2u);
  for (auto& [force, list] : ranks) {
    std::sort(list.begin(), list.end());
    for (std::size_t k = 0; k < list.size(); ++k) EXPECT_EQ(list[k], static_cast<int>(k) + 1);
  }
  auto all = args;
  all.back() = dir.file("all.geojson");
  all.insert(all.end(), {"--hotspots-scope", "all"});
  r = run_cli(all);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto one = nlohmann::json::parse(read_file(dir.file("all.geojson")));
  ASSERT_FALSE(one["features"].empty());
  EXPECT_FALSE(one["features"][0]["properties"].contains("force"));
}

}  // namespace
}  // namespace hotspots
