// SPDX-License-Identifier: MIT
#include "hotspots/stats/fdr.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

void check_probabilities(const std::vector<double>& p, const char* what) {
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1))
      throw InvalidArgument(
          fmt::format("{}: p[{}] = {} is not a probability in [0, 1]", what, i, p[i]));
}

}  // namespace

double two_sided_normal_p(double z) {
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

int confidence_bin(double z, double p) {
  if (!(p <= 0.10) || z == 0) return 0;
  const int level = p <= 0.01 ? 3 : (p <= 0.05 ? 2 : 1);
  return z > 0 ? level : -level;
}

std::vector<double> bh_adjust(const std::vector<double>& p) {
  check_probabilities(p, "bh_adjust");
  std::vector<std::size_t> order;
  order.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  // Descending p; ties keep input order (like R's order()). Tied p get equal adjusted values
  // anyway, so the tie order cannot show in the output.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  std::vector<double> out(p.size(), std::numeric_limits<double>::quiet_NaN());
  const auto m = static_cast<double>(order.size());
  double running = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < order.size(); ++t) {
    const auto rank = static_cast<double>(order.size() - t);  // 1-based ascending rank
    running = std::min(running, m / rank * p[order[t]]);      // R: cummin(n / i * p[o])
    out[order[t]] = std::min(1.0, running);
  }
  return out;
}

std::vector<int> fdr_bins(const std::vector<double>& z, const std::vector<double>& p) {
  if (z.size() != p.size())
    throw InvalidArgument(
        fmt::format("fdr_bins: z and p differ in length ({} and {})", z.size(), p.size()));
  check_probabilities(p, "fdr_bins");
  std::vector<double> sorted;
  sorted.reserve(p.size());
  for (const double v : p)
    if (!std::isnan(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  const auto m = static_cast<double>(sorted.size());

  // Critical p for each level (index 0: 99 %, 1: 95 %, 2: 90 %); −1 when nothing qualifies.
  constexpr std::array<double, 3> kAlpha{0.01, 0.05, 0.10};
  std::array<double, 3> critical{-1.0, -1.0, -1.0};
  for (std::size_t a = 0; a < kAlpha.size(); ++a)
    for (std::size_t k = sorted.size(); k >= 1; --k)
      if (sorted[k - 1] <= static_cast<double>(k) / m * kAlpha[a]) {
        critical[a] = sorted[k - 1];
        break;
      }

  std::vector<int> bins(p.size(), 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i]) || std::isnan(z[i]) || z[i] == 0) continue;
    int level = 0;
    if (p[i] <= critical[0])
      level = 3;
    else if (p[i] <= critical[1])
      level = 2;
    else if (p[i] <= critical[2])
      level = 1;
    bins[i] = z[i] > 0 ? level : -level;
  }
  return bins;
}

}  // namespace hotspots
