// SPDX-License-Identifier: MIT
#include "hotspots/local_moran.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "hotspots/error.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna 2018), one stream per location.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t location) {
    // Hash (seed, location) into a splitmix64 state, then fill the 256-bit state from it, so
    // neighbouring locations get unrelated streams.
    std::uint64_t h = seed;
    std::uint64_t mix = splitmix64(h) ^ location;
    std::uint64_t sm = splitmix64(mix);
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, range), 0 < range <= 2^32 − 1: Lemire (2019) multiply-shift with
  // rejection, on the upper 32 bits of the generator output.
  std::uint32_t below(std::uint32_t range) {
    std::uint64_t m = (next() >> 32) * range;
    auto low = static_cast<std::uint32_t>(m);
    if (low < range) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-range) % range;
      while (low < threshold) {
        m = (next() >> 32) * range;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

struct Scratch {
  std::vector<std::uint8_t> taken;  // over the n − 1 other locations
  std::vector<std::uint32_t> drawn;
  std::vector<double> sums;  // per permutation: Σ of the drawn raw values
};

}  // namespace

void LocalMoranOptions::validate() const {
  if (permutations < 1)
    throw InvalidArgument(fmt::format(
        "local Moran's I: permutations must be at least 1 (999 is usual), got {}", permutations));
}

