// SPDX-License-Identifier: MIT
#pragma once

// The space-time Gi* of a cube computed the textbook way, with the explicit dense weights
// matrix: the independent computation tests/unit/stats/spacetime_gistar_test.cpp and the
// emerging tests compare the engine with.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hotspots/stats/spacetime_gistar.hpp"

namespace hotspots::testing {

// Brute force: the explicit dense space-time weights matrix over all bins, w[a][b] with
// a = (i, t), b = (j, u): 1 if j ∈ {i} ∪ N_i and t − K <= u <= t. Then textbook Gi* with the
// window's moments (whole cube, or slice t with m = units).
struct Brute {
  std::vector<double> z;
  std::vector<double> w;
};

inline Brute brute_force(const SpaceTimeCube& c, const Neighbours& nb, int lags,
                         GlobalWindow window) {
  const std::size_t units = c.unit_count;
  const std::size_t bins = units * c.step_count;
  std::vector<std::vector<double>> w(bins, std::vector<double>(bins, 0.0));
  for (std::size_t t = 0; t < c.step_count; ++t)
    for (std::size_t i = 0; i < units; ++i)
      for (std::size_t u = 0; u < c.step_count; ++u)
        for (std::size_t j = 0; j < units; ++j) {
          const bool spatial =
              j == i || std::find(nb.lists[i].begin(), nb.lists[i].end(),
                                  static_cast<std::int32_t>(j)) != nb.lists[i].end();
          const bool temporal = u <= t && static_cast<long>(t - u) <= lags;
          if (spatial && temporal) w[t * units + i][u * units + j] = 1.0;
        }
  Brute out{std::vector<double>(bins), std::vector<double>(bins)};
  for (std::size_t a = 0; a < bins; ++a) {
    const std::size_t t = a / units;
    std::size_t lo = 0;
    std::size_t hi = bins;
    if (window == GlobalWindow::slice) {
      lo = t * units;
      hi = lo + units;
    }
    const double m = static_cast<double>(hi - lo);
    double mean = 0;
    for (std::size_t b = lo; b < hi; ++b) mean += c.values[b];
    mean /= m;
    double var = 0;
    for (std::size_t b = lo; b < hi; ++b) var += (c.values[b] - mean) * (c.values[b] - mean);
    const double sd = std::sqrt(var / m);
    double lx = 0;
    double wi = 0;
    double s1 = 0;
    for (std::size_t b = 0; b < bins; ++b) {
      lx += w[a][b] * c.values[b];
      wi += w[a][b];
      s1 += w[a][b] * w[a][b];
    }
    out.w[a] = wi;
    out.z[a] = (lx - mean * wi) / (sd * std::sqrt((m * s1 - wi * wi) / (m - 1)));
  }
  return out;
}

}  // namespace hotspots::testing
