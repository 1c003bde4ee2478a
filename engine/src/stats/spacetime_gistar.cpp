// SPDX-License-Identifier: MIT
#include "hotspots/stats/spacetime_gistar.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
  double m = 0;     // number of bins in the window
  double mean = 0;  // x̄
  double sd = 0;    // population SD
};

Moments moments(const double* first, std::size_t count) {
  Moments mo;
  mo.m = static_cast<double>(count);
  double sum = 0;
  for (std::size_t k = 0; k < count; ++k) sum += first[k];
  mo.mean = sum / mo.m;
  double ss = 0;
  for (std::size_t k = 0; k < count; ++k) ss += (first[k] - mo.mean) * (first[k] - mo.mean);
  mo.sd = std::sqrt(ss / mo.m);
  return mo;
}

}  // namespace

void SpaceTimeCube::validate() const {
  if (unit_count < 2)
    throw InvalidArgument(
        fmt::format("space-time cube: unit_count must be at least 2, got {}", unit_count));
  if (step_count < 1)
    throw InvalidArgument("space-time cube: step_count must be at least 1, got 0");
  if (values.size() != unit_count * step_count)
    throw InvalidArgument(fmt::format(
        "space-time cube: values holds {} bins, expected unit_count x step_count = {} x {} = {}",
        values.size(), unit_count, step_count, unit_count * step_count));
  for (std::size_t k = 0; k < values.size(); ++k)
    if (!std::isfinite(values[k]))
      throw InvalidArgument(fmt::format(
          "space-time cube: values of unit {} at step {} is {} (bins must be finite; empty bins "
          "are 0)",
          k % unit_count, k / unit_count, values[k]));
}

void SpaceTimeGiStarOptions::validate() const {
  if (time_lags < 0)
    throw InvalidArgument(
        fmt::format("space-time Gi*: time_lags must be 0 or more, got {}", time_lags));
}

SpaceTimeGiStarResult spacetime_gistar(const SpaceTimeCube& cube, const Neighbours& neighbours,
                                       const SpaceTimeGiStarOptions& options) {
  cube.validate();
  options.validate();
  neighbours.validate(cube.unit_count);
  const std::size_t units = cube.unit_count;
  const std::size_t steps = cube.step_count;
  const auto lags = static_cast<std::size_t>(options.time_lags);

  std::size_t max_list = 0;
  for (const auto& list : neighbours.lists) max_list = std::max(max_list, list.size());
  const double max_w =
      static_cast<double>(max_list + 1) * static_cast<double>(std::min(lags, steps - 1) + 1);
  if (max_w > static_cast<double>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidArgument(fmt::format(
        "space-time Gi*: a neighbourhood would hold {} bins, more than the limit of 2^31 - 1",
        max_w));

  // Spatial sums per slice: s[t·units + i] = x_it + Σ_{j ∈ N_i} x_jt (list order).
  std::vector<double> spatial(units * steps);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, steps), [&](const auto& range) {
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      const double* slice = cube.values.data() + t * units;
      double* out = spatial.data() + t * units;
      for (std::size_t i = 0; i < units; ++i) {
        double s = slice[i];
        for (const std::int32_t j : neighbours.lists[i]) s += slice[j];
        out[i] = s;
      }
    }
  });

  std::vector<Moments> window;  // one per slice, or a single one for the cube
  if (options.global_window == GlobalWindow::cube) {
    window.push_back(moments(cube.values.data(), cube.values.size()));
  } else {
    window.resize(steps);
    for (std::size_t t = 0; t < steps; ++t)
      window[t] = moments(cube.values.data() + t * units, units);
  }

  SpaceTimeGiStarResult r;
  r.unit_count = units;
  r.step_count = steps;
  r.z.assign(units * steps, kNaN);
  r.p.assign(units * steps, kNaN);
  r.bin.assign(units * steps, 0);
  r.n_neighbors.assign(units * steps, 0);

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, units), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const double spatial_w = static_cast<double>(neighbours.lists[i].size() + 1);
      for (std::size_t t = 0; t < steps; ++t) {
        const std::size_t first = t >= lags ? t - lags : 0;
        double sum = 0;
        for (std::size_t u = t + 1; u-- > first;) sum += spatial[u * units + i];  // t, t−1, …
        const double w = spatial_w * static_cast<double>(t - first + 1);
        const Moments& mo = window.size() == 1 ? window[0] : window[t];
        const double var_w = (mo.m * w - w * w) / (mo.m - 1);
        double z = kNaN;
        if (mo.sd > 0 && var_w > 0) z = (sum - mo.mean * w) / (mo.sd * std::sqrt(var_w));
        const std::size_t k = t * units + i;
        r.z[k] = z;
        r.p[k] = std::isnan(z) ? kNaN : two_sided_normal_p(z);
        r.bin[k] = confidence_bin(z, r.p[k]);
        r.n_neighbors[k] = static_cast<std::int32_t>(w);
      }
    }
  });
  if (options.fdr) r.bin = fdr_bins(r.z, r.p);
  return r;
}

}  // namespace hotspots