GridNeighbours grid_contiguity_neighbours(const CellMask& mask, Contiguity contiguity) {
  const GridSpec& g = mask.grid;
  if (g.rows < 0 || g.cols < 0 || mask.inside.size() != static_cast<std::size_t>(g.cell_count()))
    throw InvalidArgument(
        fmt::format("grid_contiguity_neighbours: mask has {} flags for a {} x {} grid",
                    mask.inside.size(), g.cols, g.rows));
  GridNeighbours out;
  std::vector<std::int32_t> location(mask.inside.size(), -1);
  for (std::size_t c = 0; c < mask.inside.size(); ++c) {
    if (!mask.inside[c]) continue;
    if (out.cells.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      throw InvalidArgument("grid_contiguity_neighbours: 2^31 or more cells inside the mask");
    location[c] = static_cast<std::int32_t>(out.cells.size());
    out.cells.push_back(static_cast<std::int64_t>(c));
  }
  const bool queen = contiguity == Contiguity::queen;
  out.neighbours.lists.resize(out.cells.size());
  for (std::size_t k = 0; k < out.cells.size(); ++k) {
    const std::int64_t r = out.cells[k] / g.cols;
    const std::int64_t c = out.cells[k] % g.cols;
    auto& list = out.neighbours.lists[k];
    // Row-major scan order = ascending location index.
    for (std::int64_t dr = -1; dr <= 1; ++dr)
      for (std::int64_t dc = -1; dc <= 1; ++dc) {
        if (dr == 0 && dc == 0) continue;
        if (!queen && dr != 0 && dc != 0) continue;
        if (!g.contains_cell(r + dr, c + dc)) continue;
        const std::int32_t j = location[g.index(r + dr, c + dc)];
        if (j >= 0) list.push_back(j);
      }
  }
  return out;
}

LocalMoranResult local_moran(const std::vector<double>& values, const Neighbours& neighbours,
                             const LocalMoranOptions& options) {
  options.validate();
  const std::size_t n = values.size();
  if (n < 2)
    throw InvalidArgument(fmt::format("local Moran's I: needs at least 2 locations, got {}", n));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i]))
      throw InvalidArgument(fmt::format(
          "local Moran's I: values[{}] is {}; leave locations outside the study area out", i,
          values[i]));
  neighbours.validate(n);

  LocalMoranResult out;
  out.local_i.assign(n, kNaN);
  out.quadrant.assign(n, 0);
  out.p_sim.assign(n, kNaN);
  out.z_sim.assign(n, kNaN);
  out.n_neighbors.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    out.n_neighbors[i] = static_cast<std::int32_t>(neighbours.lists[i].size());

  const auto nd = static_cast<double>(n);
  double sum = 0;
  for (const double v : values) sum += v;
  const double mean = sum / nd;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo == *hi) return out;  // m2 = 0: I undefined everywhere
  double ss = 0;
  for (const double v : values) ss += (v - mean) * (v - mean);
  const double m2 = ss / nd;

  const int perms = options.permutations;
  const auto others = static_cast<std::uint32_t>(n - 1);
  tbb::enumerable_thread_specific<Scratch> scratch([&] {
    Scratch s;
    s.taken.assign(n - 1, 0);
    s.sums.resize(static_cast<std::size_t>(perms));
    return s;
  });

  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& range) {
        Scratch& s = scratch.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const auto& list = neighbours.lists[i];
          if (list.empty()) {
            out.local_i[i] = 0;  // lag of an island is 0 (PySAL convention)
            continue;
          }
          const auto k = static_cast<std::uint32_t>(list.size());
          const double kd = static_cast<double>(k);
          const double zi = values[i] - mean;
          double raw_obs = 0;
          double lag = 0;
          for (const std::int32_t j : list) {
            raw_obs += values[j];
            lag += values[j] - mean;
          }
          lag /= kd;
          const double scale = zi / m2;
          const double observed = scale * lag;
          out.local_i[i] = observed;
          out.quadrant[i] = zi > 0 ? (lag > 0 ? 1 : 4) : (lag > 0 ? 2 : 3);
          if (zi == 0) {
            out.p_sim[i] = 1;  // every permuted I is 0 as well: no evidence either way
            continue;
          }

          Stream rng(options.seed, static_cast<std::uint64_t>(i));
          int larger = 0;
          for (int t = 0; t < perms; ++t) {
            // Floyd: k distinct indices of the n − 1 others, in k draws.
            s.drawn.clear();
            double raw = 0;
            for (std::uint32_t top = others - k; top < others; ++top) {
              std::uint32_t pick = rng.below(top + 1);
              if (s.taken[pick]) pick = top;
              s.taken[pick] = 1;
              s.drawn.push_back(pick);
              // Skip location i itself: others are 0..i−1, i+1..n−1.
              raw += values[pick < i ? pick : pick + 1];
            }
            for (const std::uint32_t d : s.drawn) s.taken[d] = 0;
            s.sums[static_cast<std::size_t>(t)] = raw;
            // Permuted I >= observed I  <=>  z_i · (raw − raw_obs) >= 0 (same k, same x̄).
            if (zi > 0 ? raw >= raw_obs : raw <= raw_obs) ++larger;
          }
          if (larger > perms - larger) larger = perms - larger;
          out.p_sim[i] = (larger + 1.0) / (perms + 1.0);

          double acc = 0;
          for (int t = 0; t < perms; ++t) {
            const double it = scale * (s.sums[static_cast<std::size_t>(t)] / kd - mean);
            s.sums[static_cast<std::size_t>(t)] = it;
            acc += it;
          }
          const double mean_sim = acc / perms;
          double var = 0;
          for (int t = 0; t < perms; ++t) {
            const double d = s.sums[static_cast<std::size_t>(t)] - mean_sim;
            var += d * d;
          }
          const double sd = std::sqrt(var / perms);
          if (sd > 0) out.z_sim[i] = (observed - mean_sim) / sd;
        }
      });
  return out;
}

std::vector<int> lisa_clusters(const LocalMoranResult& result, double alpha) {
  if (!(alpha > 0 && alpha < 1))
    throw InvalidArgument(
        fmt::format("lisa_clusters: alpha must be in (0, 1), e.g. 0.05, got {}", alpha));
  if (result.quadrant.size() != result.p_sim.size())
    throw InvalidArgument(fmt::format("lisa_clusters: {} quadrants but {} p-values",
                                      result.quadrant.size(), result.p_sim.size()));
  std::vector<int> out(result.quadrant.size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (result.p_sim[i] <= alpha) out[i] = result.quadrant[i];
  return out;
}

}  // namespace hotspots
