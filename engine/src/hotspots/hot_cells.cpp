// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/hot_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "hotspots/core/error.hpp"

namespace hotspots {

std::vector<std::uint8_t> select_hot_cells(const Raster& surface, HotRule rule, double parameter) {
  const std::vector<double>& v = surface.values;
  if (v.size() != static_cast<std::size_t>(surface.grid.cell_count()))
    throw InvalidArgument(fmt::format("select_hot_cells: {} values for a {} x {} grid", v.size(),
                                      surface.grid.cols, surface.grid.rows));
  double cut = 0;
  switch (rule) {
    case HotRule::top_percent:
    case HotRule::top_percent_near_data: {
      if (!(parameter > 0 && parameter <= 100))
        throw InvalidArgument(
            fmt::format("top percent must be above 0 and at most 100, got {}", parameter));
      std::vector<double> live;
      live.reserve(v.size());
      const bool near_data = rule == HotRule::top_percent_near_data;
      for (double x : v)
        if (near_data ? x > 0 : !std::isnan(x)) live.push_back(x);
      if (live.empty()) return std::vector<std::uint8_t>(v.size(), 0);
      const double target = parameter * static_cast<double>(live.size()) / 100.0;
      const double nearest = std::round(target);
      const double k_d =
          std::abs(target - nearest) <= 1e-9 * std::max(1.0, target) ? nearest : std::ceil(target);
      const auto k = std::clamp<std::size_t>(static_cast<std::size_t>(k_d), 1, live.size());
      std::nth_element(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(k - 1), live.end(),
                       std::greater<>());
      cut = live[k - 1];
      break;
    }
    case HotRule::threshold:
      if (!std::isfinite(parameter))
        throw InvalidArgument(fmt::format("threshold must be a finite number, got {}", parameter));
      cut = parameter;
      break;
    case HotRule::mean_sd: {
      if (!std::isfinite(parameter))
        throw InvalidArgument(
            fmt::format("the SD multiplier k must be a finite number, got {}", parameter));
      double n = 0, sum = 0;
      for (double x : v)
        if (!std::isnan(x) && x != 0) {
          n += 1;
          sum += x;
        }
      if (n == 0) return std::vector<std::uint8_t>(v.size(), 0);
      const double mean = sum / n;
      double ss = 0;
      for (double x : v)
        if (!std::isnan(x) && x != 0) ss += (x - mean) * (x - mean);
      cut = mean + parameter * std::sqrt(ss / n);
      break;
    }
  }
  std::vector<std::uint8_t> hot(v.size(), 0);
  // NaN compares false, so `x >= cut` never selects nodata.
  for (std::size_t i = 0; i < v.size(); ++i) hot[i] = v[i] > 0 && v[i] >= cut ? 1 : 0;
  return hot;
}

}  // namespace hotspots
