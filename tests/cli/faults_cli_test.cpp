// SPDX-License-Identifier: MIT
// Issue #16, the remaining items: usage errors found before any work, numeric extremes,
// boundaries that project to nothing or hold no incident, CRSs not in metres, and messages that
// say what is wrong. Each case states the exit code, the message and, where a run is refused,
// that no output was left. Inputs are written here by small generators (no committed binaries).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;
const std::string kPolice = kSample + "/police_uk";
const std::string kForceArea = kSample + "/force_area.geojson";

constexpr const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n";

// A police.uk row in Leicester dated `month`.
std::string police_row(int i, const std::string& month) {
  std::string row = "c";
  row += std::to_string(i);
  row += ",";
  row += month;
  row += ",Leicestershire Police,Leicestershire Police,";
  row += std::to_string(-1.13 - 0.001 * i);
  row += ",";
  row += std::to_string(52.63 + 0.001 * i);
  row += ",On or near Main Road,E01013649,Leicester 032B,Burglary,,\n";
  return row;
}

std::string police_csv(const std::vector<std::string>& months) {
  std::string s = kPoliceHeader;
  for (std::size_t i = 0; i < months.size(); ++i) s += police_row(static_cast<int>(i), months[i]);
  return s;
}

// A GeoJSON layer (EPSG:4326) of polygons given as coordinate-array text, with ids.
std::string polygons_geojson(const std::vector<std::pair<std::string, std::string>>& features) {
  std::string s = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (std::size_t i = 0; i < features.size(); ++i) {
    if (i) s += ",";
    s += "{\"type\":\"Feature\",\"properties\":{\"id\":\"" + features[i].first +
         "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + features[i].second + "}}";
  }
  return s + "]}";
}

// Around the Leicester rows of police_csv, and around central London (no row there).
constexpr const char* kLeicester =
    "[[[-1.2,52.6],[-1.0,52.6],[-1.0,52.7],[-1.2,52.7],[-1.2,52.6]]]";
constexpr const char* kLondon = "[[[-0.2,51.4],[0.0,51.4],[0.0,51.6],[-0.2,51.6],[-0.2,51.4]]]";

std::int64_t rejected(const nlohmann::json& info, const std::string& reason) {
  const auto& by = info["rows"]["rejected_by_reason"];
  return by.contains(reason) ? by[reason].get<std::int64_t>() : 0;
}

// ---------------------------------------------------------------------------------------------
// 1. Usage errors are found before any work, and nothing is written

