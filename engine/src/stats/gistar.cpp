// SPDX-License-Identifier: MIT
// Boost 1.74's own Boost.Geometry includes a header it deprecated; keep the build quiet.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include "hotspots/stats/gistar.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <atomic>
#include <boost/geometry.hpp>  // algorithms and strategies the R-tree queries need
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <utility>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

namespace hotspots {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using TreeValue = std::pair<BPoint, std::int32_t>;
using Tree = bgi::rtree<TreeValue, bgi::rstar<16>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxLocations =
    static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
// Relative slack on the grid's distance band so that exact lattice ties count as inside.
constexpr double kBandSlack = 1e-9;

void check_points(const std::vector<double>& xs, const std::vector<double>& ys, const char* what) {
  if (xs.size() != ys.size())
    throw InvalidArgument(
        fmt::format("{}: xs and ys differ in length ({} and {})", what, xs.size(), ys.size()));
  if (xs.size() > kMaxLocations)
    throw InvalidArgument(
        fmt::format("{}: {} points is more than the limit of {}", what, xs.size(), kMaxLocations));
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i]))
      throw InvalidArgument(
          fmt::format("{}: point {} has a non-finite coordinate ({}, {})", what, i, xs[i], ys[i]));
}

Tree build_tree(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::vector<TreeValue> v;
  v.reserve(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i)
    v.emplace_back(BPoint(xs[i], ys[i]), static_cast<std::int32_t>(i));
  return Tree(v.begin(), v.end());  // range constructor: packing bulk load
}

double squared_distance(double x0, double y0, double x1, double y1) {
  const double dx = x1 - x0;
  const double dy = y1 - y0;
  return dx * dx + dy * dy;
}

// Points of `tree` within the box centred on (x, y) with half-size `half`, padded so that
// rounding of the box corners never drops a point the exact filter would keep.
void box_query(const Tree& tree, double x, double y, double half, std::vector<TreeValue>& out) {
  out.clear();
  const double pad = half * (1 + 1e-9) + 1e-9 * (std::abs(x) + std::abs(y)) + 1e-300;
  tree.query(bgi::intersects(BBox(BPoint(x - pad, y - pad), BPoint(x + pad, y + pad))),
             std::back_inserter(out));
}

struct Moments {
  double n = 0;
  double mean = 0;
  double sd = 0;  // population SD; 0 when all values are equal
};

// Gi* from the neighbour sums: sum_wx = Σ_j w_ij x_j, w = Σ_j w_ij (self included).
void fill_location(const Moments& m, double sum_wx, double w, std::size_t i, GiStarResult& out) {
  const double var_w = (m.n * w - w * w) / (m.n - 1);
  double z = kNaN;
  if (m.sd > 0 && var_w > 0) z = (sum_wx - m.mean * w) / (m.sd * std::sqrt(var_w));
  out.z[i] = z;
  out.p[i] = std::isnan(z) ? kNaN : two_sided_normal_p(z);
  out.bin[i] = confidence_bin(z, out.p[i]);
  out.n_neighbors[i] = static_cast<std::int32_t>(w);
}

GiStarResult sized_result(std::size_t n) {
  GiStarResult r;
  r.z.assign(n, kNaN);
  r.p.assign(n, kNaN);
  r.bin.assign(n, 0);
  r.n_neighbors.assign(n, 0);
  return r;
}

}  // namespace

