// SPDX-License-Identifier: MIT
#include "hotspots/stats/incremental_autocorrelation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/nearest_neighbour.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The moments of Moran's I from its sums (formulas in the header). n = features with neighbours.
GlobalMoran moran_from_sums(double n, std::int64_t no_neighbours, double zz, double z4, double num,
                            double s0, double s1, double s2) {
  GlobalMoran m;
  m.n = static_cast<std::int64_t>(n);
  m.no_neighbours = no_neighbours;
  m.i = (n / s0) * (num / zz);
  m.expected_i = -1.0 / (n - 1.0);
  const double b2 = n * z4 / (zz * zz);
  const double s02 = s0 * s0;
  const double n2 = n * n;
  const double left = n * ((n2 - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s02);
  const double right = b2 * ((n2 - n) * s1 - 2.0 * n * s2 + 6.0 * s02);
  const double ei2 = (left - right) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s02);
  m.variance = ei2 - m.expected_i * m.expected_i;
  if (m.variance > 0 && std::isfinite(m.variance)) {
    m.z = (m.i - m.expected_i) / std::sqrt(m.variance);
    m.p = std::erfc(std::fabs(m.z) / std::sqrt(2.0));
  } else {
    m.z = kNaN;
    m.p = kNaN;
  }
  return m;
}

struct Deviations {
  std::vector<double> z;
  double zz = 0;
  double z4 = 0;
};

Deviations deviations(std::span<const double> values, const char* what) {
  Deviations d;
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      throw InvalidArgument(fmt::format("{}: value {} is not finite", what, i));
    sum += values[i];
  }
  const double mean = sum / static_cast<double>(values.size());
  d.z.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    d.z[i] = values[i] - mean;
    d.zz += d.z[i] * d.z[i];
    d.z4 += d.z[i] * d.z[i] * d.z[i] * d.z[i];
  }
  if (!(d.zz > 0))
    throw InvalidArgument(
        fmt::format("{}: the values do not vary (all {}), so Moran's I is undefined", what,
                    values.empty() ? 0 : values[0]));
  return d;
}

void check_points(std::span<const double> x, std::span<const double> y, const char* what) {
  if (x.size() != y.size())
    throw InvalidArgument(fmt::format("{}: {} x but {} y coordinates", what, x.size(), y.size()));
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InvalidArgument(fmt::format("{}: point {} has a non-finite coordinate", what, i));
}

}  // namespace

GlobalMoran global_moran(std::span<const double> values, const Neighbours& neighbours) {
  const std::size_t n_all = values.size();
  neighbours.validate(n_all);
  const Deviations d = deviations(values, "global_moran");
  std::vector<double> w(n_all, 0.0);  // 1 / k_i, 0 without neighbours
  std::int64_t n = 0;
  for (std::size_t i = 0; i < n_all; ++i)
    if (!neighbours.lists[i].empty()) {
      w[i] = 1.0 / static_cast<double>(neighbours.lists[i].size());
      ++n;
    }
  if (n < 4)
    throw InvalidArgument(fmt::format(
        "global_moran: {} features have neighbours; Moran's I's variance needs at least 4", n));
  const auto lists_j_has_i = [&](std::size_t j, std::int32_t i) {
    const auto& l = neighbours.lists[j];
    if (std::is_sorted(l.begin(), l.end())) return std::binary_search(l.begin(), l.end(), i);
    return std::find(l.begin(), l.end(), i) != l.end();
  };
  double num = 0;
  double s1_twice = 0;
  std::vector<double> col(n_all, 0.0);
  for (std::size_t i = 0; i < n_all; ++i) {
    double lag = 0;
    for (const std::int32_t j32 : neighbours.lists[i]) {
      const auto j = static_cast<std::size_t>(j32);
      lag += d.z[j];
      col[j] += w[i];
      if (lists_j_has_i(j, static_cast<std::int32_t>(i))) {
        const double s = w[i] + w[j];
        s1_twice += s * s;  // (j, i) adds the same from j's list
      } else {
        s1_twice += 2.0 * w[i] * w[i];  // (i, j) and (j, i), w_ji = 0
      }
    }
    num += d.z[i] * w[i] * lag;
  }
  double s2 = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    const double t = (w[i] > 0 ? 1.0 : 0.0) + col[i];
    s2 += t * t;
  }
  const auto nd = static_cast<double>(n);
  return moran_from_sums(nd, static_cast<std::int64_t>(n_all) - n, d.zz, d.z4, num, nd,
                         0.5 * s1_twice, s2);
}

void IncrementalAutocorrelationOptions::validate() const {
  if (distances < 2 || distances > 30)
    throw InvalidArgument(fmt::format("distances must be 2..30, got {}", distances));
  if (!(start_m >= 0) || !std::isfinite(start_m))
    throw InvalidArgument(fmt::format("start_m must be >= 0 and finite, got {}", start_m));
  if (!(increment_m >= 0) || !std::isfinite(increment_m))
    throw InvalidArgument(fmt::format("increment_m must be >= 0 and finite, got {}", increment_m));
  if (!(outlier_sd > 0) || !std::isfinite(outlier_sd))
    throw InvalidArgument(fmt::format("outlier_sd must be > 0 and finite, got {}", outlier_sd));
  if (!std::isfinite(peak_z_min))
    throw InvalidArgument(fmt::format("peak_z_min must be finite, got {}", peak_z_min));
}