TEST(FaultsUsage, ThresholdNanIsRefusedBeforeAnythingIsWritten) {
  ScratchDir dir("f_nan");
  const auto r = run_cli({"kde", kPolice, "--skip-bad-rows", "--threshold", "nan", "--surface",
                          dir.file("s.tif"), "--hotspots", dir.file("h.geojson")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--threshold: 'nan' is not a number"));
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  EXPECT_FALSE(fs::exists(dir.file("h.geojson")));
}

TEST(FaultsUsage, UnsupportedHotspotsFormatIsRefusedBeforeTheSurfaceIsWritten) {
  ScratchDir dir("f_kml");
  const auto r = run_cli({"kde", kPolice, "--skip-bad-rows", "--surface", dir.file("s.tif"),
                          "--hotspots", dir.file("h.kml")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--hotspots " + dir.file("h.kml") +
                               ": unknown format; use .geojson, .gpkg or .shp"));
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  EXPECT_FALSE(fs::exists(dir.file("h.kml")));
}

TEST(FaultsUsage, SurfaceUnderAnotherFormatsNameIsRefused) {
  ScratchDir dir("f_png");
  for (const std::string name : {"s.png", "s.asc", "s.TIF.txt"}) {
    const auto r = run_cli({"kde", kPolice, "--skip-bad-rows", "--surface", dir.file(name)});
    EXPECT_EQ(r.code, 2) << name;
    EXPECT_THAT(r.err, HasSubstr("--surface " + dir.file(name) +
                                 ": the surface is written as a GeoTIFF; give a .tif or .tiff "
                                 "name"));
    EXPECT_FALSE(fs::exists(dir.file(name))) << name;
  }
  const auto z = run_cli({"gistar", kPolice, "--skip-bad-rows", "--zscores", dir.file("z.png")});
  EXPECT_EQ(z.code, 2);
  EXPECT_THAT(z.err, HasSubstr("--zscores " + dir.file("z.png") + ": the surface is written as"));
  // Upper case is a GeoTIFF name too.
  const auto ok = run_cli({"kde", kPolice, "--skip-bad-rows", "-q", "--cell-size", "500",
                           "--surface", dir.file("S.TIFF")});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(dir.file("S.TIFF")));
}

// ---------------------------------------------------------------------------------------------
// 2. Numeric extremes

TEST(FaultsNumbers, HugeWeightsAreRefusedNamingFileLineAndColumn) {
  ScratchDir dir("f_w");
  dir.write("w.csv", "lon,lat,w\n-1.13,52.63,1e308\n-1.14,52.63,1e308\n-1.12,52.64,1\n");
  const auto r =
      run_cli({"kde", dir.file("w.csv"), "--weight-field", "w", "--surface", dir.file("s.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("w.csv") +
                               ":2: column 'w': '1e308' is larger than the largest weight "
                               "accepted (1000000000)"));
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  // With --skip-bad-rows they are counted rejections and the rest is analysed.
  const auto skip =
      run_cli({"kde", dir.file("w.csv"), "--weight-field", "w", "--skip-bad-rows", "--radius",
               "500", "--cell-size", "50", "--surface", dir.file("s.tif")});
  EXPECT_EQ(skip.code, 0) << skip.err;
  EXPECT_THAT(skip.err, HasSubstr("1 of 3 rows used; rejected: 2 unparsable_value"));
}

TEST(FaultsNumbers, DateFarInTheFutureIsATypingErrorNotAnIncident) {
  ScratchDir dir("f_date");
  dir.write("p-street.csv", police_csv({"2024-01", "2024-02", "9999-12"}));
  const int next_year = static_cast<int>(std::chrono::year_month_day{
                            std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())}
                                             .year()) +
                        1;
  const auto r = run_cli({"info", dir.file("p-street.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("p-street.csv") +
                               ":4: column 'Month': '9999-12' is "
                               "outside the plausible dates 1900-01 .. " +
                               std::to_string(next_year) + "-12"));
  const auto skip = run_cli({"info", "--json", dir.file("p-street.csv"), "--skip-bad-rows"});
  ASSERT_EQ(skip.code, 0) << skip.err;
  const auto j = nlohmann::json::parse(skip.out);
  EXPECT_EQ(j["rows"]["read"], 3);
  EXPECT_EQ(j["rows"]["used"], 2);
  EXPECT_EQ(rejected(j, "unparsable_value"), 1);
  EXPECT_EQ(j["months"]["last"], "2024-02");  // the default period is not stretched
  // A date filter that already excludes the row leaves it filtered, not an error.
  const auto filtered =
      run_cli({"info", "--json", dir.file("p-street.csv"), "--from", "2024-01", "--to", "2024-12"});
  ASSERT_EQ(filtered.code, 0) << filtered.err;
  EXPECT_EQ(rejected(nlohmann::json::parse(filtered.out), "filtered_date"), 1);
  // So is a year before 1900.
  dir.write("q-street.csv", police_csv({"2024-01", "0202-04"}));
  const auto old = run_cli({"info", dir.file("q-street.csv")});
  EXPECT_EQ(old.code, 1);
  EXPECT_THAT(old.err, HasSubstr(":3: column 'Month': '0202-04' is outside the plausible dates"));
}

TEST(FaultsNumbers, HugeRadiusAndCellSizeAreRefusedWithTheBound) {
  ScratchDir dir("f_big");
  for (const std::string flag : {"--radius", "--cell-size"}) {
    const auto r =
        run_cli({"kde", kPolice, "--skip-bad-rows", flag, "1e300", "--surface", dir.file("s.tif")});
    EXPECT_EQ(r.code, 2) << flag;
    EXPECT_THAT(r.err, HasSubstr(flag + ": must be > 0 and <= 1000000 m (got 1e300)"));
    EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  }
  const auto g = run_cli({"gistar", kPolice, "--skip-bad-rows", "--cell-size", "1e300", "--cells",
                          dir.file("c.geojson")});
  EXPECT_EQ(g.code, 2);
  EXPECT_THAT(g.err, HasSubstr("--cell-size: must be > 0 and <= 1000000 m (got 1e300)"));
  const auto band = run_cli({"gistar", kPolice, "--skip-bad-rows", "--distance-band", "2e6",
                             "--cells", dir.file("c.geojson")});
  EXPECT_EQ(band.code, 2);
  EXPECT_THAT(band.err, HasSubstr("--distance-band: must be > 0 and <= 1000000 m (got 2e6)"));
}

TEST(FaultsNumbers, ExtentAwayFromEveryIncidentIsRefused) {
  ScratchDir dir("f_extent");
  const auto r = run_cli({"kde", kPolice, "--skip-bad-rows", "--extent", "0,0,1000,1000",
                          "--surface", dir.file("s.tif")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--extent 0,0,1000,1000 holds none of the 19,348 incidents, which "
                               "lie in x "));
  EXPECT_THAT(r.err, HasSubstr("(EPSG:27700); the extent is in the analysis CRS"));
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  const auto g = run_cli({"gistar", kPolice, "--skip-bad-rows", "--extent", "0,0,1000,1000",
                          "--cells", dir.file("c.geojson")});
  EXPECT_EQ(g.code, 2);
  EXPECT_THAT(g.err, HasSubstr("--extent 0,0,1000,1000 holds none of the 19,348 incidents"));
  EXPECT_FALSE(fs::exists(dir.file("c.geojson")));
  // A malformed extent is a usage error before any reading, too.
  const auto bad = run_cli(
      {"kde", dir.file("missing.csv"), "--extent", "1,2,3", "--surface", dir.file("s.tif")});
  EXPECT_EQ(bad.code, 2) << bad.err;
}

TEST(FaultsNumbers, ZeroAreaRingIsSkippedWithAWarningNamingFileAndFeature) {
  ScratchDir dir("f_ring");
  const std::string flat = "[[[-1.2,52.6],[-1.1,52.6],[-1.15,52.6],[-1.2,52.6]]]";
  dir.write("b.geojson", polygons_geojson({{"good", kLeicester}, {"flat", flat}}));
  dir.write("p-street.csv", police_csv({"2024-01", "2024-01"}));
  const auto r = run_cli({"info", dir.file("p-street.csv"), "--boundary", dir.file("b.geojson")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: " + dir.file("b.geojson") +
                               ": feature 1 (id 'flat') is a zero-area ring: skipped"));
  // Only zero-area rings: no polygon at all.
  dir.write("flat.geojson", polygons_geojson({{"flat", flat}}));
  const auto none =
      run_cli({"info", dir.file("p-street.csv"), "--boundary", dir.file("flat.geojson")});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("flat.geojson: the layer 'flat' holds no polygon"));
  // A bow tie (a self-crossing ring whose signed area sums to zero) is repaired, not skipped.
  dir.write("bow.geojson", polygons_geojson({{"bow",
                                              "[[[-1.2,52.6],[-1.0,52.7],[-1.0,52.6],[-1.2,52.7],"
                                              "[-1.2,52.6]]]"}}));
  const auto bow =
      run_cli({"info", dir.file("p-street.csv"), "--boundary", dir.file("bow.geojson")});
  EXPECT_EQ(bow.code, 0) << bow.err;
  EXPECT_THAT(bow.err, Not(HasSubstr("zero-area")));
}

TEST(FaultsNumbers, DuplicateZoneIdsAreRefusedNamingFileIdAndBothFeatures) {
  ScratchDir dir("f_dup");
  dir.write("z.geojson", polygons_geojson({{"A", kLeicester}, {"B", kLondon}, {"A", kLondon}}));
  const auto r = run_cli({"gistar", kPolice, "--skip-bad-rows", "--zones", dir.file("z.geojson"),
                          "--cells", dir.file("c.geojson")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("z.geojson") +
                               ": column 'id': zone id 'A' is given to feature 0 and feature 2; "
                               "zone ids must be unique"));
  EXPECT_FALSE(fs::exists(dir.file("c.geojson")));
}

// ---------------------------------------------------------------------------------------------
// 3. Boundaries that project to nothing, or hold no incident

TEST(FaultsBoundary, WholeWorldBoundaryThatCollapsesWhenProjectedIsRefused) {
  ScratchDir dir("f_world");
  dir.write("world.geojson",
            polygons_geojson({{"w", "[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]"}}));
  dir.write("p-street.csv", police_csv({"2024-01", "2024-01"}));
  for (const std::string verb : {"info", "kde", "gistar"}) {
    std::vector<std::string> args = {verb, dir.file("p-street.csv"), "--boundary",
                                     dir.file("world.geojson")};
    if (verb == "kde") args.insert(args.end(), {"--surface", dir.file("s.tif")});
    if (verb == "gistar") args.insert(args.end(), {"--cells", dir.file("c.geojson")});
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 1) << verb;
    EXPECT_THAT(r.err, HasSubstr(dir.file("world.geojson") +
                                 ": feature 0 (id 'w') collapses to no area when projected into "
                                 "EPSG:27700"))
        << verb;
  }
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  EXPECT_FALSE(fs::exists(dir.file("c.geojson")));
}