void Neighbours::validate(std::size_t location_count) const {
  if (lists.size() != location_count)
    throw InvalidArgument(
        fmt::format("neighbours: {} lists for {} locations", lists.size(), location_count));
  if (location_count > kMaxLocations)
    throw InvalidArgument(fmt::format("neighbours: {} locations is more than the limit of {}",
                                      location_count, kMaxLocations));
  // seen[j] == i + 1 when j already appeared in list i.
  std::vector<std::uint32_t> seen(location_count, 0);
  for (std::size_t i = 0; i < location_count; ++i) {
    const auto stamp = static_cast<std::uint32_t>(i + 1);
    for (const std::int32_t j : lists[i]) {
      if (j < 0 || static_cast<std::size_t>(j) >= location_count)
        throw InvalidArgument(fmt::format(
            "neighbours: location {} lists neighbour {}, outside [0, {})", i, j, location_count));
      if (static_cast<std::size_t>(j) == i)
        throw InvalidArgument(fmt::format(
            "neighbours: location {} lists itself; lists must exclude self (Gi* adds it)", i));
      if (seen[j] == stamp)
        throw InvalidArgument(
            fmt::format("neighbours: location {} lists neighbour {} more than once", i, j));
      seen[j] = stamp;
    }
  }
}

Neighbours distance_band_neighbours(const std::vector<double>& xs, const std::vector<double>& ys,
                                    double band_m) {
  check_points(xs, ys, "distance_band_neighbours");
  if (!(band_m > 0) || !std::isfinite(band_m))
    throw InvalidArgument(fmt::format(
        "distance_band_neighbours: band_m must be a positive number of metres, got {}", band_m));
  const Tree tree = build_tree(xs, ys);
  const double band2 = band_m * band_m;
  Neighbours nb;
  nb.lists.resize(xs.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, xs.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<TreeValue> found;
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        box_query(tree, xs[i], ys[i], band_m, found);
                        auto& list = nb.lists[i];
                        for (const auto& [pt, j] : found) {
                          if (static_cast<std::size_t>(j) == i) continue;
                          if (squared_distance(xs[i], ys[i], xs[j], ys[j]) <= band2)
                            list.push_back(j);
                        }
                        std::sort(list.begin(), list.end());
                      }
                    });
  return nb;
}

Neighbours knn_neighbours(const std::vector<double>& xs, const std::vector<double>& ys, int k) {
  check_points(xs, ys, "knn_neighbours");
  if (k < 1 || static_cast<std::size_t>(k) >= xs.size())
    throw InvalidArgument(fmt::format(
        "knn_neighbours: k must be between 1 and the number of points minus one ({}), got {}",
        xs.size() > 0 ? xs.size() - 1 : 0, k));
  // k below the number of points can still ask for hours and gigabytes (100,000 neighbours of
  // each of 70,000 cells): refuse before building anything.
  const double pairs = static_cast<double>(xs.size()) * static_cast<double>(k);
  if (pairs > static_cast<double>(kMaxNeighbourPairs))
    throw InvalidArgument(fmt::format(
        "knn {}: {} locations x {} neighbours is {:.3g} neighbour pairs, above the limit of {:.0e} "
        "(memory and time); use a smaller knn (at most {}), larger cells or a distance band",
        k, xs.size(), k, pairs, static_cast<double>(kMaxNeighbourPairs),
        kMaxNeighbourPairs / xs.size()));
  const Tree tree = build_tree(xs, ys);
  const auto kk = static_cast<std::size_t>(k);
  Neighbours nb;
  nb.lists.resize(xs.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, xs.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<TreeValue> found;
                      std::vector<std::pair<double, std::int32_t>> ranked;
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        const double x = xs[i];
                        const double y = ys[i];
                        // The k + 1 nearest (the point itself among them, or a coincident twin)
                        // give the distance of the k-th other point; the range query then collects
                        // every tie at it.
                        found.clear();
                        tree.query(bgi::nearest(BPoint(x, y), static_cast<unsigned>(kk + 1)),
                                   std::back_inserter(found));
                        double reach2 = 0;
                        for (const auto& [pt, j] : found)
                          reach2 = std::max(reach2, squared_distance(x, y, xs[j], ys[j]));
                        box_query(tree, x, y, std::sqrt(reach2), found);
                        ranked.clear();
                        for (const auto& [pt, j] : found) {
                          if (static_cast<std::size_t>(j) == i) continue;
                          const double d2 = squared_distance(x, y, xs[j], ys[j]);
                          if (d2 <= reach2) ranked.emplace_back(d2, j);
                        }
                        std::sort(ranked.begin(), ranked.end());  // by distance, then by index
                        auto& list = nb.lists[i];
                        list.reserve(kk);
                        for (std::size_t t = 0; t < kk && t < ranked.size(); ++t)
                          list.push_back(ranked[t].second);
                        std::sort(list.begin(), list.end());
                      }
                    });
  return nb;
}

