// SPDX-License-Identifier: MIT
// Golden runs of `hotspots emerging` on the sample: every output written and parsed back, the
// cube reported, byte-identical reruns, a gap named in the error, usage errors and refused
// outputs.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

std::vector<std::string> sample_args(const std::string& out) {
  return {"emerging",
          kSample + "/police_uk",
          "--crime-type",
          "asb",
          "--boundary",
          kSample + "/force_area.geojson",
          "--skip-bad-rows",
          "--grid",
          "hex",
          "--cell-size",
          "400",
          "-o",
          out};
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(EmergingCli, SampleWritesEveryOutputAndReportsTheCube) {
  ScratchDir dir("emerging_cli");
  auto args = sample_args(dir.file("out"));
  args.push_back("--gpkg");
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("cube: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("x 12 steps of 1 month (2024-01 to 2024-12)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("classes: "), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  for (const char* f :
       {"units.geojson", "units.qml", "bins.csv", "sensitivity.csv", "map.png", "units.gpkg"})
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("out/") + f))) << f;
  const auto j = nlohmann::json::parse(read_file(dir.file("out/units.geojson")));
  const std::size_t units = j["features"].size();
  ASSERT_GT(units, 50u);
  for (const auto& f : j["features"]) {
    const auto& p = f["properties"];
    for (const char* key :
         {"unit_id", "pattern", "class", "category", "count", "trend_tau", "trend_s", "trend_z",
          "trend_p", "count_tau", "count_s", "count_z", "count_p"})
      ASSERT_TRUE(p.contains(key)) << key;
    ASSERT_GE(p["count"].get<double>(), 1.0);  // ArcGIS: units with at least one incident
    ASSERT_LE(std::abs(p["category"].get<int>()), 8);
  }
  const std::string bins = read_file(dir.file("out/bins.csv"));
  EXPECT_EQ(bins.substr(0, bins.find('\n')), "unit_id,step,count,gi_z,gi_p,gi_bin");
  EXPECT_EQ(lines(bins), 1 + units * 12);
  const std::string sens = read_file(dir.file("out/sensitivity.csv"));
  EXPECT_EQ(lines(sens), 10u);
  const std::string png = read_file(dir.file("out/map.png"));
  EXPECT_EQ(png.substr(1, 3), "PNG");
  // No temporary folder is left beside the output.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.file("")))
    ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(EmergingCli, TwoRunsAreByteIdentical) {
  ScratchDir dir("emerging_cli_det");
  for (const char* out : {"a", "b"}) {
    auto args = sample_args(dir.file(out));
    args.insert(args.end(), {"--time-lags", "2", "--compat", "sfdep", "-q"});
    const auto r = run_cli(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");  // -q: nothing but errors
  }
  for (const char* f : {"units.geojson", "units.qml", "bins.csv", "sensitivity.csv", "map.png"})
    EXPECT_EQ(read_file(dir.file(std::string("a/") + f)),
              read_file(dir.file(std::string("b/") + f)))
        << f;
}

TEST(EmergingCli, GapIsAnErrorNamingTheMonthsUnlessAllowed) {
  ScratchDir dir("emerging_cli_gap");
  auto args = sample_args(dir.file("out"));
  args.insert(args.end(), {"--from", "2023-11", "--to", "2024-12"});
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("hotspots emerging: 2 month(s) of 2023-11 to 2024-12 have no incident: "
                       "2023-11, 2023-12"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("give --allow-gaps"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out")));
  args.push_back("--allow-gaps");
  const auto ok = run_cli(args);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.err.find("warning: months without any incident, analysed as zeros: 2023-11, "
                        "2023-12"),
            std::string::npos)
      << ok.err;
}

TEST(EmergingCli, UsageErrorsExitTwo) {
  ScratchDir dir("emerging_cli_usage");
  const std::string out = dir.file("out");
  auto with = [&](std::vector<std::string> extra) {
    auto args = sample_args(out);
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  EXPECT_EQ(with({"--time-step-months", "0"}).code, 2);
  EXPECT_EQ(with({"--global-window", "month"}).code, 2);
  EXPECT_EQ(with({"--compat", "geoda"}).code, 2);
  EXPECT_EQ(with({"--distance-band", "800", "--knn", "6"}).code, 2);
  const auto zones = with({"--zones", kSample + "/small_areas.geojson"});
  EXPECT_EQ(zones.code, 2);
  EXPECT_NE(zones.err.find("--zones: --grid and --cell-size apply to grids only"),
            std::string::npos)
      << zones.err;
  const auto band = with({"--distance-band", "100"});
  EXPECT_EQ(band.code, 2);
  EXPECT_NE(band.err.find("--distance-band 100 m is shorter than the cell size"), std::string::npos)
      << band.err;
  const auto knn = with({"--knn", "100000"});
  EXPECT_EQ(knn.code, 2);
  EXPECT_NE(knn.err.find("--knn 100000: must be below the number of units in the cube"),
            std::string::npos)
      << knn.err;
  EXPECT_EQ(run_cli({"emerging", kSample + "/police_uk"}).code, 2);  // no -o
  EXPECT_FALSE(std::filesystem::exists(out));
}

// Issue #14: `emerging --zones FILE --value-field 'rate_*'`: the zones' own monthly values
// (negative ones too) are the cube, one field per month in any field order, written as bins.csv's
// `count`; a missing month, a field whose '*' part is no month, or INPUT besides are refused.
TEST(EmergingCli, ZoneValuesPerMonthAreTheCube) {
  ScratchDir dir("emerging_cli_values");
  // 3 x 3 squares of 200 m in British National Grid; a rate per month, fields out of order.
  const std::vector<int> months = {3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const auto value = [](int cell, int month) {
    return cell == 4 ? 2.5 * month - 8.0 : (cell % 3) - 1.25 + 0.1 * month;  // centre rises
  };
  std::string features;
  for (int cell = 0; cell < 9; ++cell) {
    const double x0 = 450000 + 200.0 * (cell % 3), y0 = 300000 + 200.0 * (cell / 3);
    std::string props = "\"id\":\"Z" + std::to_string(cell) + "\"";
    for (const int m : months) props += fmt::format(",\"rate_2024_{:02d}\":{}", m, value(cell, m));
    features += fmt::format(
        "{}{{\"type\":\"Feature\",\"properties\":{{{}}},\"geometry\":{{\"type\":\"Polygon\","
        "\"coordinates\":[[[{},{}],[{},{}],[{},{}],[{},{}],[{},{}]]]}}}}",
        cell == 0 ? "" : ",\n", props, x0, y0, x0 + 200, y0, x0 + 200, y0 + 200, x0, y0 + 200, x0,
        y0);
  }
  const std::string head =
      "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
      "\"urn:ogc:def:crs:EPSG::27700\"}},\"features\":[\n";
  dir.write("rates.geojson", head + features + "]}\n");
  const std::string zones = dir.file("rates.geojson");
  const auto r = run_cli({"emerging", "--zones", zones, "--zone-id-field", "id", "--value-field",
                          "rate_*", "-o", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream bins(read_file(dir.file("out/bins.csv")));
  std::string line;
  std::getline(bins, line);
  ASSERT_EQ(line, "unit_id,step,count,gi_z,gi_p,gi_bin");
  int rows = 0;
  while (std::getline(bins, line)) {
    std::istringstream f(line);
    std::string id, step, count;
    std::getline(f, id, ',');
    std::getline(f, step, ',');
    std::getline(f, count, ',');
    const int cell = std::stoi(id.substr(1));
    const int month = std::stoi(step.substr(5, 2));
    ASSERT_EQ(step.substr(0, 5), "2024-");
    EXPECT_NEAR(std::stod(count), value(cell, month), 1e-9) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 9 * 12);
  const auto units = nlohmann::json::parse(read_file(dir.file("out/units.geojson")));
  EXPECT_EQ(units.at("features").size(), 9u);

  // A field 'rate_*' matches whose '*' part is no month: refused, naming the field.
  std::string noted = read_file(zones);
  noted.replace(noted.find("\"id\":\"Z0\""), 9, "\"id\":\"Z0\",\"rate_note\":1");
  dir.write("noted.geojson", noted);
  const auto note = run_cli({"emerging", "--zones", dir.file("noted.geojson"), "--zone-id-field",
                             "id", "--value-field", "rate_*", "-o", dir.file("note")});
  EXPECT_EQ(note.code, 1);
  EXPECT_NE(note.err.find("rate_note"), std::string::npos) << note.err;
  // A month without its field.
  std::string gappy = read_file(zones);
  for (std::size_t at; (at = gappy.find(",\"rate_2024_05\":")) != std::string::npos;)
    gappy.erase(at, gappy.find(',', at + 1) - at);
  dir.write("gappy.geojson", gappy);
  const auto gap = run_cli({"emerging", "--zones", dir.file("gappy.geojson"), "--value-field",
                            "rate_*", "-o", dir.file("gap")});
  EXPECT_EQ(gap.code, 1);
  EXPECT_NE(gap.err.find("no field for 2024-05"), std::string::npos) << gap.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("gap")));
  // INPUT with --value-field, and --value-field without --zones: usage errors.
  EXPECT_EQ(run_cli({"emerging", kSample + "/police_uk", "--zones", zones, "--value-field",
                     "rate_*", "-o", dir.file("x")})
                .code,
            2);
  EXPECT_EQ(run_cli({"emerging", "--value-field", "rate_*", "-o", dir.file("y")}).code, 2);
}

TEST(EmergingCli, RefusesOutputsOntoInputsAndExistingFolders) {
  ScratchDir dir("emerging_cli_refuse");
  const auto onto = run_cli(sample_args(kSample));
  EXPECT_EQ(onto.code, 1);
  EXPECT_NE(onto.err.find("holds the input"), std::string::npos) << onto.err;
  std::filesystem::create_directories(dir.file("out"));
  dir.write("out/notes.txt", "mine");
  const auto exists = run_cli(sample_args(dir.file("out")));
  EXPECT_EQ(exists.code, 1);
  EXPECT_NE(exists.err.find("already exists; use --overwrite"), std::string::npos) << exists.err;
  auto args = sample_args(dir.file("out"));
  args.push_back("--overwrite");
  ASSERT_EQ(run_cli(args).code, 0);
  EXPECT_EQ(read_file(dir.file("out/notes.txt")), "mine");  // the user's file is kept
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/units.geojson")));
}

TEST(EmergingCli, ZonesWithContiguity) {
  ScratchDir dir("emerging_cli_zones");
  const auto r =
      run_cli({"emerging", kSample + "/police_uk", "--crime-type", "asb", "--skip-bad-rows",
               "--zones", kSample + "/small_areas.geojson", "--zone-id-field", "area_id",
               "--all-units", "--no-sensitivity", "-o", dir.file("out"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read_file(dir.file("out/units.geojson")));
  ASSERT_GT(j["features"].size(), 10u);
  EXPECT_EQ(lines(read_file(dir.file("out/sensitivity.csv"))), 1u);  // header only
}

// Whether (x, y) lies inside a closed ring of [x, y] pairs (even-odd rule).
bool ring_contains(const nlohmann::json& ring, double x, double y) {
  bool in = false;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const double x1 = ring[i][0], y1 = ring[i][1], x2 = ring[i + 1][0], y2 = ring[i + 1][1];
    if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1)) in = !in;
  }
  return in;
}

// The sample plants hot spots that change over the year (data/make_sample.cpp,
// kTemporalHotspots; truth.json police_uk.temporal_hotspots): one starting in July, one in
// December only, one fading, one steady. Each is classed as planted, at the settings truth.json
// records, in the unit holding the map point most of its rows were snapped to.
TEST(EmergingCli, PlantedTemporalHotSpotsAreClassedAsPlanted) {
  const auto truth = nlohmann::json::parse(read_file(kSample + "/truth.json"));
  const auto& planted = truth["police_uk"]["temporal_hotspots"];
  ASSERT_EQ(planted.size(), 4u);
  ScratchDir dir("emerging_planted");
  const auto r = run_cli({"emerging", kSample + "/police_uk", "--crime-type", "drugs", "--boundary",
                          kSample + "/force_area.geojson", "--skip-bad-rows", "--grid", "hex",
                          "--cell-size", "250", "--distance-band", "800", "-o", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto units = nlohmann::json::parse(read_file(dir.file("out/units.geojson")));
  std::set<std::string> classes;
  for (const auto& h : planted) {
    const double x = h["busiest_map_point_lonlat"][0];
    const double y = h["busiest_map_point_lonlat"][1];
    const nlohmann::json* found = nullptr;
    for (const auto& f : units["features"]) {
      const auto& g = f["geometry"];
      ASSERT_EQ(g["type"], "Polygon");
      if (ring_contains(g["coordinates"][0], x, y)) found = &f;
    }
    ASSERT_NE(found, nullptr) << h["id"];
    EXPECT_EQ((*found)["properties"]["class"], h["expected_class"]) << h["id"];
    EXPECT_GE((*found)["properties"]["count"].get<double>(),
              h["busiest_map_point_rows"].get<double>())
        << h["id"];
    classes.insert(h["expected_class"]);
  }
  EXPECT_EQ(classes, (std::set<std::string>{"consecutive_hot_spot", "new_hot_spot",
                                            "diminishing_hot_spot", "persistent_hot_spot"}));
}

}  // namespace
}  // namespace hotspots
