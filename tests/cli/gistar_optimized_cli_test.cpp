// SPDX-License-Identifier: MIT
// Golden runs of `hotspots gistar --optimized`: the decisions on stderr and in the GeoTIFF, the
// kept cells (bounded: zeros too; unbounded: cells holding incidents), the band from the series,
// the planted cluster hot, byte-identical reruns, refused combinations. The statistics
// themselves are checked in tests/unit/stats/incremental_autocorrelation_test.cpp and against
// spdep in tests/peers/optimized_vs_spdep.sh.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <sstream>

#include "cli_test_util.hpp"
#include "hotspots/io/raster_io.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

// 900 incidents in EPSG:27700 over the 3 km square x 450000-453000, y 300000-303000: 400 in a
// planted 250 m cluster around (451500, 301500), 500 uniform. Portable uniform draws from raw
// mt19937_64 bits.
std::string planted_csv(int background = 500) {
  std::mt19937_64 rng(21);
  auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::string csv = "x,y\n";
  for (int i = 0; i < 400; ++i)
    csv += std::to_string(451375 + 250 * uniform()) + "," +
           std::to_string(301375 + 250 * uniform()) + "\n";
  for (int i = 0; i < background; ++i)
    csv += std::to_string(450000 + 3000 * uniform()) + "," +
           std::to_string(300000 + 3000 * uniform()) + "\n";
  return csv;
}

// The whole 3 km square as a boundary.
const char* kSquare =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},
"features":[{"type":"Feature","properties":{"name":"sq"},"geometry":{"type":"Polygon","coordinates":[[[450000,300000],[453000,300000],[453000,303000],[450000,303000],[450000,300000]]]}}]})";

struct Row {
  std::map<std::string, std::string> f;
  double num(const std::string& k) const { return std::stod(f.at(k)); }
};

std::vector<Row> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> head;
  {
    std::stringstream h(line);
    std::string c;
    while (std::getline(h, c, ',')) head.push_back(c);
  }
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    Row r;
    std::stringstream s(line);
    std::string c;
    for (std::size_t k = 0; k < head.size(); ++k) {
      if (!std::getline(s, c, ',')) c.clear();
      r.f[head[k]] = c;
    }
    rows.push_back(r);
  }
  return rows;
}

std::string metadata(const RasterFile& f, const std::string& key) {
  for (const auto& [k, v] : f.metadata)
    if (k == key) return v;
  return {};
}

