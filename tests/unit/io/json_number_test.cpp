// SPDX-License-Identifier: MIT
// The GeoJSON writer's number texts against the peers they stand in for: OGRFormatDouble (GDAL's
// coordinate text) and printf's "%.*g" (GDAL's real-property text), value by value.
#include "detail/json_number.hpp"

#include <gtest/gtest.h>
#include <ogr_p.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace hotspots {
namespace {

std::string ogr_text(double value, int precision) {
  char buffer[75];
  OGRFormatDouble(buffer, sizeof buffer, value, '.', precision, 'f');
  return buffer;
}

std::string coordinate_text(double value, int precision) {
  std::string out;
  detail::append_json_coordinate(out, value, precision);
  return out;
}

// Values near whole numbers and near runs of 0s and 9s in the decimals (where printf's rounding
// and GDAL's trimming meet), on both sides of zero, for integral parts of 1, 2 and 3 digits.
std::vector<double> awkward_values() {
  std::vector<double> out;
  for (int whole = -180; whole <= 180; ++whole)
    for (long decimals : {0L, 1L, 5L, 9L, 50L, 99L, 999L, 99999L, 999999L, 9999999L, 9999990L,
                          9999998L, 1000001L, 5000000L, 9000000L, 9999900L, 1999999L, 100001L})
      for (double nudge : {0.0, 1e-9, -1e-9, 4e-8, -4e-8, 5e-8, -5e-8, 6e-8})
        out.push_back(whole + (whole < 0 ? -1.0 : 1.0) * static_cast<double>(decimals) / 1e7 +
                      nudge);
  for (double v : {0.0, -0.0, 0.5, -0.5, 2.5, 0.125, 5e-8, -5e-8, 1.5e-7, 1e-300, -1e-300, 1e20,
                   -1e20, 123.45678905, 1e50})
    out.push_back(v);
  return out;
}

TEST(JsonNumber, CoordinatesAreOgrFormatDoublesText) {
  std::mt19937_64 rng(15);
  std::uniform_real_distribution<double> lon(-180, 180);
  std::uniform_real_distribution<double> near_zero(-2, 2);
  std::size_t compared = 0;
  for (int i = 0; i < 1000000; ++i) {
    for (const double v : {lon(rng), near_zero(rng)}) {
      ASSERT_EQ(coordinate_text(v, 7), ogr_text(v, 7)) << std::to_string(v);
      ++compared;
    }
  }
  for (const double v : awkward_values())
    for (int precision = 0; precision <= 9; ++precision) {
      ASSERT_EQ(coordinate_text(v, precision), ogr_text(v, precision))
          << std::to_string(v) << " precision " << precision;
      ++compared;
    }
  EXPECT_GT(compared, 2000000U);
}

std::string printf_real(double value) {
  // The writer's former text, made with snprintf (GDAL's own way).
  char buffer[75];
  const auto format = [&](int figures) {
    return std::snprintf(buffer, sizeof buffer, "%.*g", figures, value);
  };
  const auto has_run = [&]() {
    const char* dot = std::strchr(buffer, '.');
    return dot != nullptr &&
           (std::strstr(dot, "999999") != nullptr || std::strstr(dot, "000000") != nullptr);
  };
  int size = format(17);
  if (has_run()) {
    bool ok = false;
    for (int i = 1; i <= 3 && !ok; ++i) {
      size = format(17 - i);
      const char* dot = std::strchr(buffer, '.');
      ok = dot != nullptr && !has_run();
    }
    if (!ok) size = format(17);
  }
  std::string out(buffer, static_cast<std::size_t>(size));
  if (!std::strchr(buffer, '.') && !std::strchr(buffer, 'e')) out += ".0";
  return out;
}

TEST(JsonNumber, RealsArePrintfsText) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> share(0, 1);
  std::normal_distribution<double> z(0, 3);
  std::uniform_int_distribution<int> count(0, 100000);
  for (int i = 0; i < 500000; ++i) {
    for (const double v : {share(rng), z(rng), static_cast<double>(count(rng)) / 12.0,
                           static_cast<double>(count(rng)), share(rng) * 1e-6, z(rng) * 1e9}) {
      std::string mine;
      detail::append_json_real(mine, v);
      ASSERT_EQ(mine, printf_real(v));
    }
  }
  for (const double v : awkward_values()) {
    std::string mine;
    detail::append_json_real(mine, v);
    ASSERT_EQ(mine, printf_real(v));
  }
  std::string one;
  detail::append_json_real(one, 0.1 + 0.2);  // 0.30000000000000004: 16 figures drop the run
  EXPECT_EQ(one, "0.3");
}

}  // namespace
}  // namespace hotspots
