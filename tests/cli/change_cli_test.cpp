// SPDX-License-Identifier: MIT
// Golden runs of `hotspots change` on the sample: every output written and read back (GeoTIFFs
// with their CRS, RFC 7946 GeoJSON, tables that agree with the report), byte-identical reruns and
// usage errors that write nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.hpp"
#include "hotspots/io/raster_io.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

std::vector<std::string> sample_args(const std::string& out) {
  return {"change",
          kSample + "/police_uk",
          "--crime-type",
          "asb",
          "--boundary",
          kSample + "/force_area.geojson",
          "--skip-bad-rows",
          "--from",
          "2024-07",
          "--to",
          "2024-12",
          "--radius",
          "250",
          "--cell-size",
          "100",
          "--persistence-periods",
          "2",
          "-o",
          out};
}

const char* const kFiles[] = {"difference.tif", "ratio.tif",      "cells.csv", "cells.geojson",
                              "places.csv",     "places.geojson", "map.png"};

TEST(ChangeCli, SampleWritesEveryOutputAndTheTablesAgreeWithTheSurfaces) {
  ScratchDir dir("change_cli");
  const auto r = run_cli(sample_args(dir.file("out")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("before 2024-01 to 2024-06: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("patrol places: "), std::string::npos) << r.err;
  for (const char* f : kFiles)
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("out/") + f))) << f;

  const RasterFile diff = read_raster(dir.file("out/difference.tif"));
  const RasterFile ratio = read_raster(dir.file("out/ratio.tif"));
  EXPECT_FALSE(diff.crs.label().empty());
  EXPECT_EQ(diff.raster.grid.cell_size_m, 100);
  bool has_rise = false;
  bool has_fall = false;
  for (std::size_t i = 0; i < diff.raster.values.size(); ++i) {
    has_rise = has_rise || diff.raster.values[i] > 0;
    has_fall = has_fall || diff.raster.values[i] < 0;
    // ratio = (diff + before) / before wherever defined: > 1 exactly where the difference rises.
    if (!std::isnan(ratio.raster.values[i]) && std::abs(diff.raster.values[i]) > 1e-3) {
      EXPECT_EQ(ratio.raster.values[i] > 1, diff.raster.values[i] > 0) << i;
    }
  }
  EXPECT_TRUE(has_rise);
  EXPECT_TRUE(has_fall);

  // cells.csv: before/after per cell sum to the incidents reported.
  std::istringstream cells(read_file(dir.file("out/cells.csv")));
  std::string line;
  std::getline(cells, line);
  EXPECT_EQ(line,
            "\xEF\xBB\xBF"  // the UTF-8 byte order mark of every CSV table (README "Tables")
            "cell_id,row,col,x,y,before,after,change,change_pct,change_p,change_q,flag");
  long before = 0, after = 0, rows = 0;
  while (std::getline(cells, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string t; std::getline(ss, t, ',');) f.push_back(t);
    before += std::stol(f.at(5));
    after += std::stol(f.at(6));
    EXPECT_EQ(std::stol(f.at(7)), std::stol(f.at(6)) - std::stol(f.at(5)));
    ++rows;
  }
  EXPECT_NE(
      r.err.find("before 2024-01 to 2024-06: " + std::to_string(before) +
                 " incidents; after 2024-07 to 2024-12: " + std::to_string(after) + " incidents"),
      std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(read_file(dir.file("out/cells.geojson")));
  EXPECT_EQ(static_cast<long>(j["features"].size()), rows);
  EXPECT_FALSE(j.contains("crs"));

  // places: the fates counted in the report.
  const auto p = nlohmann::json::parse(read_file(dir.file("out/places.geojson")));
  long persists = 0, ceased = 0, fresh = 0, before_places = 0, after_places = 0;
  for (const auto& f : p["features"]) {
    const auto& props = f["properties"];
    const std::string period = props["period"];
    const std::string fate = props["fate"];
    (period == "before" ? before_places : after_places)++;
    if (period == "before") {
      persists += fate == "persists";
      ceased += fate == "ceased";
      EXPECT_TRUE(props["persistence_periods"].is_null());
    } else {
      fresh += fate == "new";
      const int n = props["persistence_periods"];
      EXPECT_GE(n, 1);
      EXPECT_LE(n, 2);
      EXPECT_EQ(n == 2, fate == "persists");  // with N = 2 the periods are A and B
    }
  }
  EXPECT_NE(
      r.err.find("patrol places: " + std::to_string(persists) + " of " +
                 std::to_string(before_places) + " persist, " + std::to_string(ceased) +
                 " ceased, " + std::to_string(fresh) + " new of " + std::to_string(after_places)),
      std::string::npos)
      << r.err;
  EXPECT_EQ(read_file(dir.file("out/map.png")).substr(1, 3), "PNG");
}

TEST(ChangeCli, ARerunIsByteIdentical) {
  ScratchDir dir("change_cli_again");
  ASSERT_EQ(run_cli(sample_args(dir.file("a"))).code, 0);
  ASSERT_EQ(run_cli(sample_args(dir.file("b"))).code, 0);
  for (const char* f : kFiles) {
    if (std::string(f).ends_with(".tif")) continue;  // GeoTIFFs record the command line (-o)
    EXPECT_EQ(read_file(dir.file(std::string("a/") + f)),
              read_file(dir.file(std::string("b/") + f)))
        << f;
  }
  const auto a = read_raster(dir.file("a/difference.tif")).raster.values;
  const auto b = read_raster(dir.file("b/difference.tif")).raster.values;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_TRUE(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))) << i;
}

