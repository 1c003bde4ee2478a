// SPDX-License-Identifier: MIT
// Golden runs of `hotspots gistar`: the planted cluster found as gi_bin 3 and as the top
// cluster, the study-area rule, --fdr touching bins only, determinism, exit codes.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli_test_util.hpp"
#include "hotspots/io/raster_io.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

// 700 incidents in EPSG:27700 metres over the 2 km square x 450000-452000, y 300000-302000:
// 300 in a planted cluster uniform in the 300 m square x 450900-451200, y 300900-301200 (the
// 3 x 3 cells around r9c10 of the 100 m grid) and 400 uniform background points. Uniform draws from
// raw mt19937_64 bits (portable across standard libraries). The two corner points pin the data
// extent to exactly 20 x 20 cells of 100 m.
std::string cluster_csv() {
  std::mt19937_64 rng(11);
  auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::string csv = "x,y\n450000.5,300000.5\n451999.5,301999.5\n";
  for (int i = 0; i < 300; ++i)
    csv += std::to_string(450900 + 300 * uniform()) + "," +
           std::to_string(300900 + 300 * uniform()) + "\n";
  for (int i = 0; i < 398; ++i)
    csv += std::to_string(450000 + 2000 * uniform()) + "," +
           std::to_string(300000 + 2000 * uniform()) + "\n";
  return csv;
}

// A boundary (EPSG:27700) covering the western half of the square only: x 450000-451000.
const char* kWestHalf =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},
"features":[{"type":"Feature","properties":{"name":"west"},"geometry":{"type":"Polygon","coordinates":[[[450000,300000],[451000,300000],[451000,302000],[450000,302000],[450000,300000]]]}}]})";

std::vector<std::string> base_args(const ScratchDir& dir) {
  return {"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--cell-size",
          "100",    "--distance-band",   "300"};
}

// cell_id -> properties of a cells GeoJSON.
std::map<std::string, nlohmann::json> cells_by_id(const std::string& path) {
  const auto j = nlohmann::json::parse(read_file(path));
  std::map<std::string, nlohmann::json> out;
  for (const auto& f : j["features"])
    out[f["properties"]["cell_id"].get<std::string>()] = f["properties"];
  return out;
}

TEST(GiStarCli, PlantedClusterIsBinThreeAndTheTopCluster) {
  ScratchDir dir("gistar_plant");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--cells", dir.file("c.geojson"), "--clusters", dir.file("k.geojson")});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // explicit cell size and band: a clean run is quiet

  const auto j = nlohmann::json::parse(read_file(dir.file("c.geojson")));
  EXPECT_EQ(j["type"], "FeatureCollection");
  EXPECT_FALSE(j.contains("crs"));
  ASSERT_EQ(j["features"].size(), 400u);  // 20 x 20 cells, all in the study area
  // Properties exactly as documented, in order; features row-major.
  std::vector<std::string> keys;
  for (const auto& [k, v] : j["features"][0]["properties"].items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"cell_id", "count", "gi_bin", "gi_p", "gi_z", "lisa_i",
                                            "lisa_p", "lisa_type", "n_neighbors"}));
  EXPECT_EQ(j["features"][0]["properties"]["cell_id"], "r0c0");
  EXPECT_EQ(j["features"][1]["properties"]["cell_id"], "r0c1");
  EXPECT_EQ(j["features"][20]["properties"]["cell_id"], "r1c0");
  double total = 0;
  for (const auto& f : j["features"]) total += f["properties"]["count"].get<double>();
  EXPECT_EQ(total, 700.0);

  const auto cells = cells_by_id(dir.file("c.geojson"));
  const auto& hot = cells.at("r9c10");
  EXPECT_GE(hot["count"].get<double>(), 20.0);
  EXPECT_EQ(hot["gi_bin"], 3);
  EXPECT_GT(hot["gi_z"].get<double>(), 5.0);
  // 99 permutations by default: the smallest pseudo p-value is 1/(99+1), and the cluster core
  // reaches it (no permutation is as extreme as the observed value).
  EXPECT_DOUBLE_EQ(hot["lisa_p"].get<double>(), 0.01);
  EXPECT_LT(hot["gi_p"].get<double>(), 0.01);
  // 300 m band on 100 m cells: 29 cells incl. self in the interior, fewer at the corner.
  EXPECT_EQ(hot["n_neighbors"], 29);
  EXPECT_EQ(cells.at("r0c0")["n_neighbors"], 11);
  EXPECT_EQ(hot["lisa_type"], "HH");

  const auto k = nlohmann::json::parse(read_file(dir.file("k.geojson")));
  ASSERT_GE(k["features"].size(), 1u);
  const auto& top = k["features"][0]["properties"];
  EXPECT_EQ(top["id"], 1);
  EXPECT_EQ(top["type"], "hot");
  EXPECT_EQ(top["rank"], 1);
  EXPECT_GE(top["incidents"].get<double>(), 300.0);
  EXPECT_GE(top["cells"].get<int>(), 9);  // the 3 x 3 planted cells and some of their ring
  EXPECT_GT(top["mean_z"].get<double>(), 1.96);
  EXPECT_NEAR(top["area_km2"].get<double>(), top["cells"].get<double>() * 0.01, 1e-12);
  // pai = (incidents / 700) / (cells / 400).
  EXPECT_NEAR(top["pai"].get<double>(),
              (top["incidents"].get<double>() / 700.0) / (top["cells"].get<double>() / 400.0),
              1e-9);
}

