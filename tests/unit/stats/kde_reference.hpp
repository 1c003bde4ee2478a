// SPDX-License-Identifier: MIT
#pragma once
// What the KDE tests (kde_test.cpp, kernels_test.cpp) share: an independent brute-force
// evaluator, seeded random incidents and comparisons of rasters.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <variant>

#include "hotspots/stats/kde.hpp"
#include "support/test_rng.hpp"

namespace hotspots::testing {

// Independent brute-force KDE: every point against every cell centre, support d <= h, the
// kernel from its trait's textbook `profile(u)` and `constant` (written out as formulas, not the
// split into row and column terms that the engine's cell loop uses; kernels_test.cpp checks the
// six built-in traits against formulas written there), then the output scaling.
template <class K>
double brute_kernel(double d, double h, OutputValue out) {
  if (d > h) return 0.0;
  const double profile = K::profile(d / h);
  return out == OutputValue::raw ? profile : K::constant * profile / (h * h);  // per m²
}

inline Raster brute_force(const WeightedPoints& p, const GridSpec& g, const KdeOptions& o) {
  Raster r(g);
  std::visit(
      [&]<class K>(const K&) {
        for (std::int64_t row = 0; row < g.rows; ++row)
          for (std::int64_t col = 0; col < g.cols; ++col) {
            double sum = 0;
            for (std::size_t i = 0; i < p.x.size(); ++i) {
              const double dx = g.centre_x(col) - p.x[i];
              const double dy = g.centre_y(row) - p.y[i];
              // Same squared-distance expression as the engine, so that both decide d <= h alike.
              const double d = std::sqrt(dx * dx + dy * dy);
              sum += (p.w.empty() ? 1.0 : p.w[i]) * brute_kernel<K>(d, o.radius_m, o.output);
            }
            if (o.output == OutputValue::density) sum *= 1e6;
            if (o.output == OutputValue::count) sum *= g.cell_size_m * g.cell_size_m;
            r.at(row, col) = sum;
          }
      },
      o.kernel);
  return r;
}

// max |a − b| over cells / max |b|: the error relative to the field's peak (per-cell relative
// error is meaningless at the fringe of the support, where values tend to 0).
inline double max_rel_to_peak(const Raster& a, const Raster& b) {
  double peak = 0, diff = 0;
  for (std::size_t i = 0; i < b.values.size(); ++i) {
    peak = std::max(peak, std::abs(b.values[i]));
    diff = std::max(diff, std::abs(a.values[i] - b.values[i]));
  }
  return diff / peak;
}

inline double sum(const Raster& r) {
  double s = 0;
  for (double v : r.values) s += v;
  return s;
}

inline bool bit_identical(const Raster& a, const Raster& b) {
  if (a.values.size() != b.values.size()) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const double x = a.values[i], y = b.values[i];
    if (std::isnan(x) != std::isnan(y)) return false;
    if (!std::isnan(x) && std::memcmp(&x, &y, sizeof x) != 0) return false;
  }
  return true;
}

// n random points over `g` grown by `margin` (so some fall outside), ~30% exact duplicates,
// integer weights 1..4 when `weighted`.
inline WeightedPoints random_points(const GridSpec& g, std::size_t n, double margin, bool weighted,
                                    std::uint64_t seed) {
  TestRng rng(seed);
  WeightedPoints p;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && rng.uniform() < 0.3) {
      const auto j = static_cast<std::size_t>(rng.next() % i);
      p.x.push_back(p.x[j]);
      p.y.push_back(p.y[j]);
    } else {
      p.x.push_back(rng.uniform(g.xmin - margin, g.xmax() + margin));
      p.y.push_back(rng.uniform(g.ymin() - margin, g.ymax + margin));
    }
    if (weighted) p.w.push_back(static_cast<double>(1 + rng.next() % 4));
  }
  return p;
}

inline KdeOptions options(const Kernel& k, double radius_m,
                          OutputValue out = OutputValue::density) {
  KdeOptions o;
  o.kernel = k;
  o.radius_m = radius_m;
  o.output = out;
  return o;
}

}  // namespace hotspots::testing
