// SPDX-License-Identifier: MIT
// The synthetic sample against its planted truth (data/sample/truth.json, written by the
// generator data/make_sample.cpp independently of the engine): row accounting, the bad rows it
// plants, the invalid small area, and that KDE hotspots land on the planted hotspots.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

nlohmann::json truth() {
  return nlohmann::json::parse(read_file(kSample + "/truth.json"));
}

TEST(Sample, InfoAccountsForEveryRowAsPlanted) {
  const auto t = truth()["police_uk"];
  const auto r = run_cli({"info", kSample + "/police_uk", "--boundary",
                          kSample + "/force_area.geojson", "--skip-bad-rows", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& rows = j["rows"];
  EXPECT_EQ(rows["read"], t["rows"]);
  EXPECT_EQ(rows["rejected_by_reason"]["no_coordinates"], t["rows_no_coordinates"]);
  EXPECT_EQ(rows["rejected_by_reason"]["unparsable_value"], t["rows_unparsable"]);
  EXPECT_EQ(rows["rejected_by_reason"]["outside_study_area"], t["rows_far_outside"]);
  EXPECT_EQ(rows["used"], t["rows_located_in_area"]);
  EXPECT_EQ(j["distinct_locations"], t["distinct_locations_in_area"]);
  for (const auto& [type, n] : t["located_in_area_per_crime_type"].items())
    EXPECT_EQ(j["crime_types"][type], n) << type;
  EXPECT_EQ(j["months"]["count"], 12);
  EXPECT_EQ(j["analysis_crs"], "EPSG:27700");
}

TEST(Sample, UnparsableCoordinateStopsWithFileLineColumnAndValue) {
  const auto bad = truth()["police_uk"]["unparsable"][0];
  const auto r = run_cli({"info", kSample + "/police_uk"});
  EXPECT_EQ(r.code, 1);
  const std::string where = bad["file"].get<std::string>() + ":" +
                            std::to_string(bad["line"].get<int>()) + ": column '" +
                            bad["column"].get<std::string>() + "': '" +
                            bad["value"].get<std::string>() + "' is not a number";
  EXPECT_NE(r.err.find(where), std::string::npos) << r.err << "\nexpected: " << where;
}

TEST(Sample, InvalidSmallAreaIsRepairedAndReported) {
  const std::string id = truth()["area"]["invalid_small_area"]["area_id"];
  const auto r = run_cli({"info", kSample + "/police_uk", "--boundary",
                          kSample + "/small_areas.geojson", "--skip-bad-rows", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& repaired = j["boundaries"][0]["repaired"];
  ASSERT_EQ(repaired.size(), 1u) << repaired.dump();
  EXPECT_EQ(repaired[0]["id"], id);
  // Districts tile the area: per-district counts are the planted ones.
  const auto r2 = run_cli({"info", kSample + "/police_uk", "--boundary",
                           kSample + "/districts.geojson", "--skip-bad-rows", "--json"});
  ASSERT_EQ(r2.code, 0) << r2.err;
  const auto d = nlohmann::json::parse(r2.out)["boundaries"][0]["per_feature"];
  const auto expected = truth()["police_uk"]["located_in_area_per_district"];
  ASSERT_EQ(d.size(), expected.size());
  for (const auto& f : d)
    EXPECT_EQ(f["incidents"], expected[f["id"].get<std::string>()]) << f.dump();
}

TEST(Sample, ForceExportReadsWithAutoDetectedEastingsAndDateTimes) {
  const auto t = truth()["force_export"];
  const auto r = run_cli({"info", kSample + "/force_export.csv", "--time-field", "committed_at",
                          "--category-field", "offence_group", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"]["read"], t["rows"]);
  EXPECT_EQ(j["rows"]["rejected_by_reason"]["no_coordinates"], t["empty_easting_lines"].size());
  EXPECT_EQ(j["sources"][0]["crs"], "EPSG:27700");
  EXPECT_EQ(j["sources"][0]["fields_auto_detected"], true);
  for (const auto& [group, n] : t["rows_per_offence_group"].items()) {
    // Rows without coordinates are rejected before they are counted as used incidents.
    EXPECT_LE(j["crime_types"][group].get<int>(), n.get<int>()) << group;
    EXPECT_GE(j["crime_types"][group].get<int>(),
              n.get<int>() - static_cast<int>(t["empty_easting_lines"].size()));
  }
}

// Each planted hotspot's centre lies inside one of the top-ranked KDE hotspot polygons (ranks
// 1..k for k planted hotspots of that crime type).
void expect_planted_hotspots_found(const std::string& group, const std::string& crime_type) {
  ScratchDir dir("sample_kde_" + group);
  const auto r = run_cli({"kde", kSample + "/police_uk", "--crime-type", group, "--boundary",
                          kSample + "/force_area.geojson", "--radius", "250", "--cell-size", "25",
                          "--skip-bad-rows", "--hotspots", dir.file("h.geojson")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<Point> centres;
  const auto t = truth();
  for (const auto& h : t["police_uk"]["hotspots"])
    if (h["crime_type"] == crime_type)
      centres.push_back({h["centre_27700"][0].get<double>(), h["centre_27700"][1].get<double>()});
  ASSERT_FALSE(centres.empty());
  const ZoneLayer layer = read_zones(dir.file("h.geojson"), {}, crs_from_epsg(27700));
  std::vector<const MultiPolygon*> top;
  for (std::size_t i = 0; i < centres.size() && i < layer.zones.size(); ++i)
    top.push_back(&layer.zones[i].geometry);  // features are written in rank order
  const ZoneIndex index(top);
  for (const Point& c : centres) {
    std::vector<double> x{c.x};
    std::vector<double> y{c.y};
    EXPECT_GE(index.locate(x, y)[0], 0) << group << " hotspot at " << c.x << ", " << c.y
                                        << " is not inside the top " << centres.size();
  }
}

TEST(Sample, KdeFindsThePlantedAsbHotspots) {
  expect_planted_hotspots_found("asb", "Anti-social behaviour");
}

TEST(Sample, KdeFindsThePlantedViolenceHotspots) {
  expect_planted_hotspots_found("violence", "Violence and sexual offences");
}

}  // namespace
}  // namespace hotspots
