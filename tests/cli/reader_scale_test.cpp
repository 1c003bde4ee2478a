// SPDX-License-Identifier: MIT
// Issue #16 item 7: time must not grow with the square of the number of distinct crime types.
// 200,000 distinct types took 142 s when each new type was searched for linearly; hashed, this
// runs in about a second. The ctest TIMEOUT (tests/CMakeLists.txt) is what fails a quadratic
// reader: nothing here is timed.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

TEST(ReaderScale, TwoHundredThousandDistinctCrimeTypes) {
  testing::ScratchDir dir("manytypes");
  constexpr int kRows = 200'000;
  std::string csv = "lon,lat,offence\n";
  csv.reserve(std::size_t{kRows} * 40);
  for (int i = 0; i < kRows; ++i)
    csv += std::to_string(-1.2 + 1e-6 * i) + ",52.6,type-" + std::to_string(i) + "\n";
  // One repeated type, so the count per type is checked too.
  csv += "-1.1,52.6,type-7\n";
  dir.write("many.csv", csv);
  const auto r =
      testing::run_cli({"info", "--json", dir.file("many.csv"), "--category-field", "offence"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"]["read"], kRows + 1);
  EXPECT_EQ(j["rows"]["used"], kRows + 1);
  EXPECT_EQ(j["crime_types"].size(), std::size_t{kRows});
  EXPECT_EQ(j["crime_types"]["type-7"], 2);
  EXPECT_EQ(j["crime_types"]["type-199999"], 1);
}

}  // namespace
}  // namespace hotspots
