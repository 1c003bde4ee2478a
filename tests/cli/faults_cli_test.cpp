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

std::int64_t rejected(const nlohmann::json& info, const std::string& reason) {
  const auto& by = info["rows"]["rejected_by_reason"];
  return by.contains(reason) ? by[reason].get<std::int64_t>() : 0;
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
