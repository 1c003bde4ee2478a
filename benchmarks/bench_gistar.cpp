// SPDX-License-Identifier: MIT
// Gi* on a regular grid (gistar_grid). Workload: a square grid of `side` x `side` 10 m cells
// holding Poisson counts (mean 0.3 background, 3 in a few hot squares, seeded), no nodata, and
// a distance band of `band_cells` cells; the two cases match the peer harness's grids (800 x 800
// at C = 50 m and 4000 x 4000 at C = 10 m). Time is the whole call: prefix sums, moments,
// stencil sums, z, p and bins. Counters: cells per second and stencil rows (2K + 1).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>

#include "hotspots/gistar.hpp"

namespace {

hotspots::Raster poisson_grid(std::int64_t side, std::uint64_t seed) {
  const hotspots::GridSpec g{440000.0, 325000.0, 10.0, side, side};
  hotspots::Raster r(g);
  std::mt19937_64 rng(seed);  // timing only: std distributions are fine here
  std::poisson_distribution<int> background(0.3);
  std::poisson_distribution<int> hot(3.0);
  for (std::int64_t row = 0; row < side; ++row)
    for (std::int64_t col = 0; col < side; ++col) {
      const bool in_hot = (row / 64 + col / 80) % 7 == 0;
      r.at(row, col) = in_hot ? hot(rng) : background(rng);
    }
  return r;
}

void BM_GiStarGrid(benchmark::State& state) {
  const std::int64_t side = state.range(0);
  const double band_m = 10.0 * static_cast<double>(state.range(1));
  const hotspots::Raster r = poisson_grid(side, 42);
  for (auto _ : state) {
    hotspots::GiStarResult out = hotspots::gistar_grid(r, band_m);
    benchmark::DoNotOptimize(out.z.data());
    benchmark::ClobberMemory();
  }
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(side * side),
                                                     benchmark::Counter::kIsIterationInvariantRate);
  state.counters["stencil_rows"] = static_cast<double>(2 * state.range(1) + 1);
}

BENCHMARK(BM_GiStarGrid)
    ->Args({800, 5})
    ->Args({4000, 10})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
