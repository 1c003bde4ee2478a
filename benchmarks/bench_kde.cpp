// SPDX-License-Identifier: MIT
// Kernel density (estimate_density), quartic, radius 500 m, over the peer harness's fixed 40 km
// square (x 440000–480000, y 285000–325000, EPSG:27700): 50 m cells (800 × 800) and 10 m cells
// (4000 × 4000). Points mimic /work/shared/peers/gen_points.py: 80 % "unique" rows = 65 % from 8
// Gaussian hotspots (sd 80–1200 m, the same centres and mixture weights) + 35 % uniform, then
// 20 % exact copies of random unique rows, coordinates rounded to 0.01 m, rows shuffled. Not the
// same numbers as the Python script (a different generator), the same shape of workload.
// Time is the whole call: validation, merging duplicates, splatting, scaling. Counters: items/s
// = incidents per second; `distinct` = distinct locations actually splatted.
// BM_Kde/<points>/<cells per side>. BM_KdeTiles: the same through for_each_density_tile (256-cell
// tiles, what `hotspots kde --surface` streams), the sink taking each tile and doing nothing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "hotspots/stats/kde.hpp"

namespace {

constexpr double kXmin = 440000.0, kXmax = 480000.0, kYmin = 285000.0, kYmax = 325000.0;

struct Cluster {
  double cx, cy, sd, weight;
};
constexpr std::array<Cluster, 8> kClusters = {{{458700.0, 304400.0, 250.0, 0.26},
                                               {459400.0, 305200.0, 80.0, 0.08},
                                               {457300.0, 303100.0, 400.0, 0.14},
                                               {461800.0, 307600.0, 600.0, 0.12},
                                               {454200.0, 300900.0, 350.0, 0.10},
                                               {466500.0, 297800.0, 500.0, 0.10},
                                               {451000.0, 312500.0, 1200.0, 0.12},
                                               {471200.0, 318300.0, 300.0, 0.08}}};

hotspots::WeightedPoints make_points(std::int64_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);  // timing only: std distributions are fine here
  const auto n_dup = static_cast<std::int64_t>(std::llround(0.20 * static_cast<double>(n)));
  const std::int64_t n_uni = n - n_dup;
  const auto n_hot = static_cast<std::int64_t>(std::llround(0.65 * static_cast<double>(n_uni)));
  std::array<double, kClusters.size()> w{};
  for (std::size_t i = 0; i < kClusters.size(); ++i) w[i] = kClusters[i].weight;
  std::discrete_distribution<std::size_t> pick(w.begin(), w.end());
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> ux(kXmin, kXmax), uy(kYmin, kYmax);
  const auto round2 = [](double v, double hi) {
    return std::min(std::round(v * 100.0) / 100.0, hi - 0.01);
  };
  hotspots::WeightedPoints p;
  p.x.reserve(static_cast<std::size_t>(n));
  p.y.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n_uni; ++i) {
    double x, y;
    if (i < n_hot) {
      const Cluster& c = kClusters[pick(rng)];
      do {  // rejection: keep hotspot points inside the square
        x = c.cx + c.sd * normal(rng);
        y = c.cy + c.sd * normal(rng);
      } while (x < kXmin || x >= kXmax || y < kYmin || y >= kYmax);
    } else {
      x = ux(rng);
      y = uy(rng);
    }
    p.x.push_back(round2(x, kXmax));
    p.y.push_back(round2(y, kYmax));
  }
  std::uniform_int_distribution<std::int64_t> src(0, n_uni - 1);
  for (std::int64_t i = 0; i < n_dup; ++i) {
    const auto j = static_cast<std::size_t>(src(rng));
    p.x.push_back(p.x[j]);
    p.y.push_back(p.y[j]);
  }
  for (std::size_t i = p.x.size(); i > 1; --i) {  // Fisher–Yates: duplicates not adjacent
    const auto j = static_cast<std::size_t>(rng() % i);
    std::swap(p.x[i - 1], p.x[j]);
    std::swap(p.y[i - 1], p.y[j]);
  }
  return p;
}

const hotspots::WeightedPoints& points(std::int64_t n) {
  static std::map<std::int64_t, hotspots::WeightedPoints> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, make_points(n, 42)).first;
  return it->second;
}

// The bench's side x side grid over the points' square, and its quartic kernel of 500 m.
hotspots::GridSpec bench_grid(std::int64_t side) {
  const double cell = (kXmax - kXmin) / static_cast<double>(side);
  return {kXmin, kYmax, cell, side, side};
}

hotspots::KdeOptions bench_options() {
  hotspots::KdeOptions o;
  o.kernel = hotspots::kernels::Quartic{};
  o.radius_m = 500.0;
  return o;
}

void BM_Kde(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::int64_t side = state.range(1);
  const hotspots::WeightedPoints& p = points(n);
  const hotspots::GridSpec g = bench_grid(side);
  const hotspots::KdeOptions o = bench_options();
  for (auto _ : state) {
    hotspots::Raster r = hotspots::estimate_density(p, g, o);
    benchmark::DoNotOptimize(r.values.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
  std::vector<std::pair<double, double>> xy;
  for (std::size_t i = 0; i < p.x.size(); ++i) xy.emplace_back(p.x[i], p.y[i]);
  std::sort(xy.begin(), xy.end());
  state.counters["distinct"] = static_cast<double>(std::unique(xy.begin(), xy.end()) - xy.begin());
  state.counters["cell_m"] = g.cell_size_m;
}

BENCHMARK(BM_Kde)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {800, 4000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_KdeTiles(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::int64_t side = state.range(1);
  const hotspots::WeightedPoints& p = points(n);
  const hotspots::GridSpec g = bench_grid(side);
  const hotspots::KdeOptions o = bench_options();
  hotspots::DensityTiling tiling;
  tiling.tile_cells = 256;
  for (auto _ : state) {
    double first = 0;
    hotspots::for_each_density_tile(p, g, o, tiling, nullptr,
                                    [&](const hotspots::DensityTile& t) { first += t.values[0]; });
    benchmark::DoNotOptimize(first);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_KdeTiles)
    ->ArgsProduct({{1'000'000}, {800, 4000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