TEST(FaultsBoundary, EveryIncidentOutsideTheBoundaryIsAnErrorNotAnEmptyResult) {
  ScratchDir dir("f_out");
  dir.write("london.geojson", polygons_geojson({{"L", kLondon}}));
  dir.write("p-street.csv", police_csv({"2024-01", "2024-01", "2024-02"}));
  for (const std::string verb : {"kde", "gistar"}) {
    std::vector<std::string> args = {verb, dir.file("p-street.csv"), "--boundary",
                                     dir.file("london.geojson")};
    if (verb == "kde") args.insert(args.end(), {"--surface", dir.file("s.tif")});
    if (verb == "gistar") args.insert(args.end(), {"--cells", dir.file("c.geojson")});
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 1) << verb;
    EXPECT_THAT(r.err, HasSubstr("hotspots " + verb +
                                 ": no incident inside the boundary (3 rows "
                                 "outside " +
                                 dir.file("london.geojson") + ")"));
  }
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  EXPECT_FALSE(fs::exists(dir.file("c.geojson")));
}

// ---------------------------------------------------------------------------------------------
// 4. Analysis CRSs whose unit is not the metre

TEST(FaultsCrs, UsFeetAnalysisCrsIsRefusedNamingCrsAndUnit) {
  ScratchDir dir("f_feet");
  for (const std::string verb : {"kde", "gistar", "info"}) {
    std::vector<std::string> args = {verb, kPolice, "--skip-bad-rows", "--t_srs", "EPSG:3435"};
    if (verb == "kde") args.insert(args.end(), {"--surface", dir.file("s.tif")});
    if (verb == "gistar") args.insert(args.end(), {"--cells", dir.file("c.geojson")});
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 1) << verb;
    EXPECT_THAT(r.err, HasSubstr("EPSG:3435 (NAD83 / Illinois East (ftUS)) measures distances in "
                                 "US survey foot (0.3048006"));
    EXPECT_THAT(r.err, HasSubstr("not metres"));
  }
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
  // International feet too (EPSG:2231, Colorado North, ft).
  const auto ft = run_cli({"info", kPolice, "--skip-bad-rows", "--t_srs", "EPSG:2231"});
  EXPECT_EQ(ft.code, 1);
  EXPECT_THAT(ft.err, HasSubstr("EPSG:2231"));
  EXPECT_THAT(ft.err, HasSubstr("not metres"));
}

