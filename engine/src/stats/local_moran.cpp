// SPDX-License-Identifier: MIT
#include "hotspots/stats/local_moran.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna 2018), one stream per neighbour count.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t key) {
    // Hash (seed, key) into a splitmix64 state, then fill the 256-bit state from it, so
    // neighbouring keys get unrelated streams.
    std::uint64_t h = seed;
    std::uint64_t mix = splitmix64(h) ^ key;
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

// The shared conditional-permutation draws for one neighbour count k (PySAL esda crand): R
// k-subsets of the n − 1 "other" positions, stored j-major (entry j·R + t is the j-th pick of
// permutation t). Position p stands for location p if p < i and p + 1 otherwise, so the value it
// contributes to location i is lower[·] (= values[p]) or upper[·] (= values[p + 1]).
struct Draws {
  std::vector<double> position;  // p as a double: exact (p < 2^31), compared with i in the loop
  std::vector<double> lower;
  std::vector<double> upper;
  // Whole-number path: every (p, t) sorted by position p, then t.
  std::vector<std::uint32_t> event_position;
  std::vector<std::uint32_t> event_permutation;
};

Draws draw_subsets(const std::vector<double>& values, std::uint32_t k, int perms,
                   std::uint64_t seed) {
  const auto others = static_cast<std::uint32_t>(values.size() - 1);
  const auto r = static_cast<std::size_t>(perms);
  Draws d;
  d.position.resize(r * k);
  d.lower.resize(r * k);
  d.upper.resize(r * k);
  std::vector<std::uint8_t> taken(others, 0);
  std::vector<std::uint32_t> drawn;
  drawn.reserve(k);
  // The stream of neighbour count k; location streams are no longer used (see local_moran()).
  Stream rng(seed, k);
  for (std::size_t t = 0; t < r; ++t) {
    // Floyd: k distinct positions of the n − 1 others, in k draws.
    drawn.clear();
    for (std::uint32_t top = others - k; top < others; ++top) {
      std::uint32_t pick = rng.below(top + 1);
      if (taken[pick]) pick = top;
      taken[pick] = 1;
      drawn.push_back(pick);
    }
    for (std::size_t j = 0; j < k; ++j) {
      const std::uint32_t pick = drawn[j];
      taken[pick] = 0;
      d.position[j * r + t] = pick;
      d.lower[j * r + t] = values[pick];
      d.upper[j * r + t] = values[pick + 1];
    }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> events(r * k);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t t = 0; t < r; ++t)
      events[j * r + t] = {static_cast<std::uint32_t>(d.position[j * r + t]),
                           static_cast<std::uint32_t>(t)};
  std::sort(events.begin(), events.end());
  d.event_position.resize(events.size());
  d.event_permutation.resize(events.size());
  for (std::size_t e = 0; e < events.size(); ++e) {
    d.event_position[e] = events[e].first;
    d.event_permutation[e] = events[e].second;
  }
  return d;
}

__extension__ typedef __int128 Int128;  // exact Σ of squared permutation sums

// Whole-number path: the raw sums S_t(i) of the permutations of one neighbour count k, for the
// current location i of a block, updated exactly as i advances.
struct SumState {
  std::vector<std::int32_t> sums;
  std::int64_t total = 0;  // Σ_t S_t
  Int128 squares = 0;      // Σ_t S_t²
  std::size_t next_event = 0;
};