TEST(GiStarOptimizedCli, DecisionsAreReportedAndTheBandIsTheFirstPeakOfTheSeries) {
  ScratchDir dir("gistar_opt");
  dir.write("pts.csv", planted_csv());
  dir.write("sq.geojson", kSquare);
  const std::vector<std::string> args{
      "gistar",         dir.file("pts.csv"),   "--src-crs",
      "EPSG:27700",     "--boundary",          dir.file("sq.geojson"),
      "--optimized",    "--isa-table",         dir.file("isa.csv"),
      "--cells",        dir.file("cells.csv"), "--zscores",
      dir.file("z.tif")};
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* said : {"optimized: 900 incidents", "locational outlier", "cell size 2 x max",
                           "fishnet", "incremental spatial autocorrelation", "Moran's I",
                           "distance band", "False Discovery Rate"})
    EXPECT_NE(r.err.find(said), std::string::npos) << said << "\n" << r.err;

  const std::vector<Row> isa = read_csv(dir.file("isa.csv"));
  ASSERT_EQ(isa.size(), 10u);
  for (std::size_t k = 1; k < isa.size(); ++k)
    EXPECT_GT(isa[k].num("Distance"), isa[k - 1].num("Distance"));
  // The band: the row marked first peak, else the kNN fallback (then no row is marked).
  const RasterFile z = read_raster(dir.file("z.tif"));
  const double band = std::stod(metadata(z, "OPTIMIZED_DISTANCE_BAND_M"));
  const double cell = std::stod(metadata(z, "OPTIMIZED_CELL_SIZE_M"));
  EXPECT_NEAR(z.raster.grid.cell_size_m, cell, 1e-3);
  bool marked = false;
  for (const Row& row : isa)
    if (row.f.at("peak").find("first") != std::string::npos) {
      marked = true;
      EXPECT_NEAR(row.num("Distance"), band, 1e-3);
      EXPECT_GT(row.num("z_score"), 1.65);
    }
  EXPECT_EQ(marked, metadata(z, "OPTIMIZED_BAND_SOURCE") == "first peak of z > 1.65");
  EXPECT_EQ(metadata(z, "OPTIMIZED_FDR"), "yes");
  EXPECT_EQ(metadata(z, "CELL_SIZE_SOURCE"), "optimized_nearest_neighbour_rule");

  // Bounded: every cell whose centre is in the square, zeros included; the planted cluster's
  // busiest cell is a 99 % hot spot.
  const std::vector<Row> cells = read_csv(dir.file("cells.csv"));
  int zeros = 0;
  const Row* busiest = &cells.front();
  for (const Row& c : cells) {
    zeros += c.num("count") == 0 ? 1 : 0;
    if (c.num("count") > busiest->num("count")) busiest = &c;
  }
  EXPECT_GT(zeros, 0);
  EXPECT_NEAR(busiest->num("x"), 451500, 250);
  EXPECT_NEAR(busiest->num("y"), 301500, 250);
  EXPECT_EQ(busiest->f.at("gi_bin"), "3");
  EXPECT_GT(busiest->num("n_neighbors"), 1);  // the band reaches beyond the cell itself

  // Same inputs, same outputs, byte for byte.
  const std::string first_isa = read_file(dir.file("isa.csv"));
  const std::string first_cells = read_file(dir.file("cells.csv"));
  auto again = args;
  again.push_back("--overwrite");
  ASSERT_EQ(run_cli(again).code, 0);
  EXPECT_EQ(read_file(dir.file("isa.csv")), first_isa);
  EXPECT_EQ(read_file(dir.file("cells.csv")), first_cells);
}

TEST(GiStarOptimizedCli, WithoutABoundaryOnlyCellsHoldingIncidentsAreKept) {
  ScratchDir dir("gistar_opt_unbounded");
  dir.write("pts.csv", planted_csv());
  const auto r = run_cli({"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--optimized",
                          "--cells", dir.file("cells.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("empty cells removed (no boundary)"), std::string::npos) << r.err;
  const std::vector<Row> cells = read_csv(dir.file("cells.csv"));
  ASSERT_GE(cells.size(), 30u);
  double total = 0;
  for (const Row& c : cells) {
    EXPECT_GT(c.num("count"), 0) << c.f.at("cell_id");
    total += c.num("count");
  }
  EXPECT_EQ(total, 900);  // every incident lies in a kept cell
}

TEST(GiStarOptimizedCli, RefusesWhatItDecidesItselfAndTooFewIncidents) {
  ScratchDir dir("gistar_opt_refuse");
  dir.write("pts.csv", planted_csv());
  for (const std::vector<std::string>& extra : {std::vector<std::string>{"--cell-size", "100"},
                                                {"--distance-band", "300"},
                                                {"--knn", "8"},
                                                {"--grid", "hex"},
                                                {"--extent", "450000,300000,453000,303000"}}) {
    std::vector<std::string> args{"gistar",         dir.file("pts.csv"), "--src-crs",
                                  "EPSG:27700",     "--optimized",       "--cells",
                                  dir.file("c.csv")};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << extra[0];
    EXPECT_NE(r.err.find(extra[0]), std::string::npos) << r.err;
  }
  const auto no_opt =
      run_cli({"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--cell-size", "100",
               "--isa-table", dir.file("i.csv"), "--cells", dir.file("c.csv")});
  EXPECT_EQ(no_opt.code, 2);
  EXPECT_NE(no_opt.err.find("--isa-table"), std::string::npos) << no_opt.err;

  dir.write("few.csv", "x,y\n450000,300000\n450100,300000\n450300,300200\n");
  const auto few = run_cli({"gistar", dir.file("few.csv"), "--src-crs", "EPSG:27700", "--optimized",
                            "--cells", dir.file("c.csv")});
  EXPECT_EQ(few.code, 1);
  EXPECT_NE(few.err.find("at least 60"), std::string::npos) << few.err;
}

}  // namespace
}  // namespace hotspots
