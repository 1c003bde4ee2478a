// SPDX-License-Identifier: MIT
// `hotspots patrol` on the synthetic sample (data/README.md: planted hotspots): the planted ASB
// hotspots each become exactly one place, ids agree between the CSV and the GeoJSON, the GeoJSON
// is RFC 7946 circles, stderr reports what was left out, errors name the flag.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

std::vector<std::string> args(const std::string& type, const std::string& out) {
  return {"patrol",
          kSample + "/police_uk",
          "--boundary",
          kSample + "/districts.geojson",
          "--from",
          "2024-07",
          "--to",
          "2024-12",
          "--skip-bad-rows",
          "--crime-type",
          type,
          "-o",
          out};
}

// First `n` columns of each row after the header (the leading columns hold no commas).
std::vector<std::vector<std::string>> csv_rows(const std::string& text, std::size_t n) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::istringstream r(line);
    std::vector<std::string> row;
    for (std::string f; row.size() < n && std::getline(r, f, ',');) row.push_back(f);
    rows.push_back(row);
  }
  return rows;
}

TEST(PatrolCli, PlantedAsbHotspotsBecomeOnePlaceEachWithAgreeingIds) {
  ScratchDir dir("patrol_cli_asb");
  const auto r = run_cli(args("asb", dir.file("asb.geojson")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  // Six months: the minimum is 3 a month x 6 = 18 incidents a place.
  EXPECT_NE(r.err.find("minimum 18 a place"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the best place left holds"), std::string::npos) << r.err;
  const auto rows = csv_rows(read_file(dir.file("asb.csv")), 9);
  // asb_1..3 of data/README.md: each is exactly one place (its busiest 100 m cell within 100 m
  // of the planted centre); places ranked by their incidents.
  const double planted[3][2] = {{462350, 301650}, {455600, 305400}, {455200, 298300}};
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& p : planted) {
    int near = 0;
    for (const auto& row : rows)
      near += std::hypot(std::stod(row[2]) - p[0], std::stod(row[3]) - p[1]) <= 100 ? 1 : 0;
    EXPECT_EQ(near, 1) << p[0] << " " << p[1];
  }
  for (std::size_t k = 0; k < 3; ++k) {
    std::string id = "P";  // (not "P" + ...: GCC 12's -Wrestrict false positive)
    id += std::to_string(k + 1);
    EXPECT_EQ(rows[k][0], id);
    EXPECT_GE(std::stod(rows[k][8]), 18);
    if (k > 0) {
      EXPECT_LE(std::stod(rows[k][8]), std::stod(rows[k - 1][8]));
    }
  }
  const auto gj = nlohmann::json::parse(read_file(dir.file("asb.geojson")));
  EXPECT_EQ(gj["type"], "FeatureCollection");
  EXPECT_FALSE(gj.contains("crs"));
  ASSERT_EQ(gj["features"].size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& f = gj["features"][k];
    EXPECT_EQ(f["properties"]["patrol_id"], rows[k][0]);
    EXPECT_EQ(f["properties"]["shape"], "cells");
    // The cells' outline: a closed ring of cell corners, lon/lat near the planted hotspot
    // (about 52.6 N, 1.1-1.2 W).
    ASSERT_TRUE(f["geometry"]["type"] == "Polygon" || f["geometry"]["type"] == "MultiPolygon");
    const auto& ring = f["geometry"]["type"] == "Polygon" ? f["geometry"]["coordinates"][0]
                                                          : f["geometry"]["coordinates"][0][0];
    EXPECT_GE(ring.size(), 5u);
    EXPECT_EQ(ring.front(), ring.back());
    EXPECT_NEAR(ring[0][1].get<double>(), 52.6, 0.1);
    EXPECT_NEAR(ring[0][0].get<double>(), -1.13, 0.1);
  }
  // The circle rule keeps Op Savvy's 150 m circles (64-vertex rings).
  auto circle = args("asb", dir.file("circle.geojson"));
  circle.insert(circle.end(), {"--shape", "circle"});
  ASSERT_EQ(run_cli(circle).code, 0);
  const auto cj = nlohmann::json::parse(read_file(dir.file("circle.geojson")));
  ASSERT_EQ(cj["features"].size(), 3u);
  EXPECT_EQ(cj["features"][0]["geometry"]["coordinates"][0].size(), 65u);
}

TEST(PatrolCli, WidePlantedHotspotIsSplitIntoPatrolSizedPlaces) {
  // The circle rule: violence_2 has sd 200 m, wider than one 150 m place, so it is split, not
  // dropped; violence_1 (sd 70 m) is one place. (Under the cells rule no 100 m cell of
  // violence_2 holds the minimum of 18: ~0.8 a month per cell.)
  ScratchDir dir("patrol_cli_violence");
  auto a = args("violence", dir.file("v.geojson"));
  a.insert(a.end(), {"--shape", "circle"});
  const auto r = run_cli(a);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = csv_rows(read_file(dir.file("v.csv")), 9);
  int near_1 = 0;
  int near_2 = 0;
  for (const auto& row : rows) {
    const double x = std::stod(row[2]);
    const double y = std::stod(row[3]);
    near_1 += std::hypot(x - 462650, y - 301350) < 150 ? 1 : 0;
    near_2 += std::hypot(x - 457200, y - 306000) < 400 ? 1 : 0;
  }
  EXPECT_EQ(near_1, 1);
  EXPECT_GE(near_2, 2);
}

TEST(PatrolCli, BudgetLeftOutIsReportedAndOptionsAreChecked) {
  ScratchDir dir("patrol_cli_budget");
  auto a = args("asb", dir.file("b.geojson"));
  a.insert(a.end(), {"--count", "1", "--csv", dir.file("table.csv")});
  const auto r = run_cli(a);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("2 more places meeting the minimum"), std::string::npos) << r.err;
  EXPECT_EQ(csv_rows(read_file(dir.file("table.csv")), 1).size(), 1u);
  // Refuses to clobber without --overwrite.
  EXPECT_EQ(run_cli(a).code, 1);
  auto bad = args("asb", dir.file("c.geojson"));
  bad.insert(bad.end(), {"--recording-share", "1.5"});
  const auto e = run_cli(bad);
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("--recording-share must be in (0, 1]"), std::string::npos) << e.err;
}

}  // namespace
}  // namespace hotspots