// ---------------------------------------------------------------------------------------------
// 5. Messages that say what is wrong

TEST(FaultsMessages, BoundaryTakesOneFileAndLeavesTheInputsAfterIt) {
  // `--boundary B INPUT`: INPUT stays an input (it used to be swallowed as a second boundary).
  const auto r = run_cli({"info", "--json", "--skip-bad-rows", "--boundary", kForceArea, kPolice});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"]["read"], 19403);
  EXPECT_EQ(j["sources"].size(), 12U);
  // Several boundaries: the option repeated.
  const auto two = run_cli({"info", "--json", "--skip-bad-rows", "--boundary", kForceArea,
                            "--boundary", kSample + "/districts.geojson", kPolice});
  ASSERT_EQ(two.code, 0) << two.err;
  // The same for --crime-type: the input after it is not a crime type.
  const auto t = run_cli({"info", "--json", "--skip-bad-rows", "--crime-type", "asb", kPolice});
  ASSERT_EQ(t.code, 0) << t.err;
}

TEST(FaultsMessages, BoundsSayWhetherTheyAreIncludedAndNeverPrintDblMax) {
  ScratchDir dir("f_bounds");
  const auto r = run_cli({"kde", kPolice, "--radius", "0", "--surface", dir.file("s.tif")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--radius: must be > 0 and <= 1000000 m (got 0)"));
  EXPECT_THAT(r.err, Not(HasSubstr("179769")));
  const auto p = run_cli({"kde", kPolice, "--top-percent", "0", "--surface", dir.file("s.tif")});
  EXPECT_EQ(p.code, 2);
  EXPECT_THAT(p.err, HasSubstr("--top-percent: must be > 0 and <= 100 % (got 0)"));
  const auto n = run_cli({"kde", kPolice, "--top-percent", "nan", "--surface", dir.file("s.tif")});
  EXPECT_EQ(n.code, 2);
  EXPECT_THAT(n.err, HasSubstr("--top-percent: 'nan' is not a number"));
  const auto k = run_cli({"gistar", kPolice, "--knn", "0", "--cells", dir.file("c.geojson")});
  EXPECT_EQ(k.code, 2);
  EXPECT_THAT(k.err, HasSubstr("--knn: must be > 0 (got 0)"));
  const auto lvl =
      run_cli({"gistar", kPolice, "--cluster-level", "4", "--cells", dir.file("c.geojson")});
  EXPECT_EQ(lvl.code, 2);
  EXPECT_THAT(lvl.err, HasSubstr("--cluster-level: must be >= 1 and <= 3 (got 4)"));
  const auto snap =
      run_cli({"gistar", kPolice, "--contiguity-snap", "-1", "--cells", dir.file("c.geojson")});
  EXPECT_EQ(snap.code, 2);
  EXPECT_THAT(snap.err, HasSubstr("--contiguity-snap: must be >= 0 and <= 1000000 m (got -1)"));
  const auto e = run_cli({"evaluate", kPolice, "--train", "0", "-o", dir.file("ev")});
  EXPECT_EQ(e.code, 2);
  EXPECT_THAT(e.err, HasSubstr("--train: must be > 0 (got 0)"));
  EXPECT_FALSE(fs::exists(dir.file("s.tif")));
}

TEST(FaultsMessages, DayLevelFilterOnMonthlyDataSaysWholeMonthsAreKept) {
  ScratchDir dir("f_day");
  dir.write("p-street.csv", police_csv({"2024-02", "2024-03", "2024-04", "2024-05"}));
  const auto r = run_cli(
      {"info", "--json", dir.file("p-street.csv"), "--from", "2024-03-15", "--to", "2024-04-10"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: --from/--to 2024-03-15 .. 2024-04-10 name days, but some "
                               "rows are dated to the month only"));
  EXPECT_THAT(r.err, HasSubstr("whole months 2024-03 .. 2024-04 are kept for them"));
  EXPECT_EQ(nlohmann::json::parse(r.out)["rows"]["used"], 2);
  // Month-level bounds say nothing.
  const auto m =
      run_cli({"info", dir.file("p-street.csv"), "--from", "2024-03", "--to", "2024-04"});
  EXPECT_EQ(m.code, 0) << m.err;
  EXPECT_THAT(m.err, Not(HasSubstr("warning")));
}

}  // namespace
}  // namespace hotspots