constexpr std::size_t kBlock = 2048;  // locations per task: fixed, so results ignore threads

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
    list.reserve(queen ? 8 : 4);  // one allocation per list, not one per doubling
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
                             const LocalMoranOptions& options, const Progress& progress) {
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
  out.e_i.assign(n, kNaN);
  out.var_i.assign(n, kNaN);
  out.z_norm.assign(n, kNaN);
  out.p_norm.assign(n, kNaN);
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

  // Analytic moments of I_i under conditional randomisation (Sokal, Oden & Thomson 1998),
  // exactly as R spdep localmoran(conditional = TRUE, mlvar = TRUE): with W_i = Σ_j w_ij (= 1)
  // and W2_i = Σ_j w_ij² (= 1/|N_i|),
  //   E[I_i] = −z_i² W_i / ((n − 1) m2),
  //   Var[I_i] = (z_i/m2)² · n/(n − 2) · (W2_i − W_i²/(n − 1)) · (m2 − z_i²/(n − 1)).
  const double n1 = nd - 1;

  const int perms = options.permutations;
  const auto r = static_cast<std::size_t>(perms);
  // One set of draws per neighbour count, shared by every location with that count.
  std::vector<std::uint32_t> counts;
  for (std::size_t i = 0; i < n; ++i)
    if (!neighbours.lists[i].empty() && values[i] != mean)
      counts.push_back(static_cast<std::uint32_t>(neighbours.lists[i].size()));
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  std::vector<Draws> draws(counts.empty() ? 0 : counts.back() + 1);
  for (const std::uint32_t k : counts) draws[k] = draw_subsets(values, k, perms, options.seed);

  // Everything of location i; the permutation sums come from `whole_state` (whole-number
  // path) or are summed afresh into `sums`.
  const auto local_moran_at = [&](std::size_t i, std::vector<double>& sums,
                                  const std::vector<SumState>* whole_state) {
    const auto& list = neighbours.lists[i];
    if (list.empty()) {
      out.local_i[i] = 0;  // lag of an island is 0 (PySAL convention)
      return;
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
    const double e = -zi * zi / (n1 * m2);
    const double var =
        n < 3 ? kNaN : scale * scale * (nd / (nd - 2)) * (1 / kd - 1 / n1) * (m2 - zi * zi / n1);
    out.e_i[i] = e;
    out.var_i[i] = var;
    if (var > 0) {
      out.z_norm[i] = (observed - e) / std::sqrt(var);
      out.p_norm[i] = two_sided_normal_p(out.z_norm[i]);
    }
    if (zi == 0) {
      out.p_sim[i] = 1;  // every permuted I is 0 as well: all draws tie
      return;
    }

    if (whole_state) {
      const SumState& st = (*whole_state)[k];
      const auto obs = static_cast<std::int32_t>(raw_obs);
      std::size_t at_least = 0;
      std::size_t at_most = 0;
      for (const std::int32_t v : st.sums) {
        at_least += v >= obs;
        at_most += v <= obs;
      }
      out.p_sim[i] = (static_cast<double>(std::min(at_least, at_most)) + 1.0) / (perms + 1.0);
      // Mean and population SD of I_t = scale (S_t / k − x̄) from the exact Σ S, Σ S².
      const double rd = static_cast<double>(r);
      const double mean_sim = scale * (static_cast<double>(st.total) / rd / kd - mean);
      const Int128 spread = static_cast<Int128>(r) * st.squares -
                            static_cast<Int128>(st.total) * st.total;  // R² Var(S)
      const double sd = std::abs(scale) / kd * std::sqrt(static_cast<double>(spread)) / rd;
      if (sd > 0) out.z_sim[i] = (observed - mean_sim) / sd;
      return;
    }
    // Permutation t draws positions p_tj of the n − 1 others; the raw sum of its values
    // skips location i by taking values[p] below i and values[p + 1] from i on.
    const Draws& d = draws[k];
    const double id = static_cast<double>(i);
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t j = 0; j < k; ++j) {
      const double* pos = d.position.data() + j * r;
      const double* lower = d.lower.data() + j * r;
      const double* upper = d.upper.data() + j * r;
      double* acc_t = sums.data();
      for (std::size_t t = 0; t < r; ++t) acc_t[t] += pos[t] < id ? lower[t] : upper[t];
    }
    // Permuted I >= observed I  <=>  z_i · (raw − raw_obs) >= 0 (same k, same x̄); with
    // a = #{raw >= raw_obs} and b = #{raw <= raw_obs}, #{I >= I_obs} and #{I <= I_obs}
    // are a and b (z_i > 0) or b and a (z_i < 0): the min is the same either way.
    std::size_t at_least = 0;
    std::size_t at_most = 0;
    for (std::size_t t = 0; t < r; ++t) {
      at_least += sums[t] >= raw_obs;
      at_most += sums[t] <= raw_obs;
    }
    out.p_sim[i] = (static_cast<double>(std::min(at_least, at_most)) + 1.0) / (perms + 1.0);

    double acc = 0;
    for (std::size_t t = 0; t < r; ++t) {
      const double it = scale * (sums[t] / kd - mean);
      sums[t] = it;
      acc += it;
    }
    const double mean_sim = acc / perms;
    double ss_sim = 0;
    for (std::size_t t = 0; t < r; ++t) {
      const double dv = sums[t] - mean_sim;
      ss_sim += dv * dv;
    }
    const double sd = std::sqrt(ss_sim / perms);
    if (sd > 0) out.z_sim[i] = (observed - mean_sim) / sd;
  };

  // Whole numbers (counts) small enough that every permutation sum fits an int32: the sums are
  // then kept per block and neighbour count and updated as i advances (a position p switches
  // from values[p + 1] to values[p] when i passes it), O(R) per location instead of O(R·k).
  // The result is the same as summing afresh: integer sums are exact either way.
  std::size_t max_k = 0;
  for (const auto& list : neighbours.lists) max_k = std::max(max_k, list.size());
  bool whole = true;
  for (const double v : values)
    if (v != std::floor(v) || std::abs(v) > 1048576.0) whole = false;
  const double max_abs = std::max(std::abs(*lo), std::abs(*hi));
  if (static_cast<double>(max_k) * max_abs >= 1073741824.0) whole = false;
  std::vector<std::int32_t> whole_values;
  if (whole) {
    whole_values.resize(n);
    for (std::size_t i = 0; i < n; ++i) whole_values[i] = static_cast<std::int32_t>(values[i]);
  }

  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  tbb::enumerable_thread_specific<std::vector<double>> scratch(r);
  const auto body = [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<double>& sums = scratch.local();  // per permutation: Σ of the drawn values
    for (std::size_t b = range.begin(); b != range.end(); ++b) {
      const std::size_t i0 = b * kBlock;
      const std::size_t i1 = std::min(n, i0 + kBlock);
      // Whole-number path: the sums of each neighbour count needed in this block, at i = i0.
      std::vector<SumState> state;
      std::vector<std::uint32_t> active;
      if (whole) {
        state.resize(draws.size());
        for (std::size_t i = i0; i < i1; ++i)
          if (!neighbours.lists[i].empty() && values[i] != mean)
            active.push_back(static_cast<std::uint32_t>(neighbours.lists[i].size()));
        std::sort(active.begin(), active.end());
        active.erase(std::unique(active.begin(), active.end()), active.end());
        const double i0d = static_cast<double>(i0);
        for (const std::uint32_t k : active) {
          const Draws& d = draws[k];
          SumState& st = state[k];
          st.sums.assign(r, 0);
          for (std::size_t j = 0; j < k; ++j)
            for (std::size_t t = 0; t < r; ++t) {
              const auto p = static_cast<std::size_t>(d.position[j * r + t]);
              st.sums[t] += d.position[j * r + t] < i0d ? whole_values[p] : whole_values[p + 1];
            }
          for (const std::int32_t v : st.sums) {
            st.total += v;
            st.squares += static_cast<Int128>(static_cast<std::int64_t>(v) * v);
          }
          st.next_event = static_cast<std::size_t>(
              std::lower_bound(d.event_position.begin(), d.event_position.end(),
                               static_cast<std::uint32_t>(i0)) -
              d.event_position.begin());
        }
      }
      for (std::size_t i = i0; i < i1; ++i) {
        local_moran_at(i, sums, whole ? &state : nullptr);
        if (whole && i + 1 < n) {
          // Advance to i + 1: positions p = i now stand for location i, not i + 1.
          const std::int32_t delta = whole_values[i] - whole_values[i + 1];
          for (const std::uint32_t k : active) {
            const Draws& d = draws[k];
            SumState& st = state[k];
            while (st.next_event < d.event_position.size() &&
                   d.event_position[st.next_event] == i) {
              std::int32_t& v = st.sums[d.event_permutation[st.next_event]];
              const std::int64_t before = v;
              v += delta;
              st.total += delta;
              st.squares += static_cast<Int128>(static_cast<std::int64_t>(v) * v - before * before);
              ++st.next_event;
            }
          }
        }
      }
    }
  };
  // In about 20 rounds of blocks, so progress can be told; each block is computed alone, so
  // the rounds change nothing in the results.
  ProgressPhase phase(progress, "local Moran's I", blocks);
  const std::size_t round = std::max<std::size_t>(1, blocks / 20);
  for (std::size_t first = 0; first < blocks; first += round) {
    const std::size_t last = std::min(blocks, first + round);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(first, last, 1), body);
    phase.advance(last);
  }
  phase.finish();
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