TEST(ChangeCli, UsageErrorsNameTheFlagAndWriteNothing) {
  ScratchDir dir("change_cli_usage");
  auto args = sample_args(dir.file("out"));
  args.insert(args.end(), {"--before-from", "2024-01"});
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--before-to"), std::string::npos) << r.err;
  args.insert(args.end(), {"--before-to", "2024-05"});
  r = run_cli(args);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("5 months against 6 after"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out")));
  auto no_to = sample_args(dir.file("out"));
  no_to.erase(no_to.begin() + 9, no_to.begin() + 11);  // "--to", "2024-12"
  r = run_cli(no_to);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--from and --to"), std::string::npos) << r.err;
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string t; std::getline(ss, t, ',');) f.push_back(t);
    rows.push_back(f);
  }
  return rows;
}

// The sample's Drugs hot spots that change over the year (data/README.md): from the first half of
// 2024 to the second, the one starting in July is a new patrol place and its cell rises; the
// fading one's place persists but its cell falls; the steady one persists.
TEST(ChangeCli, PlantedDrugsHotSpotsAppearPersistAndFadeAsPlanted) {
  const auto truth = nlohmann::json::parse(read_file(kSample + "/truth.json"));
  std::map<std::string, std::pair<double, double>> at;  // id -> busiest map point (EPSG:27700)
  for (const auto& h : truth["police_uk"]["temporal_hotspots"])
    at[h["id"]] = {h["busiest_map_point_27700"][0], h["busiest_map_point_27700"][1]};
  ScratchDir dir("change_cli_drugs");
  const auto r = run_cli({"change", kSample + "/police_uk", "--crime-type", "drugs", "--boundary",
                          kSample + "/force_area.geojson", "--skip-bad-rows", "--from", "2024-07",
                          "--to", "2024-12", "--radius", "250", "--cell-size", "100",
                          "--persistence-periods", "2", "-o", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  // places.csv: period,place_id,fate,matched_id,overlap,incidents,per_month,x,y,...
  auto place_fate = [&](const std::string& period, const std::string& id) {
    const auto [px, py] = at.at(id);
    for (const auto& f : csv_rows(read_file(dir.file("out/places.csv"))))
      if (f[0] == period && std::hypot(std::stod(f[7]) - px, std::stod(f[8]) - py) < 150)
        return f[2];
    return std::string("none");
  };
  EXPECT_EQ(place_fate("after", "drugs_starts_mid_year"), "new");
  EXPECT_EQ(place_fate("before", "drugs_starts_mid_year"), "none");
  EXPECT_EQ(place_fate("after", "drugs_fading"), "persists");
  EXPECT_EQ(place_fate("after", "drugs_persistent"), "persists");
  // cells.csv: cell_id,row,col,x,y,before,after,change,change_pct,change_p,change_q,flag
  auto cell_flag = [&](const std::string& id) {
    const auto [px, py] = at.at(id);
    for (const auto& f : csv_rows(read_file(dir.file("out/cells.csv"))))
      if (std::abs(std::stod(f[3]) - px) <= 50 && std::abs(std::stod(f[4]) - py) <= 50)
        return f.size() > 11 ? f[11] : std::string();
    return std::string("no cell");
  };
  EXPECT_EQ(cell_flag("drugs_starts_mid_year"), "up");
  EXPECT_EQ(cell_flag("drugs_new_in_december"), "up");
  EXPECT_EQ(cell_flag("drugs_fading"), "down");
  EXPECT_EQ(cell_flag("drugs_persistent"), "");
}

}  // namespace
}  // namespace hotspots
