// SPDX-License-Identifier: MIT
#include "hotspots/stats/nearest_neighbour.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "hotspots/core/error.hpp"

namespace hotspots {

std::vector<double> nearest_neighbour_distances(std::span<const double> x,
                                                std::span<const double> y) {
  if (x.size() != y.size())
    throw InvalidArgument(
        fmt::format("nearest_neighbour_distances: {} x but {} y coordinates", x.size(), y.size()));
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InvalidArgument(
          fmt::format("nearest_neighbour_distances: point {} has a non-finite coordinate", i));
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(x[a], y[a]) < std::pair(x[b], y[b]);
  });
  std::vector<double> best2(n, std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    double b = best2[i];
    const auto visit = [&](std::size_t j) {
      const double dx = x[j] - x[i];
      const double dy = y[j] - y[i];
      const double d2 = dx * dx + dy * dy;
      if (d2 > 0 && d2 < b) b = d2;
    };
    for (std::size_t m = k + 1; m < n; ++m) {
      const double dx = x[order[m]] - x[i];
      if (dx * dx > b) break;
      visit(order[m]);
    }
    for (std::size_t m = k; m-- > 0;) {
      const double dx = x[i] - x[order[m]];
      if (dx * dx > b) break;
      visit(order[m]);
    }
    best2[i] = b;
  }
  for (double& d : best2) d = std::sqrt(d);
  return best2;
}

NearestNeighbourScale nearest_neighbour_scale(std::span<const double> x,
                                              std::span<const double> y) {
  if (x.size() != y.size())
    throw InvalidArgument(
        fmt::format("nearest_neighbour_scale: {} x but {} y coordinates", x.size(), y.size()));
  std::vector<std::pair<double, double>> loc(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) loc[i] = {x[i], y[i]};
  std::sort(loc.begin(), loc.end());
  loc.erase(std::unique(loc.begin(), loc.end()), loc.end());
  if (loc.size() < 2)
    throw InvalidArgument(fmt::format(
        "the nearest-neighbour scale needs at least 2 distinct locations, got {}", loc.size()));
  std::vector<double> lx(loc.size()), ly(loc.size());
  for (std::size_t i = 0; i < loc.size(); ++i) lx[i] = loc[i].first, ly[i] = loc[i].second;
  const std::vector<double> d = nearest_neighbour_distances(lx, ly);

  NearestNeighbourScale s;
  s.locations = static_cast<std::int64_t>(d.size());
  const double n = static_cast<double>(d.size());
  const double mean_all = std::accumulate(d.begin(), d.end(), 0.0) / n;
  double ss = 0;
  for (double v : d) ss += (v - mean_all) * (v - mean_all);
  s.outlier_cut_m = mean_all + 3.0 * std::sqrt(ss / n);
  std::vector<double> kept;
  kept.reserve(d.size());
  for (double v : d)
    if (v <= s.outlier_cut_m) kept.push_back(v);
  s.outliers = s.locations - static_cast<std::int64_t>(kept.size());
  std::sort(kept.begin(), kept.end());
  s.mean_m = std::accumulate(kept.begin(), kept.end(), 0.0) / static_cast<double>(kept.size());
  const std::size_t m = kept.size();
  s.median_m = m % 2 == 1 ? kept[m / 2] : 0.5 * (kept[m / 2 - 1] + kept[m / 2]);
  s.max_m = kept.back();
  return s;
}

}  // namespace hotspots
