// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/method.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {

std::vector<double> BinnedMonths::counts(const Period& window) const {
  std::vector<double> out(cells, 0.0);
  for (std::int32_t m = window.first; m <= window.last; ++m)
    for (const auto& [pos, w] : month(m).cells) out[static_cast<std::size_t>(pos)] += w;
  return out;
}

WeightedPoints BinnedMonths::points(const Period& window) const {
  WeightedPoints points;
  for (std::int32_t m = window.first; m <= window.last; ++m) {
    const MonthBins& b = month(m);
    points.x.insert(points.x.end(), b.x.begin(), b.x.end());
    points.y.insert(points.y.end(), b.y.begin(), b.y.end());
    points.w.insert(points.w.end(), b.w.begin(), b.w.end());
  }
  return points;
}

double parse_positive_metres(std::string_view where, std::string_view key, std::string_view value) {
  double v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v) || !(v > 0))
    throw InvalidArgument(
        fmt::format("{}: {}={} is not a positive number in metres", where, key, value));
  return v;
}

std::string method_number(double v) {
  return fmt::format("{}", v);
}

}  // namespace hotspots