GiStarResult gistar(const std::vector<double>& values, const Neighbours& neighbours) {
  const std::size_t n = values.size();
  if (n < 2) throw InvalidArgument(fmt::format("gistar: needs at least 2 locations, got {}", n));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i]))
      throw InvalidArgument(fmt::format(
          "gistar: values[{}] is {}; leave locations outside the study area out", i, values[i]));
  neighbours.validate(n);

  Moments m;
  m.n = static_cast<double>(n);
  double sum = 0;
  for (const double v : values) sum += v;
  m.mean = sum / m.n;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo != *hi) {
    double ss = 0;
    for (const double v : values) ss += (v - m.mean) * (v - m.mean);
    m.sd = std::sqrt(ss / m.n);
  }

  GiStarResult out = sized_result(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        double s = values[i];
                        for (const std::int32_t j : neighbours.lists[i]) s += values[j];
                        const auto w = static_cast<double>(neighbours.lists[i].size() + 1);
                        fill_location(m, s, w, i, out);
                      }
                    });
  return out;
}

GiStarResult gistar_grid(const Raster& counts, double distance_band_m) {
  const GridSpec& g = counts.grid;
  if (!(distance_band_m > 0) || !std::isfinite(distance_band_m))
    throw InvalidArgument(fmt::format(
        "gistar_grid: distance band must be a positive number of metres, got {}", distance_band_m));
  if (!(g.cell_size_m > 0) || !std::isfinite(g.cell_size_m))
    throw InvalidArgument(fmt::format(
        "gistar_grid: cell size must be a positive number of metres, got {}", g.cell_size_m));
  if (g.rows < 0 || g.cols < 0 || g.cell_count() > static_cast<std::int64_t>(kMaxLocations))
    throw InvalidArgument(
        fmt::format("gistar_grid: a {} x {} grid is outside the supported 0 .. {} cells", g.cols,
                    g.rows, kMaxLocations));
  if (counts.values.size() != static_cast<std::size_t>(g.cell_count()))
    throw InvalidArgument(fmt::format("gistar_grid: {} values for a {} x {} grid",
                                      counts.values.size(), g.cols, g.rows));
  const std::int64_t rows = g.rows;
  const std::int64_t cols = g.cols;
  const std::vector<double>& x = counts.values;

  // Moments over the in-area cells, from per-row partial sums combined in row order, so they do
  // not depend on how TBB splits the rows.
  std::vector<double> row_sum(static_cast<std::size_t>(rows));
  std::vector<std::int64_t> row_n(row_sum.size());
  std::vector<double> row_min(row_sum.size());
  std::vector<double> row_max(row_sum.size());
  std::atomic<bool> has_infinity{false};
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, rows, 16),
                    [&](const tbb::blocked_range<std::int64_t>& range) {
                      for (std::int64_t r = range.begin(); r != range.end(); ++r) {
                        double s = 0;
                        std::int64_t k = 0;
                        double lo = std::numeric_limits<double>::infinity();
                        double hi = -lo;
                        for (std::int64_t c = 0; c < cols; ++c) {
                          const double v = x[r * cols + c];
                          if (std::isnan(v)) continue;
                          if (std::isinf(v)) has_infinity.store(true, std::memory_order_relaxed);
                          s += v;
                          ++k;
                          lo = std::min(lo, v);
                          hi = std::max(hi, v);
                        }
                        row_sum[r] = s;
                        row_n[r] = k;
                        row_min[r] = lo;
                        row_max[r] = hi;
                      }
                    });
  if (has_infinity.load())
    throw InvalidArgument("gistar_grid: the grid holds an infinite value (use NaN for nodata)");
  Moments m;
  double sum = 0;
  std::int64_t n = 0;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (std::int64_t r = 0; r < rows; ++r) {
    sum += row_sum[r];
    n += row_n[r];
    lo = std::min(lo, row_min[r]);
    hi = std::max(hi, row_max[r]);
  }
  if (n < 2)
    throw InvalidArgument(
        fmt::format("gistar_grid: needs at least 2 cells in the study area (not NaN), got {}", n));
  m.n = static_cast<double>(n);
  m.mean = sum / m.n;
  if (lo != hi) {
    std::vector<double> row_ss(static_cast<std::size_t>(rows), 0.0);
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, rows, 16),
                      [&](const tbb::blocked_range<std::int64_t>& range) {
                        for (std::int64_t r = range.begin(); r != range.end(); ++r) {
                          double ss = 0;
                          for (std::int64_t c = 0; c < cols; ++c) {
                            const double v = x[r * cols + c];
                            if (!std::isnan(v)) ss += (v - m.mean) * (v - m.mean);
                          }
                          row_ss[r] = ss;
                        }
                      });
    double ss = 0;
    for (const double v : row_ss) ss += v;
    m.sd = std::sqrt(ss / m.n);
  }

  // Disc stencil: half[|dr|] = largest dc with (dr² + dc²)·cell² <= (band·(1 + slack))², or −1.
  const double cell2 = g.cell_size_m * g.cell_size_m;
  const double reach = distance_band_m * (1 + kBandSlack);
  const double reach2 = reach * reach;
  // Row offsets beyond the grid never matter: cap before converting (the band may be huge).
  const std::int64_t max_dr = std::max<std::int64_t>(rows - 1, 0);
  const double k_rows = std::floor(reach / g.cell_size_m);
  const std::int64_t kmax =
      k_rows >= static_cast<double>(max_dr) ? max_dr : static_cast<std::int64_t>(k_rows);
  const auto inside = [&](std::int64_t dr, std::int64_t dc) {
    return (static_cast<double>(dr) * static_cast<double>(dr) +
            static_cast<double>(dc) * static_cast<double>(dc)) *
               cell2 <=
           reach2;
  };
  std::vector<std::int64_t> half(static_cast<std::size_t>(kmax) + 1, -1);
  for (std::int64_t dr = 0; dr <= kmax; ++dr) {
    const double rest = reach2 / cell2 - static_cast<double>(dr) * static_cast<double>(dr);
    const double guess = rest > 0 ? std::floor(std::sqrt(rest)) : 0.0;
    std::int64_t h =
        guess >= static_cast<double>(cols - 1) ? cols - 1 : static_cast<std::int64_t>(guess);
    while (h + 1 <= cols - 1 && inside(dr, h + 1)) ++h;
    while (h >= 0 && !inside(dr, h)) --h;
    half[static_cast<std::size_t>(dr)] = h;
  }

  // The four output arrays are touched (page-faulted) concurrently, not one after another.
  GiStarResult out;
  const auto cells = static_cast<std::size_t>(g.cell_count());
  tbb::parallel_invoke([&] { out.z.assign(cells, kNaN); }, [&] { out.p.assign(cells, kNaN); },
                       [&] { out.bin.assign(cells, 0); },
                       [&] { out.n_neighbors.assign(cells, 0); });

  // Rows are processed in blocks. A block [r0, r1) first builds the per-row prefix sums of rows
  // [r0 − K, r1 + K) — px[c] = Σ_{c' < c} x (NaN as 0), pw likewise for in-area flags — in a
  // per-thread buffer, so the extra memory is O(threads · (block + 2K) · cols), not O(cells).
  // A prefix row is the same whichever block builds it, and each cell sums its stencil rows in
  // ascending dr, so the output does not depend on the blocking or the thread count.
  const std::size_t stride = static_cast<std::size_t>(cols) + 1;
  const std::int64_t block = std::min<std::int64_t>(std::max<std::int64_t>(32, 2 * kmax), rows);
  struct Buffers {
    std::vector<double> px;
    std::vector<std::int32_t> pw;
    std::vector<double> sx;
    std::vector<std::int64_t> sw;
  };
  tbb::enumerable_thread_specific<Buffers> buffers;
  tbb::parallel_for(
      tbb::blocked_range<std::int64_t>(0, rows,
                                       static_cast<std::size_t>(std::max<std::int64_t>(block, 1))),
      [&](const tbb::blocked_range<std::int64_t>& range) {
        Buffers& buf = buffers.local();
        const std::int64_t first = std::max<std::int64_t>(range.begin() - kmax, 0);
        const std::int64_t last = std::min<std::int64_t>(range.end() + kmax, rows);  // exclusive
        const std::size_t needed = static_cast<std::size_t>(last - first) * stride;
        if (buf.px.size() < needed) {
          buf.px.resize(needed);
          buf.pw.resize(needed);
        }
        buf.sx.resize(static_cast<std::size_t>(cols));
        buf.sw.resize(static_cast<std::size_t>(cols));
        for (std::int64_t rr = first; rr < last; ++rr) {
          double* p = buf.px.data() + static_cast<std::size_t>(rr - first) * stride;
          std::int32_t* q = buf.pw.data() + static_cast<std::size_t>(rr - first) * stride;
          const double* xr = x.data() + rr * cols;
          double s = 0;
          std::int32_t k = 0;
          p[0] = 0;
          q[0] = 0;
          for (std::int64_t c = 0; c < cols; ++c) {
            if (!std::isnan(xr[c])) {
              s += xr[c];
              ++k;
            }
            p[c + 1] = s;
            q[c + 1] = k;
          }
        }
        double* sx = buf.sx.data();
        std::int64_t* sw = buf.sw.data();
        for (std::int64_t r = range.begin(); r != range.end(); ++r) {
          std::fill(sx, sx + cols, 0.0);
          std::fill(sw, sw + cols, 0);
          const std::int64_t dr0 = std::max<std::int64_t>(-kmax, -r);
          const std::int64_t dr1 = std::min<std::int64_t>(kmax, rows - 1 - r);
          for (std::int64_t dr = dr0; dr <= dr1; ++dr) {
            const std::int64_t h = half[static_cast<std::size_t>(dr < 0 ? -dr : dr)];
            if (h < 0) continue;
            const std::size_t base = static_cast<std::size_t>(r + dr - first) * stride;
            const double* p = buf.px.data() + base;
            const std::int32_t* q = buf.pw.data() + base;
            // Run [c − h, c + h] clipped to [0, cols): prefix[hi] − prefix[lo]. 0 <= h < cols.
            const std::int64_t left_end = h;                                // c < h: lo = 0
            const std::int64_t right_begin = std::max(cols - h, left_end);  // c + h >= cols
            for (std::int64_t c = 0; c < left_end; ++c) {
              const std::int64_t top = std::min(c + h + 1, cols);
              sx[c] += p[top] - p[0];
              sw[c] += q[top] - q[0];
            }
            for (std::int64_t c = left_end; c < right_begin; ++c) {
              sx[c] += p[c + h + 1] - p[c - h];
              sw[c] += q[c + h + 1] - q[c - h];
            }
            for (std::int64_t c = right_begin; c < cols; ++c) {
              sx[c] += p[cols] - p[c - h];
              sw[c] += q[cols] - q[c - h];
            }
          }
          for (std::int64_t c = 0; c < cols; ++c) {
            const auto i = static_cast<std::size_t>(r * cols + c);
            if (std::isnan(x[i])) continue;  // outside the study area: stays NaN / 0
            fill_location(m, sx[c], static_cast<double>(sw[c]), i, out);
          }
        }
      },
      tbb::simple_partitioner());
  return out;
}

}  // namespace hotspots
