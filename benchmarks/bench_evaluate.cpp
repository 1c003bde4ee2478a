// SPDX-License-Identifier: MIT
// The rolling-origin backtest (evaluate_methods). Workload: `points` incidents a month snapped to
// 3,000 fixed map points (as police.uk does), 70 % uniform over a square of `side` x `side`
// 100 m cells and 30 % in 20 Gaussian hot spots (sd 150 m), seeded, over 36 months; train 12,
// test 1 (24 origins) and the six methods of benchmarks/evaluate_real.sh. Time is the whole call:
// month binning, window counts, every fit and the scores at 0.5/1/2/5 %.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "hotspots/workflows/evaluate.hpp"

namespace {

hotspots::Incidents snapped_incidents(std::int64_t side, std::int64_t per_month,
                                      std::uint64_t seed) {
  std::mt19937_64 rng(seed);  // timing only: std distributions are fine here
  const double extent = 100.0 * static_cast<double>(side);
  std::uniform_real_distribution<double> u(0.0, extent);
  std::normal_distribution<double> n(0.0, 150.0);
  std::vector<std::pair<double, double>> map_points(3000), hot(20);
  for (auto& p : map_points) p = {u(rng), u(rng)};
  for (auto& p : hot) p = {u(rng), u(rng)};
  hotspots::Incidents inc;
  for (std::int32_t m = 0; m < 36; ++m)
    for (std::int64_t i = 0; i < per_month; ++i) {
      double x = u(rng), y = u(rng);
      if (i % 10 < 3) {
        const auto& h = hot[static_cast<std::size_t>(rng() % hot.size())];
        x = std::clamp(h.first + n(rng), 0.0, extent - 1);
        y = std::clamp(h.second + n(rng), 0.0, extent - 1);
      }
      // Snap to the nearest map point (brute force; set-up only).
      std::size_t best = 0;
      double d_best = INFINITY;
      for (std::size_t k = 0; k < map_points.size(); ++k) {
        const double d = std::hypot(map_points[k].first - x, map_points[k].second - y);
        if (d < d_best) {
          d_best = d;
          best = k;
        }
      }
      inc.append(map_points[best].first, map_points[best].second, 1.0,
                 hotspots::Date{2020 * 12 + m, 0, -1}, -1, 0, 0);
    }
  return inc;
}

void BM_Evaluate(benchmark::State& state) {
  const std::int64_t side = state.range(1);
  const hotspots::Incidents inc = snapped_incidents(side, state.range(0), 42);
  const hotspots::GridSpec grid{0.0, 100.0 * static_cast<double>(side), 100.0, side, side};
  hotspots::EvaluateOptions o;
  o.methods = hotspots::parse_method_specs(
      "kde:radius=150,kde:radius=300,kde:radius=600,gistar:band=500,counts,last");
  for (auto _ : state) {
    const hotspots::EvaluateResult r = hotspots::evaluate_methods(inc, grid, nullptr, o);
    benchmark::DoNotOptimize(r.rows.data());
  }
  state.counters["fits"] = 24 * 6;
}

}  // namespace

// 1,000 incidents a month on 500 x 500 cells (the scale of one force's ASB on 100 m cells).
BENCHMARK(BM_Evaluate)->Args({1000, 500})->Unit(benchmark::kMillisecond)->UseRealTime();
