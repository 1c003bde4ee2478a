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

}  // namespace
}  // namespace hotspots
