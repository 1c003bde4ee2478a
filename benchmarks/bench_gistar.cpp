// SPDX-License-Identifier: MIT
// Gi* on a regular grid (gistar_grid). Workload: a square grid of `side` x `side` 10 m cells
// holding Poisson counts (mean 0.3 background, 3 in a few hot squares, seeded), no nodata, and
// a distance band of `band_cells` cells; the two cases match the peer harness's grids (800 x 800
// at C = 50 m and 4000 x 4000 at C = 10 m). Time is the whole call: prefix sums, moments,
// stencil sums, z, p and bins. Counters: cells per second and stencil rows (2K + 1).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/units/hex_grid.hpp"

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

// Local Moran's I (local_moran) on the same `side` x `side` Poisson grid as BM_GiStarGrid, queen
// contiguity (3, 5 or 8 neighbours), `perms` conditional permutations. Compare with
// BM_GiStarGrid/800/5 (the Gi*-only run on the same cells, issue #15). The contiguity lists are
// built once outside the timed loop (the command builds them in ~0.1 s); time is local_moran
// alone: I, quadrants, analytic moments and the permutation p-values.
void BM_LocalMoranGrid(benchmark::State& state) {
  const std::int64_t side = state.range(0);
  const hotspots::Raster r = poisson_grid(side, 42);
  hotspots::CellMask mask;
  mask.grid = r.grid;
  mask.inside.assign(static_cast<std::size_t>(side * side), 1);
  const hotspots::GridNeighbours g =
      hotspots::grid_contiguity_neighbours(mask, hotspots::Contiguity::queen);
  hotspots::LocalMoranOptions o;
  o.permutations = static_cast<int>(state.range(1));
  for (auto _ : state) {
    hotspots::LocalMoranResult out = hotspots::local_moran(r.values, g.neighbours, o);
    benchmark::DoNotOptimize(out.p_sim.data());
    benchmark::ClobberMemory();
  }
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(side * side),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_LocalMoranGrid)
    ->Args({800, 99})
    ->Args({800, 999})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Gi* on hexagons (compute_gistar_units, no local Moran's I): a `side` x `side` window of 10 m
// hexagons with the same Poisson counts, a band of `band` centre spacings. Time covers the
// lattice-stencil band neighbours (hex_band_neighbours, as `gistar --grid hex` uses), the 6-edge
// contiguity and Gi*.
void BM_GiStarHex(benchmark::State& state) {
  const std::int64_t side = state.range(0);
  const auto band = static_cast<double>(state.range(1));
  const hotspots::HexGridSpec g = hotspots::hex_grid_over_extent(
      hotspots::Extent{440000, 325000, 440000 + 10.0 * static_cast<double>(side),
                       325000 + 8.66 * static_cast<double>(side)},
      10.0);
  const hotspots::Raster counts = poisson_grid(std::max(g.rows, g.cols), 42);
  std::vector<std::int64_t> cells;
  std::vector<double> x, y, v;
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c) {
      cells.push_back(g.index(r, c));
      x.push_back(g.centre_x(r, c));
      y.push_back(g.centre_y(r));
      v.push_back(counts.at(r, c));
    }
  hotspots::GiStarUnitsOptions o;
  o.permutations = 0;
  for (auto _ : state) {
    const hotspots::Neighbours adj = hotspots::hex_edge_neighbours(g, cells);
    const hotspots::Neighbours nb = hotspots::hex_band_neighbours(g, cells, 10.0 * band);
    hotspots::GiStarUnits out = hotspots::compute_gistar_units(v, x, y, adj, o, &nb);
    benchmark::DoNotOptimize(out.gi.z.data());
    benchmark::ClobberMemory();
  }
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(cells.size()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_GiStarHex)
    ->Args({300, 5})
    ->Args({800, 5})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