MoranPeaks moran_peaks(std::span<const double> z, double level) {
  MoranPeaks p;
  bool gone_up = false;
  for (std::size_t c = 0; c + 1 < z.size(); ++c) {
    const double diff = z[c + 1] - z[c];
    if (diff > 0) gone_up = true;
    if (diff < 0 && gone_up && z[c] > level) {
      if (p.first < 0) p.first = static_cast<int>(c);
      if (p.max < 0 || z[c] > z[static_cast<std::size_t>(p.max)]) p.max = static_cast<int>(c);
    }
  }
  return p;
}

double standard_distance(std::span<const double> x, std::span<const double> y) {
  check_points(x, y, "standard_distance");
  if (x.empty()) throw InvalidArgument("standard_distance: no points");
  const auto n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sx = 0;
  double sy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += (x[i] - mx) * (x[i] - mx);
    sy += (y[i] - my) * (y[i] - my);
  }
  return std::sqrt(sx / n + sy / n);
}

IncrementalAutocorrelation incremental_autocorrelation(std::span<const double> values,
                                                       std::span<const double> x,
                                                       std::span<const double> y,
                                                       const IncrementalAutocorrelationOptions& o) {
  o.validate();
  check_points(x, y, "incremental_autocorrelation");
  if (values.size() != x.size())
    throw InvalidArgument(fmt::format("incremental_autocorrelation: {} values for {} points",
                                      values.size(), x.size()));
  const std::size_t n_all = x.size();
  if (n_all < 4)
    throw InvalidArgument(
        fmt::format("incremental_autocorrelation: {} points; at least 4 are needed", n_all));
  if (n_all > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidArgument("incremental_autocorrelation: too many points");
  const Deviations dev = deviations(values, "incremental_autocorrelation");

  IncrementalAutocorrelation r;
  r.features = static_cast<std::int64_t>(n_all);
  // Locational outliers by nearest-neighbour distance (ArcGIS LocationInfo, stdDeviations = 3).
  const std::vector<double> nn = nearest_neighbour_distances(x, y);
  double sum = 0;
  std::size_t count = 0;
  for (const double v : nn)
    if (v > 0 && std::isfinite(v)) {
      sum += v;
      ++count;
    }
  if (count == 0)
    throw InvalidArgument("incremental_autocorrelation: every point is at the same location");
  const double mean_all = sum / static_cast<double>(count);
  double ss = 0;
  for (const double v : nn)
    if (v > 0 && std::isfinite(v)) ss += (v - mean_all) * (v - mean_all);
  // A spread of rounding noise (a full fishnet: every distance is the cell size, up to the last
  // bits of the centres) is no spread: it must not make outliers of half the cells.
  double sd = std::sqrt(ss / static_cast<double>(count));
  if (sd <= 1e-9 * mean_all) sd = 0;
  double kept_sum = 0;
  std::size_t kept = 0;
  double kept_max = 0;
  r.outlier_cut_m = sd > 0 ? mean_all + o.outlier_sd * sd : std::numeric_limits<double>::infinity();
  for (const double v : nn) {
    if (!std::isfinite(v)) continue;
    if (sd > 0 && (v - mean_all) / sd >= o.outlier_sd) {
      ++r.outliers;
      continue;
    }
    kept_sum += v;
    ++kept;
    kept_max = std::max(kept_max, v);
  }
  r.mean_nn_m = kept_sum / static_cast<double>(kept);
  r.max_nn_m = kept_max;
  r.standard_distance_m = standard_distance(x, y);
  r.start_given = o.start_m > 0;
  r.increment_given = o.increment_m > 0;
  r.start_m = r.start_given ? o.start_m : r.max_nn_m * 1.0001;
  r.increment_m = r.increment_given ? o.increment_m : r.mean_nn_m;
  const int nd = o.distances;
  const double last = r.start_m + (nd - 1) * r.increment_m;
  if (!r.start_given && !r.increment_given && last > r.standard_distance_m &&
      r.start_m < r.standard_distance_m) {
    r.capped = true;
    r.increment_m = (r.standard_distance_m - r.start_m) / nd;
  }
  std::vector<double> cut(static_cast<std::size_t>(nd));
  std::vector<double> cut2(cut.size());
  for (int c = 0; c < nd; ++c) {
    cut[static_cast<std::size_t>(c)] = r.start_m + c * r.increment_m;
    cut2[static_cast<std::size_t>(c)] =
        cut[static_cast<std::size_t>(c)] * cut[static_cast<std::size_t>(c)];
  }
  const double reach = cut.back();

  // Bucket the points by the largest band: each point's neighbours lie in its 3 x 3 buckets.
  const double x0 = *std::min_element(x.begin(), x.end());
  const double y0 = *std::min_element(y.begin(), y.end());
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int32_t>> keyed(n_all);
  for (std::size_t i = 0; i < n_all; ++i)
    keyed[i] = {static_cast<std::int64_t>(std::floor((x[i] - x0) / reach)),
                static_cast<std::int64_t>(std::floor((y[i] - y0) / reach)),
                static_cast<std::int32_t>(i)};
  std::sort(keyed.begin(), keyed.end());
  // visit(i, f): f(j, first band index holding j) for every j != i within reach.
  const auto visit = [&](std::size_t i, auto&& f) {
    const auto bx = static_cast<std::int64_t>(std::floor((x[i] - x0) / reach));
    const auto by = static_cast<std::int64_t>(std::floor((y[i] - y0) / reach));
    for (std::int64_t ax = bx - 1; ax <= bx + 1; ++ax) {
      const auto lo = std::lower_bound(keyed.begin(), keyed.end(),
                                       std::tuple<std::int64_t, std::int64_t, std::int32_t>(
                                           ax, by - 1, std::numeric_limits<std::int32_t>::min()));
      for (auto it = lo; it != keyed.end() && std::get<0>(*it) == ax && std::get<1>(*it) <= by + 1;
           ++it) {
        const auto j = static_cast<std::size_t>(std::get<2>(*it));
        if (j == i) continue;
        const double dx = x[j] - x[i];
        const double dy = y[j] - y[i];
        const double d2 = dx * dx + dy * dy;
        if (d2 > cut2.back()) continue;
        const auto b =
            static_cast<std::size_t>(std::lower_bound(cut2.begin(), cut2.end(), d2) - cut2.begin());
        f(j, b);
      }
    }
  };
  const auto D = static_cast<std::size_t>(nd);
  std::vector<std::int32_t> k(n_all * D, 0);  // neighbours of i within band c
  for (std::size_t i = 0; i < n_all; ++i)
    visit(i, [&](std::size_t, std::size_t b) {
      for (std::size_t c = b; c < D; ++c) ++k[i * D + c];
    });
  std::vector<double> num(D, 0.0), s1(D, 0.0), col(n_all * D, 0.0);
  for (std::size_t i = 0; i < n_all; ++i)
    visit(i, [&](std::size_t j, std::size_t b) {
      for (std::size_t c = b; c < D; ++c) {
        const double wi = 1.0 / k[i * D + c];
        const double wj = 1.0 / k[j * D + c];
        num[c] += dev.z[i] * dev.z[j] * wi;
        s1[c] += (wi + wj) * (wi + wj);
        col[i * D + c] += wj;  // w_ji: band neighbours are symmetric
      }
    });
  for (std::size_t c = 0; c < D; ++c) {
    std::int64_t n = 0;
    double s2 = 0;
    for (std::size_t i = 0; i < n_all; ++i) {
      const bool has = k[i * D + c] > 0;
      n += has ? 1 : 0;
      const double t = (has ? 1.0 : 0.0) + col[i * D + c];
      s2 += t * t;
    }
    if (n < 4)
      throw InvalidArgument(fmt::format(
          "incremental_autocorrelation: at {:.1f} m only {} points have a neighbour; Moran's I "
          "needs at least 4",
          cut[c], n));
    const auto ndbl = static_cast<double>(n);
    r.series.push_back({cut[c], moran_from_sums(ndbl, static_cast<std::int64_t>(n_all) - n, dev.zz,
                                                dev.z4, num[c], ndbl, 0.5 * s1[c], s2)});
  }
  std::vector<double> zs;
  for (const MoranAtDistance& m : r.series) zs.push_back(m.moran.z);
  const MoranPeaks peaks = moran_peaks(zs, o.peak_z_min);
  r.first_peak = peaks.first;
  r.max_peak = peaks.max;
  return r;
}

KnnDistance knn_fallback_distance(const std::vector<double>& x, const std::vector<double>& y) {
  KnnDistance r;
  const auto n = static_cast<std::int64_t>(x.size());
  r.k = static_cast<int>(std::clamp<std::int64_t>(n * 5 / 100, 3, 30));
  if (n <= r.k)
    throw InvalidArgument(
        fmt::format("knn_fallback_distance: {} points; more than k = {} are needed", n, r.k));
  const Neighbours nb = knn_neighbours(x, y, r.k);
  double sum = 0;
  std::vector<double> d;
  for (std::size_t i = 0; i < x.size(); ++i) {
    d.clear();
    for (const std::int32_t j : nb.lists[i])
      d.push_back(
          std::hypot(x[static_cast<std::size_t>(j)] - x[i], y[static_cast<std::size_t>(j)] - y[i]));
    std::nth_element(d.begin(), d.begin() + (r.k - 1), d.end());
    sum += d[static_cast<std::size_t>(r.k - 1)];
  }
  r.mean_m = sum / static_cast<double>(n);
  const double sd = standard_distance(x, y);
  r.capped = r.mean_m > sd;
  r.distance_m = r.capped ? sd : r.mean_m;
  return r;
}

}  // namespace hotspots