TEST(GiStarCli, CellsOutsideTheBoundaryAreAbsent) {
  ScratchDir dir("gistar_boundary");
  dir.write("pts.csv", cluster_csv());
  dir.write("west.geojson", kWestHalf);
  auto args = base_args(dir);
  args.insert(args.end(), {"--boundary", dir.file("west.geojson"), "--cells", dir.file("c.geojson"),
                           "--zscores", dir.file("z.tif")});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto cells = cells_by_id(dir.file("c.geojson"));
  EXPECT_EQ(cells.size(), 200u);  // 10 columns x 20 rows: centres x < 451000
  for (const auto& [id, p] : cells) {
    const int col = std::stoi(id.substr(id.find('c') + 1));
    EXPECT_LT(col, 10) << id;
  }
  EXPECT_EQ(cells.count("r9c10"), 0u);  // the planted cluster lies east of the boundary
  // The z-score GeoTIFF covers the boundary's extent; every cell is in the study area.
  const RasterFile z = read_raster(dir.file("z.tif"));
  EXPECT_EQ(z.raster.grid.cols, 10);
  EXPECT_EQ(z.raster.grid.rows, 20);
  for (double v : z.raster.values) EXPECT_FALSE(std::isnan(v));
}

TEST(GiStarCli, FdrChangesOnlyBins) {
  ScratchDir dir("gistar_fdr");
  dir.write("pts.csv", cluster_csv());
  auto plain = base_args(dir);
  plain.insert(plain.end(), {"--cells", dir.file("a.geojson")});
  auto fdr = base_args(dir);
  fdr.insert(fdr.end(), {"--fdr", "--cells", dir.file("b.geojson")});
  ASSERT_EQ(run_cli(plain).code, 0);
  ASSERT_EQ(run_cli(fdr).code, 0);
  const auto a = cells_by_id(dir.file("a.geojson"));
  const auto b = cells_by_id(dir.file("b.geojson"));
  ASSERT_EQ(a.size(), b.size());
  int changed = 0;
  for (const auto& [id, pa] : a) {
    const auto& pb = b.at(id);
    for (const char* key :
         {"count", "gi_z", "gi_p", "n_neighbors", "lisa_i", "lisa_p", "lisa_type"})
      EXPECT_EQ(pa[key], pb[key]) << id << " " << key;
    // FDR only ever lowers the confidence level.
    EXPECT_LE(std::abs(pb["gi_bin"].get<int>()), std::abs(pa["gi_bin"].get<int>())) << id;
    changed += pa["gi_bin"] != pb["gi_bin"];
  }
  EXPECT_GT(changed, 0);
  EXPECT_EQ(b.at("r9c10")["gi_bin"], 3);
}

TEST(GiStarCli, SameSeedGivesByteIdenticalOutputs) {
  ScratchDir dir("gistar_det");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--seed", "7", "--cold", "--cells", dir.file("c.geojson"), "--clusters",
                           dir.file("k.geojson"), "--zscores", dir.file("z.tif"), "--overwrite"});
  ASSERT_EQ(run_cli(args).code, 0);
  const std::string cells = read_file(dir.file("c.geojson"));
  const std::string clusters = read_file(dir.file("k.geojson"));
  const std::string tif = read_file(dir.file("z.tif"));
  ASSERT_EQ(run_cli(args).code, 0);
  EXPECT_EQ(read_file(dir.file("c.geojson")), cells);
  EXPECT_EQ(read_file(dir.file("k.geojson")), clusters);
  EXPECT_EQ(read_file(dir.file("z.tif")), tif);
}

