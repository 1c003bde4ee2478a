// SPDX-License-Identifier: MIT
// Patrol places (select_patrol_places). Workload: `incidents` over 12 months snapped to `points`
// fixed map points (as police.uk does) in a 10 km square, 70 % uniform and 30 % in 20 Gaussian hot
// spots (sd 300 m), seeded; default rules (150 m, 300 m apart, 36 a place) and no budget, so the
// greedy runs to the minimum. Time is the whole call: distinct points, neighbours within the
// radius, lazy greedy and the places' figures. BM_PatrolPlaces/<incidents>/<points>.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "hotspots/tables/patrol_places.hpp"

namespace {

hotspots::Incidents snapped(std::int64_t n, std::int64_t points, std::uint64_t seed) {
  std::mt19937_64 rng(seed);  // timing only: std distributions are fine here
  std::uniform_real_distribution<double> u(0.0, 10'000.0);
  std::normal_distribution<double> g(0.0, 300.0);
  // Map points on a 25 m lattice; incidents snap to the nearest lattice point that is a map point
  // (a grid lookup: the set-up must stay cheap at 10^6 incidents).
  const std::int64_t side = 400;
  std::vector<std::uint8_t> is_point(static_cast<std::size_t>(side * side), 0);
  for (std::int64_t k = 0; k < points; ++k)
    is_point[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(side * side))] = 1;
  std::vector<std::pair<double, double>> hot(20);
  for (auto& h : hot) h = {u(rng), u(rng)};
  hotspots::Incidents inc;
  for (std::int64_t i = 0; i < n; ++i) {
    double x = u(rng), y = u(rng);
    if (i % 10 < 3) {
      const auto& h = hot[static_cast<std::size_t>(rng() % hot.size())];
      x = std::clamp(h.first + g(rng), 0.0, 9'999.0);
      y = std::clamp(h.second + g(rng), 0.0, 9'999.0);
    }
    auto c = static_cast<std::int64_t>(x / 25), r = static_cast<std::int64_t>(y / 25);
    // Walk to the next map point in row-major order (any deterministic snap will do).
    std::int64_t idx = r * side + c;
    while (!is_point[static_cast<std::size_t>(idx)]) idx = (idx + 1) % (side * side);
    inc.append(12.5 + 25.0 * static_cast<double>(idx % side),
               12.5 + 25.0 * static_cast<double>(idx / side), 1.0,
               hotspots::Date{2021 * 12 + static_cast<std::int32_t>(i % 12), 0, -1}, -1, 0, 0);
  }
  return inc;
}

void BM_PatrolPlaces(benchmark::State& state) {
  const hotspots::Incidents inc = snapped(state.range(0), state.range(1), 7);
  hotspots::PatrolPlaceOptions o;
  std::size_t places = 0;
  for (auto _ : state) {
    const auto r = hotspots::select_patrol_places(inc, 12, 100.0, o);
    places = r.places.size();
    benchmark::DoNotOptimize(places);
  }
  state.counters["places"] = static_cast<double>(places);
}
BENCHMARK(BM_PatrolPlaces)
    ->Args({20'000, 3'000})
    ->Args({100'000, 15'000})
    ->Args({1'000'000, 60'000})
    ->Unit(benchmark::kMillisecond);

}  // namespace