// Without --cells nothing writes local Moran's I, so its permutations are skipped (#15): the
// z-scores and clusters are those of a run that also writes the cells with 99 permutations.
TEST(GiStarCli, ZscoresAndClustersAloneEqualTheRunWithCells) {
  ScratchDir dir("gistar_zonly");
  dir.write("pts.csv", cluster_csv());
  auto alone = base_args(dir);
  alone.insert(alone.end(), {"--permutations", "99", "--clusters", dir.file("k1.geojson"),
                             "--zscores", dir.file("z1.tif")});
  auto with_cells = base_args(dir);
  with_cells.insert(with_cells.end(),
                    {"--permutations", "99", "--cells", dir.file("c.geojson"), "--clusters",
                     dir.file("k2.geojson"), "--zscores", dir.file("z2.tif")});
  alone.push_back("-v");
  with_cells.push_back("-v");
  const auto r_alone = run_cli(alone);
  const auto r_cells = run_cli(with_cells);
  ASSERT_EQ(r_alone.code, 0) << r_alone.err;
  ASSERT_EQ(r_cells.code, 0) << r_cells.err;
  // Skipped without --cells, computed with them.
  EXPECT_NE(r_alone.err.find("local statistics not computed"), std::string::npos) << r_alone.err;
  EXPECT_EQ(r_cells.err.find("local statistics not computed"), std::string::npos) << r_cells.err;
  const RasterFile z1 = read_raster(dir.file("z1.tif"));
  const RasterFile z2 = read_raster(dir.file("z2.tif"));
  ASSERT_EQ(z1.raster.values.size(), z2.raster.values.size());
  for (std::size_t i = 0; i < z1.raster.values.size(); ++i)
    EXPECT_EQ(z1.raster.values[i], z2.raster.values[i]) << i;
  EXPECT_EQ(read_file(dir.file("k1.geojson")), read_file(dir.file("k2.geojson")));
  // The cells of the second run do carry local Moran's I.
  EXPECT_FALSE(cells_by_id(dir.file("c.geojson")).at("r9c10")["lisa_i"].is_null());
}

TEST(GiStarCli, CsvCellsHoldEveryCellWithRowAndColumn) {
  ScratchDir dir("gistar_csv");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--permutations", "0", "--cells", dir.file("c.csv")});
  ASSERT_EQ(run_cli(args).code, 0);
  std::istringstream in(read_file(dir.file("c.csv")));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "cell_id,row,col,x,y,count,gi_z,gi_p,gi_bin,n_neighbors,lisa_i,lisa_p,lisa_type");
  std::getline(in, line);
  // Cell r0c0: centre (450050, 301950), a low count (z < 0); local Moran's I skipped, so its
  // fields are empty.
  EXPECT_EQ(line.substr(0, 23), "r0c0,0,0,450050,301950,");
  EXPECT_NE(line.find(",-"), std::string::npos) << line;
  EXPECT_EQ(line.substr(line.size() - 3), ",,,");
  int rows = 1;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 400);
}

TEST(GiStarCli, SignificantSubsetKeepsOnlyBinnedCells) {
  ScratchDir dir("gistar_subset");
  dir.write("pts.csv", cluster_csv());
  auto args = base_args(dir);
  args.insert(args.end(), {"--permutations", "0", "--cells-subset", "significant", "--cells",
                           dir.file("c.geojson")});
  ASSERT_EQ(run_cli(args).code, 0);
  const auto cells = cells_by_id(dir.file("c.geojson"));
  EXPECT_GT(cells.size(), 0u);
  EXPECT_LT(cells.size(), 400u);
  for (const auto& [id, p] : cells) EXPECT_NE(p["gi_bin"], 0) << id;
  EXPECT_EQ(cells.count("r9c10"), 1u);
}

TEST(GiStarCli, UsageErrorsExitTwoAndNameTheOption) {
  ScratchDir dir("gistar_usage");
  dir.write("pts.csv", cluster_csv());
  const std::string out = dir.file("c.geojson");
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "give --cells"},
      {{"--grid", "triangle", "--cells", out}, "--grid 'triangle'"},
      {{"--knn", "8", "--cells", out}, "one of --distance-band and --knn"},
      {{"--distance-band", "50", "--cells", out}, "--distance-band 50 m is shorter"},
      {{"--cluster-level", "4", "--clusters", out}, "--cluster-level"},
      {{"--cells-subset", "some", "--cells", out}, "--cells-subset 'some'"},
      {{"--lisa-contiguity", "bishop", "--cells", out}, "--lisa-contiguity 'bishop'"},
      {{"--connectivity", "bishop", "--cells", out}, "queen"},
      {{"--cells", dir.file("c.kml")}, "--cells"},
      {{"--permutations", "-1", "--cells", out}, "--permutations"},
  };
  for (const auto& c : cases) {
    auto args = base_args(dir);
    // base_args gives --distance-band 300; drop it where a case sets its own neighbours.
    if (std::find(c.extra.begin(), c.extra.end(), "--distance-band") != c.extra.end())
      args.erase(args.begin() + 6, args.begin() + 8);
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.message;
  }
}

TEST(GiStarCli, DataErrorsExitOne) {
  ScratchDir dir("gistar_data");
  dir.write("pts.csv", cluster_csv());
  dir.write("c.geojson", "old");
  // Refuses to clobber.
  auto args = base_args(dir);
  args.insert(args.end(), {"--cells", dir.file("c.geojson")});
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already exists; use --overwrite"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir.file("c.geojson")), "old");
  // Missing input file.
  r = run_cli({"gistar", dir.file("none.csv"), "--cells", dir.file("d.geojson")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("d.geojson")));
}

}  // namespace
}  // namespace hotspots
